/* One of the audit company's audits (members/auditor-audit/?site=…&id=…): who uploaded it, its facts
 * and report, its findings with the producer's disputes, adding a finding, and the producer's
 * comments. */
import { api } from "../kit/api.js";
import { auditPath, siteUrl } from "./paths.js";
import { findingTopic, offerFindingChoices } from "../kit/audit.js";
import { byId, el, focusOn, link, showMessage } from "../kit/dom.js";
import { remarkList, uploadedByLine } from "../kit/audit-source.js";
import { statusText, verifyForm } from "../kit/verification.js";
import { documentLine, evidenceLines } from "../kit/download.js";
import { bindForm } from "../kit/form.js";
import { nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { formatDay } from "../kit/view.js";
import { findingsSummary, isSettled, pollAudit } from "../producer/common.js";

const siteOf = () => (new URLSearchParams(location.search).get("site") || "").trim();

function showAudit(siteId, audit, ref) {
  const type = nameOf(ref.audit_types, audit.audit_type);
  const heading = [type, audit.site_name, formatDay(audit.audit_date)].filter(Boolean).join(" – ");
  byId("auditor-audit-heading").textContent = heading;
  document.title = `${heading} – ${document.title}`;
  byId("auditor-audit-source").replaceChildren(uploadedByLine(audit.uploaded_by));
  byId("auditor-audit-site").replaceChildren(link(siteUrl(siteId), `${audit.site_name} (${audit.site_id})`));
  byId("auditor-audit-type").textContent = type;
  byId("auditor-audit-date").textContent = formatDay(audit.audit_date);
  byId("auditor-audit-pillars").textContent = (audit.pillars || []).map((code) => nameOf(ref.pillars, code)).join(", ");
  const doc = audit.document || {};
  const base = `auditor/sites/${encodeURIComponent(siteId)}`;
  const region = byId("auditor-audit-message");
  byId("auditor-audit-report").replaceChildren(...(doc.file_name || doc.id ? documentLine(base, doc, region, t("supplier.audit.download_report")) : []));
  byId("auditor-audit-report").dataset.documentStatus = doc.status || "";
  byId("auditor-audit-summary").textContent = findingsSummary(audit.summary, ref);
  const order = ref.grades.map((grade) => grade.code);
  const rank = (grade) => (order.includes(grade) ? order.indexOf(grade) : order.length);
  const findings = (audit.findings || []).slice().sort((a, b) => rank(a.grade) - rank(b.grade));
  byId("auditor-findings").replaceChildren(
    ...findings.map((finding, index) =>
      el("li", { class: "ieh-card ieh-finding", "data-finding-id": finding.id, "data-grade": finding.grade }, [
        el("h3", { class: "ieh-card__title" }, t("auditor_audit.finding_title", { n: index + 1, grade: nameOf(ref.grades, finding.grade), topic: findingTopic(finding, ref) })),
        el("p", { class: "ieh-finding__description" }, finding.description || ""),
        finding.action ? el("p", { class: "ieh-muted", "data-action-status": finding.action.status || "" }, t("auditor_audit.action_status", { status: statusText(finding.action, ref.action_statuses), due: formatDay(finding.action.due_date) || "–" })) : null,
        finding.action && finding.action.completion_note ? el("p", {}, [el("strong", {}, `${t("supplier.action.completion_note")}: `), finding.action.completion_note]) : null,
        finding.action ? evidenceList(base, finding.action) : null,
        remarkList(audit.remarks, finding.id),
        finding.action && finding.action.status === "awaiting_verification" ? companyVerifyForm(siteId, audit, finding, index + 1, ref) : null,
      ]),
    ),
  );
  byId("auditor-findings-empty").hidden = findings.length > 0;
  const comments = remarkList(audit.remarks);
  byId("auditor-comments").replaceChildren(comments || "");
  byId("auditor-comments-empty").hidden = Boolean(comments);
}

/** The producer's evidence for an action, each piece downloadable: what a desk review reads. */
function evidenceList(base, action) {
  const region = el("p", { class: "ieh-message", role: "status" });
  return el("div", { "data-evidence": "" }, [...evidenceLines(base, action, region), region]);
}

/** The company verifies a corrective action the producer says is done: by a desk review of the
 * evidence or a follow-up audit. */
function companyVerifyForm(siteId, audit, finding, n, ref) {
  return verifyForm({
    path: `${auditPath(siteId, audit.id)}/findings/${encodeURIComponent(finding.id)}`,
    n,
    heading: el("h4", {}, t("auditor_audit.verify.title")),
    methods: ref.verification_methods.filter((method) => method.by === "audit_company"),
    done: (current, accepted) => {
      showAudit(siteId, current, ref);
      const said = byId("auditor-findings-message");
      showMessage(said, t(accepted ? "auditor_audit.verify.accepted" : "auditor_audit.verify.sent_back"), "success");
      focusOn(said);
    },
  });
}

function initFindingForm(siteId, audit, ref) {
  const form = byId("auditor-finding-form");
  const status = byId("auditor-finding-message");
  offerFindingChoices(form, audit, ref, { clause: "auditor-finding-clause-field", pillar: "auditor-finding-pillar-field" });
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    send: (data) => api(`${auditPath(siteId, audit.id)}/findings`, { method: "POST", body: data }),
    done: (current) => {
      showAudit(siteId, current, ref);
      form.reset();
      showMessage(status, t("audit.finding_added"), "success");
      focusOn(status);
    },
  });
}

membersPage(async () => {
  const siteId = siteOf();
  const found = await recordFromAddress((id) => auditPath(siteId, id), {
    region: "auditor-audit-message", content: "auditor-audit-content", back: "members/auditor/", backText: "auditor_site.back_short",
    missing: "audit.missing_id", notFound: "auditor_audit.not_found",
  });
  if (!found) return;
  const { record: audit, reference: ref } = found;
  showAudit(siteId, audit, ref);
  initFindingForm(siteId, audit, ref);
  if (audit.document && !isSettled(audit.document)) {
    const outcome = await pollAudit(audit.id, (current) => current.document, auditPath(siteId, audit.id));
    if (outcome.audit) showAudit(siteId, outcome.audit, ref);
  }
});
