/* A buyer's supply chain as far as its links allow (summary, charts, the sites highest risk first,
 * exports), or IEH staff's picture over all members with nobody named (summary, charts, hotspots,
 * exports): one overview, filtered by country, sector and pillar. */
import { API, errorMessage, pageUrl } from "../kit/api.js";
import { button as makeButton, byId, el, fillSelect, focusOn, showMessage } from "../kit/dom.js";
import { formatNumber } from "../kit/format.js";
import { lang, t } from "../kit/i18n.js";
import { pagedList } from "../kit/list.js";
import { countryChart, pillarChart } from "./charts.js";
import { BANDS, DEFAULT_BANDS, bandBadge, bandOf, domId, formatScore, pillarBody, srOnly } from "./explain.js";

const FILTERS = ["country", "sector", "pillar"];
const count = (bands, band) => formatNumber((bands || {})[band] || 0);

function summaryOf(answer, staff) {
  const total = answer.total || { sites: 0, average: null, bands: {} };
  if (total.suppressed) {
    // IEH staff, filtered down to fewer sites than the minimum group: no figure at all.
    return [el("p", { class: "ieh-risk-totals", "data-suppressed": "" }, t("risk.suppressed", { min: answer.min_sites || 0 }))];
  }
  const boxes = BANDS.map((band) =>
    el("div", { class: `ieh-stats__item ieh-risk-band--${band}`, "data-band": band }, [
      el("dt", {}, t(`risk.band_risk.${band}`)),
      el("dd", {}, count(total.bands, band)),
    ]),
  );
  const counts = [];
  if (!staff && typeof answer.suppliers === "number") counts.push(t("risk.suppliers", { count: answer.suppliers }));
  counts.push(t("risk.sites_count", { count: total.sites || 0 }));
  if (typeof total.average === "number") counts.push(t("risk.average", { value: formatScore(total.average) }));
  const pillar = chosenPillar(answer);
  return [
    el("dl", { class: "ieh-stats__list ieh-risk-bands" }, boxes),
    el("p", { class: "ieh-risk-totals", "data-sites": String(total.sites || 0) }, counts.join(" · ")),
    el("p", { class: "ieh-muted" }, pillar ? t("risk.basis_pillar", { name: pillar.name }) : t("risk.basis_overall")),
  ];
}

const chosenPillar = (answer) => (answer.by_pillar || []).find((item) => item.pillar === (answer.filters || {}).pillar);

/** A site of the list, and the row under it with why it scores as it does (opened by its button). */
function siteRows(site, limits) {
  const detailId = `risk-why-${domId(site.site_id)}`;
  const explanation = site.explanation;
  const content =
    explanation && Array.isArray(explanation.pillars)
      ? [
          explanation.saq_applied ? null : el("p", { class: "ieh-risk-note" }, t("risk.without_saq")),
          el("div", { class: "ieh-risk-why-grid" }, explanation.pillars.map((pillar) =>
            el("div", { class: "ieh-risk-why", "data-pillar": pillar.pillar }, [
              el("p", { class: "ieh-risk-why__title" }, [
                el("strong", {}, `${pillar.name}: ${formatScore(pillar.score)}`),
                " ",
                bandBadge(pillar.band || bandOf(pillar.score, limits)),
              ]),
              ...pillarBody(pillar),
            ]),
          )),
        ]
      : el("p", {}, t("risk.no_explanation"));
  const detail = el("tr", { id: detailId, class: "ieh-risk-detail", "data-detail-for": site.site_id, hidden: true }, [
    el("td", { colspan: "8" }, content),
  ]);
  const attributes = { "aria-expanded": "false", "aria-controls": detailId, "data-action": "explain" };
  const button = makeButton([t("risk.explain"), srOnly(t("risk.for_site", { name: site.site_name }))], null, attributes);
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", String(!open));
    detail.hidden = open;
  });
  const supplier = pageUrl(`members/supplier/?id=${encodeURIComponent(site.producer_id)}`);
  const row = el("tr", { "data-site-id": site.site_id, "data-producer-id": site.producer_id, "data-band": site.band }, [
    el("td", {}, el("a", { href: supplier }, site.producer_name || site.producer_id)),
    el("th", { scope: "row" }, [site.site_name || site.site_id, el("span", { class: "ieh-muted ieh-risk-id" }, site.site_id)]),
    el("td", {}, site.country_name || site.country),
    el("td", {}, site.sector_name || site.sector || ""),
    el("td", { class: "ieh-number", "data-score": String(site.score) }, formatScore(site.score)),
    el("td", {}, bandBadge(site.band)),
    el("td", { "data-saq": String(Boolean(site.saq_applied)) }, t(site.saq_applied ? "kit.yes" : "kit.no")),
    el("td", {}, button),
  ]);
  return [row, detail];
}

function hotspotRow(item) {
  return el("tr", { "data-country": item.country, "data-sector": item.sector }, [
    el("th", { scope: "row" }, item.country_name || item.country),
    el("td", {}, item.sector_name || item.sector),
    el("td", { class: "ieh-number" }, formatNumber(item.sites)),
    el("td", { class: "ieh-number" }, formatScore(item.average)),
    ...BANDS.map((band) => el("td", { class: "ieh-number", "data-band": band }, count(item.bands, band))),
  ]);
}

