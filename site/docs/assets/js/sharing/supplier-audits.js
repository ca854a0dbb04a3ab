/* A supplier's audits as a buyer with the "audits" level sees them: the list, and one audit at a
 * time with its report, findings, corrective actions and evidence. */
import { api } from "../kit/api.js";
import { findingTopic, historyItems, recordFacts } from "../kit/audit.js";
import { byId, el, fillTable, showMessage } from "../kit/dom.js";
import { download } from "../kit/download.js";
import { setBusy } from "../kit/form.js";
import { formatBytes, nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { badge, contextButton, documentStatus, fact, formatDay } from "../kit/view.js";
import { bodyOf, viewer } from "../kit/viewer.js";

function findingsSummary(counts, ref) {
  const parts = ref.grades.filter((grade) => Number((counts || {})[grade.code]) > 0).map((grade) => `${grade.name}: ${counts[grade.code]}`);
  return parts.length ? parts.join(", ") : t("supplier.audit.no_findings");
}

function overdueBadge(audit) {
  const count = Number(audit.overdue_actions) || 0;
  return count > 0 ? badge(t("supplier.audit.overdue_count", { count }), "warning") : "0";
}

/** A document's name, size and state, with a download button once it is available. */
function documentLine(base, doc, region, label) {
  const parts = [
    el("strong", {}, doc.file_name || ""),
    doc.size_bytes ? ` (${formatBytes(doc.size_bytes)})` : "",
    " – ",
    el("span", { "data-document-status": doc.status || "" }, documentStatus(doc)),
  ];
  if (doc.status !== "available" || !doc.id) return parts;
  const path = `${base}/documents/${encodeURIComponent(doc.id)}/download`;
  const get = (button) => download(path, button, region, { notFound: t("sharing.no_access") });
  return [...parts, " ", contextButton(label, doc.file_name ? ` (${doc.file_name})` : "", get, { "data-action": "download", "data-document-id": doc.id })];
}

function actionFacts(action, ref) {
  const due = formatDay(action.due_date);
  return el("dl", { class: "ieh-facts", "data-action-status": action.status || "" }, [
    ...fact(t("supplier.action.root_cause"), action.root_cause),
    ...fact(t("supplier.action.action"), action.action),
    ...fact(t("supplier.action.owner"), action.owner),
    ...fact(t("supplier.action.due"), action.overdue ? [due, " ", badge(t("supplier.action.overdue"), "warning")] : due),
    ...fact(t("sharing.status"), nameOf(ref.action_statuses, action.status)),
    ...fact(t("supplier.action.completion_note"), action.completion_note),
  ]);
}

function findingCard(base, finding, n, ref) {
  const title = t("supplier.audit.finding_title", { n, grade: nameOf(ref.grades, finding.grade), topic: findingTopic(finding, ref) });
  const card = el("li", { class: "ieh-card ieh-finding", "data-finding-id": finding.id, "data-grade": finding.grade }, [
    el("h5", { class: "ieh-card__title" }, title),
    el("p", { class: "ieh-finding__description" }, finding.description || ""),
  ]);
  const action = finding.action;
  if (!action) {
    card.append(el("p", { class: "ieh-muted" }, t("supplier.audit.no_action_needed")));
    return card;
  }
  const region = el("p", { class: "ieh-message", role: "status", "data-finding-message": "" });
  const evidence = Array.isArray(action.evidence) ? action.evidence : [];
  const item = (doc) => el("li", { "data-evidence-id": doc.id, "data-evidence-status": doc.status || "" }, documentLine(base, doc, region, t("kit.download")));
  card.append(
    actionFacts(action, ref),
    el("p", { class: "ieh-card__label" }, t("supplier.action.evidence")),
    evidence.length ? el("ul", { class: "ieh-evidence", "data-evidence-list": "" }, evidence.map(item)) : el("p", { class: "ieh-muted" }, t("supplier.action.no_evidence")),
    region,
  );
  return card;
}

/** The versions a correction made after a customer had seen the audit: what changed and why. */
function history(audit, ref) {
  const items = historyItems(audit, ref);
  return items.length ? [el("h4", {}, t("audit.history")), el("ul", { class: "ieh-history__list", "data-history": "" }, items)] : [];
}

/** The parts of one audit's panel, below its title. */
function auditParts(base, audit, ref) {
  const region = el("p", { class: "ieh-message", role: "status", id: "supplier-audit-message" });
  const doc = audit.document || {};
  const order = ref.grades.map((grade) => grade.code);
  const rank = (grade) => (order.includes(grade) ? order.indexOf(grade) : order.length);
  const findings = (audit.findings || []).slice().sort((a, b) => rank(a.grade) - rank(b.grade));
  return [
    el("dl", { class: "ieh-facts", "data-record": "" }, [
      ...recordFacts(audit, ref),
      ...fact(t("supplier.audit.pillars"), (audit.pillars || []).map((code) => nameOf(ref.pillars, code)).join(", ")),
      ...fact(t("supplier.audits.findings"), findingsSummary(audit.summary, ref)),
      ...fact(t("supplier.audits.overdue"), overdueBadge(audit)),
    ]),
    ...history(audit, ref),
    el("h4", {}, t("supplier.audit.report")),
    region,
    doc.file_name || doc.id ? el("p", { "data-report": "" }, documentLine(base, doc, region, t("supplier.audit.download_report"))) : null,
    el("h4", {}, t("supplier.audit.findings_title")),
    findings.length
      ? el("ul", { class: "ieh-cards" }, findings.map((finding, index) => findingCard(base, finding, index + 1, ref)))
      : el("p", {}, t("supplier.audit.no_findings_recorded")),
  ].filter(Boolean);
}

/** The audits of the sites the link covers, in #supplier-audits; details open in #supplier-audit. */
export async function showAudits(base, ref) {
  const table = byId("supplier-audits");
  const status = byId("supplier-audits-message");
  const view = viewer(byId("supplier-audit"), "audit", "auditId");

  async function open(audit, button) {
    showMessage(status, "");
    setBusy(button, true, t("kit.loading"));
    const result = await api(`${base}/audits/${encodeURIComponent(audit.id)}`);
    setBusy(button, false);
    const full = bodyOf(result, status);
    if (!full) return;
    const title = [nameOf(ref.audit_types, full.audit_type), full.site_name, formatDay(full.audit_date)].filter(Boolean).join(" – ");
    view.show(button, full.id, title, auditParts(base, full, ref));
  }

  function auditRow(audit) {
    const type = nameOf(ref.audit_types, audit.audit_type);
    const site = audit.site_name || audit.site_id || "";
    const date = formatDay(audit.audit_date);
    const show = contextButton(t("supplier.audit.show"), t("supplier.audit.context", { type, site, date }), (button) => open(audit, button), {
      "data-action": "show-audit",
      "data-audit-id": audit.id,
      "aria-controls": "supplier-audit",
      "aria-expanded": "false",
    });
    return el("tr", { "data-audit-id": audit.id }, [
      el("td", {}, type),
      el("td", {}, site),
      el("td", {}, date),
      el("td", {}, audit.audit_company || ""),
      el("td", { "data-findings-summary": "" }, findingsSummary(audit.summary, ref)),
      el("td", { "data-overdue-actions": String(Number(audit.overdue_actions) || 0) }, overdueBadge(audit)),
      el("td", {}, show),
    ]);
  }

  table.setAttribute("aria-busy", "true");
  const result = await api(`${base}/audits`);
  table.setAttribute("aria-busy", "false");
  const body = bodyOf(result, status);
  if (body) fillTable(table.tBodies[0], (body.items || []).map(auditRow), byId("supplier-audits-empty"));
}
