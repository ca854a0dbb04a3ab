/* One of the producer's audits (members/audit/?id=…): its facts and report, its findings grouped
 * by grade, and for each non-compliance the corrective action with its evidence. An audit company's
 * audit is the company's to change: the producer comments on it, disputes findings and still plans
 * and reports each corrective action. */
import { api } from "../kit/api.js";
import { findingTopic, historyItems, offerFindingChoices, recordFacts } from "../kit/audit.js";
import { byId, el, focusOn, link, showMessage } from "../kit/dom.js";
import { download } from "../kit/download.js";
import { bindForm, clearFieldErrors, controlNames, fillForm, formValues, offerStored, setBusy, showFieldErrors } from "../kit/form.js";
import { formatBytes, nameOf } from "../kit/format.js";
import { remarkList, uploadedByLine } from "../kit/audit-source.js";
import { t } from "../kit/i18n.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { allowedType, requestKeys, sizeProblem } from "../kit/upload.js";
import { commentList, sentBackLine, statusText, verificationFacts } from "../kit/verification.js";
import { badge, contextButton, documentStatus, domId, formatDay } from "../kit/view.js";
import { initRecord } from "./audit-record.js";
import { findingsSummary, isSettled, pollAudit, sendWithFile, siteUrl } from "./common.js";

const PAGE_TITLE = document.title; // the heading goes in front of it, again after each correction
const REPORT_TYPES = { "application/pdf": [".pdf"] };
const EVIDENCE_TYPES = { "application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"] };
const ACTION_FIELDS = ["root_cause", "action", "owner", "due_date", "status", "completion_note"];

const downloadPath = (doc) => `producer/documents/${encodeURIComponent(doc.id)}/download`;

let customersLoaded = null; // GET producer/customers, once per page: who may be asked to verify

/** The customers that may verify an action of this site: an active link at level audits covering it. */
async function verifiers(siteId) {
  customersLoaded = customersLoaded || api("producer/customers");
  const result = await customersLoaded;
  const items = result.status === 200 && result.body ? result.body.items || [] : [];
  return items.filter((c) => c.status === "active" && c.level === "audits" && (c.sites === "all" || (c.sites || []).includes(siteId)));
}

function showFacts(audit, ref) {
  const type = nameOf(ref.audit_types, audit.audit_type);
  const heading = [type, audit.site_name].filter(Boolean).join(" – ");
  byId("audit-heading").textContent = heading;
  document.title = `${heading} – ${PAGE_TITLE}`;
  byId("audit-site").replaceChildren(link(siteUrl(audit.site_id), audit.site_name || audit.site_id));
  for (const node of byId("audit-facts").querySelectorAll("[data-record]")) node.remove();
  const record = recordFacts(audit, ref);
  for (const node of record) node.dataset.record = "";
  byId("audit-site").after(...record);
  byId("audit-source").replaceChildren(uploadedByLine(audit.uploaded_by));
  byId("audit-pillars").textContent = (audit.pillars || []).map((code) => nameOf(ref.pillars, code)).join(", ");
  byId("audit-summary").textContent = findingsSummary(audit.summary, ref);
}

function showHistory(audit, ref) {
  const items = historyItems(audit, ref);
  byId("audit-history-list").replaceChildren(...items);
  byId("audit-history").hidden = items.length === 0;
}

/** A rejected report can be replaced by the right file (nobody could download the rejected one). */
function replaceForm(audit) {
  const form = el("form", { class: "ieh-form", id: "report-replace-form", novalidate: true }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("div", { class: "ieh-field" }, [
      el("label", { for: "report-replace-file" }, t("audit.replace_report")),
      el("p", { class: "ieh-field__hint", id: "report-replace-hint" }, t("audit.replace_hint")),
      el("input", { type: "file", id: "report-replace-file", name: "report", accept: "application/pdf,.pdf", "aria-describedby": "report-replace-hint" }),
    ]),
    el("p", { class: "ieh-message", role: "status", id: "report-replace-status" }),
    el("button", { type: "submit", class: "md-button md-button--primary", id: "report-replace-submit" }, t("audit.replace_submit")),
  ]);
  const keys = requestKeys();
  const status = form.querySelector("#report-replace-status");
  let sending = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (sending) return;
    clearFieldErrors(form);
    const file = form.elements.report.files && form.elements.report.files[0];
    const type = file && allowedType(file, REPORT_TYPES);
    const problem = !file ? t("audits.choose_report") : !type ? t("audits.not_pdf") : sizeProblem(file);
    if (problem) return showFieldErrors(form, { report: problem });
    const described = { file_name: file.name, content_type: type, size_bytes: file.size };
    const body = { request_id: keys.for(JSON.stringify([described, file.lastModified])), ...described };
    sending = true;
    setBusy(form.elements[form.elements.length - 1], true, t("audit.uploading"));
    try {
      const outcome = await sendWithFile(form, "report", status, keys, file, {
        create: () => api(`producer/audits/${encodeURIComponent(audit.id)}/report`, { method: "POST", body }),
        created: ({ document: doc }) => ({ auditId: audit.id, pick: (current) => (current.document && current.document.id === doc.id ? current.document : null) }),
      });
      if (outcome && outcome.document && outcome.document.status === "available") {
        showReport(outcome.audit);
        showMessage(byId("audit-document-message"), t("audit.replaced"), "success");
      } else if (outcome && outcome.timedOut) showMessage(status, t("producer.check_slow"), "info");
    } finally {
      sending = false;
      setBusy(form.elements[form.elements.length - 1], false);
    }
  });
  return form;
}

