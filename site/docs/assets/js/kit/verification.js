/* How a corrective action's checking reads, on the producer's audit page and a customer's view of
 * it: who verified it, how and when (or that it awaits verification, or was never verified), who
 * sent it back and why, and the customers' comments. The API writes the verification sentence in the
 * reader's language (verification_text); this only lays the pieces out. */
import { api } from "./api.js";
import { el, fillSelect } from "./dom.js";
import { bindForm } from "./form.js";
import { formatDateTime } from "./format.js";
import { t } from "./i18n.js";
import { fact } from "./view.js";

/** An action's status as readers are told it: who verified it, how and when ("Lukket – verifisert av
 * …"), "Venter på verifisering" or "Ikke verifisert" – never a bare "Lukket". */
export function statusText(action, statuses) {
  if (!action) return "";
  if (action.verification_text) return action.verification_text;
  const found = (statuses || []).find((item) => item.code === action.status);
  return found ? found.name : action.status || "";
}

/** Who verified the action, and their note, as facts for a <dl> (nothing before it is verified). */
export function verificationFacts(action) {
  const verification = action && action.verification;
  if (!verification) return [];
  return [...fact(t("verification.verified_by"), `${verification.person}, ${verification.organisation}`), ...fact(t("verification.note"), verification.note)];
}

/** The last time a verifier sent the action back, with its reason (only for whom may read it). */
export function sentBackLine(action) {
  const back = action && action.sent_back;
  if (!back || action.status !== "in_progress") return null;
  return el("p", { class: "ieh-verification ieh-verification--warning", "data-sent-back": "" }, [
    el("strong", {}, t("verification.sent_back", { organisation: back.organisation, date: formatDateTime(back.at) || "" })),
    " ",
    el("span", { "data-sent-back-reason": "" }, back.reason),
  ]);
}

/** The customers' comments on the action, oldest first: an empty list shows nothing. */
export function commentList(comments) {
  const items = (Array.isArray(comments) ? comments : []).map((comment) =>
    el("li", { "data-comment": "" }, [
      el("p", { class: "ieh-comment__by" }, t("verification.comment_by", { person: comment.person, organisation: comment.organisation, date: formatDateTime(comment.at) || "" })),
      el("p", { class: "ieh-comment__text" }, comment.text),
    ]),
  );
  return el("ul", { class: "ieh-comments", "data-comments": "", hidden: items.length === 0 }, items);
}

/**
 * A verifier's form for one action awaiting verification: accept (closes it as verified) or send it
 * back with a reason the producer reads. options:
 *   path     → the finding's API path (…/findings/<id>); the form posts to path + "/verification".
 *   n        → the finding's number on the page (for the buttons' names).
 *   heading, intro → its title (and an optional line under it).
 *   methods  → how it may be verified (an audit company chooses; a customer has one way: none given).
 *   done(answer, accepted) → after the API has answered.
 */
export function verifyForm({ path, n, heading, intro = null, methods = null, done }) {
  const id = `verify-${path.replace(/[^A-Za-z0-9]/g, "-")}`;
  const status = el("p", { class: "ieh-message", role: "status" });
  const forFinding = () => el("span", { class: "ieh-sr-only" }, t("supplier.verify.for_finding", { n }));
  const accept = el("button", { type: "submit", class: "md-button md-button--primary", "data-verify": "accept" }, [t("supplier.verify.accept"), forFinding()]);
  const back = el("button", { type: "button", class: "md-button", "data-verify": "send-back" }, [t("supplier.verify.send_back"), forFinding()]);
  let method = null;
  if (methods) {
    method = el("select", { id: `${id}-method`, name: "method", required: true });
    fillSelect(method, methods, t("auditor_audit.verify.choose_method"));
  }
  const form = el("form", { class: "ieh-form ieh-verify", "data-verify-form": "", novalidate: true, "aria-label": t("supplier.verify.form_label", { n }) }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    heading,
    intro ? el("p", {}, intro) : null,
    method ? el("div", { class: "ieh-field" }, [el("label", { for: method.id }, t("auditor_audit.verify.method")), method]) : null,
    el("div", { class: "ieh-field" }, [
      el("label", { for: `${id}-text` }, t("supplier.verify.text")),
      el("p", { class: "ieh-field__hint", id: `${id}-hint` }, t("supplier.verify.text_hint")),
      el("textarea", { id: `${id}-text`, name: "reason", rows: "3", "aria-describedby": `${id}-hint` }),
    ]),
    el("div", { class: "ieh-actions" }, [accept, back]),
    status,
  ].filter(Boolean));
  let accepted = true;
  const sending = bindForm(form, {
    status,
    button: accept,
    collect: () => {
      const text = form.elements.reason.value.trim();
      const how = method ? { method: method.value } : {};
      return accepted ? { ...how, accepted, note: text || null } : { ...how, accepted, reason: text };
    },
    check: (data) => ({
      ...(method && !data.method ? { method: t("auditor_audit.verify.choose_method") } : {}),
      ...(!data.accepted && !data.reason ? { reason: t("supplier.verify.reason_needed") } : {}),
    }),
    send: (data) => api(`${path}/verification`, { method: "POST", body: data }),
    done: (answer) => done(answer, accepted),
  });
  accept.addEventListener("click", () => (accepted = true));
  back.addEventListener("click", () => {
    accepted = false;
    sending.submit();
  });
  return form;
}
