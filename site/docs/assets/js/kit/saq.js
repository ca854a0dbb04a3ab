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

/**
 * A submitted self-assessment's answers, section by section under the questionnaire's titles; answers
 * to questions today's questionnaire lacks come last, under "Other answers". `stored` is a version
 * ({answers, questionnaire_version}), `questionnaire` the answer of GET /saq/questionnaire.
 */
export function savedAnswers(stored, questionnaire) {
  const answers = stored.answers || {};
  const known = new Set();
  const parts = [];
  if (stored.questionnaire_version && stored.questionnaire_version !== questionnaire.version) {
    parts.push(el("p", {}, t("saq.other_questionnaire", { version: stored.questionnaire_version })));
  }
  for (const section of Array.isArray(questionnaire.sections) ? questionnaire.sections : []) {
    const entries = (section.questions || []).filter((question) => question.id in answers).map((question) => {
      known.add(question.id);
      return [question.text, answerText(question, answers[question.id])];
    });
    if (entries.length) parts.push(el("h4", {}, section.title), answersList(entries));
  }
  const others = Object.keys(answers).filter((id) => !known.has(id));
  if (others.length) parts.push(el("h4", {}, t("saq.other_answers")), answersList(others.map((id) => [id, answerText(null, answers[id])])));
  if (!Object.keys(answers).length) parts.push(el("p", {}, t("saq.no_answers")));
  return parts;
}
