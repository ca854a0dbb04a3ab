/* A producer's customers: requests first, then the links; accept, change, decline and revoke. */
import { api, errorMessage } from "../kit/api.js";
import { button, byId, el, fillTable, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, conflictCurrent, setBusy } from "../kit/form.js";
import { formatDate, nameOf } from "../kit/format.js";
import { locale, t } from "../kit/i18n.js";
import { allowed } from "../kit/members.js";
import { contextButton } from "../kit/view.js";
import { accessFields, choice } from "./access.js";

const STATUS_ORDER = ["pending", "active", "declined", "revoked"]; // new requests first
const ROW_ACTIONS = { pending: ["accept", "decline"], active: ["change", "revoke"] };
const LABELS = { accept: "customers.accept", decline: "customers.decline", change: "customers.change", revoke: "customers.revoke" };
// What the panel says in each of its modes: title, intro, button, and the message once saved.
const MODES = {
  accept: { title: "customers.accept_title", intro: "customers.accept_intro", submit: "customers.give_access", done: "customers.accepted" },
  change: { title: "customers.change_title", intro: "customers.change_intro", submit: "customers.save_change", done: "customers.changed" },
  revoke: { title: "customers.revoke_title", intro: "customers.revoke_text", submit: "customers.confirm_revoke", done: "customers.revoked" },
};
const rank = (status) => (STATUS_ORDER.includes(status) ? STATUS_ORDER.indexOf(status) : STATUS_ORDER.length);
const nameOfRow = (row) => row.name || row.buyer_id;

/** The producer's own sites a pending request names (the buyer may have given a site id). */
const requestedSites = (row, sites) => sites.filter((site) => (row.requested || []).includes(site.id)).map((site) => site.id);

function sitesText(row, sites) {
  const names = new Map(sites.map((site) => [site.id, site.name || site.id]));
  const named = (ids) => ids.map((id) => names.get(id) || id).join(", ");
  if (row.status === "pending" && requestedSites(row, sites).length) return t("customers.requested_sites", { sites: named(requestedSites(row, sites)) });
  if (row.status !== "active") return "–";
  if (row.sites === "all" || !Array.isArray(row.sites)) return t("customers.sites_all");
  return named(row.sites) || t("kit.none");
}

