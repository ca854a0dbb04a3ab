/* A self-assessment's answers as a reader sees them: the text of each answer, and the list. */
import { el } from "./dom.js";
import { formatNumber } from "./format.js";
import { t } from "./i18n.js";

/** Whether a stored answer is the expected one (yes/no answers may be stored as "yes" or true). */
export function sameAnswer(answer, expected) {
  if (answer === undefined || answer === null) return false;
  const text = (value) => (value === true ? "yes" : value === false ? "no" : String(value));
  return text(answer) === text(expected);
}

/** The text shown for a stored answer to `question` ({type, options, unit}). */
export function answerText(question, value) {
  if (!question) return typeof value === "object" ? JSON.stringify(value) : String(value);
  if (question.type === "yes_no") return sameAnswer(value, true) ? t("kit.yes") : sameAnswer(value, false) ? t("kit.no") : String(value);
  if (question.type === "choice") {
    const option = (question.options || []).find((choice) => sameAnswer(value, choice.value));
    return option ? option.label : String(value);
  }
  if (question.type === "number") {
    const number = typeof value === "number" ? formatNumber(value) : String(value);
    return question.unit ? `${number} ${question.unit}` : number;
  }
  return String(value);
}

/** [[label, value], …] as a description list. */
export function answersList(entries) {
  return el("dl", { class: "ieh-answers" }, entries.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]));
}
