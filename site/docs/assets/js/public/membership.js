/* The membership application: the size field that fits the member type, the fee quote as the
 * visitor types, and the application sent once (one id per page load). */
import { api } from "../kit/api.js";
import { byId, el } from "../kit/dom.js";
import { renderFee } from "../kit/fee.js";
import { bindForm, formValues } from "../kit/form.js";
import { t } from "../kit/i18n.js";

const TURNOVER = "annual_turnover_nok";
const SIZE_FIELD = { company: TURNOVER, organisation: TURNOVER, municipality: "inhabitants", county_council: "inhabitants" };
const SIZES = [TURNOVER, "inhabitants"];
const QUOTE_DELAY_MS = 300;

const form = byId("membership-form");
const quote = byId("fee-quote");
const category = form.elements.category;
// One id per page load: a double click or a retry after a lost answer stores one application.
const submissionId = typeof crypto.randomUUID === "function" ? crypto.randomUUID() : fallbackUuid();
let quoteTimer = null;
let quoteSequence = 0;

/** RFC 4122 version 4 from crypto.getRandomValues, for browsers without randomUUID (plain http). */
function fallbackUuid() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function showSizeField() {
  for (const name of SIZES) byId(`field-${name}`).hidden = name !== SIZE_FIELD[category.value];
}

/** The fee for what is filled in; the newest answer wins. */
async function updateQuote() {
  const sequence = ++quoteSequence;
  const size = SIZE_FIELD[category.value];
  if (!size) return quote.replaceChildren();
  const params = new URLSearchParams({ category: category.value });
  if (form.elements[size].value.trim() !== "") params.set(size, form.elements[size].value.trim());
  const { status, body } = await api(`membership-fee?${params}`);
  if (sequence !== quoteSequence) return null; // a newer request has been sent
  return status === 200 && body && typeof body === "object" ? renderFee(quote, body) : quote.replaceChildren();
}

function scheduleQuote() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(updateQuote, QUOTE_DELAY_MS);
}

function collect() {
  const data = { ...formValues(form), submission_id: submissionId };
  if (data.organisation_number) data.organisation_number = data.organisation_number.replace(/\s+/g, "");
  return data;
}

function showConfirmation(body) {
  const box = byId("membership-confirmation");
  const name = body.organisation_name || form.elements.organisation_name.value.trim();
  const reference = el("strong", { class: "ieh-confirmation__reference" }, body.id);
  const fee = body.fee && typeof body.fee === "object" ? el("div", { class: "ieh-fee" }) : null;
  if (fee) renderFee(fee, body.fee);
  const parts = [
    el("h2", {}, t("membership.thanks")),
    el("p", {}, t("membership.received", { name })),
    body.id ? el("p", {}, [`${t("membership.reference")}: `, reference]) : null,
    body.id ? el("p", {}, t("membership.keep_reference")) : null,
    fee,
    el("h3", {}, t("membership.next.title")),
    el("ol", {}, [el("li", {}, t("membership.next.review")), el("li", {}, t("membership.next.invitation"))]),
  ];
  box.replaceChildren(...parts.filter(Boolean));
  form.hidden = true;
  box.hidden = false;
  box.focus();
}

category.addEventListener("change", () => {
  showSizeField();
  scheduleQuote();
});
for (const name of SIZES) form.elements[name].addEventListener("input", scheduleQuote);
showSizeField();
if (category.value) scheduleQuote(); // the browser may have restored the form

bindForm(form, {
  collect,
  // A number field with what is not a number gives no value at all: say what it needs.
  check: (data) => {
    const problems = {};
    const size = SIZE_FIELD[category.value];
    if (size && form.elements[size].validity.badInput) problems[size] = t("membership.whole_number");
    if (!data.consent) problems.consent = t("field.consent_required");
    return problems;
  },
  send: (data) => api("membership-applications", { method: "POST", body: data }),
  done: (body) => showConfirmation(body || {}),
});