/** The customer table and its panel (#customer-panel). Returns {load(), upsert(row)}. */
export function customerList(ref, sites) {
  const body = byId("customers-table").tBodies[0];
  const message = byId("customers-message");
  const panel = byId("customer-panel");
  const rows = new Map(); // buyer_id → the row as last seen
  let panelFor = null; // {buyerId, mode}
  const statusName = (status) => nameOf(ref.link_statuses, status);
  const rowButton = (buyerId, action) => body.querySelector(`tr[data-buyer-id="${CSS.escape(buyerId)}"] button[data-action="${action}"]`);

  /** The status, and for an active customer whether it may name the producer in its account. */
  function statusCell(row) {
    if (row.status !== "active" || !row.may_be_named) return statusName(row.status);
    return [el("div", {}, statusName(row.status)), el("div", { class: "ieh-field__hint", "data-may-be-named": "" }, t("customers.named_marker"))];
  }

  function customerRow(row) {
    // only the organisation's admins decide on access; members see the customers and the log
    const actions = allowed("admin") ? ROW_ACTIONS[row.status] || [] : [];
    const buttons = actions.map((action) => {
      const opens = action === "decline" ? {} : { "aria-controls": "customer-panel", "aria-expanded": "false" };
      const run = (node) => (action === "decline" ? decline(row.buyer_id, node) : openPanel(row.buyer_id, action, node));
      return contextButton(t(LABELS[action]), ` ${nameOfRow(row)}`, run, { "data-action": action, ...opens });
    });
    const named = row.status === "active" && row.may_be_named ? "yes" : "no";
    return el("tr", { "data-buyer-id": row.buyer_id, "data-status": row.status || "", "data-level": row.level || "", "data-may-be-named": named }, [
      el("th", { scope: "row" }, nameOfRow(row)),
      ...[
        nameOf(ref.countries, row.country),
        statusCell(row),
        row.status === "active" && row.level ? nameOf(ref.link_levels, row.level) : "–",
        sitesText(row, sites),
        formatDate(row.updated_at || row.requested_at) || "",
        el("div", { class: "ieh-actions ieh-actions--row" }, buttons),
      ].map((cell) => el("td", {}, cell)),
    ]);
  }

  function render() {
    const ordered = Array.from(rows.values()).sort((a, b) => rank(a.status) - rank(b.status) || nameOfRow(a).localeCompare(nameOfRow(b), locale));
    fillTable(body, ordered.map(customerRow), byId("customers-empty"));
    const opener = panelFor && rowButton(panelFor.buyerId, panelFor.mode);
    if (opener) opener.setAttribute("aria-expanded", "true");
  }

  function upsert(row) {
    if (row && row.buyer_id) rows.set(row.buyer_id, row);
    render();
  }

  async function load() {
    const table = body.closest("table");
    table.setAttribute("aria-busy", "true");
    const result = await api("producer/customers");
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(message, errorMessage(result), "error");
      return false;
    }
    rows.clear();
    for (const row of result.body.items || []) rows.set(row.buyer_id, row);
    render();
    return true;
  }

  /** After a 409: the stored row from the answer, or the whole list again; then the row as it is now. */
  async function adoptCurrent(buyerId, result) {
    const current = conflictCurrent(result);
    if (current && current.buyer_id) upsert(current);
    else if (!(await load())) return null;
    return rows.get(buyerId) || {};
  }

  /** Say what the stored version is now, in the message above the table. */
  function sayCurrent(fresh) {
    showMessage(message, fresh.buyer_id ? t("customers.current_is", { name: nameOfRow(fresh), status: statusName(fresh.status) }) : t("customers.current_loaded"), "info");
  }

  const put = (buyerId, change) =>
    api(`producer/customers/${encodeURIComponent(buyerId)}`, { method: "PUT", body: { ...change, version: rows.get(buyerId).version } });

  /** Close the panel; the focus goes back to the button that opened it, or to `fallback`. */
  function closePanel(fallback = null) {
    const opener = panelFor && rowButton(panelFor.buyerId, panelFor.mode);
    panel.hidden = true;
    panel.replaceChildren();
    panelFor = null;
    if (opener) opener.setAttribute("aria-expanded", "false");
    if (fallback) focusOn(fallback);
    else if (opener) opener.focus();
  }

  // -- decline: at once; a 409 offers the stored version
  async function decline(buyerId, node) {
    const name = nameOfRow(rows.get(buyerId));
    showMessage(message, "");
    setBusy(node, true, t("kit.saving"));
    const result = await put(buyerId, { status: "declined" });
    setBusy(node, false);
    if (result.status === 200 && result.body) {
      if (panelFor && panelFor.buyerId === buyerId) closePanel();
      upsert(result.body);
      showMessage(message, t("customers.declined", { name }), "success");
    } else if (result.status === 409) {
      const load = button(t("customers.load_current"), async () => {
        const fresh = await adoptCurrent(buyerId, result);
        if (!fresh) return;
        sayCurrent(fresh);
        focusOn(message);
      }, { "data-action": "load-current" });
      showMessage(message, [el("p", {}, t("customers.conflict")), el("div", { class: "ieh-actions" }, load)], "error");
    } else if (result.status !== 401) showMessage(message, errorMessage(result), "error");
    if (result.status !== 401) focusOn(message);
  }

  // -- accept, change and revoke: a form in the panel below the table
  function openPanel(buyerId, mode, opener) {
    const previous = panelFor && rowButton(panelFor.buyerId, panelFor.mode);
    if (previous && previous !== opener) previous.setAttribute("aria-expanded", "false");
    panelFor = { buyerId, mode };
    opener.setAttribute("aria-expanded", "true");
    showMessage(message, "");
    panel.dataset.buyerId = buyerId;
    panel.dataset.mode = mode;
    renderPanel(rows.get(buyerId), mode);
    panel.hidden = false;
    byId("customer-panel-title").focus();
  }

  /** After "load the saved version" in the panel: the form again if it still fits, else the list says what changed. */
  async function reloadPanel(buyerId, mode, result) {
    const fresh = await adoptCurrent(buyerId, result);
    if (!fresh) return;
    if (fresh.status !== (mode === "accept" ? "pending" : "active")) {
      sayCurrent(fresh);
      closePanel(message);
      return;
    }
    renderPanel(fresh, mode);
    const status = byId("customer-panel-status");
    showMessage(status, t("customers.current_loaded"), "info");
    focusOn(status);
  }

  function renderPanel(row, mode) {
    const name = nameOfRow(row);
    const texts = MODES[mode];
    const revoking = mode === "revoke";
    const status = el("p", { id: "customer-panel-status", class: "ieh-message", role: "status", tabindex: "-1" });
    const submit = el("button", { type: "submit", class: "md-button md-button--primary", "data-action": revoking ? "confirm-revoke" : "save-access" }, [
      t(texts.submit),
      revoking ? null : el("span", { class: "ieh-sr-only" }, ` ${name}`),
    ]);
    const cancel = button(t("kit.cancel"), () => closePanel(), { class: "md-button", "data-action": "cancel" });
    const form = el("form", { id: `customer-${revoking ? "revoke" : "access"}-form`, class: "ieh-form", novalidate: true, "data-buyer-id": row.buyer_id }, [
      el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
      el("p", { class: revoking ? null : "ieh-form__intro" }, t(texts.intro, { name })),
      status,
      el("div", { class: "ieh-actions" }, [submit, cancel]),
    ]);
    const fields = revoking ? null : accessFields(form, "customer-access", ref, sites, status);
    // whether the customer may name the producer in its public Transparency Act account: off unless ticked
    const naming = revoking
      ? null
      : choice("checkbox", "customer-access-named", "may_be_named", "yes", t("customers.may_be_named"), {
          hint: t("customers.may_be_named_hint"),
          checked: mode === "change" && Boolean(row.may_be_named),
        });
    if (naming) form.insertBefore(el("div", { class: "ieh-field" }, naming), status);
    const mayBeNamed = () => Boolean(form.querySelector('input[name="may_be_named"]:checked'));
    if (mode === "change") fields.write(row.level, row.sites);
    else if (mode === "accept" && requestedSites(row, sites).length) fields.write(null, requestedSites(row, sites)); // exactly what was asked for
    bindForm(form, {
      busyLabel: t("kit.saving"),
      collect: () => (revoking ? { status: "revoked", problems: {} } : { status: "active", ...fields.read(), may_be_named: mayBeNamed() }),
      check: (data) => data.problems,
      send: ({ problems, ...change }) => put(row.buyer_id, change),
      done: (stored, result, data) => {
        upsert(stored);
        const level = nameOf(ref.link_levels, stored.level || data.level);
        showMessage(message, t(texts.done, { name, level }), "success");
        closePanel(message);
      },
      conflict: (result) => ({
        message: t("customers.conflict"),
        buttons: [{ label: t("customers.load_current"), name: "load-current", run: () => reloadPanel(row.buyer_id, mode, result) }],
      }),
    });
    panel.replaceChildren(el("h3", { id: "customer-panel-title", tabindex: "-1" }, t(texts.title, { name })), form);
  }

  return { load, upsert };
}
