/* Whether the Transparency Act covers an enterprise (åpenhetsloven § 3 a): the rule alone, no page.
 * The limits come from functions/portal/data/transparency/thresholds.json, which the build puts
 * into the page; the page module (public/apenhetsloven.js) asks and shows. */

/** The three figures of § 3 a, in the order the Act lists them. */
export const FIGURES = ["sales_revenue_nok", "balance_sheet_total_nok", "average_fte"];

/** The figures that are above their limit ("overskrider": equal to the limit does not count). */
export function exceededLimits(limits, figures) {
  if (!figures) return [];
  return FIGURES.filter((name) => typeof figures[name] === "number" && figures[name] > limits[name]);
}

/**
 * The answer for one enterprise.
 * answers: {largeEnterprise: bool, own: {figure: number}, parent: bool, group: {figure: number} | null}
 * Returns {covered, reason: "large_enterprise" | "own" | "group" | null, own: [figure], group: [figure]}:
 * reason says why it is covered; own and group list the limits each exceeded.
 */
export function assessCoverage(thresholds, answers) {
  const needed = thresholds.limits_to_exceed;
  const own = answers.largeEnterprise ? [] : exceededLimits(thresholds.limits, answers.own);
  const group = answers.largeEnterprise || !answers.parent ? [] : exceededLimits(thresholds.limits, answers.group);
  let reason = null;
  if (answers.largeEnterprise) reason = "large_enterprise";
  else if (own.length >= needed) reason = "own";
  else if (group.length >= needed) reason = "group";
  return { covered: reason !== null, reason, own, group };
}
