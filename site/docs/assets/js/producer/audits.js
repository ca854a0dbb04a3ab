/* The producer's audits (members/audits/): the list, and registering an audit with its report,
 * which is uploaded to storage and checked before it becomes available. */
import { api } from "../kit/api.js";
import { byId, el, fillSelect, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm } from "../kit/form.js";
import { nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { loadReference } from "../kit/reference.js";
import { requestKeys } from "../kit/upload.js";
import { badge, documentStatus, formatDay } from "../kit/view.js";
import { initAuditCompanies } from "./audit-companies.js";
import { auditUrl, fillCheckboxes, findingsSummary, offerEarlier, offerRating, reportForm, sendWithFile } from "./common.js";


function auditRow(audit, ref) {
  const date = formatDay(audit.audit_date);
  const overdue = Number(audit.overdue_actions) || 0;
  const doc = audit.document || {};
  const site = audit.site_name || audit.site_id || "";
  return el("tr", { "data-audit-id": audit.id }, [
    el("td", {}, link(auditUrl(audit.id), [nameOf(ref.audit_types, audit.audit_type), el("span", { class: "ieh-sr-only" }, `, ${site}, ${date}`)])),
    el("td", {}, site),
    el("td", {}, date),
    el("td", {}, audit.audit_company || ""),
    el("td", { "data-document-status": doc.status || "" }, [
      doc.status === "rejected" ? badge(documentStatus(doc), "warning") : documentStatus(doc),
      doc.status === "rejected" && doc.reason ? el("p", { class: "ieh-muted" }, doc.reason) : null,
    ]),
    el("td", { "data-findings-summary": "" }, findingsSummary(audit.summary, ref)),
    el("td", { "data-overdue-actions": String(overdue) }, overdue > 0 ? badge(t("audits.overdue_count", { count: overdue }), "warning") : "0"),
  ]);
}

let known = []; // the audits listed: a follow-up is chosen from them

async function loadAudits(ref) {
  const answer = await loadBusy(byId("audits-table"), "producer/audits", byId("audits-message"));
  if (!answer) return;
  known = answer.items || [];
  fillTable(byId("audits-table").tBodies[0], known.map((audit) => auditRow(audit, ref)), byId("audits-empty"));
  byId("audit-form").dispatchEvent(new Event("audits-listed"));
}

function offerFollowUp(form, ref) {
  offerEarlier(form.elements.follows, byId("audit-follows-field"), known, form.elements.site_id.value, ref);
}

function initAuditForm(sites, ref) {
  const form = byId("audit-form");
  const status = byId("audit-upload-status");
  const keys = requestKeys();
  let pillarsTouched = false;
  if (!sites.length) {
    form.hidden = true;
    byId("audit-no-sites").hidden = false;
    return;
  }
  const site = form.elements.site_id;
  fillSelect(site, sites.map((item) => ({ code: item.id, name: `${item.name} (${item.id})` })), t("audits.choose_site"));
  fillSelect(form.elements.audit_type, ref.audit_types, t("audits.choose_type"));
  fillSelect(form.elements.announcement, ref.announcements, t("audits.choose_announcement"));
  fillCheckboxes(byId("audit-pillars"), ref.pillars, "pillars", "audit-pillar");
  const now = new Date();
  form.elements.audit_date.max = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  const reset = () => {
    form.reset();
    pillarsTouched = false;
    if (sites.length === 1) site.value = sites[0].id;
    offerFollowUp(form, ref);
    offerRating(form.elements.ms_rating, byId("audit-ms-rating-field"), form.elements.audit_type.value, ref);
  };
  reset();
  site.addEventListener("change", () => offerFollowUp(form, ref));
  form.addEventListener("audits-listed", () => offerFollowUp(form, ref));
  form.elements.audit_type.addEventListener("change", () => offerRating(form.elements.ms_rating, byId("audit-ms-rating-field"), form.elements.audit_type.value, ref));

  // The pillars of a SMETA audit are known (the reference data says which): tick them until the member chooses.
  form.elements.audit_type.addEventListener("change", () => {
    const type = ref.audit_types.find((item) => item.code === form.elements.audit_type.value);
    if (!type || !type.pillars || pillarsTouched) return;
    for (const box of form.querySelectorAll('input[name="pillars"]')) box.checked = type.pillars.includes(box.value);
  });
  byId("audit-pillars").addEventListener("change", () => (pillarsTouched = true));

  const fileOf = () => form.elements.file.files && form.elements.file.files[0];

  async function register(data, file) {
    showMessage(status, t("audits.registering"), "info");
    let auditId = null;
    // One key per request until it has succeeded: a retry (after a lost answer or a failed upload)
    // returns the same audit instead of registering it twice.
    const body = { request_id: keys.for(JSON.stringify([data, file.lastModified])), ...data };
    const outcome = await sendWithFile(form, "file", status, keys, file, {
      create: () => api("producer/audits", { method: "POST", body }),
      created: (answer) => {
        auditId = answer.audit.id;
        loadAudits(ref); // the new audit shows in the list with its document's status
        return { auditId, pick: (audit) => audit.document };
      },
    });
    if (!outcome || (outcome.document && outcome.document.status === "rejected")) return;
    loadAudits(ref);
    reset();
    const slow = Boolean(outcome.timedOut);
    showMessage(status, [t(slow ? "audits.check_slow" : "audits.ready"), " ", link(auditUrl(auditId), t("audits.open"))], slow ? "info" : "success");
    focusOn(status);
  }

  bindForm(form, {
    busyLabel: t("audits.registering"),
    ...reportForm(form, fileOf),
    // The steps (register, upload, check) say how each went themselves; bindForm keeps one at a time.
    send: (data) => register(data, fileOf()).then(() => ({ status: 204 })),
  });
}

membersPage(async () => {
  const region = byId("audits-message");
  const [{ reference: ref }, sites] = await Promise.all([loadReference(region), loadBusy(byId("audit-form"), "producer/sites", region)]);
  if (!ref || !sites) return;
  initAuditForm(sites.items || [], ref);
  await Promise.all([loadAudits(ref), initAuditCompanies(sites.items || [])]);
});
