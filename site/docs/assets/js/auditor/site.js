/* One invited site as its audit company sees it (members/auditor-site/?id=…): the company's audits
 * of it, and uploading a new one — the producer's audit form and its report's upload and check,
 * with a lead auditor from the company. */
import { api } from "../kit/api.js";
import { auditPath, auditUrl } from "./paths.js";
import { byId, el, fillSelect, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm } from "../kit/form.js";
import { nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { requestKeys } from "../kit/upload.js";
import { badge, documentStatus, formatDay } from "../kit/view.js";
import { fillCheckboxes, findingsSummary, offerEarlier, offerRating, reportForm, sendWithFile } from "../producer/common.js";



function auditRow(siteId, audit, ref) {
  const doc = audit.document || {};
  const lead = (audit.uploaded_by || {}).lead_auditor || {};
  const date = formatDay(audit.audit_date);
  return el("tr", { "data-audit-id": audit.id }, [
    el("td", {}, link(auditUrl(siteId, audit.id), [nameOf(ref.audit_types, audit.audit_type), el("span", { class: "ieh-sr-only" }, `, ${date}`)])),
    el("td", {}, date),
    el("td", {}, lead.name || ""),
    el("td", { "data-document-status": doc.status || "" }, doc.status === "rejected" ? badge(documentStatus(doc), "warning") : documentStatus(doc)),
    el("td", {}, findingsSummary(audit.summary, ref)),
  ]);
}

async function loadAudits(siteId, ref, list = null) {
  const answer = list || (await api(`auditor/sites/${encodeURIComponent(siteId)}/audits`)).body;
  if (!answer) return;
  const audits = answer.items || [];
  fillTable(byId("auditor-audits-table").tBodies[0], audits.map((audit) => auditRow(siteId, audit, ref)), byId("auditor-audits-empty"));
  // A follow-up audit points to one of the company's earlier audits of the site.
  offerEarlier(byId("auditor-audit-follows"), byId("auditor-audit-follows-field"), audits, siteId, ref);
}

function initUpload(siteId, ref, me, auditors) {
  const form = byId("auditor-audit-form");
  const status = byId("auditor-audit-status");
  const keys = requestKeys();
  fillSelect(form.elements.audit_type, ref.audit_types, t("audits.choose_type"));
  fillSelect(form.elements.announcement, ref.announcements, t("audits.choose_announcement"));
  fillSelect(form.elements.lead_auditor_id, auditors.map((auditor) => ({ code: auditor.id, name: auditor.apsca ? `${auditor.name} (APSCA ${auditor.apsca})` : auditor.name })), t("auditor_site.choose_lead"));
  fillCheckboxes(byId("auditor-audit-pillars"), ref.pillars, "pillars", "auditor-audit-pillar");
  const now = new Date();
  form.elements.audit_date.max = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  const reset = () => {
    form.reset();
    offerRating(form.elements.ms_rating, byId("auditor-audit-ms-rating-field"), "", ref);
    if (auditors.some((auditor) => auditor.id === me.user_id)) form.elements.lead_auditor_id.value = me.user_id;
  };
  reset();
  form.elements.audit_type.addEventListener("change", () => {
    offerRating(form.elements.ms_rating, byId("auditor-audit-ms-rating-field"), form.elements.audit_type.value, ref);
    const type = ref.audit_types.find((item) => item.code === form.elements.audit_type.value);
    if (!type || !type.pillars) return;
    for (const box of form.querySelectorAll('input[name="pillars"]')) box.checked = type.pillars.includes(box.value);
  });
  const fileOf = () => form.elements.file.files && form.elements.file.files[0];

  async function register(data, file) {
    showMessage(status, t("audits.registering"), "info");
    let auditId = null;
    const body = { request_id: keys.for(JSON.stringify([data, file.lastModified])), ...data };
    const outcome = await sendWithFile(form, "file", status, keys, file, {
      create: () => api(`auditor/sites/${encodeURIComponent(siteId)}/audits`, { method: "POST", body }),
      created: (answer) => {
        auditId = answer.audit.id;
        loadAudits(siteId, ref);
        return { auditId, pick: (audit) => audit.document, path: auditPath(siteId, auditId) };
      },
    });
    if (!outcome || (outcome.document && outcome.document.status === "rejected")) return;
    loadAudits(siteId, ref);
    reset();
    const slow = Boolean(outcome.timedOut);
    showMessage(status, [t(slow ? "audits.check_slow" : "auditor_site.ready"), " ", link(auditUrl(siteId, auditId), t("auditor_site.open"))], slow ? "info" : "success");
    focusOn(status);
  }

  bindForm(form, {
    busyLabel: t("audits.registering"),
    ...reportForm(form, fileOf),
    send: (data) => register(data, fileOf()).then(() => ({ status: 204 })),
  });
}

membersPage(async (me) => {
  const found = await recordFromAddress((id) => `auditor/sites/${encodeURIComponent(id)}/audits`, {
    region: "auditor-site-message", content: "auditor-site-content", back: "members/auditor/", backText: "auditor_site.back_short",
    missing: "auditor_site.missing_id", notFound: "auditor_site.not_found",
  });
  if (!found) return;
  const { id: siteId, record, reference: ref } = found;
  const [invitations, auditors] = await Promise.all([api("auditor/invitations"), api("auditor/auditors")]);
  const invitation = ((invitations.body && invitations.body.items) || []).find((item) => item.site_id === siteId);
  if (invitation) {
    const heading = `${invitation.site_name} (${invitation.site_id}) – ${invitation.producer_name}`;
    byId("auditor-site-heading").textContent = heading;
    document.title = `${heading} – ${document.title}`;
  }
  await loadAudits(siteId, ref, record);
  initUpload(siteId, ref, me, (auditors.body && auditors.body.items) || []);
});
