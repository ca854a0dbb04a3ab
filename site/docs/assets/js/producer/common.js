/* What the producer's pages share: links between them, choices filled from the reference lists,
 * files sent with a record and followed until their check has given its verdict. */
import { api, pageUrl } from "../kit/api.js";
import { el, fillSelect, showMessage } from "../kit/dom.js";
import { checkedValues, formValues, showApiError, showFieldErrors } from "../kit/form.js";
import { formatBytes, nameOf } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { allowedType, sizeProblem, uploadFile } from "../kit/upload.js";
import { domId, formatDay } from "../kit/view.js";

const REPORT_TYPES = { "application/pdf": [".pdf"] };

/** An audit form's `collect` and `check` for bindForm: its values with the report file's name,
 * type and size, and what is missing (pillars, the file, a PDF, its size). The producer's and the
 * audit company's upload forms share it. */
export function reportForm(form, fileOf) {
  return {
    collect: () => {
      const data = { ...formValues(form), pillars: checkedValues(form, "pillars") };
      const file = fileOf();
      const type = file && allowedType(file, REPORT_TYPES);
      return type ? { ...data, file_name: file.name, content_type: type, size_bytes: file.size } : data;
    },
    check: (data) => {
      const file = fileOf();
      const problems = data.pillars.length ? {} : { pillars: t("audits.choose_pillars") };
      const fileProblem = !file ? t("audits.choose_report") : !data.content_type ? t("audits.not_pdf") : sizeProblem(file);
      return fileProblem ? { ...problems, file: fileProblem } : problems;
    },
  };
}

const POLL_EVERY_MS = 1000;
const POLL_FOR_MS = 60000;
const SETTLED = ["available", "rejected"];

export const siteUrl = (siteId) => pageUrl(`members/site/?id=${encodeURIComponent(siteId)}`);
export const auditUrl = (auditId) => pageUrl(`members/audit/?id=${encodeURIComponent(auditId)}`);

/** A checkbox per entry of a reference list, called `name` (errors name the group by its fieldset's data-error-label). */
export function fillCheckboxes(container, items, name, idPrefix) {
  const box = (item, id) => el("div", { class: "ieh-choice" }, [el("input", { type: "checkbox", id, name, value: item.code }), el("label", { for: id }, item.name)]);
  container.replaceChildren(...items.map((item) => box(item, `${idPrefix}-${domId(item.code)}`)));
}

/**
 * Ask for the audit every second, for up to a minute, until pick(audit) gives a document that is
 * available or rejected. Resolves to {audit, document}, {ended} (logged out) or {timedOut}.
 * `path` is the audit's API path (an audit company's auditors read it under their invited site).
 */
export async function pollAudit(auditId, pick, path = `producer/audits/${encodeURIComponent(auditId)}`) {
  const deadline = Date.now() + POLL_FOR_MS;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    const result = await api(path);
    if (result.status === 401) return { ended: true };
    const document = result.status === 200 && result.body ? pick(result.body) : null;
    if (document && SETTLED.includes(document.status)) return { audit: result.body, document };
  }
  return { timedOut: true };
}

export const isSettled = (doc) => SETTLED.includes((doc || {}).status);

/** A failed call's errors about the file's description (name, type, size) belong to the file field. */
function onFileField(result, field) {
  const error = (result.body && result.body.error) || null;
  if (!error || !error.fields) return result;
  const fields = {};
  for (const [name, text] of Object.entries(error.fields)) {
    const target = ["file_name", "content_type", "size_bytes"].includes(name) ? field : name;
    fields[target] = fields[target] || text;
  }
  return { ...result, body: { ...result.body, error: { ...error, fields } } };
}

/**
 * A record with a file, in three steps, each said in `status`: create() asks the API for the record
 * and an upload form, created(answer) takes the answer and names what to follow ({auditId, pick},
 * and the audit's API path when it is not the producer's),
 * the file goes to storage, then the audit is followed until pick(audit) gives a document that is
 * available or rejected. A rejection shows at the form's `field`. Resolves to pollAudit's outcome,
 * or null when the member has been told why not.
 */
export async function sendWithFile(form, field, status, keys, file, { create, created }) {
  const answer = await create();
  if (!(answer.status === 201 || answer.status === 200) || !answer.body) {
    showMessage(status, "");
    if (answer.status === 409) keys.forget(); // the key is taken by another request: the next try gets a new one
    if (answer.status !== 401) showApiError(form, onFileField(answer, field));
    return null;
  }
  const { auditId, pick, path } = created(answer.body);
  if (answer.body.upload) {
    // No form when a retry finds the file already in: it only needs its check.
    showMessage(status, t("producer.uploading", { name: file.name }), "info");
    const sent = await uploadFile(answer.body.upload, file);
    if (!sent.ok) {
      showMessage(status, "");
      if (sent.tooLarge) showFieldErrors(form, { [field]: t("upload.too_large_size", { size: formatBytes(file.size) }) });
      else showFieldErrors(form, {}, { message: t("producer.upload_failed") });
      return null;
    }
  }
  showMessage(status, t("producer.checking"), "info");
  const outcome = await pollAudit(auditId, pick, path);
  if (outcome.ended) return null;
  keys.forget(); // the check has given its verdict (or is late): a new attempt is a new record
  if (outcome.document && outcome.document.status === "rejected") {
    showMessage(status, "");
    showFieldErrors(form, { [field]: outcome.document.reason || t("producer.rejected_no_reason") }, { message: t("producer.file_rejected") });
  }
  return outcome;
}

/** "Kritisk: 1, Større: 2" in the grades' order, or that there are none. */
export function findingsSummary(counts, ref) {
  const parts = ref.grades.filter((grade) => Number((counts || {})[grade.code]) > 0).map((grade) => `${grade.name}: ${counts[grade.code]}`);
  return parts.length ? parts.join(", ") : t("audits.no_findings");
}

/**
 * The earlier audits of a site a follow-up can follow (`audits` as the list gives them, without
 * `exceptId`, the audit itself), in `select`; its field (`box`) shows once there is one.
 */
export function offerEarlier(select, box, audits, siteId, ref, exceptId = null) {
  const earlier = audits.filter((audit) => audit.site_id === siteId && audit.id !== exceptId);
  const name = (audit) => [nameOf(ref.audit_types, audit.audit_type), formatDay(audit.audit_date), audit.reference].filter(Boolean).join(", ");
  fillSelect(select, earlier.map((audit) => ({ code: audit.id, name: name(audit) })), t("audits.initial"));
  box.hidden = earlier.length === 0;
}

/** The management-system rating is asked for only where the standard's report gives one (SMETA 7.0). */
export function offerRating(select, box, typeCode, ref) {
  const type = ref.audit_types.find((item) => item.code === typeCode);
  const scale = type && type.ratings ? ref.ms_ratings.filter((item) => item.scheme === type.ratings) : [];
  fillSelect(select, scale, t("audits.choose_rating"));
  box.hidden = scale.length === 0;
}
