// The Transparency Act's coverage rule (site/docs/assets/js/public/coverage.js, § 3 a) on
// hand-computed cases, with the limits of the data file the page is built with.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

const { assessCoverage } = await import("../../site/docs/assets/js/public/coverage.js");
const thresholds = JSON.parse(readFileSync(new URL("../../functions/portal/data/transparency/thresholds.json", import.meta.url), "utf-8"));
const figures = (sales_revenue_nok, balance_sheet_total_nok, average_fte) => ({ sales_revenue_nok, balance_sheet_total_nok, average_fte });
const company = (own, extra = {}) => ({ largeEnterprise: false, parent: false, own, group: null, ...extra });

test("the data file holds the Act's limits: NOK 70 million, NOK 35 million, 50 FTE, two of three", () => {
  assert.deepEqual(thresholds.limits, { sales_revenue_nok: 70_000_000, balance_sheet_total_nok: 35_000_000, average_fte: 50 });
  assert.equal(thresholds.limits_to_exceed, 2);
  assert.equal(thresholds.law.id, "LOV-2021-06-18-99");
  assert.ok(thresholds.sources.length >= 2 && thresholds.sources.every((s) => s.url.startsWith("https://")));
});

test("a large enterprise under the Accounting Act § 1-5 is covered whatever its figures", () => {
  const answer = assessCoverage(thresholds, { largeEnterprise: true, parent: false, own: null, group: null });
  assert.deepEqual(answer, { covered: true, reason: "large_enterprise", own: [], group: [] });
});

test("two limits exceeded by one krone each: covered for the company's own figures", () => {
  const answer = assessCoverage(thresholds, company(figures(70_000_001, 35_000_001, 10)));
  assert.deepEqual(answer, { covered: true, reason: "own", own: ["sales_revenue_nok", "balance_sheet_total_nok"], group: [] });
});

test("figures exactly at the limits do not exceed them: not covered", () => {
  const answer = assessCoverage(thresholds, company(figures(70_000_000, 35_000_000, 50)));
  assert.deepEqual(answer, { covered: false, reason: null, own: [], group: [] });
});

test("one limit is not enough: NOK 82 million in sales with 50 FTE and NOK 30 million", () => {
  const answer = assessCoverage(thresholds, company(figures(82_000_000, 30_000_000, 50)));
  assert.equal(answer.covered, false);
  assert.deepEqual(answer.own, ["sales_revenue_nok"]);
});

test("half an FTE over the limit counts: 50.5 FTE and NOK 36 million on the balance sheet", () => {
  const answer = assessCoverage(thresholds, company(figures(1_000_000, 36_000_000, 50.5)));
  assert.deepEqual(answer.own, ["balance_sheet_total_nok", "average_fte"]);
  assert.equal(answer.reason, "own");
});

test("a parent company below the limits alone is covered when its group exceeds two of them", () => {
  const answer = assessCoverage(
    thresholds,
    company(figures(82_000_000, 30_000_000, 49.5), { parent: true, group: figures(120_000_000, 50_000_000, 48) }),
  );
  assert.deepEqual(answer, { covered: true, reason: "group", own: ["sales_revenue_nok"], group: ["sales_revenue_nok", "balance_sheet_total_nok"] });
});

test("the company's own figures decide first; the group's count only for a parent company", () => {
  const own = assessCoverage(thresholds, company(figures(90_000_000, 40_000_000, 60), { parent: true, group: figures(95_000_000, 45_000_000, 70) }));
  assert.equal(own.reason, "own");
  assert.equal(own.own.length, 3);
  const notParent = assessCoverage(thresholds, company(figures(10_000_000, 5_000_000, 8), { parent: false, group: figures(95_000_000, 45_000_000, 70) }));
  assert.deepEqual(notParent, { covered: false, reason: null, own: [], group: [] });
  const smallGroup = assessCoverage(thresholds, company(figures(10_000_000, 5_000_000, 8), { parent: true, group: figures(71_000_000, 20_000_000, 30) }));
  assert.deepEqual(smallGroup, { covered: false, reason: null, own: [], group: ["sales_revenue_nok"] });
});
