/* The overview's two charts, inline SVG made with DOM APIs: each named for screen readers with a
 * short summary, and with its figures in a table. */
import { el } from "../kit/dom.js";
import { t } from "../kit/i18n.js";
import { BANDS, DEFAULT_BANDS, bandName, bandOf, formatScore } from "./explain.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 640; // at most; on a phone the chart is drawn for its column, so its text keeps its size
const NARROW = 480;

/** How wide to draw a chart (one unit of the drawing is one CSS pixel) and whether it is a phone's. */
function widthOf(figure) {
  const width = Math.min(WIDTH, Math.max(300, Math.round(figure.clientWidth || WIDTH)));
  return { width, narrow: width < NARROW };
}

/** An SVG element, as el() makes HTML ones. */
function svg(tag, attributes = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...[].concat(children));
  return node;
}

/** A line of text in a chart, centred on y. */
function label(className, x, y, text, anchor = "start") {
  return svg("text", { class: className, x, y, "dominant-baseline": "central", "text-anchor": anchor }, text);
}

/** A long name cut to fit a chart's label column; the table has it whole. */
function shorten(text, max) {
  const value = String(text || "");
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

/** The chart's frame and, below it, its figures as a table for screen readers (in a clipped box:
 * a table is never 1px wide). */
function draw(figure, id, width, height, name, parts, table) {
  const frame = { class: "ieh-chart__svg", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": `${id}-title`, focusable: "false" };
  const root = svg("svg", frame, [svg("title", { id: `${id}-title` }, name), ...parts]);
  const [caption, head, rows] = table;
  const body = rows.map((cells) => el("tr", {}, cells.map((cell, i) => el(i ? "td" : "th", i ? {} : { scope: "row" }, cell))));
  figure.replaceChildren(
    el("div", { class: "ieh-chart__frame" }, root),
    el("div", { class: "ieh-sr-only" }, el("table", { "data-chart-table": "" }, [
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map((text) => el("th", { scope: "col" }, text)))),
      el("tbody", {}, body),
    ])),
  );
}

/** Rows with figures to draw; none: the reason in the figure instead, and false. */
function drawable(figure, rows, min, keep) {
  const shown = rows.filter((row) => !row.suppressed && row.sites > 0 && keep(row));
  if (!shown.length) {
    const text = rows.some((row) => row.suppressed) ? t("risk.suppressed", { min }) : t("risk.chart.no_data");
    figure.replaceChildren(el("p", { class: "ieh-muted" }, text));
  }
  return shown.length ? shown : false;
}

/** Grid lines and their numbers under the plot. */
function grid(ticks, x, top, bottom) {
  return ticks.flatMap((tick) => [
    svg("line", { class: "ieh-chart__grid", x1: x(tick), x2: x(tick), y1: top, y2: bottom }),
    svg("text", { class: "ieh-chart__tick", x: x(tick), y: bottom + 20, "text-anchor": "middle" }, String(tick)),
  ]);
}

const bandCounts = (bands) => BANDS.map((band) => String((bands || {})[band] || 0));
const bandHeads = () => BANDS.map(bandName);