function showReport(audit) {
  const doc = audit.document || {};
  const region = byId("audit-document-message");
  const parts = [
    el("p", {}, [el("strong", {}, doc.file_name || ""), doc.size_bytes ? ` (${formatBytes(doc.size_bytes)})` : "", " – ", el("span", { "data-document-status": doc.status || "" }, documentStatus(doc))]),
    doc.status === "rejected" && doc.reason ? el("p", { class: "ieh-muted" }, doc.reason) : null,
    doc.sha256 ? el("p", { class: "ieh-muted" }, [`${t("audit.checksum")}: `, el("code", { class: "ieh-checksum" }, doc.sha256)]) : null,
    doc.status === "rejected" ? replaceForm(audit) : null,
  ];
  if (doc.status === "available" && doc.id) {
    const get = (button) => download(downloadPath(doc), button, region);
    parts.push(contextButton(t("audit.download_report"), doc.file_name ? ` (${doc.file_name})` : "", get, { id: "audit-download", class: "md-button" }));
  }
  byId("audit-document").dataset.documentStatus = doc.status || "";
  byId("audit-document").replaceChildren(...parts.filter(Boolean));
}

/** A report still being checked when the page opens: follow it for a minute. */
async function watchReport(audit) {
  if (!audit.document || !audit.document.status || isSettled(audit.document)) return;
  const region = byId("audit-document-message");
  showMessage(region, t("audit.report_checking"), "info");
  const outcome = await pollAudit(audit.id, (current) => current.document);
  if (outcome.ended) return;
  showMessage(region, outcome.timedOut ? t("producer.check_slow") : "", "info");
  if (!outcome.timedOut) showReport(outcome.audit);
}

/** The findings, one list per grade in the reference data's order (critical first); empty ones hidden. */
function findingList(audit, ref) {
  const groups = new Map(
    ref.grades.map((grade) => {
      const headingId = `grade-${domId(grade.code)}`;
      const heading = el("h3", { id: headingId }, [grade.name, " ", el("span", { class: "ieh-muted", "data-grade-count": "" })]);
      return [grade.code, el("section", { class: "ieh-grade", "data-grade": grade.code, "aria-labelledby": headingId, hidden: true }, [heading, el("ul", { class: "ieh-cards" })])];
    }),
  );
  byId("findings-list").replaceChildren(...groups.values());
  let count = 0;

  function add(finding) {
    count += 1;
    const card = findingCard(audit, finding, count, ref);
    const group = groups.get(finding.grade);
    group.querySelector("ul").append(card);
    group.querySelector("[data-grade-count]").textContent = `(${group.querySelectorAll("[data-finding-id]").length})`;
    group.hidden = false;
    byId("findings-empty").hidden = true;
    return card;
  }

  for (const finding of audit.findings || []) add(finding);
  byId("findings-empty").hidden = count > 0;
  return { add };
}

const byCompany = (audit) => (audit.uploaded_by || {}).kind === "audit_company";

