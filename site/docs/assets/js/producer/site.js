/* One of the producer's sites (members/site/?id=…): its details and headline risk, and its
 * self-assessment (producer/saq-editor.js). */
import { api, pageUrl } from "../kit/api.js";
import { byId, el, link, showMessage } from "../kit/dom.js";
import { bindForm, offerStored } from "../kit/form.js";
import { formatDate } from "../kit/format.js";
import { locale, t } from "../kit/i18n.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { domId } from "../kit/view.js";
import { initSaq } from "./saq-editor.js";
import { fillSiteForm, prepareSiteForm, siteProblems, siteValues } from "./site-form.js";

/** The site's headline risk beside its facts, with a link to the explanation on the risk page. */
function showRisk(site) {
  const risk = site.risk && typeof site.risk.score === "number" ? site.risk : null;
  const value = byId("site-risk");
  for (const node of document.querySelectorAll("[data-site-risk]")) node.hidden = !risk;
  if (!risk) {
    value.replaceChildren();
    return;
  }
  const score = risk.score.toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  value.dataset.band = risk.band;
  value.replaceChildren(
    el("span", { class: `ieh-band ieh-band--${risk.band}`, "data-score": String(risk.score) }, t("site_page.risk_score", { score, band: t(`risk.band.${risk.band}`) })),
    " ",
    link(pageUrl(`members/risk/#site-${domId(site.id)}`), t("site_page.risk_why"), { "data-risk-link": "" }),
  );
}

function initSiteForm(path, site, ref, saved) {
  const form = byId("site-form");
  const status = byId("site-save-message");
  const pageTitle = document.title;
  let version = null;
  prepareSiteForm(form, ref);

  function show(current) {
    version = current.version;
    fillSiteForm(form, current);
    const name = current.name || current.id;
    byId("site-heading").textContent = name;
    document.title = `${name} – ${pageTitle}`;
    byId("site-public-id").textContent = current.id;
    byId("site-confirmed").textContent = current.confirmed_at ? formatDate(current.confirmed_at) : t("producer.never_confirmed");
    byId("site-stale").hidden = !current.stale;
    form.dataset.stale = current.stale ? "true" : "false";
    showRisk(current);
  }

  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: (f) => ({ ...siteValues(f), version }),
    check: siteProblems,
    send: (data) => api(path, { method: "PUT", body: data }),
    done: (stored) => {
      show(stored);
      showMessage(status, t("site_page.saved"), "success");
      saved();
    },
    conflict: offerStored(t("site_page.conflict"), status, async () => (await api(path)).body, show),
  });
  show(site);
}

membersPage(async () => {
  const found = await recordFromAddress((id) => `producer/sites/${encodeURIComponent(id)}`, {
    region: "site-message", content: "site-content", back: "members/producer/#sites", backText: "site_page.back_short",
    missing: "site_page.missing_id", notFound: "site_page.not_found",
  });
  if (!found) return;
  let siteChanged = null; // the self-assessment's check against the site's details, once it has opened
  initSiteForm(found.path, found.record, found.reference, () => siteChanged && siteChanged());
  siteChanged = await initSaq(`${found.path}/saq`);
});