/** Bars of the average per pillar on a 0–10 scale, over the three bands' ranges with their names. */
export function pillarChart(figure, rows, limits, min) {
  const shown = drawable(figure, rows, min, (row) => typeof row.average === "number");
  if (!shown) return;
  const bands = { ...DEFAULT_BANDS, ...(limits || {}) };
  const { width, narrow } = widthOf(figure);
  const [left, right, top, row, bar] = [narrow ? 138 : 180, narrow ? 40 : 120, 34, 38, 22];
  const x = (value) => left + ((width - left - right) * Math.max(0, Math.min(10, value))) / 10;
  const bottomY = top + row * shown.length;
  const band = (item) => bandOf(item.average, bands);
  const zones = [["low", 0, bands.medium], ["medium", bands.medium, bands.high], ["high", bands.high, 10]];
  const parts = zones.flatMap(([zone, from, to]) => [
    svg("rect", { class: `ieh-chart__zone ieh-risk-fill--${zone}`, x: x(from), y: top - 8, width: x(to) - x(from), height: bottomY - top + 8 }),
    svg("text", { class: "ieh-chart__zone-label", x: (x(from) + x(to)) / 2, y: top - 14, "text-anchor": "middle" }, bandName(zone)),
  ]);
  parts.push(...grid([0, 2, 4, 6, 8, 10], x, top - 8, bottomY));
  shown.forEach((item, index) => {
    const y = top + index * row + (row - bar) / 2;
    parts.push(svg("g", { "data-pillar": item.pillar }, [
      label("ieh-chart__label", left - 10, y + bar / 2, shorten(item.name, narrow ? 18 : 24), "end"),
      svg("rect", { class: `ieh-chart__bar ieh-risk-fill--${band(item)}`, x: x(0), y, width: Math.max(2, x(item.average) - x(0)), height: bar }),
      label("ieh-chart__value", x(item.average) + 8, y + bar / 2, narrow ? formatScore(item.average) : `${formatScore(item.average)} ${bandName(band(item))}`),
    ]));
  });
  const summary = shown.map((item) => `${item.name} ${formatScore(item.average)} (${bandName(band(item)).toLowerCase()})`).join(", ");
  draw(figure, "risk-pillar-svg", width, bottomY + 30, t("risk.chart.pillar_label", { parts: summary }), parts, [
    t("risk.chart.pillar_caption"),
    [t("risk.pillar"), t("risk.column.average"), t("risk.band"), t("risk.sites_heading"), ...bandHeads()],
    shown.map((item) => [item.name, formatScore(item.average), bandName(band(item)), String(item.sites), ...bandCounts(item.bands)]),
  ]);
}

/** Whole-number ticks for a count axis from 0 to at least `max`. */
function countTicks(max) {
  const step = max <= 6 ? 1 : max <= 12 ? 2 : Math.ceil(max / 25) * 5;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

/** Per country, one bar of its sites split into low, medium and high (always in that order). */
export function countryChart(figure, rows, min) {
  const shown = drawable(figure, rows, min, () => true);
  if (!shown) return;
  const { width: chartWidth, narrow } = widthOf(figure);
  const [left, right, top, row, bar] = [narrow ? 110 : 170, narrow ? 95 : 120, 44, 32, 20];
  const ticks = countTicks(Math.max(...shown.map((item) => item.sites)));
  const x = (count) => left + ((chartWidth - left - right) * count) / ticks[ticks.length - 1];
  const legendAt = (index) => (narrow ? index * 110 : left + index * 120);
  const bottomY = top + row * shown.length;
  // The legend, in the bars' order.
  const parts = BANDS.map((band, index) =>
    svg("g", { class: "ieh-chart__legend", "data-band": band }, [
      svg("rect", { class: `ieh-risk-fill--${band}`, x: legendAt(index), y: 6, width: 16, height: 16 }),
      label("ieh-chart__label", legendAt(index) + 22, 14, bandName(band)),
    ]),
  );
  parts.push(...grid(ticks, x, top - 6, bottomY));
  shown.forEach((item, index) => {
    const y = top + index * row + (row - bar) / 2;
    const middle = y + bar / 2;
    const group = svg("g", { "data-country": item.code }, [
      svg("title", {}, item.name),
      label("ieh-chart__label", left - 10, middle, shorten(item.name, narrow ? 14 : 22), "end"),
    ]);
    let start = 0;
    for (const band of BANDS) {
      const count = (item.bands || {})[band] || 0;
      if (!count) continue;
      const [from, width] = [x(start), x(start + count) - x(start)];
      group.append(svg("rect", { class: `ieh-chart__segment ieh-risk-fill--${band}`, x: from, y, width, height: bar, "data-band": band }));
      if (width >= 18) group.append(label("ieh-chart__on-fill", from + width / 2, middle, String(count), "middle"));
      start += count;
    }
    const average = t("risk.chart.average_short", { value: formatScore(item.average) });
    group.append(label("ieh-chart__value", x(start) + 8, middle, `${item.sites} · ${average}`));
    parts.push(group);
  });
  draw(figure, "risk-country-svg", chartWidth, bottomY + 30, t("risk.chart.country_label", { count: shown.length }), parts, [
    t("risk.chart.country_caption"),
    [t("risk.column.country"), t("risk.sites_heading"), t("risk.column.average"), ...bandHeads()],
    shown.map((item) => [item.name, String(item.sites), formatScore(item.average), ...bandCounts(item.bands)]),
  ]);
}