/** Under an audit company's finding: its disputes, and a form to dispute it. */
function disputeBlock(audit, finding, n) {
  const fid = domId(finding.id);
  const holder = el("div", { "data-disputes": "" }, remarkList(audit.remarks, finding.id));
  const textId = `dispute-${fid}-text`;
  const status = el("p", { class: "ieh-message", role: "status", "data-dispute-status": "" });
  const form = el("form", { class: "ieh-form ieh-dispute", novalidate: true, "aria-label": t("audit.dispute_for", { n }) }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("div", { class: "ieh-field" }, [
      el("label", { for: textId }, t("audit.dispute_text")),
      el("p", { class: "ieh-field__hint", id: `${textId}-hint` }, t("audit.dispute_hint")),
      el("textarea", { id: textId, name: "text", rows: "3", required: true, minlength: "3", maxlength: "4000", "aria-describedby": `${textId}-hint` }),
    ]),
    status,
    el("button", { type: "submit", class: "md-button" }, [t("audit.dispute_submit"), el("span", { class: "ieh-sr-only" }, t("audit.for_finding", { n }))]),
  ]);
  bindForm(form, {
    status,
    send: (data) => api(`producer/audits/${encodeURIComponent(audit.id)}/findings/${encodeURIComponent(finding.id)}/dispute`, { method: "POST", body: data }),
    done: (answer) => {
      audit.remarks = answer.audit.remarks || [];
      holder.replaceChildren(remarkList(audit.remarks, finding.id) || "");
      form.reset();
      showMessage(status, t("audit.disputed"), "success");
    },
  });
  const details = el("details", { class: "ieh-dispute-details" }, [el("summary", {}, [t("audit.dispute"), el("span", { class: "ieh-sr-only" }, t("audit.for_finding", { n }))]), form]);
  return [holder, details];
}

function findingCard(audit, finding, n, ref) {
  const fid = domId(finding.id);
  const card = el("li", { class: "ieh-card ieh-finding", id: `finding-${fid}`, "data-finding-id": finding.id, "data-grade": finding.grade }, [
    el("h4", { class: "ieh-card__title", id: `finding-${fid}-title` }, t("audit.finding_title", { n, topic: findingTopic(finding, ref) })),
    el("p", { class: "ieh-finding__description" }, finding.description || ""),
  ]);
  if (byCompany(audit)) card.append(...disputeBlock(audit, finding, n));
  if (!finding.action) {
    card.append(el("p", { class: "ieh-muted" }, t("audit.no_action_needed")));
    return card;
  }
  const meta = el("p", { class: "ieh-finding__meta", "data-action-meta": "" });
  const checking = el("div", { class: "ieh-action__checking", "data-verification-block": "" });
  card.append(meta, checking, actionForm(audit, finding, n, ref, meta, checking));
  return card;
}

/** The markup of a finding's corrective-action form (ids from the finding's id). */
function actionMarkup(fid, n, ref, current) {
  const idOf = (name) => `action-${fid}-${name.replace(/_/g, "-")}`;
  const labels = { root_cause: "audit.root_cause", action: "audit.action", owner: "audit.owner", due_date: "audit.due_date", status: "sharing.status", completion_note: "audit.completion_note" };
  const field = (name, control, hint = null) =>
    el("div", { class: "ieh-field" }, [el("label", { for: idOf(name) }, t(labels[name])), hint ? el("p", { class: "ieh-field__hint", id: `${idOf(name)}-hint` }, hint) : null, control]);
  const textarea = (name, hint = false) => el("textarea", { id: idOf(name), name, rows: "3", "aria-describedby": hint ? `${idOf(name)}-hint` : null });
  const fileId = `evidence-file-${fid}`;
  // Closing needs a verifier: a producer sets only its own statuses (and keeps a closed one closed).
  const own = ref.corrective_actions.producer_statuses || [];
  const statuses = ref.action_statuses.filter((item) => own.includes(item.code) || item.code === current).map((item) => el("option", { value: item.code }, item.name));
  return el("form", { class: "ieh-form ieh-action", "data-action-form": "", novalidate: true, "aria-label": t("audit.action_for", { n }) }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("h5", { class: "ieh-action__title" }, t("audit.action_title")),
    field("root_cause", textarea("root_cause")),
    field("action", textarea("action")),
    field("owner", el("input", { type: "text", id: idOf("owner"), name: "owner", autocomplete: "off" })),
    field("due_date", el("input", { type: "date", id: idOf("due_date"), name: "due_date" })),
    field("status", el("select", { id: idOf("status"), name: "status", "aria-describedby": `${idOf("status")}-hint` }, statuses), t("audit.status_hint")),
    field("completion_note", textarea("completion_note", true), t("audit.completion_hint")),
    el("fieldset", { class: "ieh-field ieh-evidence-field" }, [
      el("legend", {}, t("audit.evidence")),
      el("ul", { class: "ieh-evidence", "data-evidence-list": "" }),
      el("p", { class: "ieh-muted", "data-evidence-empty": "" }, t("audit.no_evidence")),
      el("label", { for: fileId }, t("audit.evidence_file")),
      el("p", { class: "ieh-field__hint", id: `${fileId}-hint` }, t("audit.evidence_hint")),
      el("div", { class: "ieh-upload" }, [
        el("input", { type: "file", id: fileId, name: "evidence", accept: "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png", "aria-describedby": `${fileId}-hint` }),
        el("button", { type: "button", class: "md-button ieh-button--small", "data-evidence-upload": "" }, [t("audit.upload"), el("span", { class: "ieh-sr-only" }, t("audit.for_finding", { n }))]),
      ]),
      el("p", { class: "ieh-message", role: "status", "data-evidence-upload-status": "" }),
    ]),
    el("p", { class: "ieh-message", role: "status", "data-action-status": "" }),
    el("button", { type: "submit", class: "md-button md-button--primary" }, [t("audit.save_action"), el("span", { class: "ieh-sr-only" }, t("audit.for_finding", { n }))]),
  ]);
}

