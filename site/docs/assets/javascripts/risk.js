/* The risk page of the members area (members/risk/): a producer's own sites, each with why it
 * scores as it does and what would lower it; a buyer's supply chain as far as its links allow
 * (summary, charts, the sites highest risk first, exports); IEH staff's picture over all members
 * with nobody named (summary, charts, hotspots, exports). A member whose organisation both buys
 * and produces sees its own sites and its supply chain. Builds on portal.js (window.IEH);
 * members.js opens the page after GET /me and calls IEH.risk.init(page, me). The charts are
 * inline SVG made with DOM APIs, each with a short text summary and a table of its figures. */
(function () {
  "use strict";

  const IEH = window.IEH;
  if (!IEH) return;
  const { api, element: el, showMessage, setBusy } = IEH;
  const API = "/api/v1";
  const SVG_NS = "http://www.w3.org/2000/svg";
  const BANDS = ["low", "medium", "high"];
  const FILTERS = ["country", "sector", "pillar"];
  const DEFAULT_BANDS = { medium: 4.0, high: 7.0 }; // the API sends the model's own; these only fill in

  const TEXT = {
    nb: {
      loading: "Henter …",
      bands: { low: "Lav", medium: "Middels", high: "Høy" },
      bandRisk: { low: "Lav risiko", medium: "Middels risiko", high: "Høy risiko" },
      outOf: (score) => `${score} av 10`,
      // a producer's sites
      overall: "Samlet risiko",
      siteFacts: (country, sector, id) => `${country} · ${sector} · ID ${id}`,
      computed: (when) => `Beregnet ${when}.`,
      saqMissing: "Send inn egenvurderingen (SAQ) for å få fradrag for tiltakene dere har på plass.",
      toSaq: "Gå til egenvurderingen",
      openSite: "Gå til produksjonsstedet",
      pillarsCaption: (site) => `Risiko per pilar for ${site}`,
      pillar: "Pilar",
      score: "Poengsum",
      band: "Nivå",
      why: (name, score, band) => `${name}: ${score} – ${band}. Hvorfor?`,
      factorsTitle: "Dette gir poengsummen",
      noFactors: "Ingen faktorer er registrert.",
      lowerTitle: "Dette ville senket risikoen",
      noImprovements: "Modellen har ingen flere tiltak som ville senket denne pilaren.",
      // the overviews
      allCountries: "Alle land",
      allSectors: "Alle bransjer",
      allPillars: "Høyeste pilar",
      suppliers: (n) => (n === 1 ? "1 leverandør" : `${n} leverandører`),
      sites: (n) => (n === 1 ? "1 produksjonssted" : `${n} produksjonssteder`),
      average: (value) => `gjennomsnitt ${value} av 10`,
      basisOverall: "Nivåene og poengsummene gjelder den høyeste pilaren ved hvert produksjonssted.",
      basisPillar: (name) => `Nivåene og poengsummene gjelder pilaren ${name}.`,
      noBuyerData: "Ingen leverandører har gitt dere tilgang ennå.",
      toSuppliers: "Be om tilgang under Leverandører",
      noStaffData: "Ingen produksjonssteder har fått en risiko ennå.",
      noMatches: "Ingen produksjonssteder passer til filteret.",
      matches: (n) => (n === 1 ? "1 produksjonssted passer til filteret." : `${n} produksjonssteder passer til filteret.`),
      suppressed: (min) =>
        `Tallene for dette utvalget vises ikke: alene eller sammenholdt med andre tall kunne de gjelde færre enn ${min} produksjonssteder, og da kunne en produsent kjennes igjen.`,
      // charts
      chartPillarLabel: (parts) =>
        `Stolpediagram over gjennomsnittlig risiko per pilar, fra 0 til 10: ${parts}. Tallene står også i en tabell.`,
      chartCountryLabel: (n) =>
        `Stablet stolpediagram over antall produksjonssteder med lav, middels og høy risiko i ${n === 1 ? "1 land" : `${n} land`}, landet med høyest gjennomsnitt først. Tallene står også i en tabell.`,
      chartPillarCaption: "Gjennomsnittlig risiko per pilar",
      chartCountryCaption: "Produksjonssteder per land og nivå, høyest gjennomsnitt først",
      country: "Land",
      sector: "Bransje",
      sitesColumn: "Produksjonssteder",
      averageColumn: "Gjennomsnitt",
      averageShort: (value) => `snitt ${value}`,
      noChartData: "Ingen tall å vise.",
      // the list
      explain: "Vis forklaring",
      forSite: (name) => ` for ${name}`,
      yes: "Ja",
      no: "Nei",
      withoutSaq:
        "Uten fradrag fra egenvurderingen: tilgangen dere har fått, omfatter den ikke, eller leverandøren har ikke sendt den inn.",
      noExplanation: "Forklaringen kan ikke vises akkurat nå. Last inn siden på nytt om litt.",
      moreShown: (n) => (n === 1 ? "1 produksjonssted til vises." : `${n} produksjonssteder til vises.`),
      // hotspots
      hotspotsNote: (min) =>
        `Bare kombinasjoner av land og bransje med minst ${min} produksjonssteder vises hver for seg, og bare når ingen gruppe på færre enn ${min} kan regnes ut ved å trekke ett tall fra et annet. Ingen produsent eller innkjøper er navngitt.`,
      noHotspots: (min) =>
        `Ingen kombinasjon av land og bransje kan vises hver for seg ennå: hver har færre enn ${min} produksjonssteder, eller tallene kunne peke ut færre.`,
      hotspotsHidden: "Ingen kombinasjon av land og bransje i dette utvalget kan vises hver for seg.",
      // sources
      source: (publisher, year) => ` – ${publisher}, ${year}`,
    },
    en: {
      loading: "Loading …",
      bands: { low: "Low", medium: "Medium", high: "High" },
      bandRisk: { low: "Low risk", medium: "Medium risk", high: "High risk" },
      outOf: (score) => `${score} of 10`,
      overall: "Overall risk",
      siteFacts: (country, sector, id) => `${country} · ${sector} · ID ${id}`,
      computed: (when) => `Computed ${when}.`,
      saqMissing: "Submit the self-assessment (SAQ) to get deductions for the controls you have in place.",
      toSaq: "Go to the self-assessment",
      openSite: "Go to the site",
      pillarsCaption: (site) => `Risk per pillar for ${site}`,
      pillar: "Pillar",
      score: "Score",
      band: "Band",
      why: (name, score, band) => `${name}: ${score} – ${band}. Why?`,
      factorsTitle: "What makes up the score",
      noFactors: "No factors are recorded.",
      lowerTitle: "What would lower it",
      noImprovements: "The model has no further controls that would lower this pillar.",
      allCountries: "All countries",
      allSectors: "All sectors",
      allPillars: "Highest pillar",
      suppliers: (n) => (n === 1 ? "1 supplier" : `${n} suppliers`),
      sites: (n) => (n === 1 ? "1 site" : `${n} sites`),
      average: (value) => `average ${value} of 10`,
      basisOverall: "The bands and scores are those of each site’s highest pillar.",
      basisPillar: (name) => `The bands and scores are those of the pillar ${name}.`,
      noBuyerData: "No supplier has given you access yet.",
      toSuppliers: "Request access under Suppliers",
      noStaffData: "No site has a risk score yet.",
      noMatches: "No sites match the filter.",
      matches: (n) => (n === 1 ? "1 site matches the filter." : `${n} sites match the filter.`),
      suppressed: (min) =>
        `No figures are shown for this selection: on their own or set against other figures they could describe fewer than ${min} sites, and a producer could then be recognised.`,
      chartPillarLabel: (parts) =>
        `Bar chart of the average risk per pillar, from 0 to 10: ${parts}. The figures are also in a table.`,
      chartCountryLabel: (n) =>
        `Stacked bar chart of the number of sites with low, medium and high risk in ${n === 1 ? "1 country" : `${n} countries`}, the country with the highest average first. The figures are also in a table.`,
      chartPillarCaption: "Average risk per pillar",
      chartCountryCaption: "Sites per country and band, highest average first",
      country: "Country",
      sector: "Sector",
      sitesColumn: "Sites",
      averageColumn: "Average",
      averageShort: (value) => `avg. ${value}`,
      noChartData: "No figures to show.",
      explain: "Show explanation",
      forSite: (name) => ` for ${name}`,
      yes: "Yes",
      no: "No",
      withoutSaq:
        "Without deductions from the self-assessment: the access you have been given does not include it, or the supplier has not submitted it.",
      noExplanation: "The explanation cannot be shown right now. Reload the page in a moment.",
      moreShown: (n) => (n === 1 ? "1 more site shown." : `${n} more sites shown.`),
      hotspotsNote: (min) =>
        `Only combinations of country and sector with at least ${min} sites are shown on their own, and only when no group of fewer than ${min} can be worked out by subtracting one figure from another. No producer or buyer is named.`,
      noHotspots: (min) =>
        `No combination of country and sector can be shown on its own yet: each has fewer than ${min} sites, or its figures could single out fewer.`,
      hotspotsHidden: "No combination of country and sector in this selection can be shown on its own.",
      source: (publisher, year) => ` – ${publisher}, ${year}`,
    },
  }[IEH.lang];

  // ================================================================ helpers

  const byId = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  /** Focus something that is not focusable by itself (a heading or message) for screen readers. */
  function focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus();
  }

  /** A string fit for an element id, from any id the API gives. */
  function domId(value) {
    return String(value).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  function siteUrl(siteId, hash = "") {
    return IEH.pageUrl(`members/site/?id=${enc(siteId)}${hash}`);
  }

  function supplierUrl(producerId) {
    return IEH.pageUrl(`members/supplier/?id=${enc(producerId)}`);
  }

  /** A score as "7,0" / "7.0"; "–" when there is none. */
  function formatScore(value) {
    if (typeof value !== "number" || !Number.isFinite(value)) return "–";
    return value.toLocaleString(IEH.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  /** Points with their sign: "+5,0", "−0,5" (a true minus, read as "minus"). */
  function formatPoints(value) {
    const number = Number(value) || 0;
    const text = formatScore(Math.abs(number));
    return number > 0 ? `+${text}` : number < 0 ? `\u2212${text}` : text;
  }

  /** The band of a score, by the model's thresholds. */
  function bandOf(score, bands) {
    const limits = { ...DEFAULT_BANDS, ...(bands || {}) };
    return score >= limits.high ? "high" : score >= limits.medium ? "medium" : "low";
  }

  /** The band as text in a bordered badge; the colour only repeats what the text says. */
  function bandBadge(band) {
    const name = TEXT.bands[band] || band || "";
    return el("span", { class: `ieh-band ieh-band--${band}`, "data-band": band }, name);
  }

  function srOnly(text) {
    return el("span", { class: "ieh-sr-only" }, text);
  }

  function fillSelect(select, items, placeholder) {
    const current = select.value;
    select.replaceChildren(
      el("option", { value: "" }, placeholder),
      ...items.map((item) => el("option", { value: item.code }, item.name)),
    );
    select.value = items.some((item) => item.code === current) ? current : "";
  }

  /** An SVG element, as IEH.element makes HTML ones. */
  function svg(tag, attributes = {}, children = []) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, String(value));
    }
    for (const child of [].concat(children)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** A line of text in a chart, centred on y. */
  function svgText(className, x, y, text, anchor = "start") {
    return svg("text", { class: className, x, y, "dominant-baseline": "central", "text-anchor": anchor }, text);
  }

  /** A long name cut to fit a chart's label column; the table has it whole. */
  function shorten(text, max) {
    const value = String(text || "");
    return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
  }

  /** Hide the table-of-contents links to the headings this member does not see. */
  function hideTocLinks() {
    for (const heading of document.querySelectorAll(".md-content h2[id], .md-content h3[id]")) {
      for (const link of document.querySelectorAll(`.md-sidebar--secondary a[href="#${CSS.escape(heading.id)}"]`)) {
        const item = link.closest("li");
        if (item) item.hidden = heading.closest("[hidden]") !== null;
      }
    }
  }

  // ================================================================ explanations (shared)

  /** One factor as a list item: its points with their sign, then what it is. */
  function factorItem(factor) {
    const label = String(factor.label || factor.code || "");
    return el("li", { "data-code": factor.code || "", "data-points": String(factor.points) }, [
      el("span", { class: "ieh-risk-points" }, formatPoints(factor.points)),
      " ",
      el("span", {}, label),
    ]);
  }

  function factorList(factors, improvement, emptyText) {
    if (!factors || !factors.length) return el("p", { class: "ieh-muted" }, emptyText);
    return el(
      "ul",
      { class: "ieh-risk-factors", "data-list": improvement ? "improvements" : "factors" },
      factors.map((factor) => factorItem(factor)),
    );
  }

  /** What makes up one pillar's score and what would lower it. */
  function pillarBody(pillar) {
    return [
      el("p", { class: "ieh-card__label" }, TEXT.factorsTitle),
      factorList(pillar.factors, false, TEXT.noFactors),
      el("p", { class: "ieh-card__label" }, TEXT.lowerTitle),
      factorList(pillar.improvements, true, TEXT.noImprovements),
    ];
  }

  /** A pillar's explanation that opens and closes (<details>), titled by its score and band. */
  function pillarDetails(pillar) {
    const band = TEXT.bands[pillar.band] || pillar.band;
    return el("details", { class: "ieh-risk-why", "data-pillar": pillar.pillar }, [
      el("summary", {}, TEXT.why(pillar.name, formatScore(pillar.score), band)),
      ...pillarBody(pillar),
    ]);
  }

  function pillarTable(pillars, caption) {
    return el("div", { class: "ieh-table-wrap ieh-table-wrap--compact" }, [
      el("table", { "data-pillar-table": "" }, [
        el("caption", { class: "ieh-sr-only" }, caption),
        el("thead", {}, el("tr", {}, [
          el("th", { scope: "col" }, TEXT.pillar),
          el("th", { scope: "col", class: "ieh-number" }, TEXT.score),
          el("th", { scope: "col" }, TEXT.band),
        ])),
        el(
          "tbody",
          {},
          pillars.map((pillar) =>
            el("tr", { "data-pillar": pillar.pillar }, [
              el("th", { scope: "row" }, pillar.name),
              el("td", { class: "ieh-number" }, formatScore(pillar.score)),
              el("td", {}, bandBadge(pillar.band)),
            ]),
          ),
        ),
      ]),
    ]);
  }

  // ================================================================ producer: its own sites

  function siteCard(site) {
    const key = domId(site.site_id);
    const titleId = `risk-site-${key}-title`;
    const computed = IEH.formatDateTime(site.computed_at);
    const pillars = site.pillars || [];
    return el("li", { class: "ieh-card ieh-risk-site", id: `site-${key}`, "data-site-id": site.site_id, "data-band": site.band }, [
      el("h3", { class: "ieh-card__title", id: titleId }, site.name || site.site_id),
      el("p", { class: "ieh-risk-headline" }, [
        `${TEXT.overall}: `,
        el("strong", { "data-score": String(site.score) }, TEXT.outOf(formatScore(site.score))),
        " ",
        bandBadge(site.band),
      ]),
      el("p", { class: "ieh-muted" }, TEXT.siteFacts(site.country_name || site.country, site.sector_name || "", site.site_id)),
      computed ? el("p", { class: "ieh-muted" }, TEXT.computed(computed)) : null,
      site.saq_submitted
        ? null
        : el("p", { class: "ieh-risk-note", "data-saq-missing": "" }, [
            TEXT.saqMissing,
            " ",
            el("a", { href: siteUrl(site.site_id, "#saq") }, [TEXT.toSaq, srOnly(TEXT.forSite(site.name))]),
          ]),
      pillarTable(pillars, TEXT.pillarsCaption(site.name)),
      ...pillars.map(pillarDetails),
      el("p", {}, el("a", { href: siteUrl(site.site_id), "data-site-link": "" }, [TEXT.openSite, srOnly(`: ${site.name}`)])),
    ]);
  }

  async function initProducer(showSources) {
    const section = byId("risk-producer");
    const list = byId("risk-sites");
    const message = byId("risk-message");
    section.hidden = false;
    list.setAttribute("aria-busy", "true");
    const result = await api(`${API}/producer/risk`);
    list.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(message, IEH.errorMessage(result), "error");
      return;
    }
    const sites = result.body.sites || [];
    list.replaceChildren(...sites.map(siteCard));
    list.hidden = sites.length === 0;
    byId("risk-sites-empty").hidden = sites.length > 0;
    showSources(result.body.sources);
    // A link from a site's page points at its card (#site-…): the card exists only now.
    const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    if (target && list.contains(target)) {
      target.scrollIntoView({ block: "start" });
      focusOn(target.querySelector("h3"));
    }
  }

  // ================================================================ charts

  const CHART_WIDTH = 640;

  function chartRoot(id, height, label) {
    return svg(
      "svg",
      {
        class: "ieh-chart__svg",
        viewBox: `0 0 ${CHART_WIDTH} ${height}`,
        role: "img",
        "aria-labelledby": `${id}-title`,
        focusable: "false",
      },
      svg("title", { id: `${id}-title` }, label),
    );
  }

  /** A chart's figures as a table for screen readers (in a clipped box: a table is never 1px wide). */
  function dataTable(caption, head, rows) {
    return el("div", { class: "ieh-sr-only" }, el("table", { "data-chart-table": "" }, [
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, head.map((text) => el("th", { scope: "col" }, text)))),
      el(
        "tbody",
        {},
        rows.map((cells) => el("tr", {}, cells.map((cell, i) => (i === 0 ? el("th", { scope: "row" }, cell) : el("td", {}, cell))))),
      ),
    ]));
  }

  function bandCells(bands) {
    return BANDS.map((band) => String((bands || {})[band] || 0));
  }

  /** Bars of the average per pillar on a 0–10 scale, over the three bands' ranges with their names. */
  function pillarChart(figure, rows, limits, min) {
    const shown = rows.filter((row) => !row.suppressed && row.sites > 0 && typeof row.average === "number");
    if (!shown.length) {
      const suppressed = rows.some((row) => row.suppressed);
      figure.replaceChildren(el("p", { class: "ieh-muted" }, suppressed ? TEXT.suppressed(min) : TEXT.noChartData));
      return;
    }
    const bands = { ...DEFAULT_BANDS, ...(limits || {}) };
    const [left, right, top, row, bar, bottom] = [180, 120, 34, 38, 22, 30];
    const plot = CHART_WIDTH - left - right;
    const x = (value) => left + (plot * Math.max(0, Math.min(10, value))) / 10;
    const height = top + row * shown.length + bottom;
    const parts = shown
      .map((item) => `${item.name} ${formatScore(item.average)} (${TEXT.bands[bandOf(item.average, bands)].toLowerCase()})`)
      .join(", ");
    const root = chartRoot("risk-pillar-svg", height, TEXT.chartPillarLabel(parts));
    const bottomY = top + row * shown.length;
    const zones = [
      ["low", 0, bands.medium],
      ["medium", bands.medium, bands.high],
      ["high", bands.high, 10],
    ];
    for (const [band, from, to] of zones) {
      root.append(
        svg("rect", { class: `ieh-chart__zone ieh-risk-fill--${band}`, x: x(from), y: top - 8, width: x(to) - x(from), height: bottomY - top + 8 }),
        svg("text", { class: "ieh-chart__zone-label", x: (x(from) + x(to)) / 2, y: top - 14, "text-anchor": "middle" }, TEXT.bands[band]),
      );
    }
    for (let tick = 0; tick <= 10; tick += 2) {
      root.append(
        svg("line", { class: "ieh-chart__grid", x1: x(tick), x2: x(tick), y1: top - 8, y2: bottomY }),
        svg("text", { class: "ieh-chart__tick", x: x(tick), y: bottomY + 20, "text-anchor": "middle" }, String(tick)),
      );
    }
    shown.forEach((item, index) => {
      const y = top + index * row + (row - bar) / 2;
      const band = bandOf(item.average, bands);
      root.append(
        svg("g", { "data-pillar": item.pillar }, [
          svgText("ieh-chart__label", left - 10, y + bar / 2, shorten(item.name, 24), "end"),
          svg("rect", { class: `ieh-chart__bar ieh-risk-fill--${band}`, x: x(0), y, width: Math.max(2, x(item.average) - x(0)), height: bar }),
          svgText("ieh-chart__value", x(item.average) + 8, y + bar / 2, `${formatScore(item.average)} ${TEXT.bands[band]}`),
        ]),
      );
    });
    const table = dataTable(
      TEXT.chartPillarCaption,
      [TEXT.pillar, TEXT.averageColumn, TEXT.band, TEXT.sitesColumn, ...BANDS.map((b) => TEXT.bands[b])],
      shown.map((item) => [
        item.name,
        formatScore(item.average),
        TEXT.bands[bandOf(item.average, bands)],
        String(item.sites),
        ...bandCells(item.bands),
      ]),
    );
    figure.replaceChildren(el("div", { class: "ieh-chart__frame" }, root), table);
  }

  /** Whole-number ticks for a count axis from 0 to at least `max`. */
  function countTicks(max) {
    const step = max <= 6 ? 1 : max <= 12 ? 2 : Math.ceil(max / 25) * 5;
    const top = Math.max(step, Math.ceil(max / step) * step);
    const ticks = [];
    for (let tick = 0; tick <= top; tick += step) ticks.push(tick);
    return { top, ticks };
  }

  /** Per country, one bar of its sites split into low, medium and high (always in that order). */
  function countryChart(figure, rows, min) {
    const shown = rows.filter((row) => !row.suppressed && row.sites > 0);
    if (!shown.length) {
      const suppressed = rows.some((row) => row.suppressed);
      figure.replaceChildren(el("p", { class: "ieh-muted" }, suppressed ? TEXT.suppressed(min) : TEXT.noChartData));
      return;
    }
    const [left, right, top, row, bar, bottom] = [170, 120, 44, 32, 20, 30];
    const plot = CHART_WIDTH - left - right;
    const { top: most, ticks } = countTicks(Math.max(...shown.map((item) => item.sites)));
    const x = (count) => left + (plot * count) / most;
    const bottomY = top + row * shown.length;
    const height = bottomY + bottom;
    const root = chartRoot("risk-country-svg", height, TEXT.chartCountryLabel(shown.length));
    // The legend, in the bars' order.
    BANDS.forEach((band, index) => {
      const lx = left + index * 120;
      root.append(
        svg("g", { class: "ieh-chart__legend", "data-band": band }, [
          svg("rect", { class: `ieh-risk-fill--${band}`, x: lx, y: 6, width: 16, height: 16 }),
          svgText("ieh-chart__label", lx + 22, 14, TEXT.bands[band]),
        ]),
      );
    });
    for (const tick of ticks) {
      root.append(
        svg("line", { class: "ieh-chart__grid", x1: x(tick), x2: x(tick), y1: top - 6, y2: bottomY }),
        svg("text", { class: "ieh-chart__tick", x: x(tick), y: bottomY + 20, "text-anchor": "middle" }, String(tick)),
      );
    }
    shown.forEach((item, index) => {
      const y = top + index * row + (row - bar) / 2;
      const group = svg("g", { "data-country": item.code }, [
        svg("title", {}, item.name),
        svgText("ieh-chart__label", left - 10, y + bar / 2, shorten(item.name, 22), "end"),
      ]);
      let start = 0;
      for (const band of BANDS) {
        const count = (item.bands || {})[band] || 0;
        if (!count) continue;
        const from = x(start);
        const width = x(start + count) - from;
        group.append(svg("rect", { class: `ieh-chart__segment ieh-risk-fill--${band}`, x: from, y, width, height: bar, "data-band": band }));
        if (width >= 18) {
          group.append(svgText("ieh-chart__on-fill", from + width / 2, y + bar / 2, String(count), "middle"));
        }
        start += count;
      }
      group.append(svgText("ieh-chart__value", x(start) + 8, y + bar / 2, `${item.sites} · ${TEXT.averageShort(formatScore(item.average))}`));
      root.append(group);
    });
    const table = dataTable(
      TEXT.chartCountryCaption,
      [TEXT.country, TEXT.sitesColumn, TEXT.averageColumn, ...BANDS.map((b) => TEXT.bands[b])],
      shown.map((item) => [item.name, String(item.sites), formatScore(item.average), ...bandCells(item.bands)]),
    );
    figure.replaceChildren(el("div", { class: "ieh-chart__frame" }, root), table);
  }

  // ================================================================ buyer and staff: the overview

  function renderSummary(box, body, staff) {
    const total = body.total || { sites: 0, average: null, bands: {} };
    if (total.suppressed) {
      // IEH staff, filtered down to fewer sites than the minimum group: no figure at all.
      box.replaceChildren(el("p", { class: "ieh-risk-totals", "data-suppressed": "" }, TEXT.suppressed(body.min_sites || 0)));
      return;
    }
    const boxes = el(
      "dl",
      { class: "ieh-stats__list ieh-risk-bands" },
      BANDS.map((band) =>
        el("div", { class: `ieh-stats__item ieh-risk-band--${band}`, "data-band": band }, [
          el("dt", {}, TEXT.bandRisk[band]),
          el("dd", {}, IEH.formatNumber((total.bands || {})[band] || 0)),
        ]),
      ),
    );
    const counts = [];
    if (!staff && typeof body.suppliers === "number") counts.push(TEXT.suppliers(body.suppliers));
    counts.push(TEXT.sites(total.sites || 0));
    if (typeof total.average === "number") counts.push(TEXT.average(formatScore(total.average)));
    const pillar = (body.by_pillar || []).find((item) => item.pillar === (body.filters || {}).pillar);
    box.replaceChildren(
      boxes,
      el("p", { class: "ieh-risk-totals", "data-sites": String(total.sites || 0) }, counts.join(" · ")),
      el("p", { class: "ieh-muted" }, pillar ? TEXT.basisPillar(pillar.name) : TEXT.basisOverall),
    );
  }

  function siteRows(site, limits) {
    const key = domId(site.site_id);
    const detailId = `risk-why-${key}`;
    const button = el(
      "button",
      { type: "button", class: "md-button ieh-button--small", "aria-expanded": "false", "aria-controls": detailId, "data-action": "explain" },
      [TEXT.explain, srOnly(TEXT.forSite(site.site_name))],
    );
    const explanation = site.explanation;
    let content;
    if (explanation && Array.isArray(explanation.pillars)) {
      content = [
        explanation.saq_applied ? null : el("p", { class: "ieh-risk-note" }, TEXT.withoutSaq),
        el(
          "div",
          { class: "ieh-risk-why-grid" },
          explanation.pillars.map((pillar) =>
            el("div", { class: "ieh-risk-why", "data-pillar": pillar.pillar }, [
              el("p", { class: "ieh-risk-why__title" }, [
                el("strong", {}, `${pillar.name}: ${formatScore(pillar.score)}`),
                " ",
                bandBadge(pillar.band || bandOf(pillar.score, limits)),
              ]),
              ...pillarBody(pillar),
            ]),
          ),
        ),
      ];
    } else {
      content = el("p", {}, TEXT.noExplanation);
    }
    const cell = el("td", { colspan: "8" }, content);
    const detail = el("tr", { id: detailId, class: "ieh-risk-detail", "data-detail-for": site.site_id, hidden: true }, cell);
    button.addEventListener("click", () => {
      const open = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", open ? "false" : "true");
      detail.hidden = open;
    });
    const row = el("tr", { "data-site-id": site.site_id, "data-producer-id": site.producer_id, "data-band": site.band }, [
      el("td", {}, el("a", { href: supplierUrl(site.producer_id) }, site.producer_name || site.producer_id)),
      el("th", { scope: "row" }, [site.site_name || site.site_id, el("span", { class: "ieh-muted ieh-risk-id" }, site.site_id)]),
      el("td", {}, site.country_name || site.country),
      el("td", {}, site.sector_name || site.sector || ""),
      el("td", { class: "ieh-number", "data-score": String(site.score) }, formatScore(site.score)),
      el("td", {}, bandBadge(site.band)),
      el("td", { "data-saq": site.saq_applied ? "true" : "false" }, site.saq_applied ? TEXT.yes : TEXT.no),
      el("td", {}, button),
    ]);
    return [row, detail];
  }

  function hotspotRow(item) {
    return el("tr", { "data-country": item.country, "data-sector": item.sector }, [
      el("th", { scope: "row" }, item.country_name || item.country),
      el("td", {}, item.sector_name || item.sector),
      el("td", { class: "ieh-number" }, IEH.formatNumber(item.sites)),
      el("td", { class: "ieh-number" }, formatScore(item.average)),
      ...BANDS.map((band) => el("td", { class: "ieh-number", "data-band": band }, IEH.formatNumber((item.bands || {})[band] || 0))),
    ]);
  }

  function initOverview(audience, showSources) {
    const staff = audience === "staff";
    const section = byId("risk-overview");
    const content = byId("risk-overview-content");
    const empty = byId("risk-empty");
    const form = byId("risk-filters");
    const status = byId("risk-overview-message");
    const summary = byId("risk-summary");
    const list = staff ? null : byId("risk-list");
    const hotspots = staff ? byId("risk-hotspots") : null;
    const table = byId("risk-table");
    const body = table.querySelector("tbody");
    const more = byId("risk-more");
    const moreStatus = byId("risk-more-message");
    const tableEmpty = byId("risk-table-empty");
    const base = staff ? `${API}/admin/risk` : `${API}/risk`;
    let cursor = null;
    let sequence = 0; // the newest request wins when the filters change quickly
    let loaded = false;
    let limits = DEFAULT_BANDS;

    section.hidden = false;
    for (const node of section.querySelectorAll("[data-audience]")) node.hidden = node.dataset.audience !== audience;
    if (list) list.hidden = false;
    if (hotspots) hotspots.hidden = false;

    function params() {
      const query = new URLSearchParams();
      for (const name of FILTERS) {
        const value = form.elements[name].value;
        if (value) query.set(name, value);
      }
      return query;
    }

    const filtered = () => FILTERS.some((name) => form.elements[name].value);

    function exportLinks() {
      for (const link of document.querySelectorAll("#risk-export a[data-format]")) {
        const query = params();
        query.set("format", link.dataset.format);
        query.set("lang", IEH.lang);
        link.href = `${base}/export?${query}`;
      }
      byId("risk-export").hidden = false;
    }

    function fillFilters(answer) {
      const options = answer.options || {};
      fillSelect(form.elements.country, options.countries || [], TEXT.allCountries);
      fillSelect(form.elements.sector, options.sectors || [], TEXT.allSectors);
      const pillars = (answer.by_pillar || []).map((item) => ({ code: item.pillar, name: item.name }));
      fillSelect(form.elements.pillar, pillars, TEXT.allPillars);
    }

    function renderHotspots(answer) {
      const items = answer.hotspots || [];
      const min = answer.min_sites || 0;
      byId("risk-hotspots-note").textContent = TEXT.hotspotsNote(min);
      const hotspotTable = byId("risk-hotspots-table");
      hotspotTable.querySelector("tbody").replaceChildren(...items.map(hotspotRow));
      hotspotTable.closest(".ieh-table-wrap").hidden = items.length === 0;
      const none = byId("risk-hotspots-empty");
      none.hidden = items.length > 0;
      // Filtered, the selection is either hidden as a whole or too mixed for any cell to be shown
      // alone; "no sites match" would be untrue (and telling which would give the count away).
      const hidden = (answer.total || {}).suppressed;
      none.textContent = filtered() ? (hidden ? TEXT.suppressed(min) : TEXT.hotspotsHidden) : TEXT.noHotspots(min);
    }

    function renderEmpty() {
      content.hidden = true;
      if (list) list.hidden = true;
      if (hotspots) hotspots.hidden = true;
      hideTocLinks();
      const text = staff
        ? TEXT.noStaffData
        : [TEXT.noBuyerData, " ", el("a", { href: IEH.pageUrl("members/suppliers/") }, TEXT.toSuppliers)];
      showMessage(empty, text, "info");
      empty.hidden = false;
    }

    async function load(fromStart) {
      const current = ++sequence;
      const query = params();
      if (!fromStart && cursor) query.set("cursor", cursor);
      if (fromStart) {
        cursor = null;
        more.hidden = true;
      } else {
        setBusy(more, true, TEXT.loading);
      }
      const busy = fromStart ? [summary, table] : [table];
      for (const node of busy) node.setAttribute("aria-busy", "true");
      const text = query.toString();
      const result = await api(`${base}/overview${text ? `?${text}` : ""}`);
      if (!fromStart) setBusy(more, false);
      if (current !== sequence) return; // a newer overview has been asked for
      for (const node of busy) node.setAttribute("aria-busy", "false");
      if (result.status !== 200 || !result.body) {
        if (result.status !== 401) {
          showMessage(status, IEH.errorMessage(result), "error");
          focusOn(status);
        }
        if (!fromStart) more.hidden = false;
        return;
      }
      const answer = result.body;
      limits = { ...DEFAULT_BANDS, ...(answer.bands || {}) };
      if (!staff) {
        const rows = (answer.sites || []).flatMap((site) => siteRows(site, limits));
        if (fromStart) body.replaceChildren(...rows);
        else body.append(...rows);
        cursor = answer.next_cursor || null;
        more.hidden = !cursor;
        if (!fromStart) {
          const added = (answer.sites || []).length;
          showMessage(moreStatus, TEXT.moreShown(added), "info");
          if (added && !cursor) focusOn(rows[0]); // the button is gone: the focus goes to what came
          return;
        }
      }
      showSources(answer.sources);
      const options = answer.options || {};
      if (!filtered() && !(options.countries || []).length) {
        renderEmpty();
        return;
      }
      fillFilters(answer);
      exportLinks();
      renderSummary(summary, answer, staff);
      pillarChart(byId("risk-pillar-chart"), answer.by_pillar || [], limits, answer.min_sites || 0);
      countryChart(byId("risk-country-chart"), answer.by_country || [], answer.min_sites || 0);
      if (staff) {
        renderHotspots(answer);
      } else {
        const pillar = (answer.by_pillar || []).find((item) => item.pillar === (answer.filters || {}).pillar);
        byId("risk-score-pillar").textContent = pillar ? ` (${pillar.name})` : "";
        const any = body.children.length > 0;
        table.closest(".ieh-table-wrap").hidden = !any;
        tableEmpty.hidden = any;
        tableEmpty.textContent = any ? "" : TEXT.noMatches;
        showMessage(moreStatus, "");
      }
      const total = answer.total || {};
      const matched = total.suppressed ? TEXT.suppressed(answer.min_sites || 0) : TEXT.matches(total.sites || 0);
      showMessage(status, loaded && filtered() ? matched : "", "info");
      loaded = true;
    }

    form.addEventListener("change", () => load(true));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      load(true);
    });
    more.addEventListener("click", () => {
      if (cursor && !more.disabled) load(false);
    });
    return load(true);
  }

  // ================================================================ sources

  function sourcesRenderer() {
    let shown = false;
    return (sources) => {
      if (shown || !Array.isArray(sources) || !sources.length) return;
      shown = true;
      const items = sources.map((source) => {
        const url = typeof source.url === "string" && /^https?:\/\//.test(source.url) ? source.url : null;
        return el("li", { "data-source-id": source.id || "" }, [
          url ? el("a", { href: url, rel: "noopener" }, source.title) : source.title,
          TEXT.source(source.publisher || "", source.year || ""),
        ]);
      });
      byId("risk-source-list").replaceChildren(...items);
      byId("risk-sources").hidden = false;
      hideTocLinks();
    };
  }

  // ================================================================ start

  /** Called by members.js once GET /me has said that the page is for this member. */
  function init(page, me) {
    if (page !== "risk" || !me) return Promise.resolve();
    const type = (me.organisation || {}).type;
    const producer = ["producer", "both"].includes(type);
    const buyer = ["buyer", "both"].includes(type);
    const showSources = sourcesRenderer();
    const tasks = [];
    if (producer) tasks.push(initProducer(showSources));
    if (me.is_staff) tasks.push(initOverview("staff", showSources));
    else if (buyer) tasks.push(initOverview("buyer", showSources));
    hideTocLinks();
    return Promise.all(tasks);
  }

  IEH.risk = { init };
})();
