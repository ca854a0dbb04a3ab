/* "Is my company covered?": the questions that matter (the figures only when the company is not a
 * large enterprise under the Accounting Act § 1-5, the group's only for a parent company), and the
 * answer with its reasons. Nothing leaves the browser: the rule (coverage.js) runs here on the
 * limits the build put into the page. */
import { byId, el } from "../kit/dom.js";
import { bindForm, checkedValues, textOf } from "../kit/form.js";
import { formatNok, formatNumber } from "../kit/format.js";
import { locale, t } from "../kit/i18n.js";
import { FIGURES, assessCoverage } from "./coverage.js";

const form = byId("coverage-form");
const thresholds = JSON.parse(byId("coverage-thresholds").textContent);
const answer = byId("coverage-answer");
const AMOUNT = /^\d+$/;
const GROUPED = /^\d{1,3}(?:[.,]\d{3})+$/; // "36,000,000" or "36.000.000": thousands separators
const DECIMAL = /^\d+(?:[.,]\d+)?$/;

const choice = (name) => checkedValues(form, name)[0] || null;

function showQuestions() {
  const large = choice("large_enterprise") === "yes";
  byId("figures-own").hidden = large;
  byId("parent-question").hidden = large;
  byId("figures-group").hidden = large || choice("parent") !== "yes";
}

/** A figure as typed ("82 000 000", "82,000,000", "48,5") as a number, or the text when it is not one. */
function figure(name) {
  const raw = textOf(form, name).replace(/[\s\u00a0\u202f]/g, "");
  if (raw === "") return null;
  if (name.endsWith("average_fte")) return DECIMAL.test(raw) ? Number(raw.replace(",", ".")) : raw;
  const digits = GROUPED.test(raw) ? raw.replace(/[.,]/g, "") : raw;
  return AMOUNT.test(digits) ? Number(digits) : raw;
}

function scope(prefix) {
  if (byId(`figures-${prefix}`).hidden) return null;
  return Object.fromEntries(FIGURES.map((name) => [name, figure(`${prefix}.${name}`)]));
}

function collect() {
  return { largeEnterprise: choice("large_enterprise") === "yes", parent: choice("parent") === "yes", own: scope("own"), group: scope("group") };
}

function check(data) {
  const problems = {};
  for (const name of ["large_enterprise", "parent"]) {
    if (!form.elements[name][0].closest("[hidden]") && !choice(name)) problems[name] = t("coverage.answer_yes_no");
  }
  for (const prefix of ["own", "group"]) {
    for (const [name, value] of Object.entries(data[prefix] || {})) {
      if (typeof value === "string") problems[`${prefix}.${name}`] = t(name === "average_fte" ? "coverage.fte_number" : "coverage.whole_kroner");
    }
  }
  return problems;
}

function amount(name, value) {
  return name === "average_fte" ? formatNumber(value) : formatNok(value);
}

/** "salgsinntekten på kr 82 000 000 (grensen er kr 70 000 000) og …" */
function limitsText(names, figures) {
  const parts = names.map((name) => t(`coverage.exceeded.${name}`, { value: amount(name, figures[name]), limit: amount(name, thresholds.limits[name]) }));
  return new Intl.ListFormat(locale, { type: "conjunction" }).format(parts);
}

/** One sentence per scope: how many limits it exceeded, and which. */
function scopeSentence(prefix, names, figures) {
  if (names.length >= thresholds.limits_to_exceed) return t(`coverage.why.${prefix}_exceeds`, { count: names.length, limits: limitsText(names, figures) });
  if (names.length === 1) return t(`coverage.why.${prefix}_one`, { limits: limitsText(names, figures) });
  return t(`coverage.why.${prefix}_none`);
}

function showAnswer(data) {
  const result = assessCoverage(thresholds, data);
  const reasons = [];
  if (result.reason === "large_enterprise") reasons.push(t("coverage.why.large_enterprise"));
  else {
    reasons.push(scopeSentence("own", result.own, data.own));
    if (data.parent && result.reason !== "own") reasons.push(scopeSentence("group", result.group, data.group));
  }
  if (result.covered) reasons.push(t("coverage.why.scope"));
  answer.querySelector(".ieh-answer__verdict").textContent = t(result.covered ? "coverage.covered" : "coverage.not_covered");
  byId("coverage-reasons").replaceChildren(...reasons.map((text) => el("p", {}, text)));
  answer.dataset.covered = String(result.covered);
  byId("coverage-duties").hidden = !result.covered;
  byId("coverage-not-covered").hidden = result.covered;
  answer.hidden = false;
  answer.focus();
}

form.addEventListener("change", (event) => {
  if (event.target.type === "radio") showQuestions();
});
showQuestions(); // the browser may have restored the answers

bindForm(form, {
  collect,
  check,
  // Nothing to send: the answer is worked out here, and shown as bindForm shows any answer.
  send: (data) => ({ status: 200, body: data }),
  done: (body) => showAnswer(body),
});
