/* One supplier as a buyer's link allows (members/supplier/?id=…): the profile, the sites with their
 * self-assessments, and the audits (sharing/supplier-audits.js). */
import { api } from "../kit/api.js";
import { byId, el, link, showMessage } from "../kit/dom.js";
import { formatDate, formatDateTime, formatNumber, nameOf } from "../kit/format.js";
import { setBusy } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { savedAnswers } from "../kit/saq.js";
import { badge, contextButton, domId, fact } from "../kit/view.js";
import { bodyOf, viewer } from "../kit/viewer.js";
import { showAudits } from "./supplier-audits.js";

const LEVELS = ["profile", "saq", "audits"]; // cumulative: each level includes the ones before it
const WORKFORCE = ["women", "migrant", "temporary", "agency"];

/** Whether a link's level includes what `wanted` needs. */
function levelCovers(level, wanted) {
  return LEVELS.includes(level) && LEVELS.indexOf(level) >= LEVELS.indexOf(wanted);
}

function addressText(address, ref) {
  const parts = address || {};
  const place = [parts.postal_code, parts.city].filter(Boolean).join(" ");
  return [parts.street, place, parts.country ? nameOf(ref.countries, parts.country) : ""].filter(Boolean).join(", ");
}

const confirmedText = (at) => (at ? formatDate(at) : t("supplier.never_confirmed"));

function showProfile(supplier, ref) {
  const name = supplier.name || supplier.producer_id;
  const text = (id, value) => (byId(`supplier-${id}`).textContent = value || t("kit.not_given"));
  byId("supplier-heading").textContent = name;
  document.title = `${name} – ${document.title}`;
  byId("supplier-level").textContent = t("supplier.level_line", { level: nameOf(ref.link_levels, supplier.level) });
  byId("supplier-level").dataset.level = supplier.level || "";
  // whether the producer allows the buyer to name it in its public Transparency Act account
  byId("supplier-naming").textContent = t(supplier.may_be_named ? "supplier.may_be_named" : "supplier.not_named");
  byId("supplier-naming").dataset.mayBeNamed = supplier.may_be_named ? "yes" : "no";
  byId("supplier-stale").hidden = !supplier.stale;
  byId("supplier-profile").dataset.stale = supplier.stale ? "true" : "false";
  text("organisation-number", supplier.organisation_number);
  text("address", addressText(supplier.address, ref));
  const contact = supplier.contact || {};
  const lines = [contact.name, contact.email ? link(`mailto:${contact.email}`, contact.email) : null, contact.phone]
    .filter(Boolean)
    .flatMap((line, index) => (index ? [el("br"), line] : [line]));
  byId("supplier-contact").replaceChildren(...(lines.length ? lines : [t("kit.not_given")]));
  text("sectors", (supplier.sectors || []).map((code) => nameOf(ref.sectors, code)).join(", "));
  text("products", supplier.products);
  byId("supplier-confirmed").textContent = confirmedText(supplier.confirmed_at);
}

function workforceText(workforce) {
  if (!workforce || typeof workforce.total !== "number") return "";
  const parts = WORKFORCE.filter((key) => typeof workforce[key] === "number" && workforce[key] > 0).map((key) =>
    t(`supplier.workforce.${key}`, { count: formatNumber(workforce[key]) }),
  );
  const total = formatNumber(workforce.total);
  return parts.length ? t("supplier.workforce_parts", { total, parts: parts.join(", ") }) : t("supplier.workforce_total", { total });
}

/** Whether a site (as the buyer sees it) has a submitted self-assessment; unknown counts as yes. */
function hasSubmittedSaq(saq) {
  if (!saq || typeof saq !== "object") return true; // let the server answer
  return saq.status === "submitted" || Number(saq.versions) > 0 || Boolean(saq.submitted_at);
}

function saqText(saq) {
  if (!saq) return "";
  if (!hasSubmittedSaq(saq)) return t("supplier.saq.not_submitted");
  return saq.submitted_at ? t("supplier.saq.submitted", { date: formatDate(saq.submitted_at) || "" }) : "";
}

