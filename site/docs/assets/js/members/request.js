/* One information request (members/request/?id=…): the question and who asked, the deadlines that
 * apply, the messages sent (read-only, with the legal text each refusal carried), and what the
 * handler may do now as the API allows it (its "actions"): start, an extension notice, an answer or
 * a (partial) refusal with its ground and the legal text previewed, further reasons asked by letter,
 * erasing the requester's data. Every message is confirmed first: a sent message cannot be edited. */
import { api, errorCode, errorMessage } from "../kit/api.js";
import { confirmDialog } from "../kit/dialog.js";
import { byId, el, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm, setBusy } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { lang, t } from "../kit/i18n.js";
import { REFUSALS, daysBetween, daysLeftText, groundName, isOpen, kindName, legalText, norwegianToday, stateName } from "../kit/information-requests.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { badge, fact, formatDay } from "../kit/view.js";

const REPLIES = ["answer", "partial_refusal", "refusal", "further_reasons_answer"];
let current = null; // the case as last answered by the API
let path = "";

const law = () => JSON.parse(byId("request-law").textContent);
const requesterEmail = () => (current.requester || {}).email || null;

/** What the requester's data says: name, e-mail (a mail link), postal address; or that it was erased. */
function requesterFacts(requester) {
  if (!requester) return fact(t("requests.requester"), t("requests.erased"));
  return [
    ...fact(t("requests.requester"), requester.name),
    ...fact(t("requests.case.email"), requester.email ? link(`mailto:${requester.email}`, requester.email) : null),
    ...fact(t("requests.case.postal_address"), requester.postal_address ? el("span", { class: "ieh-request-text" }, requester.postal_address) : null),
  ];
}

function showFacts(item) {
  const state = [stateName(item.state), item.extended ? [" ", badge(t("requests.extended"))] : null].flat();
  byId("request-facts").replaceChildren(
    ...fact(t("requests.case_number"), item.case_number),
    ...fact(t("requests.state"), el("span", {}, state)),
    ...fact(t("requests.received_on"), formatDay(item.received_on)),
    ...fact(t("requests.case.arrived"), t(item.entered_by_hand ? "requests.case.by_hand" : "requests.case.by_form")),
    ...fact(t("requests.case.language"), t(`requests.language.${item.language}`)),
    ...requesterFacts(item.requester),
    ...fact(t("requests.case.concerns"), item.concerns),
    ...fact(t("requests.case.closed_at"), item.closed_at ? formatDateTime(item.closed_at) : null),
  );
  byId("request-question").textContent = item.question;
}

function showDeadlines(item, today) {
  const deadlines = item.deadlines || {};
  const open = isOpen(item.state);
  const due = open ? [formatDay(item.due_on), " – ", daysLeftText(daysBetween(today, item.due_on))].join("") : formatDay(item.due_on);
  byId("request-deadlines").replaceChildren(
    ...fact(t("requests.case.due_now"), due),
    ...fact(t("requests.case.answer_due"), formatDay(deadlines.answer_due)),
    ...fact(t("requests.case.extension_notice_by"), formatDay(deadlines.extension_notice_by)),
    ...fact(t("requests.case.latest_extended_due"), formatDay(deadlines.latest_extended_due)),
    ...fact(t("requests.case.further_reasons_by"), deadlines.further_reasons_by ? formatDay(deadlines.further_reasons_by) : null),
    ...fact(t("requests.case.further_reasons_due"), deadlines.further_reasons_due ? formatDay(deadlines.further_reasons_due) : null),
  );
  byId("request-overdue").hidden = !(open && item.due_on < today);
}

/** One message as it was sent (or, for further reasons asked, received): never editable. */
export function messageItem(message) {
  const fromRequester = message.kind === "further_reasons_request";
  const when = formatDateTime(message.sent_at) || "";
  const by = t(fromRequester ? "requests.case.received_from" : "requests.case.sent_by", { when, name: message.sent_by || "" });
  return el("li", { class: "ieh-request-message", "data-kind": message.kind }, [
    el("h3", {}, kindName(message.kind)),
    el("p", { class: "ieh-request-message__meta" }, by),
    message.ground ? el("p", {}, t("requests.case.ground_line", { ground: groundName(message.ground) })) : null,
    message.expected_on ? el("p", {}, t("requests.case.expected_line", { date: formatDay(message.expected_on) })) : null,
    el("div", { class: "ieh-request-text" }, message.text),
    message.legal_text ? el("p", { class: "ieh-request-message__meta" }, t("requests.case.legal_text")) : null,
    message.legal_text ? el("div", { class: "ieh-request-text ieh-request-text--legal", "data-legal": "true" }, message.legal_text) : null,
  ]);
}