/** Ask a customer with audit-level access to the site to verify an action that awaits verification. */
function askForm(audit, finding, n, path, action, adopt) {
  const fid = domId(finding.id);
  const status = el("p", { class: "ieh-message", role: "status", "data-ask-status": "" });
  const select = el("select", { id: `ask-${fid}-customer`, name: "buyer_id" });
  const form = el("form", { class: "ieh-form ieh-ask", "data-ask-form": "", novalidate: true, hidden: true, "aria-label": t("audit.ask.form_label", { n }) }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("h5", { class: "ieh-action__title" }, t("audit.ask.title")),
    el("p", { id: `ask-${fid}-hint` }, t("audit.ask.intro")),
    el("div", { class: "ieh-field" }, [el("label", { for: select.id }, t("audit.ask.customer")), select]),
    el("button", { type: "submit", class: "md-button" }, [t("audit.ask.submit"), el("span", { class: "ieh-sr-only" }, t("audit.for_finding", { n }))]),
    status,
  ]);
  const none = el("p", { class: "ieh-muted", "data-ask-none": "", hidden: true }, t("audit.ask.none"));
  bindForm(form, {
    status,
    collect: () => ({ buyer_id: select.value, version: action().version }),
    send: (data) => api(`${path}/verification-request`, { method: "POST", body: data }),
    done: (stored) => {
      adopt(stored);
      showMessage(status, t("audit.ask.sent", { organisation: (stored.verification_requested || {}).organisation || "" }), "success");
    },
  });
  async function show() {
    const current = action();
    // one customer at a time: once asked, the action waits for its answer
    const waiting = current.status === "awaiting_verification" && !current.verification_requested;
    if (!waiting) {
      form.hidden = none.hidden = true;
      return;
    }
    const found = await verifiers(audit.site_id);
    select.replaceChildren(...found.map((c) => el("option", { value: c.buyer_id }, c.name)));
    form.hidden = found.length === 0;
    none.hidden = found.length > 0;
  }
  return { nodes: [form, none], show };
}

