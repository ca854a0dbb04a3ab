/* The producer's company (members/producer/): the company profile, the list of its sites and the
 * form that adds one. */
import { api } from "../kit/api.js";
import { byId, el, fillSelect, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm, checkedValues, fillForm, formValues, offerStored } from "../kit/form.js";
import { formatDate } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { loadReference } from "../kit/reference.js";
import { badge } from "../kit/view.js";
import { fillCheckboxes, siteUrl } from "./common.js";
import { prepareSiteForm, siteProblems, siteValues } from "./site-form.js";

function initProfile(ref) {
  const form = byId("profile-form");
  const status = byId("profile-save-message");
  let version = null;
  fillSelect(form.elements["address.country"], ref.countries, t("producer.choose_country"));
  fillCheckboxes(byId("profile-sectors"), ref.sectors, "sectors", "profile-sector");

  const submit = byId("profile-submit");
  submit.disabled = true; // until the stored profile (and its version) is in the form

  function show(profile) {
    version = profile.version;
    submit.disabled = false;
    fillForm(form, profile);
    byId("profile-stale").hidden = !profile.stale;
    form.dataset.stale = profile.stale ? "true" : "false";
    const confirmed = profile.confirmed_at ? formatDate(profile.confirmed_at) : null;
    byId("profile-confirmed").textContent = confirmed ? t("producer.confirmed_on", { date: confirmed }) : t("producer.not_confirmed");
  }

  async function load() {
    const profile = await loadBusy(form, "producer/profile", byId("profile-message"));
    if (profile) show(profile);
  }

  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => {
      const data = formValues(form, { keepEmpty: true });
      data.sectors = checkedValues(form, "sectors");
      data.organisation_number = String(data.organisation_number || "").replace(/\s+/g, "") || null;
      return { ...data, version };
    },
    check: (data) => (data.sectors.length ? {} : { sectors: t("producer.choose_sectors") }),
    send: (data) => api("producer/profile", { method: "PUT", body: data }),
    done: (profile) => {
      show(profile);
      showMessage(status, t("producer.saved"), "success");
    },
    conflict: offerStored(t("producer.conflict"), status, async () => (await api("producer/profile")).body, show),
  });
  return load();
}

function saqSummary(saq) {
  const state = saq || { status: "none" };
  if (state.status === "submitted") return t("producer.saq_submitted", { date: formatDate(state.submitted_at) || "", number: state.versions || 1 });
  if (state.status === "draft") return t("producer.saq_draft", { answered: state.completion?.answered || 0, required: state.completion?.required || 0 });
  return t("producer.saq_none");
}

function siteRow(site) {
  const confirmed = site.confirmed_at ? t("producer.confirmed_short", { date: formatDate(site.confirmed_at) }) : t("producer.never_confirmed");
  return el("tr", { "data-site-id": site.id }, [
    el("td", {}, el("code", {}, site.id)),
    el("td", {}, link(siteUrl(site.id), site.name || site.id, { "data-site-link": "" })),
    el("td", {}, site.country_name || site.country || ""),
    el("td", { "data-saq-status": site.saq?.status || "none" }, saqSummary(site.saq)),
    el("td", { "data-stale": site.stale ? "true" : "false" }, site.stale ? badge(t("producer.stale"), "warning") : confirmed),
  ]);
}

async function loadSites() {
  const answer = await loadBusy(byId("sites-table"), "producer/sites", byId("sites-message"));
  if (answer) fillTable(byId("sites-table").tBodies[0], (answer.items || []).map(siteRow), byId("sites-empty"));
}

function initAddSite(ref) {
  const form = byId("site-add-form");
  const status = byId("site-add-message");
  prepareSiteForm(form, ref);
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: siteValues,
    check: siteProblems,
    send: (data) => api("producer/sites", { method: "POST", body: data }),
    done: (site) => {
      form.reset();
      showMessage(status, [t("producer.site_added", { name: site.name, id: site.id }), " ", link(siteUrl(site.id), t("producer.open_site"))], "success");
      focusOn(status);
      loadSites();
    },
  });
}

membersPage(async () => {
  const { reference: ref } = await loadReference(byId("profile-message"));
  if (!ref) return;
  initAddSite(ref);
  await Promise.all([initProfile(ref), loadSites()]);
});
