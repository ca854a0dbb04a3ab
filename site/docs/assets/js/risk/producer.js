/* A producer's own sites: a card per site with its score per pillar, why, and what would lower it. */
import { pageUrl } from "../kit/api.js";
import { byId, el, focusOn } from "../kit/dom.js";
import { formatDateTime } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { bandBadge, bandName, domId, formatScore, pillarBody, srOnly } from "./explain.js";

const siteUrl = (siteId, hash = "") => pageUrl(`members/site/?id=${encodeURIComponent(siteId)}${hash}`);

function pillarTable(pillars, caption) {
  const rows = pillars.map((pillar) =>
    el("tr", { "data-pillar": pillar.pillar }, [
      el("th", { scope: "row" }, pillar.name),
      el("td", { class: "ieh-number" }, formatScore(pillar.score)),
      el("td", {}, bandBadge(pillar.band)),
    ]),
  );
  const head = el("tr", {}, [
    el("th", { scope: "col" }, t("risk.pillar")),
    el("th", { scope: "col", class: "ieh-number" }, t("risk.score")),
    el("th", { scope: "col" }, t("risk.band")),
  ]);
  return el("div", { class: "ieh-table-wrap ieh-table-wrap--compact" }, el("table", { "data-pillar-table": "" }, [
    el("caption", { class: "ieh-sr-only" }, caption),
    el("thead", {}, head),
    el("tbody", {}, rows),
  ]));
}

/** A pillar's explanation that opens and closes (<details>), titled by its score and band. */
function pillarDetails(pillar) {
  const why = t("risk.why", { name: pillar.name, score: formatScore(pillar.score), band: bandName(pillar.band) });
  return el("details", { class: "ieh-risk-why", "data-pillar": pillar.pillar }, [el("summary", {}, why), ...pillarBody(pillar)]);
}

function siteCard(site) {
  const key = domId(site.site_id);
  const computed = formatDateTime(site.computed_at);
  const pillars = site.pillars || [];
  const facts = { country: site.country_name || site.country, sector: site.sector_name || "", id: site.site_id };
  const saqMissing = el("p", { class: "ieh-risk-note", "data-saq-missing": "" }, [
    t("risk.saq_missing"),
    " ",
    el("a", { href: siteUrl(site.site_id, "#saq") }, [t("risk.to_saq"), srOnly(t("risk.for_site", { name: site.name }))]),
  ]);
  return el("li", { class: "ieh-card ieh-risk-site", id: `site-${key}`, "data-site-id": site.site_id, "data-band": site.band }, [
    el("h3", { class: "ieh-card__title", id: `risk-site-${key}-title` }, site.name || site.site_id),
    el("p", { class: "ieh-risk-headline" }, [
      `${t("risk.overall")}: `,
      el("strong", { "data-score": String(site.score) }, t("risk.out_of", { score: formatScore(site.score) })),
      " ",
      bandBadge(site.band),
    ]),
    el("p", { class: "ieh-muted" }, t("risk.site_facts", facts)),
    computed ? el("p", { class: "ieh-muted" }, t("risk.computed", { when: computed })) : null,
    site.saq_submitted ? null : saqMissing,
    pillarTable(pillars, t("risk.pillars_caption", { site: site.name })),
    ...pillars.map(pillarDetails),
    el("p", {}, el("a", { href: siteUrl(site.site_id), "data-site-link": "" }, [t("risk.open_site"), srOnly(`: ${site.name}`)])),
  ]);
}

/** The producer's sites, highest risk first; answers the sources the scores build on. */
export async function showProducer() {
  const list = byId("risk-sites");
  byId("risk-producer").hidden = false;
  const answer = await loadBusy(list, "producer/risk", byId("risk-message"));
  if (!answer) return null;
  const sites = answer.sites || [];
  list.replaceChildren(...sites.map(siteCard));
  list.hidden = sites.length === 0;
  byId("risk-sites-empty").hidden = sites.length > 0;
  // A link from a site's page points at its card (#site-…): the card exists only now.
  const target = location.hash.length > 1 ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
  if (target && list.contains(target)) {
    target.scrollIntoView({ block: "start" });
    focusOn(target.querySelector("h3"));
  }
  return answer.sources;
}
