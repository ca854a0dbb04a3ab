/* The requester's own page (/innsyn/sak/#<token>): the case number, the organisation, the dates,
 * where the case stands and every message sent; after a refusal, while the law allows it, a form
 * to ask for further reasons with its deadline. */
import { api } from "../kit/api.js";
import { byId, el, focusOn, showMessage } from "../kit/dom.js";
import { bindForm } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { fact, formatDay } from "../kit/view.js";
import { keepPlaceInLanguageLinks } from "./request-address.js";

const root = byId("request-case");
const message = byId("request-case-message");
const token = decodeURIComponent(location.hash.replace(/^#/, ""));
const path = `requests/${encodeURIComponent(token)}`;

const named = (family, code) => (hasText(`${family}${code}`) ? t(`${family}${code}`) : code);

function messageItem(sent) {
  return el("article", { class: "ieh-case-message" }, [
    el("h3", {}, [named("request_case.kind.", sent.kind), " · ", formatDateTime(sent.sent_at) || ""]),
    ...String(sent.text || "").split(/\n{2,}/).map((paragraph) => el("p", {}, paragraph)),
  ]);
}

function show(view) {
  byId("request-case-facts").replaceChildren(
    ...fact(t("request.case_number"), el("strong", { class: "ieh-reference" }, view.case_number)),
    ...fact(t("request_case.organisation"), view.organisation.name),
    ...fact(t("request.received_on"), formatDay(view.received_on)),
    ...fact(t("request.answer_due"), formatDay(view.answer_due)),
    ...fact(t("request_case.state"), named("request_case.state.", view.state)),
  );
  const messages = view.messages || [];
  byId("request-case-messages").replaceChildren(
    ...(messages.length ? messages.map(messageItem) : [el("p", {}, t("request_case.messages.none", { date: formatDay(view.answer_due) }))]),
  );
  byId("further-reasons").hidden = !view.can_ask_further_reasons;
  if (view.can_ask_further_reasons) {
    byId("further-reasons-intro").textContent = t("request_case.further.intro", { date: formatDay(view.further_reasons_by) });
  }
  root.hidden = false;
}

async function load() {
  const result = await api(path);
  if (result.status === 200 && result.body) {
    show(result.body);
    return true;
  }
  showMessage(message, result.status === 404 || !token ? t("request_case.not_found") : t("kit.unreachable"), "error");
  root.hidden = true;
  return false;
}

async function start() {
  keepPlaceInLanguageLinks(document, "innsyn/sak/", "innsyn/sak/", location.hash);
  if (!token) {
    showMessage(message, t("request_case.not_found"), "error");
    return;
  }
  if (!(await load())) return;
  const form = byId("further-reasons-form");
  bindForm(form, {
    send: (data) => api(`${path}/further-reasons`, { method: "POST", body: data }),
    done: async () => {
      form.reset();
      await load();
      const done = byId("further-reasons-done");
      showMessage(done, t("request_case.further.sent"), "success");
      focusOn(done);
    },
  });
}

start();
