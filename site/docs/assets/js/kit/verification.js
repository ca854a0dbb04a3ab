/* How a corrective action's checking reads, on the producer's audit page and a customer's view of
 * it: who verified it, how and when (or that it awaits verification, or was never verified), who
 * sent it back and why, and the customers' comments. The API writes the verification sentence in the
 * reader's language (verification_text); this only lays the pieces out. */
import { el } from "./dom.js";
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
