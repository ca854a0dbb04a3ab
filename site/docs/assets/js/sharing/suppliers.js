/* A buyer's suppliers: asking a producer for access, inviting one that is not a member, the list. */
import { api, pageUrl } from "../kit/api.js";
import { byId, el, fillSelect, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, textOf } from "../kit/form.js";
import { formatDate, formatNumber, nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { pagedList } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { loadReference } from "../kit/reference.js";
import { badge } from "../kit/view.js";
import { bandBadge } from "../risk/explain.js";

const ORGANISATION_NUMBER = /^\d{9}$/;
const SITE_ID = /^ZS-[A-Z0-9]+(?:-[A-Z0-9]+)+$/; // "ZS-4KQ7-TR2"; the server decides whether it exists
const FILTERS = ["status", "level", "country"];

/** The request body for what the member typed: a site id or an organisation number, or null. */
function supplierKey(typed) {
  const compact = typed.replace(/\s+/g, "").toUpperCase();
  if (ORGANISATION_NUMBER.test(compact)) return { organisation_number: compact };
  if (SITE_ID.test(compact)) return { site_id: compact };
  return null;
}

/** What asking tells: only that the request is sent, never whether the ID or number is a producer's. */
function sentText(key, text) {
  return t(text, { kind: key.site_id ? "site" : "number", reference: key.site_id || key.organisation_number });
}

function initRequest(onSent) {
  const form = byId("link-request-form");
  const status = byId("link-request-message");
  bindForm(form, {
    status,
    collect: () => supplierKey(textOf(form, "supplier")),
    check: (key) => (key ? null : { supplier: t(textOf(form, "supplier") ? "suppliers.request.format" : "suppliers.request.enter") }),
    send: (key) => api("buyer/links", { method: "POST", body: key }),
    failed: (result) => {
      const error = (result.body && result.body.error) || {};
      if (error.fields) error.fields = { supplier: Object.values(error.fields)[0] }; // site_id or organisation_number is what was typed
      return false;
    },
    done: (body, result, key) => {
      form.reset();
      showMessage(status, sentText(key, "suppliers.request.sent"), "success");
      focusOn(status);
      onSent();
    },
  });
}

function initInvite() {
  const form = byId("producer-invite-form");
  const status = byId("producer-invite-message");
  bindForm(form, {
    status,
    send: (data) => api("buyer/invitations", { method: "POST", body: data }),
    done: (body, result, data) => {
      form.reset();
      showMessage(status, t("suppliers.invite.sent", { company: data.company_name, email: data.email }), "success");
      focusOn(status);
    },
  });
}

function supplierRow(row, ref) {
  const changed = formatDate(row.updated_at || row.requested_at) || "";
  const statusName = nameOf(ref.link_statuses, row.status);
  if (row.request) {
    // the buyer's own request, not yet accepted: what it typed, nothing of whom it reached
    const key = ORGANISATION_NUMBER.test(row.request) ? { organisation_number: row.request } : { site_id: row.request };
    const cells = [sentText(key, "suppliers.request.row"), "–", statusName, "–", "–", "–", "–"].map((cell) => el("td", {}, cell));
    return el("tr", { "data-request": row.request, "data-status": row.status || "", "data-level": "" },
      cells.concat(el("td", { "data-stale": "" }, "–"), el("td", {}, changed)));
  }
  const active = row.status === "active";
  const name = row.name || row.producer_id;
  const known = active && typeof row.profile_stale === "boolean";
  const profile = !known ? "–" : row.profile_stale ? badge(t("sharing.stale"), "warning") : t("suppliers.up_to_date");
  const href = pageUrl(`members/supplier/?id=${encodeURIComponent(row.producer_id)}`);
  return el("tr", { "data-producer-id": row.producer_id, "data-status": row.status || "", "data-level": row.level || "" }, [
    el("td", {}, active ? el("a", { href, "data-supplier-link": "" }, name) : name),
    el("td", {}, row.country_name || nameOf(ref.countries, row.country)),
    el("td", {}, statusName),
    el("td", {}, row.level ? nameOf(ref.link_levels, row.level) : "–"),
    el("td", { "data-risk": row.risk_band || "" }, row.risk_band ? bandBadge(row.risk_band) : "–"),
    el("td", { "data-saq": "" }, row.saq ? t("suppliers.saq_count", row.saq) : active ? t("suppliers.not_shared") : "–"),
    el("td", { "data-open-ncs": "" }, typeof row.open_ncs === "number" ? formatNumber(row.open_ncs) : active ? t("suppliers.not_shared") : "–"),
    el("td", { "data-stale": known ? String(row.profile_stale) : "" }, profile),
    el("td", {}, changed),
  ]);
}

function initList(ref) {
  const form = byId("suppliers-filter");
  const status = byId("suppliers-message");
  const empty = byId("suppliers-empty");
  const placeholders = { status: "suppliers.all_statuses", level: "suppliers.all_levels", country: "suppliers.all_countries" };
  // The country filter offers the countries the suppliers are in (the first page says which); until
  // then only the one the address asks for.
  const address = new URLSearchParams(location.search);
  const asked = ref.countries.filter((country) => country.code === address.get("country"));
  const lists = { status: ref.link_statuses, level: ref.link_levels, country: asked };
  for (const name of FILTERS) fillSelect(form.elements[name], lists[name], t(placeholders[name]));
  // The filters and the sort live in the address too: a reload, a bookmark or a shared link keeps them.
  for (const name of [...FILTERS, "sort"]) if (address.get(name)) form.elements[name].value = address.get(name);
  const remember = () => {
    const params = new URLSearchParams();
    for (const name of [...FILTERS, "sort"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
    history.replaceState(null, "", `${location.pathname}${params.size ? `?${params}` : ""}${location.hash}`);
  };
  const filtered = () => FILTERS.some((name) => form.elements[name].value);
  let loaded = false;

  const list = pagedList({
    body: byId("suppliers-table").tBodies[0],
    more: byId("suppliers-more"),
    status,
    empty,
    path: (cursor) => {
      const params = new URLSearchParams();
      for (const name of [...FILTERS, "sort"]) if (form.elements[name].value) params.set(name, form.elements[name].value);
      if (cursor) params.set("cursor", cursor);
      const query = params.toString();
      return `buyer/suppliers${query ? `?${query}` : ""}`;
    },
    render: (row) => supplierRow(row, ref),
    announceMore: (count) => t("suppliers.more_shown", { count }),
    loaded: (body, fromStart, rows) => {
      if (Array.isArray(body.countries)) fillSelect(form.elements.country, body.countries, t(placeholders.country));
      empty.textContent = t(filtered() ? "suppliers.no_matches" : "suppliers.none_yet");
      if (!fromStart) return;
      const more = String(Boolean(body.next_cursor));
      // none found: the empty list's own line (a live region) says so, once
      showMessage(status, loaded && filtered() && rows.length ? t("suppliers.shown", { count: rows.length, more }) : "", "info");
      loaded = true;
    },
  });
  form.addEventListener("change", () => {
    remember();
    list.load(true);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    list.load(true);
  });
  return list;
}

membersPage(async () => {
  let list = null;
  initRequest(() => list && list.load(true));
  initInvite();
  const { reference } = await loadReference(byId("suppliers-message"));
  if (!reference) return;
  list = initList(reference);
  await list.load(true);
});
