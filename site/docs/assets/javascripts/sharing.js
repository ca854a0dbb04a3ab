/* The sharing pages of the members area: a buyer's suppliers (members/suppliers/: asking for
 * access, inviting a producer, the supplier list), one supplier as far as the link allows
 * (members/supplier/?id=…), and a producer's customers (members/customers/: requests, access
 * levels, the access log). Builds on portal.js (window.IEH); members.js opens each page after
 * GET /me and calls IEH.sharing.init(page, me). Nothing here runs before that call. */
(function () {
  "use strict";

  const IEH = window.IEH;
  if (!IEH) return;
  const { api, element: el, showMessage, setBusy } = IEH;
  const API = "/api/v1";
  const LEVELS = ["profile", "saq", "audits"]; // cumulative: each level includes the ones before it
  const STATUS_ORDER = ["pending", "active", "declined", "revoked"]; // the customer list: new requests first
  const ORGANISATION_NUMBER = /^\d{9}$/;
  const SITE_ID = /^ZS-[A-Z0-9]+(?:-[A-Z0-9]+)+$/; // "ZS-4KQ7-TR2"; the server decides whether it exists
  const WORKFORCE = ["women", "migrant", "temporary", "agency"];

  const TEXT = {
    nb: {
      loading: "Henter …",
      sending: "Sender …",
      saving: "Lagrer …",
      required: "Fyll ut dette feltet.",
      none: "Ingen",
      notGiven: "Ikke oppgitt",
      close: "Lukk",
      cancel: "Avbryt",
      yes: "Ja",
      no: "Nei",
      // what a 404 means on the supplier pages: never whether the thing exists
      noAccess: "Du har ikke tilgang til dette.",
      levelHints: {
        profile: "Firmaprofilen og profilene til produksjonsstedene.",
        saq: "Profilene og de innsendte egenvurderingene.",
        audits: "Profilene, egenvurderingene, revisjonsrapportene og de korrigerende tiltakene med bevis.",
      },
      // suppliers: asking for access
      enterSupplier: "Skriv inn ID-en til et produksjonssted eller et organisasjonsnummer.",
      supplierFormat:
        "Skriv en ID for et produksjonssted, som begynner med ZS- (for eksempel ZS-4KQ7-TR2), eller et organisasjonsnummer med 9 siffer.",
      // what asking tells: only that the request is sent, never whether the ID or number is a producer's
      requestSent: (body) =>
        (body.site_id
          ? `Forespørselen er sendt for produksjonsstedet ${body.site_id}.`
          : `Forespørselen er sendt for organisasjonsnummeret ${body.organisation_number}.`) +
        " Hører det til en produsent i portalen, får produsenten forespørselen. Navnet på leverandøren står i listen når produsenten har gitt dere tilgang.",
      requestRow: (reference) =>
        /^\d{9}$/.test(reference)
          ? `Forespørsel sendt for organisasjonsnummer ${reference}`
          : `Forespørsel sendt for produksjonsstedet ${reference}`,
      // suppliers: inviting a producer
      invitationSent: (company, email) =>
        `Invitasjonen til ${company} er sendt til ${email}. Når virksomheten er blitt medlem, kan dere be om tilgang her.`,
      // suppliers: the list
      allStatuses: "Alle statuser",
      allLevels: "Alle tilgangsnivåer",
      allCountries: "Alle land",
      noSuppliers: "Dere har ingen leverandører ennå. Be om tilgang ovenfor.",
      noMatches: "Ingen leverandører passer til filteret.",
      suppliersShown: (n, more) =>
        more
          ? `Viser de ${n} første leverandørene som passer til filteret.`
          : n === 0
            ? "Ingen leverandører passer til filteret."
            : n === 1
              ? "1 leverandør passer til filteret."
              : `${n} leverandører passer til filteret.`,
      moreSuppliers: (n) => (n === 1 ? "1 leverandør til vises." : `${n} leverandører til vises.`),
      stale: "Utdatert",
      upToDate: "Oppdatert",
      // one supplier
      missingSupplierId: "Lenken mangler ID-en til leverandøren. Velg leverandøren i listen.",
      backToSuppliers: "Gå til leverandørene",
      levelLine: (name) => `Tilgangsnivå: ${name}.`,
      neverConfirmed: "Ikke bekreftet ennå",
      siteId: "ID",
      country: "Land",
      address: "Adresse",
      sector: "Bransje",
      workforce: "Arbeidsstyrken",
      certifications: "Sertifiseringer",
      confirmed: "Sist bekreftet",
      saq: "Egenvurdering",
      workforceText: (total, parts) => (parts.length ? `${total} i alt: ${parts.join(", ")}` : `${total} i alt`),
      workforceParts: {
        women: (n) => `${n} kvinner`,
        migrant: (n) => `${n} arbeidsinnvandrere`,
        temporary: (n) => `${n} midlertidig ansatte`,
        agency: (n) => `${n} innleid fra bemanningsbyrå`,
      },
      saqSubmitted: (date) => `Sist sendt inn ${date}`,
      saqNotSubmitted: "Ikke sendt inn ennå",
      showSaq: "Vis egenvurderingen",
      forSite: (name) => ` for ${name}`,
      sitesNoSaq: "Tilgangen dere har fått, omfatter ikke egenvurderingene.",
      saqTitle: (site) => `Egenvurdering for ${site}`,
      saqVersion: (number, date) => `Versjon ${number}, sendt inn ${date}.`,
      otherQuestionnaire: (version) =>
        `Besvart med spørreskjemaet ${version}. Spørsmål som ikke finnes i dagens spørreskjema, står under «Andre svar».`,
      otherAnswers: "Andre svar",
      noAnswers: "Egenvurderingen har ingen svar.",
      // audits
      noFindings: "Ingen funn registrert",
      overdueCount: (n) => (n === 1 ? "1 forfalt" : `${n} forfalte`),
      showAudit: "Vis detaljer",
      auditContext: (type, site, date) => ` om ${type}, ${site}, ${date}`,
      auditCompany: "Revisjonsselskap",
      pillars: "Pilarer",
      findings: "Funn",
      overdueActions: "Forfalte tiltak",
      report: "Rapporten",
      documentStatuses: { uploading: "Under behandling", checking: "Kontrolleres", available: "Tilgjengelig", rejected: "Avvist" },
      downloadReport: "Last ned rapporten",
      download: "Last ned",
      downloading: "Henter …",
      findingsTitle: "Funn og korrigerende tiltak",
      noFindingsRecorded: "Ingen funn er registrert for denne revisjonen.",
      findingTitle: (n, grade, pillar) => `Funn ${n}: ${grade} – ${pillar}`,
      noActionNeeded: "Denne typen funn trenger ikke et korrigerende tiltak.",
      rootCause: "Grunnårsak",
      actionLabel: "Tiltak",
      owner: "Ansvarlig",
      dueDate: "Frist",
      status: "Status",
      completionNote: "Hva er gjort",
      overdue: "Forfalt",
      evidence: "Bevis",
      noEvidence: "Ingen bevis er lastet opp.",
      // customers
      levelLegend: "Tilgangsnivå",
      sitesLegend: "Produksjonssteder",
      chooseLevel: "Velg tilgangsnivå.",
      chooseSites: "Velg minst ett produksjonssted.",
      allSites: "Alle produksjonssteder, også de dere legger til senere",
      chosenSites: "Bare produksjonsstedene jeg velger",
      whichSites: "Velg produksjonssteder",
      noSitesYet: "Virksomheten har ingen produksjonssteder ennå. Tilgangen gjelder alle produksjonsstedene dere legger til.",
      sitesAll: "Alle",
      accept: "Godta",
      decline: "Avslå",
      change: "Endre tilgang",
      revoke: "Trekk tilbake",
      acceptTitle: (name) => `Gi ${name} tilgang`,
      acceptIntro: "Velg hvor mye kunden skal få se, og hvilke produksjonssteder tilgangen skal gjelde.",
      changeTitle: (name) => `Endre tilgangen for ${name}`,
      changeIntro: "Endringen gjelder med en gang. Kunden ser bare det det nye tilgangsnivået omfatter.",
      giveAccess: "Gi tilgang",
      saveChange: "Lagre endringen",
      revokeTitle: (name) => `Trekke tilbake tilgangen for ${name}?`,
      revokeText: (name) =>
        `${name} ser ikke lenger profilen, egenvurderingene eller revisjonene deres. Dere kan gi tilgang igjen senere.`,
      confirmRevoke: "Ja, trekk tilbake tilgangen",
      accepted: (name, level) => `${name} har fått tilgang: ${level}.`,
      changed: (name, level) => `Tilgangen for ${name} er endret til ${level}.`,
      declined: (name) => `Forespørselen fra ${name} er avslått.`,
      revoked: (name) => `Tilgangen for ${name} er trukket tilbake.`,
      conflictCustomer:
        "Tilgangen for denne kunden er endret et annet sted (i en annen fane eller av en kollega) etter at du åpnet siden. Endringen din er ikke lagret.",
      loadCurrent: "Hent den lagrede versjonen",
      currentLoaded: "Den lagrede versjonen er hentet. Se over og gjør endringen på nytt hvis den fortsatt trengs.",
      currentIs: (name, status) => `Den lagrede versjonen er hentet: ${name} har nå statusen «${status}».`,
      organisationNumberFormat: "Organisasjonsnummeret har 9 siffer.",
      noSuchBuyer: "Vi fant ingen innkjøper blant IEHs medlemmer med dette organisasjonsnummeret.",
      // the access log
      logActions: {
        viewed_profile: "Så profilen",
        viewed_saq: "Så en egenvurdering",
        viewed_audits: "Så revisjonslisten",
        viewed_audit: "Så en revisjon",
        downloaded: "Lastet ned et dokument",
      },
      moreEvents: (n) => (n === 1 ? "1 hendelse til vises." : `${n} hendelser til vises.`),
    },
    en: {
      loading: "Loading …",
      sending: "Sending …",
      saving: "Saving …",
      required: "Fill in this field.",
      none: "None",
      notGiven: "Not given",
      close: "Close",
      cancel: "Cancel",
      yes: "Yes",
      no: "No",
      noAccess: "You do not have access to this.",
      levelHints: {
        profile: "The company profile and the site profiles.",
        saq: "The profiles and the submitted self-assessments.",
        audits: "The profiles, the self-assessments, the audit reports and the corrective actions with their evidence.",
      },
      enterSupplier: "Enter a site ID or an organisation number.",
      supplierFormat: "Enter a site ID, which starts with ZS- (for example ZS-4KQ7-TR2), or a 9-digit organisation number.",
      requestSent: (body) =>
        (body.site_id
          ? `The request has been sent for the site ${body.site_id}.`
          : `The request has been sent for organisation number ${body.organisation_number}.`) +
        " If it belongs to a producer in the portal, the producer receives the request. The supplier’s name appears in the list once the producer has given you access.",
      requestRow: (reference) =>
        /^\d{9}$/.test(reference)
          ? `Request sent for organisation number ${reference}`
          : `Request sent for the site ${reference}`,
      invitationSent: (company, email) =>
        `The invitation to ${company} has been sent to ${email}. Once the company has joined, you can request access here.`,
      allStatuses: "All statuses",
      allLevels: "All access levels",
      allCountries: "All countries",
      noSuppliers: "You have no suppliers yet. Request access above.",
      noMatches: "No suppliers match the filter.",
      suppliersShown: (n, more) =>
        more
          ? `Showing the first ${n} suppliers that match the filter.`
          : n === 0
            ? "No suppliers match the filter."
            : n === 1
              ? "1 supplier matches the filter."
              : `${n} suppliers match the filter.`,
      moreSuppliers: (n) => (n === 1 ? "1 more supplier shown." : `${n} more suppliers shown.`),
      stale: "Out of date",
      upToDate: "Up to date",
      missingSupplierId: "The link has no supplier ID. Choose the supplier in the list.",
      backToSuppliers: "Go to your suppliers",
      levelLine: (name) => `Access level: ${name}.`,
      neverConfirmed: "Not confirmed yet",
      siteId: "ID",
      country: "Country",
      address: "Address",
      sector: "Sector",
      workforce: "Workforce",
      certifications: "Certifications",
      confirmed: "Last confirmed",
      saq: "Self-assessment",
      workforceText: (total, parts) => (parts.length ? `${total} in total: ${parts.join(", ")}` : `${total} in total`),
      workforceParts: {
        women: (n) => `${n} women`,
        migrant: (n) => `${n} migrant workers`,
        temporary: (n) => `${n} temporary workers`,
        agency: (n) => `${n} agency workers`,
      },
      saqSubmitted: (date) => `Last submitted ${date}`,
      saqNotSubmitted: "Not submitted yet",
      showSaq: "Show the self-assessment",
      forSite: (name) => ` for ${name}`,
      sitesNoSaq: "The access you have been given does not include the self-assessments.",
      saqTitle: (site) => `Self-assessment for ${site}`,
      saqVersion: (number, date) => `Version ${number}, submitted ${date}.`,
      otherQuestionnaire: (version) =>
        `Answered with questionnaire ${version}. Questions that are not in today’s questionnaire are listed under “Other answers”.`,
      otherAnswers: "Other answers",
      noAnswers: "The self-assessment has no answers.",
      noFindings: "No findings recorded",
      overdueCount: (n) => `${n} overdue`,
      showAudit: "Show details",
      auditContext: (type, site, date) => ` of ${type}, ${site}, ${date}`,
      auditCompany: "Audit company",
      pillars: "Pillars",
      findings: "Findings",
      overdueActions: "Overdue actions",
      report: "The report",
      documentStatuses: { uploading: "Processing", checking: "Being checked", available: "Available", rejected: "Rejected" },
      downloadReport: "Download the report",
      download: "Download",
      downloading: "Fetching …",
      findingsTitle: "Findings and corrective actions",
      noFindingsRecorded: "No findings have been recorded for this audit.",
      findingTitle: (n, grade, pillar) => `Finding ${n}: ${grade} – ${pillar}`,
      noActionNeeded: "This kind of finding needs no corrective action.",
      rootCause: "Root cause",
      actionLabel: "Action",
      owner: "Owner",
      dueDate: "Due date",
      status: "Status",
      completionNote: "What has been done",
      overdue: "Overdue",
      evidence: "Evidence",
      noEvidence: "No evidence has been uploaded.",
      levelLegend: "Access level",
      sitesLegend: "Sites",
      chooseLevel: "Choose an access level.",
      chooseSites: "Choose at least one site.",
      allSites: "All sites, including those you add later",
      chosenSites: "Only the sites I choose",
      whichSites: "Choose sites",
      noSitesYet: "Your company has no sites yet. The access covers all the sites you add.",
      sitesAll: "All",
      accept: "Accept",
      decline: "Decline",
      change: "Change access",
      revoke: "Revoke",
      acceptTitle: (name) => `Give ${name} access`,
      acceptIntro: "Choose how much the customer may see, and which sites the access covers.",
      changeTitle: (name) => `Change the access for ${name}`,
      changeIntro: "The change takes effect at once. The customer sees only what the new access level includes.",
      giveAccess: "Give access",
      saveChange: "Save the change",
      revokeTitle: (name) => `Revoke the access for ${name}?`,
      revokeText: (name) =>
        `${name} will no longer see your profile, self-assessments or audits. You can give them access again later.`,
      confirmRevoke: "Yes, revoke the access",
      accepted: (name, level) => `${name} has been given access: ${level}.`,
      changed: (name, level) => `The access for ${name} has been changed to ${level}.`,
      declined: (name) => `The request from ${name} has been declined.`,
      revoked: (name) => `The access for ${name} has been revoked.`,
      conflictCustomer:
        "The access for this customer has been changed elsewhere (in another tab or by a colleague) since you opened the page. Your change has not been saved.",
      loadCurrent: "Load the saved version",
      currentLoaded: "The saved version has been loaded. Check it and make your change again if it is still needed.",
      currentIs: (name, status) => `The saved version has been loaded: ${name} now has the status “${status}”.`,
      organisationNumberFormat: "The organisation number has 9 digits.",
      noSuchBuyer: "We found no buyer among IEH’s members with this organisation number.",
      logActions: {
        viewed_profile: "Viewed the profile",
        viewed_saq: "Viewed a self-assessment",
        viewed_audits: "Viewed the list of audits",
        viewed_audit: "Viewed an audit",
        downloaded: "Downloaded a document",
      },
      moreEvents: (n) => (n === 1 ? "1 more event shown." : `${n} more events shown.`),
    },
  }[IEH.lang];

  // ================================================================ shared helpers

  const byId = (id) => document.getElementById(id);
  const enc = encodeURIComponent;

  /** Focus something that is not focusable by itself (a heading or message) for screen readers. */
  function focusOn(node) {
    if (!node) return;
    if (!node.hasAttribute("tabindex")) node.setAttribute("tabindex", "-1");
    node.focus();
  }

  /** The id in the page address (?id=…), or null. */
  function idFromAddress() {
    const value = (new URLSearchParams(location.search).get("id") || "").trim();
    return value || null;
  }

  /** A string fit for an element id, from any id the API gives. */
  function domId(value) {
    return String(value).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  function supplierUrl(producerId) {
    return IEH.pageUrl(`members/supplier/?id=${enc(producerId)}`);
  }

  /** Whether a link's level includes what `wanted` needs (the levels are cumulative). */
  function levelCovers(level, wanted) {
    const have = LEVELS.indexOf(level);
    return have !== -1 && have >= LEVELS.indexOf(wanted);
  }

  /** A "YYYY-MM-DD" date as "3. mars 2026", read as a calendar day (not midnight UTC). */
  function formatDay(value) {
    if (typeof value !== "string" || !value) return "";
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value;
    return IEH.formatDate(day) || value;
  }

  /** The name of a code in a reference list ({code, name}), or the code itself. */
  function nameIn(list, code) {
    const item = (list || []).find((entry) => entry.code === code);
    return item ? item.name : code || "";
  }

  function fillSelect(select, items, placeholder) {
    const current = select.value;
    select.replaceChildren(
      el("option", { value: "" }, placeholder),
      ...items.map((item) => el("option", { value: item.code }, item.name)),
    );
    select.value = current;
  }

  /** A term and its value for a <dl class="ieh-facts">; nothing when there is no value. */
  function fact(term, value) {
    if (value === null || value === undefined || value === "") return [];
    return [el("dt", {}, term), el("dd", {}, value)];
  }

  function badge(text, kind) {
    return el("span", { class: `ieh-badge${kind ? ` ieh-badge--${kind}` : ""}` }, text);
  }

  function smallButton(text, attributes = {}, context = null) {
    return el("button", { type: "button", class: "md-button ieh-button--small", ...attributes }, [
      text,
      context ? el("span", { class: "ieh-sr-only" }, context) : null,
    ]);
  }

  /**
   * IEH.setBusy for buttons whose visible label is followed by context for screen readers
   * (<span class="ieh-sr-only">): only the visible text changes, the context stays hidden.
   */
  function setButtonBusy(button, busy, busyLabel) {
    const label = button.firstChild;
    if (!label || label.nodeType !== Node.TEXT_NODE) {
      setBusy(button, busy, busyLabel);
      return;
    }
    button.disabled = busy;
    const form = button.form || button.closest("form");
    if (form) form.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) {
      if (!button.dataset.label) button.dataset.label = label.data;
      label.data = busyLabel;
    } else if (button.dataset.label) {
      label.data = button.dataset.label;
      delete button.dataset.label;
    }
  }

  /**
   * IEH.showFieldErrors, with groups of radios or checkboxes named by their label in the summary:
   * portal.js looks each name up as one control and, for a group, falls back to the bare name.
   */
  function showErrors(form, fields = {}, options = {}) {
    IEH.showFieldErrors(form, fields, options);
    const box = options.summary === false ? null : options.summary || form.querySelector(".ieh-form__summary");
    if (!box) return;
    for (const [name, text] of Object.entries(fields || {})) {
      const found = form.elements[name];
      const first = found && !found.id && found.length ? found[0] : null;
      if (!first || !first.dataset.errorLabel) continue;
      const link = Array.from(box.querySelectorAll("a")).find((a) => a.getAttribute("href") === `#${first.id}`);
      if (link) link.textContent = `${first.dataset.errorLabel}: ${text}`;
    }
  }

  /** The errors of a failed call on a form: the server's message and its fields, renamed by `names`. */
  function showApiErrors(form, result, names = {}) {
    const error = (result.body && result.body.error) || {};
    const fields = {};
    if (result.status > 0 && result.status < 500) {
      for (const [name, message] of Object.entries(error.fields || {})) {
        const base = name.split(".")[0]; // "sites.0" is about the sites
        const target = names[name] || names[base] || (form.elements.namedItem(name) ? name : base);
        if (!(target in fields)) fields[target] = message;
      }
    }
    showErrors(form, fields, { message: IEH.errorMessage(result) });
  }

  /** The stored object that a 409 carries, or null. */
  function conflictCurrent(result) {
    const error = (result.body && result.body.error) || {};
    return error.current && typeof error.current === "object" ? error.current : null;
  }

  /** A region's error message with buttons after it (e.g. "Load the saved version"). */
  function messageWithButtons(region, text, buttons) {
    const row = el(
      "div",
      { class: "ieh-actions" },
      buttons.map(({ label, run, name }) => {
        const button = smallButton(label, { "data-action": name });
        button.addEventListener("click", run);
        return button;
      }),
    );
    showMessage(region, [el("p", {}, text), row], "error");
  }

  // ---------------------------------------------------------------- reference data

  let reference = null;

  /** GET /reference once per page: {reference} or {result} (the failed call). */
  async function loadReference() {
    if (reference) return { reference };
    const result = await api(`${API}/reference`);
    if (result.status !== 200 || !result.body) return { result };
    const lists = ["countries", "sectors", "audit_types", "pillars", "grades", "action_statuses", "link_levels", "link_statuses"];
    reference = {};
    for (const key of lists) reference[key] = Array.isArray(result.body[key]) ? result.body[key] : [];
    return { reference };
  }

  function levelName(ref, level) {
    return nameIn(ref.link_levels, level);
  }

  function documentStatusText(doc) {
    return TEXT.documentStatuses[doc.status] || doc.status || "";
  }

  // ================================================================ buyer: the suppliers page

  async function initSuppliersPage() {
    let list = null;
    initLinkRequest(() => list && list.load(true));
    initProducerInvite();
    const { reference: ref, result } = await loadReference();
    if (!ref) {
      if (result.status !== 401) showMessage(byId("suppliers-message"), IEH.errorMessage(result), "error");
      return;
    }
    list = initSupplierList(ref);
    await list.load(true);
  }

  /** The request body for what the member typed: a site id or an organisation number, or null. */
  function supplierKey(typed) {
    const compact = typed.replace(/\s+/g, "").toUpperCase();
    if (ORGANISATION_NUMBER.test(compact)) return { organisation_number: compact };
    if (SITE_ID.test(compact)) return { site_id: compact };
    return null;
  }

  function initLinkRequest(onChanged) {
    const form = byId("link-request-form");
    const input = byId("link-request-input");
    const submit = byId("link-request-submit");
    const status = byId("link-request-message");
    let sending = false;

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const typed = input.value.trim();
      const body = typed ? supplierKey(typed) : null;
      if (!body) {
        showErrors(form, { supplier: typed ? TEXT.supplierFormat : TEXT.enterSupplier }, { summary: false });
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.sending);
      const result = await api(`${API}/buyer/links`, { method: "POST", body });
      sending = false;
      setBusy(submit, false);
      if (result.status === 202) {
        form.reset();
        showMessage(status, TEXT.requestSent(body), "success");
        focusOn(status);
        onChanged();
        return;
      }
      if (result.status !== 401) showApiErrors(form, result, { site_id: "supplier", organisation_number: "supplier" });
    });
  }

  function initProducerInvite() {
    const form = byId("producer-invite-form");
    const submit = byId("producer-invite-submit");
    const status = byId("producer-invite-message");
    let sending = false;

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const problems = IEH.missingFields(form, ["company_name", "email"]);
      if (Object.keys(problems).length) {
        showErrors(form, problems);
        return;
      }
      const data = {
        email: form.elements.email.value.trim(),
        company_name: form.elements.company_name.value.trim(),
      };
      const message = form.elements.message.value.trim();
      if (message) data.message = message;
      sending = true;
      setBusy(submit, true, TEXT.sending);
      const result = await api(`${API}/buyer/invitations`, { method: "POST", body: data });
      sending = false;
      setBusy(submit, false);
      if (result.status >= 200 && result.status < 300) {
        form.reset();
        showMessage(status, TEXT.invitationSent(data.company_name, data.email), "success");
        focusOn(status);
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });
  }

  function supplierRow(row, ref) {
    if (row.request) {
      // the buyer's own request, not yet accepted: what it typed, nothing of whom it reached
      return el("tr", { "data-request": row.request, "data-status": row.status || "", "data-level": "" }, [
        el("td", {}, TEXT.requestRow(row.request)),
        el("td", {}, "–"),
        el("td", {}, nameIn(ref.link_statuses, row.status)),
        el("td", {}, "–"),
        el("td", {}, IEH.formatDate(row.updated_at || row.requested_at) || ""),
        el("td", { "data-stale": "" }, "–"),
      ]);
    }
    const active = row.status === "active";
    const name = row.name || row.producer_id;
    let profile = "–";
    if (active && row.profile_stale === true) profile = badge(TEXT.stale, "warning");
    else if (active && row.profile_stale === false) profile = TEXT.upToDate;
    return el("tr", { "data-producer-id": row.producer_id, "data-status": row.status || "", "data-level": row.level || "" }, [
      el("td", {}, active ? el("a", { href: supplierUrl(row.producer_id), "data-supplier-link": "" }, name) : name),
      el("td", {}, row.country_name || nameIn(ref.countries, row.country)),
      el("td", {}, nameIn(ref.link_statuses, row.status)),
      el("td", {}, row.level ? levelName(ref, row.level) : "–"),
      el("td", {}, IEH.formatDate(row.updated_at || row.requested_at) || ""),
      el("td", { "data-stale": active && typeof row.profile_stale === "boolean" ? String(row.profile_stale) : "" }, profile),
    ]);
  }

  function initSupplierList(ref) {
    const form = byId("suppliers-filter");
    const table = byId("suppliers-table");
    const body = table.querySelector("tbody");
    const more = byId("suppliers-more");
    const status = byId("suppliers-message");
    const empty = byId("suppliers-empty");
    const FILTERS = ["status", "level", "country"];
    let cursor = null;
    let sequence = 0; // the newest request wins when filters change quickly
    let loaded = false;

    fillSelect(form.elements.status, ref.link_statuses, TEXT.allStatuses);
    fillSelect(form.elements.level, ref.link_levels, TEXT.allLevels);
    fillSelect(form.elements.country, ref.countries, TEXT.allCountries);

    const filtered = () => FILTERS.some((name) => form.elements[name].value);

    function query(next) {
      const params = new URLSearchParams();
      for (const name of [...FILTERS, "sort"]) {
        const value = form.elements[name].value;
        if (value) params.set(name, value);
      }
      if (next) params.set("cursor", next);
      const text = params.toString();
      return text ? `?${text}` : "";
    }

    /** The first page (fromStart) or the next one; announces what changed. */
    async function load(fromStart) {
      const current = ++sequence;
      const next = fromStart ? null : cursor;
      if (fromStart) {
        cursor = null;
        more.hidden = true;
      } else {
        setBusy(more, true, TEXT.loading);
      }
      table.setAttribute("aria-busy", "true");
      const result = await api(`${API}/buyer/suppliers${query(next)}`);
      if (!fromStart) setBusy(more, false);
      if (current !== sequence) return; // a newer list has been asked for
      table.setAttribute("aria-busy", "false");
      if (result.status !== 200 || !result.body) {
        if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
        if (!fromStart) more.hidden = false;
        return;
      }
      const rows = (result.body.items || []).map((row) => supplierRow(row, ref));
      if (fromStart) body.replaceChildren(...rows);
      else body.append(...rows);
      cursor = result.body.next_cursor || null;
      more.hidden = !cursor;
      const any = body.children.length > 0;
      table.hidden = !any;
      empty.hidden = any;
      empty.textContent = filtered() ? TEXT.noMatches : TEXT.noSuppliers;
      if (!fromStart) {
        showMessage(status, TEXT.moreSuppliers(rows.length), "info");
        if (rows.length && !cursor) focusOn(rows[0]); // the button is gone: the focus goes to what came
      } else if (loaded && filtered()) {
        showMessage(status, TEXT.suppliersShown(rows.length, Boolean(cursor)), "info");
      } else {
        showMessage(status, "");
      }
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
    return { load };
  }

  // ================================================================ buyer: one supplier

  async function initSupplierPage() {
    const message = byId("supplier-message");
    const producerId = idFromAddress();
    const back = el("a", { href: IEH.pageUrl("members/suppliers/#list") }, TEXT.backToSuppliers);
    if (!producerId) {
      showMessage(message, [TEXT.missingSupplierId, " ", back], "error");
      return;
    }
    const base = `${API}/buyer/suppliers/${enc(producerId)}`;
    const [{ reference: ref, result: refResult }, result] = await Promise.all([loadReference(), api(base)]);
    if (result.status === 401 || (refResult && refResult.status === 401)) return;
    if (result.status === 404) {
      showMessage(message, [TEXT.noAccess, " ", back], "info");
      return;
    }
    if (!ref || result.status !== 200 || !result.body) {
      showMessage(message, IEH.errorMessage(ref ? result : refResult), "error");
      return;
    }
    const supplier = result.body;
    byId("supplier-content").classList.add("ieh-open"); // shows the rest of the page (.ieh-gate in portal.css)
    renderSupplierProfile(supplier, ref);
    renderSupplierSites(base, supplier, ref);
    if (levelCovers(supplier.level, "audits")) await loadSupplierAudits(base, ref);
    else byId("supplier-audits-note").hidden = false;
  }

  function addressText(address, ref, country = null) {
    const parts = address || {};
    const place = [parts.postal_code, parts.city].filter(Boolean).join(" ");
    const countryName = country || (parts.country ? nameIn(ref.countries, parts.country) : "");
    return [parts.street, place, countryName].filter(Boolean).join(", ");
  }

  function renderSupplierProfile(supplier, ref) {
    const name = supplier.name || supplier.producer_id;
    byId("supplier-heading").textContent = name;
    document.title = `${name} – ${document.title}`;
    byId("supplier-level").textContent = TEXT.levelLine(levelName(ref, supplier.level));
    byId("supplier-level").dataset.level = supplier.level || "";
    byId("supplier-stale").hidden = !supplier.stale;
    byId("supplier-profile").dataset.stale = supplier.stale ? "true" : "false";
    byId("supplier-organisation-number").textContent = supplier.organisation_number || TEXT.notGiven;
    byId("supplier-address").textContent = addressText(supplier.address, ref) || TEXT.notGiven;
    const contact = supplier.contact || {};
    const lines = [contact.name, contact.email ? el("a", { href: `mailto:${contact.email}` }, contact.email) : null, contact.phone]
      .filter(Boolean)
      .flatMap((line, index) => (index ? [el("br"), line] : [line]));
    byId("supplier-contact").replaceChildren(...(lines.length ? lines : [TEXT.notGiven]));
    byId("supplier-sectors").textContent = (supplier.sectors || []).map((code) => nameIn(ref.sectors, code)).join(", ") || TEXT.notGiven;
    byId("supplier-products").textContent = supplier.products || TEXT.notGiven;
    byId("supplier-confirmed").textContent = supplier.confirmed_at ? IEH.formatDate(supplier.confirmed_at) : TEXT.neverConfirmed;
  }

  function workforceText(workforce) {
    if (!workforce || typeof workforce.total !== "number") return "";
    const parts = WORKFORCE.filter((key) => typeof workforce[key] === "number" && workforce[key] > 0).map((key) =>
      TEXT.workforceParts[key](IEH.formatNumber(workforce[key])),
    );
    return TEXT.workforceText(IEH.formatNumber(workforce.total), parts);
  }

  /** Whether a site (as the buyer sees it) has a submitted self-assessment; unknown counts as yes. */
  function hasSubmittedSaq(saq) {
    if (!saq || typeof saq !== "object") return true; // let the server answer
    return saq.status === "submitted" || Number(saq.versions) > 0 || Boolean(saq.submitted_at);
  }

  function renderSupplierSites(base, supplier, ref) {
    const list = byId("supplier-sites");
    const sites = Array.isArray(supplier.sites) ? supplier.sites : [];
    const canSeeSaq = levelCovers(supplier.level, "saq");
    const viewer = saqViewer(base);
    list.replaceChildren(...sites.map((site) => siteCard(site, ref, canSeeSaq, viewer)));
    byId("supplier-sites-empty").hidden = sites.length > 0;
    const note = byId("supplier-sites-note");
    note.textContent = canSeeSaq ? "" : TEXT.sitesNoSaq;
    note.hidden = canSeeSaq || sites.length === 0;
  }

  function siteCard(site, ref, canSeeSaq, viewer) {
    const name = site.name || site.id;
    const confirmed = site.confirmed_at ? IEH.formatDate(site.confirmed_at) : TEXT.neverConfirmed;
    const saq = site.saq || null;
    const submitted = hasSubmittedSaq(saq);
    let saqText = "";
    if (canSeeSaq && saq && !submitted) saqText = TEXT.saqNotSubmitted;
    else if (canSeeSaq && saq && saq.submitted_at) saqText = TEXT.saqSubmitted(IEH.formatDate(saq.submitted_at) || "");
    const card = el("li", { class: "ieh-card", "data-site-id": site.id, "data-stale": site.stale ? "true" : "false" }, [
      el("h3", { class: "ieh-card__title", id: `supplier-site-${domId(site.id)}-title` }, name),
      el("dl", { class: "ieh-facts" }, [
        ...fact(TEXT.siteId, el("code", {}, site.id)),
        ...fact(TEXT.country, site.country_name || nameIn(ref.countries, site.country)),
        ...fact(TEXT.address, addressText(site.address, ref)),
        ...fact(TEXT.sector, site.sector ? nameIn(ref.sectors, site.sector) : ""),
        ...fact(TEXT.workforce, workforceText(site.workforce)),
        ...fact(TEXT.certifications, (site.certifications || []).join(", ") || TEXT.none),
        ...fact(TEXT.confirmed, site.stale ? [confirmed, " ", badge(TEXT.stale, "warning")] : confirmed),
        ...fact(TEXT.saq, saqText),
      ]),
    ]);
    if (canSeeSaq && submitted) {
      const region = el("p", { class: "ieh-message", role: "status", "data-site-message": "" });
      const button = smallButton(
        TEXT.showSaq,
        { "data-action": "show-saq", "aria-controls": "supplier-saq", "aria-expanded": "false" },
        TEXT.forSite(name),
      );
      button.addEventListener("click", () => viewer.open(site, button, region));
      card.append(el("div", { class: "ieh-actions" }, button), region);
    }
    return card;
  }

  /** The questionnaire's question texts, loaded once: {questionnaire} or {result} (the failed call). */
  let questionnaire = null;

  async function loadQuestionnaire() {
    if (questionnaire) return { questionnaire };
    const result = await api(`${API}/saq/questionnaire`);
    if (result.status !== 200 || !result.body) return { result };
    questionnaire = result.body;
    return { questionnaire };
  }

  /** Answers compare as text: true matches "yes", false matches "no", 3 matches "3". */
  function sameAnswer(answer, expected) {
    if (answer === undefined || answer === null) return false;
    const text = (value) => (value === true ? "yes" : value === false ? "no" : String(value));
    return text(answer) === text(expected);
  }

  /** The text shown for a stored answer. */
  function answerText(question, value) {
    if (!question) return typeof value === "object" ? JSON.stringify(value) : String(value);
    if (question.type === "yes_no") return sameAnswer(value, true) ? TEXT.yes : sameAnswer(value, false) ? TEXT.no : String(value);
    if (question.type === "choice") {
      const option = (question.options || []).find((choice) => sameAnswer(value, choice.value));
      return option ? option.label : String(value);
    }
    if (question.type === "number") {
      const number = typeof value === "number" ? IEH.formatNumber(value) : String(value);
      return question.unit ? `${number} ${question.unit}` : number;
    }
    return String(value);
  }

  function answersList(entries) {
    return el(
      "dl",
      { class: "ieh-answers" },
      entries.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]),
    );
  }

  /** The read-only self-assessment of one site at a time, in #supplier-saq. */
  function saqViewer(base) {
    const view = byId("supplier-saq");
    let opener = null;

    function close() {
      view.hidden = true;
      view.replaceChildren();
      delete view.dataset.siteId;
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    async function open(site, button, region) {
      showMessage(region, "");
      setButtonBusy(button, true, TEXT.loading);
      const [{ questionnaire: questions, result: failed }, result] = await Promise.all([
        loadQuestionnaire(),
        api(`${base}/sites/${enc(site.id)}/saq`),
      ]);
      setButtonBusy(button, false);
      if (result.status === 401 || (failed && failed.status === 401)) return;
      if (result.status === 404) {
        showMessage(region, TEXT.noAccess, "info");
        return;
      }
      if (result.status !== 200 || !result.body || !questions) {
        showMessage(region, IEH.errorMessage(result.status === 200 ? failed : result), "error");
        return;
      }
      if (opener && opener !== button) opener.setAttribute("aria-expanded", "false");
      opener = button;
      button.setAttribute("aria-expanded", "true");
      render(site, result.body, questions);
    }

    function render(site, stored, questions) {
      const answers = stored.answers || {};
      const sections = Array.isArray(questions.sections) ? questions.sections : [];
      const known = new Set();
      const parts = [
        el("h3", { id: "supplier-saq-title", tabindex: "-1" }, TEXT.saqTitle(site.name || site.id)),
        el("p", { class: "ieh-muted" }, TEXT.saqVersion(stored.number, IEH.formatDateTime(stored.submitted_at) || "")),
      ];
      if (stored.questionnaire_version && stored.questionnaire_version !== questions.version) {
        parts.push(el("p", {}, TEXT.otherQuestionnaire(stored.questionnaire_version)));
      }
      for (const section of sections) {
        const entries = [];
        for (const question of section.questions || []) {
          if (!(question.id in answers)) continue;
          known.add(question.id);
          entries.push([question.text, answerText(question, answers[question.id])]);
        }
        if (entries.length) parts.push(el("h4", {}, section.title), answersList(entries));
      }
      const others = Object.keys(answers).filter((id) => !known.has(id));
      if (others.length) {
        parts.push(el("h4", {}, TEXT.otherAnswers), answersList(others.map((id) => [id, answerText(null, answers[id])])));
      }
      if (!Object.keys(answers).length) parts.push(el("p", {}, TEXT.noAnswers));
      const closeButton = el("button", { type: "button", class: "md-button", "data-action": "close-saq" }, TEXT.close);
      closeButton.addEventListener("click", close);
      parts.push(closeButton);
      view.replaceChildren(...parts);
      view.dataset.siteId = site.id;
      view.hidden = false;
      byId("supplier-saq-title").focus();
    }

    return { open };
  }

  // ---------------------------------------------------------------- the supplier's audits

  function findingsSummary(summary, ref) {
    const counts = summary || {};
    const parts = ref.grades
      .filter((grade) => Number(counts[grade.code]) > 0)
      .map((grade) => `${grade.name}: ${counts[grade.code]}`);
    return parts.length ? parts.join(", ") : TEXT.noFindings;
  }

  async function loadSupplierAudits(base, ref) {
    const table = byId("supplier-audits");
    const status = byId("supplier-audits-message");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${base}/audits`);
    table.setAttribute("aria-busy", "false");
    if (result.status === 401) return;
    if (result.status === 404) {
      showMessage(status, TEXT.noAccess, "info");
      return;
    }
    if (result.status !== 200 || !result.body) {
      showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const viewer = auditViewer(base, ref);
    const items = result.body.items || [];
    table.querySelector("tbody").replaceChildren(...items.map((audit) => supplierAuditRow(audit, ref, viewer)));
    table.hidden = items.length === 0;
    byId("supplier-audits-empty").hidden = items.length > 0;
  }

  function supplierAuditRow(audit, ref, viewer) {
    const type = nameIn(ref.audit_types, audit.audit_type);
    const site = audit.site_name || audit.site_id || "";
    const date = formatDay(audit.audit_date);
    const overdue = Number(audit.overdue_actions) || 0;
    const button = smallButton(
      TEXT.showAudit,
      { "data-action": "show-audit", "data-audit-id": audit.id, "aria-controls": "supplier-audit", "aria-expanded": "false" },
      TEXT.auditContext(type, site, date),
    );
    button.addEventListener("click", () => viewer.open(audit, button));
    return el("tr", { "data-audit-id": audit.id }, [
      el("td", {}, type),
      el("td", {}, site),
      el("td", {}, date),
      el("td", {}, audit.audit_company || ""),
      el("td", { "data-findings-summary": "" }, findingsSummary(audit.summary, ref)),
      el("td", { "data-overdue-actions": String(overdue) }, overdue > 0 ? badge(TEXT.overdueCount(overdue), "warning") : "0"),
      el("td", {}, button),
    ]);
  }

  /** Download a document of the supplier's: ask for a short-lived link, then follow it. */
  async function downloadSupplierDocument(base, documentId, button, region) {
    showMessage(region, "");
    setButtonBusy(button, true, TEXT.downloading);
    const result = await api(`${base}/documents/${enc(documentId)}/download`, { method: "POST" });
    setButtonBusy(button, false);
    let url = null;
    try {
      url = result.status === 200 && result.body ? new URL(result.body.url, location.href) : null;
    } catch (_) {
      url = null;
    }
    if (url && (url.protocol === "https:" || url.protocol === "http:")) {
      location.assign(url.href);
      return;
    }
    if (result.status === 401) return;
    if (result.status === 404) showMessage(region, TEXT.noAccess, "info");
    else showMessage(region, IEH.errorMessage(result.status === 200 ? { status: 500 } : result), "error");
  }

  /** One audit at a time, read-only, in #supplier-audit: facts, the report, findings, actions, evidence. */
  function auditViewer(base, ref) {
    const view = byId("supplier-audit");
    const status = byId("supplier-audits-message");
    let opener = null;

    function close() {
      view.hidden = true;
      view.replaceChildren();
      delete view.dataset.auditId;
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    async function open(audit, button) {
      showMessage(status, "");
      setButtonBusy(button, true, TEXT.loading);
      const result = await api(`${base}/audits/${enc(audit.id)}`);
      setButtonBusy(button, false);
      if (result.status === 401) return;
      if (result.status === 404) {
        showMessage(status, TEXT.noAccess, "info");
        return;
      }
      if (result.status !== 200 || !result.body) {
        showMessage(status, IEH.errorMessage(result), "error");
        return;
      }
      if (opener && opener !== button) opener.setAttribute("aria-expanded", "false");
      opener = button;
      button.setAttribute("aria-expanded", "true");
      render(result.body);
    }

    function downloadButton(doc, label, region, id = null) {
      const button = el("button", { type: "button", class: "md-button ieh-button--small", id, "data-action": "download", "data-document-id": doc.id }, [
        label,
        el("span", { class: "ieh-sr-only" }, doc.file_name ? ` (${doc.file_name})` : ""),
      ]);
      button.addEventListener("click", () => downloadSupplierDocument(base, doc.id, button, region));
      return button;
    }

    function documentLine(doc, region, label) {
      const parts = [
        el("strong", {}, doc.file_name || ""),
        doc.size_bytes ? ` (${IEH.formatBytes(doc.size_bytes)})` : "",
        " – ",
        el("span", { "data-document-status": doc.status || "" }, documentStatusText(doc)),
      ];
      if (doc.status === "available" && doc.id) parts.push(" ", downloadButton(doc, label, region));
      return parts;
    }

    function actionFacts(action) {
      const due = formatDay(action.due_date);
      return el("dl", { class: "ieh-facts", "data-action-status": action.status || "" }, [
        ...fact(TEXT.rootCause, action.root_cause),
        ...fact(TEXT.actionLabel, action.action),
        ...fact(TEXT.owner, action.owner),
        ...fact(TEXT.dueDate, action.overdue ? [due, " ", badge(TEXT.overdue, "warning")] : due),
        ...fact(TEXT.status, nameIn(ref.action_statuses, action.status)),
        ...fact(TEXT.completionNote, action.completion_note),
      ]);
    }

    function findingCard(finding, n) {
      const region = el("p", { class: "ieh-message", role: "status", "data-finding-message": "" });
      const card = el("li", { class: "ieh-card ieh-finding", "data-finding-id": finding.id, "data-grade": finding.grade }, [
        el("h5", { class: "ieh-card__title" }, TEXT.findingTitle(n, nameIn(ref.grades, finding.grade), nameIn(ref.pillars, finding.pillar))),
        el("p", { class: "ieh-finding__description" }, finding.description || ""),
      ]);
      const action = finding.action;
      if (!action) {
        card.append(el("p", { class: "ieh-muted" }, TEXT.noActionNeeded));
        return card;
      }
      const evidence = Array.isArray(action.evidence) ? action.evidence : [];
      card.append(
        actionFacts(action),
        el("p", { class: "ieh-card__label" }, TEXT.evidence),
        evidence.length
          ? el(
              "ul",
              { class: "ieh-evidence", "data-evidence-list": "" },
              evidence.map((doc) =>
                el("li", { "data-evidence-id": doc.id, "data-evidence-status": doc.status || "" }, documentLine(doc, region, TEXT.download)),
              ),
            )
          : el("p", { class: "ieh-muted" }, TEXT.noEvidence),
        region,
      );
      return card;
    }

    function render(audit) {
      const type = nameIn(ref.audit_types, audit.audit_type);
      const region = el("p", { class: "ieh-message", role: "status", id: "supplier-audit-message" });
      const doc = audit.document || {};
      const order = ref.grades.map((grade) => grade.code);
      const rank = (grade) => (order.indexOf(grade) === -1 ? order.length : order.indexOf(grade));
      const findings = (audit.findings || []).slice().sort((a, b) => rank(a.grade) - rank(b.grade));
      const overdue = Number(audit.overdue_actions) || 0;
      const parts = [
        el("h3", { id: "supplier-audit-title", tabindex: "-1" }, [type, audit.site_name, formatDay(audit.audit_date)].filter(Boolean).join(" – ")),
        el("dl", { class: "ieh-facts" }, [
          ...fact(TEXT.auditCompany, audit.audit_company),
          ...fact(TEXT.pillars, (audit.pillars || []).map((code) => nameIn(ref.pillars, code)).join(", ")),
          ...fact(TEXT.findings, findingsSummary(audit.summary, ref)),
          ...fact(TEXT.overdueActions, overdue > 0 ? badge(TEXT.overdueCount(overdue), "warning") : "0"),
        ]),
        el("h4", {}, TEXT.report),
        region,
      ];
      if (doc.file_name || doc.id) parts.push(el("p", { "data-report": "" }, documentLine(doc, region, TEXT.downloadReport)));
      parts.push(el("h4", {}, TEXT.findingsTitle));
      if (findings.length) {
        parts.push(el("ul", { class: "ieh-cards" }, findings.map((finding, index) => findingCard(finding, index + 1))));
      } else {
        parts.push(el("p", {}, TEXT.noFindingsRecorded));
      }
      const closeButton = el("button", { type: "button", class: "md-button", "data-action": "close-audit" }, TEXT.close);
      closeButton.addEventListener("click", close);
      parts.push(closeButton);
      view.replaceChildren(...parts);
      view.dataset.auditId = audit.id;
      view.hidden = false;
      byId("supplier-audit-title").focus();
    }

    return { open };
  }

  // ================================================================ producer: customers

  /**
   * The access level radios and the site choice of a form (the add form or the accept/change form),
   * built into its [data-level-list] and [data-site-list]. Returns {read, write, refresh}.
   */
  function accessFields(form, prefix, ref, sites) {
    const levelList = form.querySelector("[data-level-list]");
    const levelLegend = form.querySelector("[data-level-choices] legend").textContent.trim();
    levelList.replaceChildren(
      ...ref.link_levels.map((level) => {
        const id = `${prefix}-level-${domId(level.code)}`;
        const hint = TEXT.levelHints[level.code];
        return el("div", { class: "ieh-choice" }, [
          el("input", { type: "radio", id, name: "level", value: level.code, "data-error-label": levelLegend, "aria-describedby": hint ? `${id}-hint` : null }),
          el("div", {}, [el("label", { for: id }, level.name), hint ? el("p", { class: "ieh-field__hint", id: `${id}-hint` }, hint) : null]),
        ]);
      }),
    );

    const siteList = form.querySelector("[data-site-list]");
    const sitesLegend = form.querySelector("[data-site-choices] legend").textContent.trim();
    if (!sites.length) {
      siteList.replaceChildren(el("p", { class: "ieh-field__hint" }, TEXT.noSitesYet));
    } else {
      const scope = (value, label) => {
        const id = `${prefix}-sites-${value}`;
        return el("div", { class: "ieh-choice" }, [
          el("input", { type: "radio", id, name: "sites_scope", value, checked: value === "all" }),
          el("label", { for: id }, label),
        ]);
      };
      const chosen = el("fieldset", { class: "ieh-site-choice", "data-chosen-sites": "" }, [
        el("legend", {}, TEXT.whichSites),
        el(
          "div",
          { class: "ieh-choices__list" },
          sites.map((site) => {
            const id = `${prefix}-site-${domId(site.id)}`;
            return el("div", { class: "ieh-choice" }, [
              el("input", { type: "checkbox", id, name: "sites", value: site.id, "data-error-label": sitesLegend }),
              el("label", { for: id }, `${site.name || site.id} (${site.id})`),
            ]);
          }),
        ),
      ]);
      siteList.replaceChildren(scope("all", TEXT.allSites), scope("chosen", TEXT.chosenSites), chosen);
    }

    const scopeValue = () => {
      const picked = form.querySelector('input[name="sites_scope"]:checked');
      return picked ? picked.value : "all";
    };

    /** Show the site checkboxes only when "only the sites I choose" is picked. */
    function refresh() {
      const box = form.querySelector("[data-chosen-sites]");
      if (box) box.hidden = scopeValue() !== "chosen";
    }

    siteList.addEventListener("change", refresh);

    function read() {
      const problems = {};
      const picked = form.querySelector('input[name="level"]:checked');
      if (!picked) problems.level = TEXT.chooseLevel;
      let chosenSites = "all";
      if (sites.length && scopeValue() === "chosen") {
        chosenSites = Array.from(form.querySelectorAll('input[name="sites"]:checked'), (input) => input.value);
        if (!chosenSites.length) problems.sites = TEXT.chooseSites;
      }
      return { level: picked ? picked.value : null, sites: chosenSites, problems };
    }

    function write(level, chosen) {
      for (const input of form.querySelectorAll('input[name="level"]')) input.checked = input.value === level;
      const list = Array.isArray(chosen) ? chosen.map(String) : null;
      for (const input of form.querySelectorAll('input[name="sites_scope"]')) input.checked = input.value === (list ? "chosen" : "all");
      for (const input of form.querySelectorAll('input[name="sites"]')) input.checked = Boolean(list && list.includes(input.value));
      refresh();
    }

    refresh();
    return { read, write, refresh };
  }

  function sitesText(row, sites) {
    if (row.status !== "active") return "–";
    if (row.sites === "all" || !Array.isArray(row.sites)) return TEXT.sitesAll;
    const names = new Map(sites.map((site) => [site.id, site.name || site.id]));
    return row.sites.map((id) => names.get(id) || id).join(", ") || TEXT.none;
  }

  async function initCustomersPage() {
    initAccessLog();
    const message = byId("customers-message");
    const [{ reference: ref, result: refResult }, sitesResult] = await Promise.all([loadReference(), api(`${API}/producer/sites`)]);
    if (!ref || sitesResult.status !== 200 || !sitesResult.body) {
      const failed = ref ? sitesResult : refResult;
      if (failed.status !== 401) showMessage(message, IEH.errorMessage(failed), "error");
      byId("customer-add-form").hidden = true; // it needs the levels and the sites
      return;
    }
    const sites = sitesResult.body.items || [];
    const customers = initCustomerList(ref, sites);
    initAddCustomer(ref, sites, customers);
    await customers.load();
  }

  function initCustomerList(ref, sites) {
    const table = byId("customers-table");
    const body = table.querySelector("tbody");
    const message = byId("customers-message");
    const panel = byId("customer-panel");
    const rows = new Map(); // buyer_id → CustomerRow, as last seen
    let panelFor = null; // {buyerId, mode, opener}

    const nameOf = (row) => row.name || row.buyer_id;
    const statusName = (status) => nameIn(ref.link_statuses, status);

    function ordered() {
      const rank = (status) => (STATUS_ORDER.indexOf(status) === -1 ? STATUS_ORDER.length : STATUS_ORDER.indexOf(status));
      return Array.from(rows.values()).sort(
        (a, b) => rank(a.status) - rank(b.status) || nameOf(a).localeCompare(nameOf(b), IEH.locale),
      );
    }

    function actionButton(row, action, label) {
      const attributes = { "data-action": action };
      if (action !== "decline") Object.assign(attributes, { "aria-controls": "customer-panel", "aria-expanded": "false" });
      const button = smallButton(label, attributes, ` ${nameOf(row)}`);
      button.addEventListener("click", () => {
        if (action === "decline") decline(row.buyer_id, button);
        else openPanel(row.buyer_id, action, button);
      });
      return button;
    }

    function customerRow(row) {
      const actions = el("div", { class: "ieh-actions ieh-actions--row" });
      const decides = me && me.role === "admin"; // only the organisation's admins decide on access
      if (!decides) {
        // members see the customers and the log; the buttons would only be refused
      } else if (row.status === "pending") actions.append(actionButton(row, "accept", TEXT.accept), actionButton(row, "decline", TEXT.decline));
      if (decides && row.status === "active") actions.append(actionButton(row, "change", TEXT.change), actionButton(row, "revoke", TEXT.revoke));
      return el("tr", { "data-buyer-id": row.buyer_id, "data-status": row.status || "", "data-level": row.level || "" }, [
        el("th", { scope: "row" }, nameOf(row)),
        el("td", {}, nameIn(ref.countries, row.country)),
        el("td", {}, statusName(row.status)),
        el("td", {}, row.status === "active" && row.level ? nameIn(ref.link_levels, row.level) : "–"),
        el("td", {}, sitesText(row, sites)),
        el("td", {}, IEH.formatDate(row.updated_at || row.requested_at) || ""),
        el("td", {}, actions),
      ]);
    }

    function render() {
      body.replaceChildren(...ordered().map(customerRow));
      table.hidden = rows.size === 0;
      byId("customers-empty").hidden = rows.size > 0;
      if (panelFor) {
        const opener = rowButton(panelFor.buyerId, panelFor.mode);
        if (opener) opener.setAttribute("aria-expanded", "true");
        panelFor.opener = opener;
      }
    }

    function rowButton(buyerId, action) {
      const row = body.querySelector(`tr[data-buyer-id="${CSS.escape(buyerId)}"]`);
      return row ? row.querySelector(`button[data-action="${action}"]`) : null;
    }

    function upsert(row) {
      if (row && row.buyer_id) rows.set(row.buyer_id, row);
      render();
    }

    async function load() {
      table.setAttribute("aria-busy", "true");
      const result = await api(`${API}/producer/customers`);
      table.setAttribute("aria-busy", "false");
      if (result.status !== 200 || !result.body) {
        if (result.status !== 401) showMessage(message, IEH.errorMessage(result), "error");
        return false;
      }
      rows.clear();
      for (const row of result.body.items || []) rows.set(row.buyer_id, row);
      render();
      return true;
    }

    /** After a 409: the stored row from the answer, or the whole list again. */
    async function adoptCurrent(buyerId, current) {
      if (current && current.buyer_id) {
        upsert(current);
        return true;
      }
      return load();
    }

    async function put(row, change) {
      return api(`${API}/producer/customers/${enc(row.buyer_id)}`, {
        method: "PUT",
        body: { ...change, version: row.version },
      });
    }

    /** Close the panel; the focus goes back to the button that opened it, or to `fallback`. */
    function closePanel(fallback = null) {
      const opener = panelFor ? rowButton(panelFor.buyerId, panelFor.mode) : null;
      panel.hidden = true;
      panel.replaceChildren();
      panelFor = null;
      if (opener) opener.setAttribute("aria-expanded", "false");
      if (fallback) focusOn(fallback);
      else if (opener) opener.focus();
    }

    function done(text) {
      showMessage(message, text, "success");
      closePanel(message);
    }

    // -- decline: at once; a 409 offers the stored version

    async function decline(buyerId, button) {
      const row = rows.get(buyerId);
      if (!row) return;
      showMessage(message, "");
      setButtonBusy(button, true, TEXT.saving);
      const result = await put(row, { status: "declined" });
      setButtonBusy(button, false);
      if (result.status === 200 && result.body) {
        if (panelFor && panelFor.buyerId === buyerId) closePanel();
        upsert(result.body);
        showMessage(message, TEXT.declined(nameOf(row)), "success");
        focusOn(message);
        return;
      }
      if (result.status === 409) {
        const current = conflictCurrent(result);
        messageWithButtons(message, TEXT.conflictCustomer, [
          {
            label: TEXT.loadCurrent,
            name: "load-current",
            run: async () => {
              if (!(await adoptCurrent(buyerId, current))) return;
              const fresh = rows.get(buyerId);
              showMessage(message, fresh ? TEXT.currentIs(nameOf(fresh), statusName(fresh.status)) : TEXT.currentLoaded, "info");
              focusOn(message);
            },
          },
        ]);
        focusOn(message);
        return;
      }
      if (result.status !== 401) {
        showMessage(message, IEH.errorMessage(result), "error");
        focusOn(message);
      }
    }

    // -- accept, change and revoke: in the panel below the table

    function openPanel(buyerId, mode, opener) {
      const row = rows.get(buyerId);
      if (!row) return;
      if (panelFor && panelFor.opener && panelFor.opener !== opener) panelFor.opener.setAttribute("aria-expanded", "false");
      panelFor = { buyerId, mode, opener };
      opener.setAttribute("aria-expanded", "true");
      showMessage(message, "");
      panel.dataset.buyerId = buyerId;
      panel.dataset.mode = mode;
      if (mode === "revoke") renderRevoke(row);
      else renderAccess(row, mode);
      panel.hidden = false;
      byId("customer-panel-title").focus();
    }

    function panelTitle(text) {
      return el("h3", { id: "customer-panel-title", tabindex: "-1" }, text);
    }

    function cancelButton() {
      const button = el("button", { type: "button", class: "md-button", "data-action": "cancel" }, TEXT.cancel);
      button.addEventListener("click", () => closePanel());
      return button;
    }

    /** A 409 in the panel: the form's summary says so and offers the stored version. */
    function panelConflict(form, buyerId, result) {
      const current = conflictCurrent(result);
      showErrors(form, {}, { message: TEXT.conflictCustomer, focus: false });
      const box = form.querySelector(".ieh-form__summary");
      const button = smallButton(TEXT.loadCurrent, { "data-action": "load-current" });
      button.addEventListener("click", async () => {
        if (!(await adoptCurrent(buyerId, current))) return;
        const fresh = rows.get(buyerId);
        const mode = panelFor ? panelFor.mode : null;
        const stillFits = fresh && ((mode === "accept" && fresh.status === "pending") || (mode !== "accept" && fresh.status === "active"));
        if (!stillFits) {
          showMessage(message, fresh ? TEXT.currentIs(nameOf(fresh), statusName(fresh.status)) : TEXT.currentLoaded, "info");
          closePanel(message);
          return;
        }
        if (mode === "revoke") renderRevoke(fresh);
        else renderAccess(fresh, mode);
        const status = byId("customer-panel-status");
        showMessage(status, TEXT.currentLoaded, "info");
        focusOn(status);
      });
      box.append(el("div", { class: "ieh-actions" }, button));
      box.focus();
    }

    function renderAccess(row, mode) {
      const accepting = mode === "accept";
      const status = el("p", { id: "customer-panel-status", class: "ieh-message", role: "status", tabindex: "-1" });
      const submit = el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "save-access" }, [
        accepting ? TEXT.giveAccess : TEXT.saveChange,
        el("span", { class: "ieh-sr-only" }, ` ${nameOf(row)}`),
      ]);
      const form = el("form", { id: "customer-access-form", class: "ieh-form", novalidate: true, "data-buyer-id": row.buyer_id }, [
        el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
        el("p", { class: "ieh-form__intro" }, accepting ? TEXT.acceptIntro : TEXT.changeIntro),
        el("fieldset", { class: "ieh-field ieh-fieldset", "data-level-choices": "" }, [
          el("legend", {}, TEXT.levelLegend),
          el("div", { class: "ieh-choices__list", "data-level-list": "" }),
        ]),
        el("fieldset", { class: "ieh-field ieh-fieldset", "data-site-choices": "" }, [
          el("legend", {}, TEXT.sitesLegend),
          el("div", { class: "ieh-choices__list", "data-site-list": "" }),
        ]),
        status,
        el("div", { class: "ieh-actions" }, [submit, cancelButton()]),
      ]);
      const fields = accessFields(form, "customer-access", ref, sites);
      if (!accepting) fields.write(row.level, row.sites);
      let sending = false;

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (sending) return;
        IEH.clearFieldErrors(form);
        showMessage(status, "");
        const { level, sites: chosen, problems } = fields.read();
        if (Object.keys(problems).length) {
          showErrors(form, problems);
          return;
        }
        const stored = rows.get(row.buyer_id) || row;
        sending = true;
        setButtonBusy(submit, true, TEXT.saving);
        const result = await put(stored, { status: "active", level, sites: chosen });
        sending = false;
        setButtonBusy(submit, false);
        if (result.status === 200 && result.body) {
          upsert(result.body);
          const levelText = nameIn(ref.link_levels, result.body.level || level);
          done(accepting ? TEXT.accepted(nameOf(stored), levelText) : TEXT.changed(nameOf(stored), levelText));
          return;
        }
        if (result.status === 409) {
          panelConflict(form, row.buyer_id, result);
          return;
        }
        if (result.status !== 401) showApiErrors(form, result);
      });

      panel.replaceChildren(panelTitle(accepting ? TEXT.acceptTitle(nameOf(row)) : TEXT.changeTitle(nameOf(row))), form);
    }

    function renderRevoke(row) {
      const submit = el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "confirm-revoke" }, TEXT.confirmRevoke);
      const form = el("form", { id: "customer-revoke-form", class: "ieh-form", novalidate: true, "data-buyer-id": row.buyer_id }, [
        el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
        el("p", {}, TEXT.revokeText(nameOf(row))),
        el("p", { id: "customer-panel-status", class: "ieh-message", role: "status", tabindex: "-1" }),
        el("div", { class: "ieh-actions" }, [submit, cancelButton()]),
      ]);
      let sending = false;

      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (sending) return;
        IEH.clearFieldErrors(form);
        const stored = rows.get(row.buyer_id) || row;
        sending = true;
        setBusy(submit, true, TEXT.saving);
        const result = await put(stored, { status: "revoked" });
        sending = false;
        setBusy(submit, false);
        if (result.status === 200 && result.body) {
          upsert(result.body);
          done(TEXT.revoked(nameOf(stored)));
          return;
        }
        if (result.status === 409) {
          panelConflict(form, row.buyer_id, result);
          return;
        }
        if (result.status !== 401) showApiErrors(form, result);
      });

      panel.replaceChildren(panelTitle(TEXT.revokeTitle(nameOf(row))), form);
    }

    return { load, upsert };
  }

  function initAddCustomer(ref, sites, customers) {
    const form = byId("customer-add-form");
    const submit = byId("customer-add-submit");
    const status = byId("customer-add-message");
    const fields = accessFields(form, "customer-add", ref, sites);
    let sending = false;

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const number = form.elements.organisation_number.value.replace(/\s+/g, "");
      const { level, sites: chosen, problems: access } = fields.read();
      const problems = {};
      if (!number) problems.organisation_number = TEXT.required;
      else if (!ORGANISATION_NUMBER.test(number)) problems.organisation_number = TEXT.organisationNumberFormat;
      Object.assign(problems, access);
      if (Object.keys(problems).length) {
        showErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/producer/customers`, {
        method: "POST",
        body: { organisation_number: number, level, sites: chosen },
      });
      sending = false;
      setBusy(submit, false);
      if ((result.status === 201 || result.status === 200) && result.body) {
        form.reset();
        fields.refresh();
        customers.upsert(result.body);
        showMessage(
          status,
          TEXT.accepted(result.body.name || number, nameIn(ref.link_levels, result.body.level || level)),
          "success",
        );
        focusOn(status);
        return;
      }
      if (result.status === 404) {
        showErrors(form, { organisation_number: TEXT.noSuchBuyer });
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });
  }

  // ---------------------------------------------------------------- the access log

  function initAccessLog() {
    const table = byId("access-log");
    const body = table.querySelector("tbody");
    const more = byId("access-log-more");
    const status = byId("access-log-message");
    let cursor = null;

    async function load(fromStart) {
      const query = !fromStart && cursor ? `?cursor=${enc(cursor)}` : "";
      table.setAttribute("aria-busy", "true");
      if (!fromStart) setBusy(more, true, TEXT.loading);
      const result = await api(`${API}/producer/access-log${query}`);
      if (!fromStart) setBusy(more, false);
      table.setAttribute("aria-busy", "false");
      if (result.status !== 200 || !result.body) {
        if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
        return;
      }
      const rows = (result.body.items || []).map((item) =>
        el("tr", { "data-action": item.action || "" }, [
          el("td", {}, IEH.formatDateTime(item.at) || ""),
          el("td", {}, item.buyer_name || ""),
          el("td", {}, TEXT.logActions[item.action] || String(item.action || "").replace(/_/g, " ")),
          el("td", {}, item.subject || "–"),
        ]),
      );
      if (fromStart) body.replaceChildren(...rows);
      else body.append(...rows);
      cursor = result.body.next_cursor || null;
      more.hidden = !cursor;
      table.hidden = body.children.length === 0;
      byId("access-log-empty").hidden = body.children.length > 0;
      if (!fromStart) {
        showMessage(status, TEXT.moreEvents(rows.length), "info");
        if (rows.length && !cursor) focusOn(rows[0]); // the button is gone: the focus goes to what came
      }
    }

    more.addEventListener("click", () => {
      if (cursor && !more.disabled) load(false);
    });
    return load(true);
  }

  // ================================================================ start

  const PAGES = {
    suppliers: initSuppliersPage,
    supplier: initSupplierPage,
    customers: initCustomersPage,
  };

  /** Called by members.js once GET /me has said that the page is for this member. */
  let me = null;

  function init(page, who) {
    me = who || null;
    const start = PAGES[page];
    return start ? start() : Promise.resolve();
  }

  IEH.sharing = { init };
})();