function siteCard(site, ref, saqViewer) {
  const name = site.name || site.id;
  const confirmed = confirmedText(site.confirmed_at);
  const card = el("li", { class: "ieh-card", "data-site-id": site.id, "data-stale": site.stale ? "true" : "false" }, [
    el("h3", { class: "ieh-card__title", id: `supplier-site-${domId(site.id)}-title` }, name),
    el("dl", { class: "ieh-facts" }, [
      ...fact(t("supplier.site.id"), el("code", {}, site.id)),
      ...fact(t("sharing.country"), site.country_name || nameOf(ref.countries, site.country)),
      ...fact(t("supplier.address"), addressText(site.address, ref)),
      ...fact(t("supplier.site.sector"), site.sector ? nameOf(ref.sectors, site.sector) : ""),
      ...fact(t("supplier.site.workforce"), workforceText(site.workforce)),
      ...fact(t("supplier.site.certifications"), (site.certifications || []).join(", ") || t("kit.none")),
      ...fact(t("supplier.confirmed"), site.stale ? [confirmed, " ", badge(t("sharing.stale"), "warning")] : confirmed),
      ...fact(t("supplier.site.saq"), saqViewer ? saqText(site.saq) : ""),
    ]),
  ]);
  if (saqViewer && hasSubmittedSaq(site.saq)) {
    const region = el("p", { class: "ieh-message", role: "status", "data-site-message": "" });
    const open = contextButton(t("supplier.saq.show"), t("supplier.saq.for_site", { name }), (button) => saqViewer(site, button, region), {
      "data-action": "show-saq",
      "aria-controls": "supplier-saq",
      "aria-expanded": "false",
    });
    card.append(el("div", { class: "ieh-actions" }, open), region);
  }
  return card;
}

/** The questionnaire's question texts (the answer of GET /saq/questionnaire), kept once it has come. */
let questionnaire = null;

async function loadQuestionnaire() {
  if (!questionnaire || questionnaire.status !== 200) questionnaire = await api("saq/questionnaire");
  return questionnaire;
}

/** A stored self-assessment: when it was submitted, then its answers. */
function saqParts(stored, questions) {
  const when = t("supplier.saq.version", { number: stored.number, date: formatDateTime(stored.submitted_at) || "" });
  return [el("p", { class: "ieh-muted" }, when), ...savedAnswers(stored, questions)];
}

/** Opens a site's self-assessment, read-only, in #supplier-saq. */
function saqOpener(base) {
  const view = viewer(byId("supplier-saq"), "saq", "siteId");
  return async (site, button, region) => {
    showMessage(region, "");
    setBusy(button, true, t("kit.loading"));
    const [questions, result] = await Promise.all([loadQuestionnaire(), api(`${base}/sites/${encodeURIComponent(site.id)}/saq`)]);
    setBusy(button, false);
    // the site's own answer says why first (no access); then whether the questions came
    const stored = bodyOf(result, region) && bodyOf(questions, region) && result.body;
    if (stored) view.show(button, site.id, t("supplier.saq.title", { site: site.name || site.id }), saqParts(stored, questions.body));
  };
}

function showSites(base, supplier, ref) {
  const sites = Array.isArray(supplier.sites) ? supplier.sites : [];
  const canSeeSaq = levelCovers(supplier.level, "saq");
  const open = canSeeSaq ? saqOpener(base) : null;
  byId("supplier-sites").replaceChildren(...sites.map((site) => siteCard(site, ref, open)));
  byId("supplier-sites-empty").hidden = sites.length > 0;
  const note = byId("supplier-sites-note");
  note.textContent = canSeeSaq ? "" : t("supplier.saq.not_included");
  note.hidden = canSeeSaq || sites.length === 0;
}

membersPage(async () => {
  const found = await recordFromAddress((id) => `buyer/suppliers/${encodeURIComponent(id)}`, {
    region: "supplier-message", content: "supplier-content", notFoundKind: "info", back: "members/suppliers/#list", backText: "supplier.back",
    missing: "supplier.missing_id", notFound: "sharing.no_access",
  });
  if (!found) return;
  const { path: base, record: supplier, reference } = found;
  showProfile(supplier, reference);
  showSites(base, supplier, reference);
  if (levelCovers(supplier.level, "audits")) await showAudits(base, reference);
  else byId("supplier-audits-note").hidden = false;
});
