/* The IEH portal's members area: login, password reset, invitations and the pages under members/
 * (dashboard, account, courses, resources, organisation, IEH administration). Builds on the
 * helpers of portal.js (window.IEH). Each feature runs only on pages that have its markup.
 * The pages are static; everything personal comes from the API after GET /me. */
(function () {
  "use strict";

  const IEH = window.IEH;
  if (!IEH) return;
  const { api, element: el, showMessage, setBusy } = IEH;
  const API = "/api/v1";

  const TEXT = {
    nb: {
      loading: "Henter …",
      retry: "Prøv igjen",
      sessionExpired: "Økten din er utløpt. Logg inn på nytt for å fortsette.",
      loginNeeded: "Du må logge inn for å se denne siden.",
      loginAgain: "Logg inn",
      adminsOnly: "Denne siden er for administratorene i organisasjonen din.",
      staffOnly: "Denne siden er bare for IEHs ansatte.",
      producersOnly:
        "Denne siden er for produsenter. Organisasjonen din er ikke registrert som produsent i portalen – kontakt IEH hvis det er feil.",
      buyersOnly:
        "Denne siden er for innkjøpere. Organisasjonen din er ikke registrert som innkjøper i portalen – kontakt IEH hvis det er feil.",
      notForYou: "Denne siden er ikke tilgjengelig for organisasjonen din. Kontakt IEH hvis det er feil.",
      backToDashboard: "Tilbake til medlemsområdet",
      required: "Fyll ut dette feltet.",
      saving: "Lagrer …",
      roles: { admin: "Administrator", member: "Medlem" },
      // courses
    },
    en: {
      loading: "Loading …",
      retry: "Try again",
      sessionExpired: "Your session has expired. Log in again to continue.",
      loginNeeded: "You need to log in to see this page.",
      loginAgain: "Log in",
      adminsOnly: "This page is for your organisation's administrators.",
      staffOnly: "This page is for IEH staff only.",
      producersOnly:
        "This page is for producers. Your organisation is not registered as a producer in the portal – contact IEH if this is wrong.",
      buyersOnly:
        "This page is for buyers. Your organisation is not registered as a buyer in the portal – contact IEH if this is wrong.",
      notForYou: "This page is not available to your organisation. Contact IEH if this is wrong.",
      backToDashboard: "Back to the members area",
      required: "Fill in this field.",
      saving: "Saving …",
      roles: { admin: "Administrator", member: "Member" },
      when: "When",
    },
  }[IEH.lang];

  const byId = (id) => document.getElementById(id);

  function link(href, text) {
    return el("a", { href }, text);
  }

  /** Focus something that is not focusable by itself (a heading or message) for screen readers. */
  function focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus();
  }

  // ================================================================ the members pages' frame

  let me = null;

  function membersApp() {
    return document.querySelector("[data-members-page]");
  }

  function membersMessage() {
    return byId("members-message");
  }

  /** 401 on a members page: say so, with a link to the login page that brings the member back. */
  window.addEventListener("ieh:session-ended", (event) => {
    const app = membersApp();
    if (!app) return;
    const { code, hadSession } = event.detail || {};
    const expired = code === "session_expired" || hadSession || me !== null;
    const region = membersMessage();
    showMessage(region, [(expired ? TEXT.sessionExpired : TEXT.loginNeeded) + " ", link(IEH.loginUrl(), TEXT.loginAgain)], "error");
    region.scrollIntoView({ block: "center" });
    focusOn(region);
  });

  /**
   * Show a page's content only to whom it is for; hide links to pages the member cannot use.
   * A requirement is one kind (admin, staff, producer, buyer) or several separated by spaces,
   * any of which will do ("producer buyer staff").
   */
  function allowed(requirement) {
    if (!me) return false;
    const kinds = String(requirement || "").trim().split(/\s+/).filter(Boolean);
    if (kinds.length > 1) return kinds.some((kind) => allowed(kind));
    if (requirement === "admin") return me.role === "admin";
    if (requirement === "staff") return Boolean(me.is_staff);
    if (requirement === "producer") return ["producer", "both"].includes((me.organisation || {}).type);
    if (requirement === "buyer") return ["buyer", "both"].includes((me.organisation || {}).type);
    return true;
  }

  function hideUnavailableLinks() {
    const pages = [
      ["admin", IEH.pageUrl("members/organisation/")],
      ["staff", IEH.pageUrl("members/admin/")],
      ["producer", IEH.pageUrl("members/producer/")],
      ["producer", IEH.pageUrl("members/audits/")],
      ["producer", IEH.pageUrl("members/customers/")],
      ["buyer", IEH.pageUrl("members/suppliers/")],
      ["producer buyer staff", IEH.pageUrl("members/risk/")],
    ];
    for (const [requirement, href] of pages) {
      if (allowed(requirement)) continue;
      for (const anchor of document.querySelectorAll(".md-nav a, .md-tabs a")) {
        if (anchor.href === href) {
          const item = anchor.closest("li");
          if (item) item.hidden = true;
        }
      }
    }
    for (const node of document.querySelectorAll("[data-requires]:not([data-members-page])")) {
      node.hidden = !allowed(node.dataset.requires);
    }
  }

  /** Load /me and open the page (everything after the #members-app frame) if it is for this member. */
  async function openMembersPage(app) {
    const region = membersMessage();
    app.setAttribute("aria-busy", "true");
    showMessage(byId("members-loading"), TEXT.loading, "info");
    const result = await api(`${API}/me`);
    showMessage(byId("members-loading"), "");
    app.setAttribute("aria-busy", "false");
    if (result.status === 401) return null; // the session-ended listener has said so
    if (result.status !== 200 || !result.body) {
      const retry = el("button", { type: "button", class: "md-button ieh-button--small" }, TEXT.retry);
      retry.addEventListener("click", () => location.reload());
      showMessage(region, [IEH.errorMessage(result) + " ", retry], "error");
      return null;
    }
    me = result.body;
    hideUnavailableLinks();
    const requirement = app.dataset.requires;
    if (requirement && !allowed(requirement)) {
      const text =
        { staff: TEXT.staffOnly, producer: TEXT.producersOnly, buyer: TEXT.buyersOnly, admin: TEXT.adminsOnly }[requirement] ||
        TEXT.notForYou;
      showMessage(region, [text + " ", link(IEH.pageUrl("members/"), TEXT.backToDashboard)], "error");
      return null;
    }
    app.classList.add("ieh-open"); // shows the rest of the page (see .ieh-gate in portal.css)
    return me;
  }

  // ================================================================ courses
  // ================================================================ start

  async function initMembersPage() {
    const app = membersApp();
    if (!app) return;
    const opened = await openMembersPage(app);
    if (!opened) return;
    switch (app.dataset.membersPage) {
      case "courses":
        loadCourses();
        break;
      case "resources":
        loadResources();
        break;
      case "organisation":
        loadOrgUsers();
        initInvite();
        initSecurityEvents();
        break;
      case "admin":
        initApplications();
        initCourseForm();
        break;
      case "producer":
      case "site":
      case "audits":
      case "audit":
        if (IEH.producer) IEH.producer.init(app.dataset.membersPage, me); // producer.js
        break;
      default:
        break;
    }
  }

  function start() {
    IEH.initPasswordToggles();
    initMembersPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