/** Whether further reasons may be recorded by hand now: after a refusal, within its three weeks, once. */
function canRecordFurther(item, today) {
  const by = (item.deadlines || {}).further_reasons_by;
  const askedBefore = (item.messages || []).some((message) => message.kind === "further_reasons_request");
  return ["partly_refused", "refused"].includes(item.state) && Boolean(by) && today <= by && !askedBefore;
}

function showActions(item, today) {
  const actions = item.actions || [];
  byId("request-start").hidden = !actions.includes("in_progress");
  byId("request-extension").hidden = !actions.includes("extension");
  const lateForExtension = isOpen(item.state) && item.state !== "further_reasons_requested" && !item.extended && !actions.includes("extension");
  byId("request-extension-late").hidden = !lateForExtension;
  byId("request-extension-late").textContent = lateForExtension ? t("requests.case.extension.too_late", { date: formatDay(item.deadlines.extension_notice_by) }) : "";
  const expected = byId("extension-expected-on");
  expected.min = today;
  expected.max = item.deadlines.latest_extended_due;

  const replies = REPLIES.filter((kind) => actions.includes(kind));
  byId("request-reply").hidden = replies.length === 0;
  for (const kind of REPLIES) {
    byId(`reply-kind-${kind}`).hidden = !replies.includes(kind);
    byId(`reply-kind-${kind}-input`).checked = replies.length === 1 && replies[0] === kind;
  }
  showReplyParts();

  const further = canRecordFurther(item, today);
  byId("request-further").hidden = !further;
  const received = byId("further-received-on");
  received.max = today;
  if (further) received.min = item.messages.filter((message) => REFUSALS.includes(message.kind)).map((message) => message.sent_at.slice(0, 10)).pop() || "";

  byId("request-erase").hidden = !item.requester;
  const nothing = byId("request-start").hidden && byId("request-extension").hidden && !replies.length && !further && !item.requester;
  byId("request-no-actions").hidden = !nothing;
  byId("request-no-actions").textContent = nothing ? t("requests.case.nothing_to_do") : "";
}

function show(item) {
  current = item;
  const today = norwegianToday();
  byId("request-heading").textContent = t("requests.case.heading", { number: item.case_number, state: stateName(item.state) });
  document.title = `${item.case_number} – ${t("requests.case.title")}`;
  showFacts(item);
  showDeadlines(item, today);
  const messages = (item.messages || []).map(messageItem);
  byId("request-messages").replaceChildren(...messages);
  byId("request-messages-empty").hidden = messages.length > 0;
  showActions(item, today);
}

/** The chosen reply's kind; for a refusal its ground field and the legal text the requester will get. */
function showReplyParts() {
  const form = byId("request-reply-form");
  const kind = (form.querySelector('input[name="kind"]:checked') || {}).value || "";
  const refusal = REFUSALS.includes(kind);
  byId("reply-ground-field").hidden = !refusal;
  const ground = byId("reply-ground").value;
  const preview = byId("request-preview");
  preview.hidden = !(refusal && ground);
  if (preview.hidden) return;
  const language = current.language;
  const intro = [t("requests.case.preview.intro")];
  if (language !== lang) intro.push(t(`requests.case.preview.language.${language}`));
  if (!requesterEmail()) intro.push(t("requests.case.preview.by_post"));
  byId("request-preview-intro").textContent = intro.join(" ");
  byId("request-preview-text").textContent = legalText(law(), language, ground, norwegianToday());
}

