/* Scores, bands and why a pillar scores as it does: the pieces a producer's site cards and a
 * buyer's list of sites share. */
import { el } from "../kit/dom.js";
import { formatNumber } from "../kit/format.js";
import { t } from "../kit/i18n.js";

export const BANDS = ["low", "medium", "high"];
export const DEFAULT_BANDS = { medium: 4.0, high: 7.0 }; // the API sends the model's own; these only fill in

/** A score as "7,0" / "7.0"; "–" when there is none. */
export function formatScore(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "–";
  return formatNumber(value, 1);
}

/** Points with their sign: "+5,0", "−0,5" (a true minus, read as "minus"). */
function formatPoints(value) {
  const number = Number(value) || 0;
  const text = formatScore(Math.abs(number));
  return number > 0 ? `+${text}` : number < 0 ? `\u2212${text}` : text;
}

/** The band of a score, by the model's thresholds. */
export function bandOf(score, bands) {
  const limits = { ...DEFAULT_BANDS, ...(bands || {}) };
  return score >= limits.high ? "high" : score >= limits.medium ? "medium" : "low";
}

export const bandName = (band) => (BANDS.includes(band) ? t(`risk.band.${band}`) : band || "");

/** The band as text in a bordered badge; the colour only repeats what the text says. */
export function bandBadge(band) {
  return el("span", { class: `ieh-band ieh-band--${band}`, "data-band": band }, bandName(band));
}

export const srOnly = (text) => el("span", { class: "ieh-sr-only" }, text);

/** A string fit for an element id, from any id the API gives. */
export const domId = (value) => String(value).replace(/[^A-Za-z0-9_-]/g, "_");

/** Factors as a list: each one's points with their sign, then what it is. A limit on a sum (the
 * cap on the SAQ's deductions) says what it is, with no signed figure of its own. */
function factorList(factors, kind, emptyText) {
  if (!factors || !factors.length) return el("p", { class: "ieh-muted" }, emptyText);
  const items = factors.map((factor) =>
    el("li", { "data-code": factor.code || "", "data-points": String(factor.points), "data-limit": factor.limit ? "" : null }, [
      el("span", { class: "ieh-risk-points" }, factor.limit ? "" : formatPoints(factor.points)),
      " ",
      el("span", {}, String(factor.label || factor.code || "")),
    ]),
  );
  return el("ul", { class: "ieh-risk-factors", "data-list": kind }, items);
}

/** What makes up one pillar's score and what would lower it. */
export function pillarBody(pillar) {
  return [
    el("p", { class: "ieh-card__label" }, t("risk.factors_title")),
    factorList(pillar.factors, "factors", t("risk.no_factors")),
    el("p", { class: "ieh-card__label" }, t("risk.lower_title")),
    factorList(pillar.improvements, "improvements", t("risk.no_improvements")),
  ];
}