/** The overview for "buyer" or "staff"; `showSources(sources)` is given the sources of its answer. */
export function showOverview(audience, showSources) {
  const staff = audience === "staff";
  const section = byId("risk-overview");
  const form = byId("risk-filters");
  const status = byId("risk-overview-message");
  const summary = byId("risk-summary");
  const parts = [byId("risk-overview-content"), byId(staff ? "risk-hotspots" : "risk-list")];
  const base = staff ? "admin/risk" : "risk";
  let limits = DEFAULT_BANDS;
  let loaded = false;

  section.hidden = false;
  for (const node of section.querySelectorAll("[data-audience]")) node.hidden = node.dataset.audience !== audience;
  parts[1].hidden = false;

  const filtered = () => FILTERS.some((name) => form.elements[name].value);
  function query(extra = {}) {
    const values = FILTERS.map((name) => [name, form.elements[name].value]).filter(([, value]) => value);
    return new URLSearchParams([...values, ...Object.entries(extra)]);
  }

  function showHotspots(answer) {
    const items = answer.hotspots || [];
    const min = answer.min_sites || 0;
    byId("risk-hotspots-note").textContent = t("risk.hotspots.note", { min });
    const table = byId("risk-hotspots-table");
    table.tBodies[0].replaceChildren(...items.map(hotspotRow));
    table.closest(".ieh-table-wrap").hidden = items.length === 0;
    const none = byId("risk-hotspots-empty");
    none.hidden = items.length > 0;
    // Filtered, the selection is either hidden as a whole or too mixed for any cell to be shown
    // alone; "no sites match" would be untrue (and telling which would give the count away).
    const hidden = (answer.total || {}).suppressed;
    const why = hidden ? t("risk.suppressed", { min }) : t("risk.hotspots.hidden");
    none.textContent = filtered() ? why : t("risk.hotspots.none", { min });
  }

  /** A buyer no supplier has given access yet: what to do instead of empty figures. */
  function showNothing() {
    for (const part of parts) part.hidden = true;
    const ask = el("a", { href: pageUrl("members/suppliers/") }, t("risk.to_suppliers"));
    const empty = byId("risk-empty");
    showMessage(empty, [t("risk.no_buyer_data"), " ", ask], "info");
    empty.hidden = false;
  }

  function show(answer) {
    summary.setAttribute("aria-busy", "false");
    showSources(answer.sources);
    const options = answer.options || {};
    // Staff always see the platform's figures: a country is offered as a filter only once it has
    // enough sites to be shown alone, and a platform too small to show says so in the summary
    // (an empty platform and one with a site or two must not be told apart).
    if (!staff && !filtered() && !(answer.total || {}).sites) return showNothing();
    fillSelect(form.elements.country, options.countries || [], t("risk.all.country"));
    fillSelect(form.elements.sector, options.sectors || [], t("risk.all.sector"));
    fillSelect(form.elements.pillar, (answer.by_pillar || []).map((item) => ({ code: item.pillar, name: item.name })), t("risk.all.pillar"));
    for (const link of document.querySelectorAll("#risk-export a[data-format]")) {
      link.href = `${API}/${base}/export?${query({ format: link.dataset.format, lang })}`;
    }
    byId("risk-export").hidden = false;
    summary.replaceChildren(...summaryOf(answer, staff));
    pillarChart(byId("risk-pillar-chart"), answer.by_pillar || [], limits, answer.min_sites || 0);
    countryChart(byId("risk-country-chart"), answer.by_country || [], answer.min_sites || 0);
    if (staff) showHotspots(answer);
    else {
      const pillar = chosenPillar(answer);
      byId("risk-score-pillar").textContent = pillar ? ` (${pillar.name})` : "";
      byId("risk-table-empty").textContent = byId("risk-table").tBodies[0].children.length ? "" : t("risk.no_matches");
      showMessage(byId("risk-more-message"), "");
    }
    const total = answer.total || {};
    const min = answer.min_sites || 0;
    const matched = total.suppressed ? t("risk.suppressed", { min }) : t("risk.matches", { count: total.sites || 0 });
    const none = !total.sites && !total.suppressed; // the empty table's own line (a live region) says so, once
    showMessage(status, loaded && filtered() && !(none && !staff) ? matched : "", "info");
    loaded = true;
  }

  const list = pagedList({
    path: (cursor) => `${base}/overview?${query(cursor ? { cursor } : {})}`.replace(/\?$/, ""),
    items: (answer) => {
      // Each answer brings the model's band limits, which the rows' badges use.
      limits = { ...DEFAULT_BANDS, ...(answer.bands || {}) };
      return staff ? [] : answer.sites;
    },
    render: (site) => siteRows(site, limits),
    body: byId("risk-table").tBodies[0],
    more: byId("risk-more"),
    status: byId("risk-more-message"),
    empty: byId("risk-table-empty"),
    announceMore: (n) => t("risk.more_shown", { count: n }),
    loaded: (answer, fromStart) => fromStart && show(answer),
    failed: (result) => {
      summary.setAttribute("aria-busy", "false");
      showMessage(status, errorMessage(result), "error");
      focusOn(status);
      return true;
    },
  });
  function reload() {
    summary.setAttribute("aria-busy", "true");
    return list.load(true);
  }
  form.addEventListener("change", reload);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    reload();
  });
  return reload();
}