/** The dialog before a message goes: it is e-mailed (or only stored) and can never be edited. */
function confirmSending(kind) {
  const email = requesterEmail();
  return confirmDialog({
    title: t("requests.case.confirm.title", { kind: kindName(kind) }),
    text: email ? t("requests.case.confirm.email", { email }) : t("requests.case.confirm.stored"),
    confirm: t("requests.case.confirm.send"),
  });
}

async function reload() {
  const result = await api(path);
  if (result.status === 200 && result.body) show(result.body);
  else if (result.status !== 401) showMessage(byId("request-actions-message"), errorMessage(result), "error");
}

/** After the API's answer: the case as it is now, and what happened, said where the actions begin. */
function done(text) {
  return (item) => {
    show(item);
    const region = byId("request-actions-message");
    showMessage(region, text(item), "success");
    focusOn(region);
  };
}

/** A 409 that says the case moved on (another handler, another tab): offer to load it again. */
const movedOn = (result) =>
  errorCode(result) === "invalid_state" ? { message: errorMessage(result), buttons: [{ label: t("requests.case.reload"), name: "reload", run: reload }] } : null;

function bindForms() {
  const send = (body) => api(`${path}/messages`, { method: "POST", body });

  const extension = byId("request-extension-form");
  bindForm(extension, {
    status: byId("request-extension-message"),
    check: (data) => (data.expected_on && data.expected_on > current.deadlines.latest_extended_due ? { expected_on: t("requests.case.extension.at_most", { date: formatDay(current.deadlines.latest_extended_due) }) } : {}),
    confirm: () => confirmSending("extension"),
    send: (data) => send({ kind: "extension", text: data.text, expected_on: data.expected_on }),
    done: (item) => {
      extension.reset();
      done(() => t("requests.case.sent", { kind: kindName("extension") }))(item);
    },
    conflict: movedOn,
  });

  const reply = byId("request-reply-form");
  reply.addEventListener("change", showReplyParts);
  bindForm(reply, {
    status: byId("request-reply-message"),
    check: (data) => (data.kind ? {} : { kind: t("requests.case.reply.kind_missing") }),
    confirm: (data) => confirmSending(data.kind),
    send: (data) => send({ kind: data.kind, text: data.text, ground: REFUSALS.includes(data.kind) ? data.ground : null }),
    done: (item, _, data) => {
      reply.reset();
      done(() => t("requests.case.sent", { kind: kindName(data.kind) }))(item);
    },
    conflict: movedOn,
  });

  const further = byId("request-further-form");
  bindForm(further, {
    status: byId("request-further-message"),
    send: (data) => api(`${path}/further-reasons`, { method: "POST", body: data }),
    done: (item) => {
      further.reset();
      done((updated) => t("requests.case.further.done", { date: formatDay(updated.deadlines.further_reasons_due) }))(item);
    },
    conflict: movedOn,
  });

  byId("request-start-button").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    setBusy(button, true, t("kit.saving"));
    const result = await api(`${path}/state`, { method: "POST", body: { state: "in_progress" } });
    setBusy(button, false);
    if (result.ok && result.body) done(() => t("requests.case.started"))(result.body);
    else if (result.status !== 401) showMessage(byId("request-actions-message"), errorMessage(result), "error");
  });

  byId("request-erase-button").addEventListener("click", async (event) => {
    const button = event.currentTarget;
    const sure = await confirmDialog({ title: t("requests.case.erase.confirm_title"), text: t("requests.case.erase.confirm_text"), confirm: t("requests.case.erase.button") });
    if (!sure) return;
    setBusy(button, true, t("kit.saving"));
    const result = await api(`${path}/requester`, { method: "DELETE" });
    setBusy(button, false);
    const region = byId("request-actions-message");
    if (result.status !== 204) {
      if (result.status !== 401) showMessage(region, errorMessage(result), "error");
      return;
    }
    await reload();
    showMessage(region, t("requests.case.erase.done"), "success");
    focusOn(region);
  });
}

membersPage(async () => {
  const found = await recordFromAddress((id) => `information-requests/${encodeURIComponent(id)}`, {
    region: "request-message",
    content: "request-content",
    missing: "requests.case.missing",
    notFound: "requests.case.not_found",
    back: "members/requests/",
    backText: "requests.case.all",
  });
  if (!found) return;
  path = found.path;
  bindForms();
  show(found.record);
});
