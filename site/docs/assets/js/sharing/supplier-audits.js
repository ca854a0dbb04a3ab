/* A supplier's audits as a buyer with the "audits" level sees them: the list, and one audit at a
 * time with who uploaded it, its report, findings (with the producer's disputes), corrective actions
 * and evidence, and the producer's comments. */
import { api } from "../kit/api.js";
import { findingTopic, historyItems, recordFacts } from "../kit/audit.js";
import { byId, el, fillTable, showMessage } from "../kit/dom.js";
import { documentLine, evidenceLines } from "../kit/download.js";
import { bindForm, setBusy } from "../kit/form.js";
import { nameOf } from "../kit/format.js";
import { remarkList, uploadedByLine } from "../kit/audit-source.js";
import { t } from "../kit/i18n.js";
import { allowed } from "../kit/members.js";
import { commentList, sentBackLine, statusText, verificationFacts, verifyForm } from "../kit/verification.js";
import { badge, contextButton, fact, formatDay } from "../kit/view.js";
import { bodyOf, viewer } from "../kit/viewer.js";

function findingsSummary(counts, ref) {
  const parts = ref.grades.filter((grade) => Number((counts || {})[grade.code]) > 0).map((grade) => `${grade.name}: ${counts[grade.code]}`);
  return parts.length ? parts.join(", ") : t("supplier.audit.no_findings");
}

function overdueBadge(audit) {
  const count = Number(audit.overdue_actions) || 0;
  return count > 0 ? badge(t("supplier.audit.overdue_count", { count }), "warning") : "0";
}

function actionFacts(action, ref) {
  const due = formatDay(action.due_date);
  return el("dl", { class: "ieh-facts", "data-action-status": action.status || "" }, [
    ...fact(t("supplier.action.root_cause"), action.root_cause),
    ...fact(t("supplier.action.action"), action.action),
    ...fact(t("supplier.action.owner"), action.owner),
    ...fact(t("supplier.action.due"), action.overdue ? [due, " ", badge(t("supplier.action.overdue"), "warning")] : due),
    ...fact(t("sharing.status"), el("span", { "data-verification": action.verification_state || "" }, statusText(action, ref.action_statuses))),
    ...verificationFacts(action),
    ...fact(t("supplier.action.completion_note"), action.completion_note),
  ]);
}

/** An action the supplier asked this customer to verify: an admin accepts it or sends it back. */
function decisionForm(path, n, replace) {
  if (!allowed("admin")) return el("p", { class: "ieh-muted", "data-verify-admin-only": "" }, t("supplier.verify.admin_only"));
  return verifyForm({
    path,
    n,
    heading: el("h6", {}, t("supplier.verify.title")),
    intro: t("supplier.verify.intro"),
    done: (finding, accepted) => replace(finding, t(accepted ? "supplier.verify.accepted" : "supplier.verify.sent_back")),
  });
}

/** A comment for the supplier (and the buyer's own organisation) to read. */
function commentForm(path, n, list) {
  const id = `comment-${path.replace(/[^A-Za-z0-9]/g, "-")}`;
  const status = el("p", { class: "ieh-message", role: "status" });
  const form = el("form", { class: "ieh-form", "data-comment-form": "", novalidate: true, "aria-label": t("supplier.comment.form_label", { n }) }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("div", { class: "ieh-field" }, [
      el("label", { for: id }, t("supplier.comment.label")),
      el("p", { class: "ieh-field__hint", id: `${id}-hint` }, t("supplier.comment.hint")),
      el("textarea", { id, name: "text", rows: "2", required: true, "aria-describedby": `${id}-hint` }),
    ]),
    el("button", { type: "submit", class: "md-button" }, [t("supplier.comment.submit"), el("span", { class: "ieh-sr-only" }, t("supplier.verify.for_finding", { n }))]),
    status,
  ]);
  bindForm(form, {
    status,
    send: (data) => api(`${path}/comments`, { method: "POST", body: { text: data.text } }),
    done: (comment) => {
      const added = commentList([comment]).firstChild;
      list.append(added);
      list.hidden = false;
      form.reset();
      showMessage(status, t("supplier.comment.added"), "success");
    },
  });
  return form;
}

