/* An audit company's assignments (members/auditor/): the corrective actions waiting for its
 * verification on every invited site, earliest due first; the sites it is invited to, by producer,
 * with accept and decline for the company's admins, each active site leading to its upload page;
 * and the auditor's own APSCA number, shown with every audit they lead. */
import { api } from "../kit/api.js";
import { byId, el, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm, fillForm, setBusy } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { findingTopic } from "../kit/audit.js";
import { nameOf } from "../kit/format.js";
import { loadReference } from "../kit/reference.js";
import { badge, contextButton, formatDay } from "../kit/view.js";
import { auditUrl, siteUrl } from "./paths.js";

function actions(item, admin, reload) {
  const region = byId("auditor-message");
  if (item.status === "active") return link(siteUrl(item.site_id), [t("auditor.open_site"), el("span", { class: "ieh-sr-only" }, ` ${item.site_name}`)]);
  if (item.status !== "pending" || !admin) return "";
  const answer = (verb) => async (button) => {
    setBusy(button, true, t("kit.saving"));
    const result = await api(`auditor/invitations/${encodeURIComponent(item.id)}/${verb}`, { method: "POST" });
    setBusy(button, false);
    if (result.status !== 200) {
      showMessage(region, t("auditor.answer_failed"), "error");
      return;
    }
    showMessage(region, t(verb === "accept" ? "auditor.accepted" : "auditor.declined", { producer: item.producer_name, site: item.site_name }), "success");
    await reload();
    focusOn(region);
  };
  const context = ` ${item.producer_name}, ${item.site_name}`;
  return el("span", { class: "ieh-actions" }, [
    contextButton(t("auditor.accept"), context, answer("accept"), { "data-accept": item.id, class: "md-button md-button--primary ieh-button--small" }),
    " ",
    contextButton(t("auditor.decline"), context, answer("decline"), { "data-decline": item.id, class: "md-button ieh-button--small" }),
  ]);
}

async function loadInvitations(admin) {
  const reload = () => loadInvitations(admin);
  const answer = await loadBusy(byId("auditor-table"), "auditor/invitations", byId("auditor-message"));
  if (!answer) return;
  const rows = (answer.items || []).map((item) =>
    el("tr", { "data-invitation-id": item.id, "data-status": item.status }, [
      el("td", {}, item.producer_name),
      el("td", {}, `${item.site_name} (${item.site_id})`),
      el("td", {}, badge(t(`audits.invitation.${item.status}`), item.status === "pending" ? "warning" : null)),
      el("td", {}, actions(item, admin, reload)),
    ]),
  );
  fillTable(byId("auditor-table").tBodies[0], rows, byId("auditor-empty"));
}

/** What the producers say is done, for the company to verify: one row per action, to its audit. */
async function loadVerifications() {
  const region = byId("auditor-verifications-message");
  const [answer, { reference: ref }] = await Promise.all([loadBusy(byId("auditor-verifications-table"), "auditor/verifications", region), loadReference(region)]);
  if (!answer || !ref) return;
  const rows = (answer.items || []).map((item) => {
    const finding = item.finding;
    const action = finding.action || {};
    const title = `${nameOf(ref.grades, finding.grade)} – ${findingTopic(finding, ref)}`;
    const due = formatDay(action.due_date);
    return el("tr", { "data-awaiting-finding": finding.id }, [
      el("td", {}, [el("strong", {}, title), el("br"), finding.description || ""]),
      el("td", {}, [`${item.site_name} (${item.site_id})`, el("br"), el("span", { class: "ieh-muted" }, item.producer_name)]),
      el("td", {}, [nameOf(ref.audit_types, item.audit_type), el("br"), formatDay(item.audit_date)]),
      el("td", {}, action.overdue ? [due, " ", badge(t("supplier.action.overdue"), "warning")] : due || "–"),
      el("td", {}, link(auditUrl(item.site_id, item.audit_id), [t("auditor.open_finding"), el("span", { class: "ieh-sr-only" }, `: ${title}, ${item.site_name}`)])),
    ]);
  });
  fillTable(byId("auditor-verifications-table").tBodies[0], rows, byId("auditor-verifications-empty"));
}

async function initApsca(me) {
  const form = byId("apsca-form");
  const status = byId("apsca-message");
  const team = await loadBusy(form, "auditor/auditors", status);
  const mine = ((team && team.items) || []).find((auditor) => auditor.id === me.user_id);
  if (mine && mine.apsca) fillForm(form, { apsca_number: `APSCA ${mine.apsca}` });
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ apsca_number: form.elements.apsca_number.value.trim() || null }),
    send: (data) => api("auditor/me", { method: "PUT", body: data }),
    done: (saved) => showMessage(status, saved.apsca ? t("auditor.apsca_saved", { number: saved.apsca }) : t("auditor.apsca_removed"), "success"),
  });
}

membersPage(async (me) => {
  await Promise.all([loadVerifications(), loadInvitations(me.role === "admin"), initApsca(me)]);
});