function actionForm(audit, finding, n, ref, meta, checking) {
  const form = actionMarkup(domId(finding.id), n, ref, finding.action.status);
  const [list, empty, fileInput, uploadButton, uploadStatus, status] = [
    "[data-evidence-list]", "[data-evidence-empty]", "input[type=file]", "[data-evidence-upload]", "[data-evidence-upload-status]", "[data-action-status]",
  ].map((selector) => form.querySelector(selector));
  const path = `producer/audits/${encodeURIComponent(audit.id)}/findings/${encodeURIComponent(finding.id)}`;
  const needsEvidence = ref.corrective_actions.needs_evidence || [];
  const keys = requestKeys();
  let action = finding.action; // the stored action, as last seen
  let uploading = false;

  const ask = askForm(audit, finding, n, path, () => action, (stored) => {
    action = stored;
    fill();
  });

  function showMeta() {
    meta.replaceChildren(t("audit.status_line", { status: statusText(action, ref.action_statuses), due: formatDay(action.due_date) || "–" }));
    meta.dataset.status = action.status || "";
    meta.dataset.verification = action.verification_state || "";
    if (action.overdue) meta.append(" ", el("span", { class: "ieh-badge ieh-badge--warning", "data-overdue": "" }, t("audit.overdue")));
    const asked = action.verification_requested;
    const facts = verificationFacts(action);
    checking.replaceChildren(
      ...[
        facts.length ? el("dl", { class: "ieh-facts" }, facts) : null,
        sentBackLine(action),
        asked && action.status === "awaiting_verification"
          ? el("p", { "data-verification-requested": "" }, t("audit.ask.waiting", { organisation: asked.organisation, date: formatDay(asked.at.slice(0, 10)) }))
          : null,
        ...ask.nodes,
        action.comments && action.comments.length ? el("p", { class: "ieh-card__label" }, t("audit.action_comments")) : null,
        commentList(action.comments),
      ].filter(Boolean),
    );
    ask.show();
  }

  function evidenceItem(doc) {
    const item = el("li", { "data-evidence-id": doc.id, "data-evidence-status": doc.status || "" }, [
      doc.file_name || "",
      doc.size_bytes ? ` (${formatBytes(doc.size_bytes)})` : "",
      " – ",
      doc.status === "rejected" ? badge(documentStatus(doc), "warning") : documentStatus(doc),
      doc.status === "rejected" && doc.reason ? el("span", { class: "ieh-muted" }, ` ${doc.reason}`) : null,
    ]);
    if (doc.status === "available" && doc.id) {
      item.append(" ", contextButton(t("kit.download"), ` ${doc.file_name || ""}`, (button) => download(downloadPath(doc), button, uploadStatus), { "data-document-id": doc.id }));
    }
    return item;
  }

  function fill() {
    fillForm(form, Object.fromEntries(ACTION_FIELDS.map((name) => [name, action[name]])));
    showMeta();
    const items = Array.isArray(action.evidence) ? action.evidence : [];
    list.replaceChildren(...items.map(evidenceItem));
    list.hidden = items.length === 0;
    empty.hidden = items.length > 0;
  }

  async function fetchStored() {
    const result = await api(`producer/audits/${encodeURIComponent(audit.id)}`);
    const found = result.status === 200 && result.body ? (result.body.findings || []).find((item) => item.id === finding.id) : null;
    return found && found.action;
  }

  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ ...formValues(form, { keepEmpty: true }), version: action.version }),
    send: (data) => {
      if (!data.due_date) delete data.due_date;
      return api(`${path}/action`, { method: "PATCH", body: data });
    },
    done: (stored) => {
      action = stored;
      fill();
      showMessage(status, t("audit.action_saved"), "success");
    },
    conflict: offerStored(t("audit.conflict"), status, fetchStored, (stored) => {
      action = stored;
      fill();
    }),
    failed: (result) => {
      // A status that needs a completion note and checked evidence (the reference data's rule): say which is missing.
      const wanted = form.elements.status.value;
      if (result.status !== 422 || !needsEvidence.includes(wanted) || wanted === action.status) return false;
      const error = (result.body && result.body.error) || {};
      let fields = error.fields && Object.keys(error.fields).length ? controlNames(form, error.fields) : {};
      if (!Object.keys(fields).length) {
        if (!form.elements.completion_note.value.trim()) fields.completion_note = t("audit.note_needed");
        if (!(action.evidence || []).some((doc) => doc.status === "available")) fields.evidence = t("audit.evidence_needed");
      }
      showFieldErrors(form, fields, { message: t("audit.status_refused", { status: nameOf(ref.action_statuses, wanted) }) });
      return true;
    },
  });

  /**
   * Take the evidence list from a fresher copy of the audit. If nothing else in the action has
   * changed, its new version is ours too (adding evidence may count as a change); if someone else
   * has edited it, keep the version we had, so that saving says so instead of overwriting.
   */
  function adopt(current) {
    const found = (current.findings || []).find((item) => item.id === finding.id);
    if (!found || !found.action) return;
    const sameFields = ACTION_FIELDS.every((name) => (found.action[name] || "") === (action[name] || ""));
    action = sameFields ? found.action : { ...action, evidence: found.action.evidence };
    fill();
  }

  async function uploadEvidence(file, contentType) {
    const described = { file_name: file.name, content_type: contentType, size_bytes: file.size };
    const body = { request_id: keys.for(JSON.stringify([described, file.lastModified])), ...described };
    showMessage(uploadStatus, t("audit.preparing"), "info");
    const outcome = await sendWithFile(form, "evidence", uploadStatus, keys, file, {
      create: () => api(`${path}/evidence`, { method: "POST", body }),
      created: ({ document: doc }) => {
        action.evidence = (action.evidence || []).filter((item) => item.id !== doc.id).concat([doc]);
        fill();
        const pick = (current) => {
          const found = (current.findings || []).find((item) => item.id === finding.id);
          return found && found.action ? (found.action.evidence || []).find((item) => item.id === doc.id) : null;
        };
        return { auditId: audit.id, pick };
      },
    });
    if (!outcome) return;
    if (outcome.timedOut) {
      showMessage(uploadStatus, t("producer.check_slow"), "info");
      return;
    }
    adopt(outcome.audit);
    if (outcome.document.status === "available") {
      fileInput.value = "";
      showMessage(uploadStatus, t("audit.evidence_ready", { name: file.name }), "success");
    }
  }

  uploadButton.addEventListener("click", async () => {
    if (uploading) return;
    clearFieldErrors(form);
    showMessage(uploadStatus, "");
    const file = fileInput.files && fileInput.files[0];
    const contentType = file ? allowedType(file, EVIDENCE_TYPES) : null;
    const problem = !file ? t("audit.choose_evidence") : !contentType ? t("audit.evidence_wrong_type") : sizeProblem(file);
    if (problem) {
      showFieldErrors(form, { evidence: problem });
      return;
    }
    uploading = true;
    setBusy(uploadButton, true, t("audit.uploading"));
    try {
      await uploadEvidence(file, contentType);
    } finally {
      uploading = false;
      setBusy(uploadButton, false);
    }
  });

  fill();
  return form;
}

