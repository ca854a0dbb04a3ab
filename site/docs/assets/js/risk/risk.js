/* The risk page of the members area (members/risk/): a producer's own sites, a buyer's supply chain,
 * IEH staff's picture over all members with nobody named; an organisation that both buys and
 * produces sees its own sites and its supply chain. Under them, the sources the scores build on. */
import { byId, el } from "../kit/dom.js";
import { t } from "../kit/i18n.js";
import { allowed, membersPage } from "../kit/members.js";
import { showOverview } from "./overview.js";
import { showProducer } from "./producer.js";

/** Hide the table-of-contents links to the headings this member does not see. */
function hideTocLinks() {
  for (const heading of document.querySelectorAll(".md-content h2[id], .md-content h3[id]")) {
    for (const link of document.querySelectorAll(`.md-sidebar--secondary a[href="#${CSS.escape(heading.id)}"]`)) {
      const item = link.closest("li");
      if (item) item.hidden = heading.closest("[hidden]") !== null;
    }
  }
}

let sourcesShown = false;

/** The sources of the first answer that has them. */
function showSources(sources) {
  if (sourcesShown || !Array.isArray(sources) || !sources.length) return;
  sourcesShown = true;
  const items = sources.map((source) => {
    const url = typeof source.url === "string" && /^https?:\/\//.test(source.url) ? source.url : null;
    return el("li", { "data-source-id": source.id || "" }, [
      url ? el("a", { href: url, rel: "noopener" }, source.title) : source.title,
      t("risk.source", { publisher: source.publisher || "", year: source.year || "" }),
    ]);
  });
  byId("risk-source-list").replaceChildren(...items);
  byId("risk-sources").hidden = false;
  hideTocLinks();
}

membersPage(async (me) => {
  const tasks = [];
  if (allowed("producer", me)) tasks.push(showProducer().then(showSources));
  if (me.is_staff) tasks.push(showOverview("staff", showSources));
  else if (allowed("buyer", me)) tasks.push(showOverview("buyer", showSources));
  hideTocLinks();
  await Promise.all(tasks);
  hideTocLinks();
});