function findingCard(base, auditId, finding, n, ref, remarks) {
  const title = t("supplier.audit.finding_title", { n, grade: nameOf(ref.grades, finding.grade), topic: findingTopic(finding, ref) });
  const card = el("li", { class: "ieh-card ieh-finding", "data-finding-id": finding.id, "data-grade": finding.grade }, [
    el("h5", { class: "ieh-card__title" }, title),
    el("p", { class: "ieh-finding__description" }, finding.description || ""),
    remarkList(remarks, finding.id),
  ]);
  const action = finding.action;
  if (!action) {
    card.append(el("p", { class: "ieh-muted" }, t("supplier.audit.no_action_needed")));
    return card;
  }
  const region = el("p", { class: "ieh-message", role: "status", "data-finding-message": "" });
  const path = `${base}/audits/${encodeURIComponent(auditId)}/findings/${encodeURIComponent(finding.id)}`;
  const comments = commentList(action.comments);
  const replace = (updated, message) => {
    const fresh = findingCard(base, auditId, updated, n, ref, remarks);
    card.replaceWith(fresh);
    const said = fresh.querySelector("[data-finding-message]");
    showMessage(said, message, "success");
    said.setAttribute("tabindex", "-1");
    said.focus();
    document.dispatchEvent(new CustomEvent("ieh:verification-decided", { detail: { findingId: finding.id } }));
  };
  card.append(
    actionFacts(action, ref),
    sentBackLine(action) || "",
    ...evidenceLines(base, action, region, { notFound: t("sharing.no_access") }),
    region,
    action.awaiting_you ? decisionForm(path, n, replace) : "",
    el("p", { class: "ieh-card__label" }, t("supplier.comment.title")),
    comments,
    commentForm(path, n, comments),
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
  const comments = remarkList(audit.remarks);
  return [
    uploadedByLine(audit.uploaded_by),
    el("dl", { class: "ieh-facts", "data-record": "" }, [
      ...recordFacts(audit, ref),
      ...fact(t("supplier.audit.pillars"), (audit.pillars || []).map((code) => nameOf(ref.pillars, code)).join(", ")),
      ...fact(t("supplier.audits.findings"), findingsSummary(audit.summary, ref)),
      ...fact(t("supplier.audits.overdue"), overdueBadge(audit)),
    ]),
    ...history(audit, ref),
    el("h4", {}, t("supplier.audit.report")),
    region,
    doc.file_name || doc.id ? el("p", { "data-report": "" }, documentLine(base, doc, region, t("supplier.audit.download_report"), { notFound: t("sharing.no_access") })) : null,
    el("h4", {}, t("supplier.audit.findings_title")),
    findings.length
      ? el("ul", { class: "ieh-cards" }, findings.map((finding, index) => findingCard(base, audit.id, finding, index + 1, ref, audit.remarks)))
      : el("p", {}, t("supplier.audit.no_findings_recorded")),
    comments ? el("h4", {}, t("audit.comments")) : null,
    comments,
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
  await showAwaiting(base, ref, open);
}

/** The actions the supplier asked this customer to verify, each opening its audit (#supplier-verify). */
async function showAwaiting(base, ref, open) {
  const section = byId("supplier-verify");
  const list = byId("supplier-verify-list");
  const empty = byId("supplier-verify-empty");

  function item(row) {
    const type = nameOf(ref.audit_types, row.audit_type);
    const where = [row.site_name || row.site_id, formatDay(row.audit_date)].filter(Boolean).join(", ");
    const finding = row.finding || {};
    const show = contextButton(t("supplier.verify.open"), t("supplier.verify.open_context", { type, where }), async (button) => {
      await open({ id: row.audit_id }, button);
      const card = document.querySelector(`#supplier-audit [data-finding-id="${CSS.escape(finding.id || "")}"]`);
      if (card) card.scrollIntoView({ block: "start" });
    }, { "data-action": "open-verification", "data-finding-id": finding.id || "" });
    return el("li", { class: "ieh-card", "data-awaiting-finding": finding.id || "" }, [
      el("h4", { class: "ieh-card__title" }, `${nameOf(ref.grades, finding.grade)} – ${type}`),
      el("p", { class: "ieh-muted" }, where),
      el("p", { class: "ieh-finding__description" }, finding.description || ""),
      show,
    ]);
  }

  async function refresh() {
    const result = await api(`${base}/verifications`);
    const found = result.status === 200 && result.body ? result.body.items || [] : [];
    list.replaceChildren(...found.map(item));
    list.hidden = found.length === 0;
    empty.hidden = found.length > 0;
  }

  section.hidden = false;
  await refresh();
  document.addEventListener("ieh:verification-decided", refresh);
}
