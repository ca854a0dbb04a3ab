/* The membership application: the size fields that fit the member type, the fee quote as the
 * visitor types (once the inputs that decide it are filled in), and the application sent once
 * (one id per page load). */
import { api } from "../kit/api.js";
import { byId, el } from "../kit/dom.js";
import { renderFee } from "../kit/fee.js";
import { bindForm, formValues } from "../kit/form.js";
import { t } from "../kit/i18n.js";

const TURNOVER = "annual_turnover_nok";
// The inputs that decide each member type's fee (decided_by in membership_fees.json).
const DECIDED_BY = {
  company: [TURNOVER],
  organisation: [TURNOVER, "employees"],
  municipality: ["inhabitants"],
  county_council: ["inhabitants"],
};
const SIZES = [TURNOVER, "employees", "inhabitants"];
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

const sizeFields = () => DECIDED_BY[category.value] || [];

function showSizeField() {
  for (const name of SIZES) byId(`field-${name}`).hidden = !sizeFields().includes(name);
}

/** Instead of a fee: what to fill in to see it. */
function askFor(key) {
  quote.replaceChildren(el("p", { class: "ieh-fee__hint" }, t(key)));
}

/** The fee once every input that decides it is filled in; until then, what to fill in. The newest
 * answer wins. */
async function updateQuote() {
  const sequence = ++quoteSequence;
  if (!DECIDED_BY[category.value]) return askFor("membership.quote.choose");
  const values = sizeFields().map((name) => [name, form.elements[name].value.trim()]);
  if (values.some(([, value]) => value === "")) return askFor(`membership.quote.needs.${category.value}`);
  const params = new URLSearchParams([["category", category.value], ...values]);
  const { status, body } = await api(`membership-fee?${params}`);
  if (sequence !== quoteSequence) return null; // a newer request has been sent
  if (status === 200 && body && typeof body === "object") return renderFee(quote, body);
  return askFor(`membership.quote.needs.${category.value}`); // not a whole number, or out of range
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
  const reference = el("strong", { class: "ieh-confirmation__reference" }, body.reference);
  const fee = body.fee && typeof body.fee === "object" ? el("div", { class: "ieh-fee" }) : null;
  if (fee) renderFee(fee, body.fee);
  const parts = [
    el("h2", {}, t("membership.thanks")),
    el("p", {}, t("membership.received", { name })),
    body.reference ? el("p", {}, [`${t("membership.reference")}: `, reference]) : null,
    body.reference ? el("p", {}, t("membership.keep_reference", { email: form.elements.email.value.trim() })) : null,
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
updateQuote(); // the browser may have restored the form

bindForm(form, {
  collect,
  // A number field with what is not a number gives no value at all: say what it needs.
  check: (data) => {
    const problems = {};
    for (const name of sizeFields()) {
      if (form.elements[name].validity.badInput) problems[name] = t("membership.whole_number");
    }
    if (!data.consent) problems.consent = t("field.consent_required");
    return problems;
  },
  send: (data) => api("membership-applications", { method: "POST", body: data }),
  done: (body) => showConfirmation(body || {}),
});