function initFindingForm(audit, ref, findings) {
  const form = byId("finding-form");
  const status = byId("finding-add-message");
  const summary = { ...(audit.summary || {}) };
  offerFindingChoices(form, audit, ref, { clause: "finding-clause-field", pillar: "finding-pillar-field" });
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    send: (data) => api(`producer/audits/${encodeURIComponent(audit.id)}/findings`, { method: "POST", body: data }),
    done: (finding) => {
      const card = findings.add(finding);
      summary[finding.grade] = (Number(summary[finding.grade]) || 0) + 1;
      byId("audit-summary").textContent = findingsSummary(summary, ref);
      form.reset();
      showMessage(status, [t("audit.finding_added"), " ", link(`#${card.id}`, t("audit.go_to_finding"))], "success");
      focusOn(status);
    },
  });
}

/** A section the page does not show, out of the page's table of contents too. */
function hideSection(section, anchor) {
  byId(section).hidden = true;
  const entry = document.querySelector(`.md-nav--secondary a[href="#${anchor}"]`);
  if (entry) entry.closest("li").hidden = true;
}

/** An audit company's audit: no findings of the producer's, but comments on the audit. */
function initCompanyAudit(audit) {
  hideSection("add-finding-section", "add-finding");
  byId("company-audit-note").hidden = false;
  byId("comments-section").hidden = false;
  const show = () => {
    const list = remarkList(audit.remarks);
    byId("comments-list").replaceChildren(list || "");
    byId("comments-empty").hidden = Boolean(list);
  };
  show();
  const form = byId("comment-form");
  const status = byId("comment-message");
  bindForm(form, {
    status,
    send: (data) => api(`producer/audits/${encodeURIComponent(audit.id)}/comments`, { method: "POST", body: data }),
    done: (answer) => {
      audit.remarks = answer.audit.remarks || [];
      show();
      form.reset();
      showMessage(status, t("audit.commented"), "success");
    },
  });
}

membersPage(async () => {
  const found = await recordFromAddress((id) => `producer/audits/${encodeURIComponent(id)}`, {
    region: "audit-message", content: "audit-content", back: "members/audits/", backText: "audit.back_short",
    missing: "audit.missing_id", notFound: "audit.not_found",
  });
  if (!found) return;
  const { record: audit, reference: ref } = found;
  showFacts(audit, ref);
  showHistory(audit, ref);
  showReport(audit);
  const findings = findingList(audit, ref);
  if (byCompany(audit)) initCompanyAudit(audit);
  else {
    hideSection("comments-section", "comments");
    initFindingForm(audit, ref, findings);
  }
  watchReport(audit);
  const listed = await api("producer/audits"); // a follow-up is chosen among them
  initRecord(audit, ref, listed.status === 200 && listed.body ? listed.body.items || [] : [], (stored) => {
    showFacts(stored, ref);
    showHistory(stored, ref);
  });
});
