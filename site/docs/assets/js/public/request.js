/* The public request form at /innsyn/<slug>/: the organisation's name from the API (or a clear
 * "not found"), the request sent with the kit's form binding, field errors beside the fields, a
 * 429 that says when to try again, and the receipt with the case number and the due date. What
 * the requester typed stays in the form whenever sending fails. */
import { api } from "../kit/api.js";
import { byId, el, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, formValues, showFieldErrors, textOf } from "../kit/form.js";
import { lang, locale, t } from "../kit/i18n.js";
import { formatDay } from "../kit/view.js";
import { keepPlaceInLanguageLinks, slugFrom } from "./request-address.js";

const BUILT = "innsyn/skjema/"; // where the build writes the page (site/pages/innsyn/skjema.md)
const DEFAULT_WAIT_S = 60;

const page = byId("request-page");
const form = byId("request-form");
const message = byId("request-message");
const slug = slugFrom(location.pathname);

/** "Prøv igjen om 7 minutter, kl. 16:42." from the answer's Retry-After (seconds). */
function tryAgainText(result) {
  const header = Number.parseInt(result.headers.get("Retry-After") || "", 10);
  const seconds = Number.isFinite(header) && header > 0 ? header : DEFAULT_WAIT_S;
  const at = new Date(Date.now() + seconds * 1000);
  const time = at.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  return t("request.too_many", { minutes: Math.max(1, Math.ceil(seconds / 60)), time });
}

function showReceipt(receipt, organisation, data) {
  const box = byId("request-receipt");
  const number = el("strong", { class: "ieh-reference" }, receipt.case_number);
  box.replaceChildren(
    el("h2", {}, t("request.sent.title")),
    el("p", {}, t("request.sent", { organisation: organisation.name })),
    el("dl", { class: "ieh-facts" }, [
      el("dt", {}, t("request.case_number")),
      el("dd", {}, number),
      el("dt", {}, t("request.received_on")),
      el("dd", {}, formatDay(receipt.received_on)),
      el("dt", {}, t("request.answer_due")),
      el("dd", { id: "request-answer-due" }, formatDay(receipt.answer_due)),
    ]),
    el("p", {}, data.email ? t("request.sent.email", { email: data.email }) : t("request.sent.post")),
  );
  form.hidden = true;
  box.hidden = false;
  focusOn(box);
}

function notFound() {
  showMessage(message, t("request.not_found"), "error");
  byId("request-heading").textContent = t("request.not_found.title");
}

async function start() {
  if (!slug) return notFound();
  const result = await api(`request-pages/${encodeURIComponent(slug)}`);
  if (result.status === 404) return notFound();
  if (result.status !== 200 || !result.body) return showMessage(message, t("kit.unreachable"), "error");
  const organisation = result.body.organisation;
  byId("request-heading").textContent = t("request.heading", { organisation: organisation.name });
  const heading = t("request.heading", { organisation: organisation.name });
  document.title = `${heading} - ${document.title.split(" - ").pop()}`;
  // the header's page title, shown as the visitor scrolls down (Material's header topic)
  for (const topic of document.querySelectorAll('[data-md-component="header-topic"] .md-ellipsis')) topic.textContent = heading;
  keepPlaceInLanguageLinks(document, BUILT, `innsyn/${slug}/`);
  page.hidden = false;

  bindForm(form, {
    collect: (target) => ({ ...formValues(target), language: lang, website: textOf(target, "website") }),
    check: (data) => (data.email || data.postal_address ? {} : { email: t("request.reply.missing") }),
    send: (data) => api(`request-pages/${encodeURIComponent(slug)}/requests`, { method: "POST", body: data }),
    done: (receipt, _result, data) => showReceipt(receipt || {}, organisation, data),
    failed: (answer) => {
      if (answer.status === 404) {
        notFound();
        return true;
      }
      if (answer.status !== 429) return false;
      showFieldErrors(form, {}, { message: tryAgainText(answer) });
      return true;
    },
  });
}

start();
