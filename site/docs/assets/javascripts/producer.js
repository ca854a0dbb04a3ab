/* The producer's pages of the members area: the company profile and its sites (members/producer/),
 * one site with its self-assessment questionnaire (members/site/?id=…), the audits
 * (members/audits/) and one audit with its findings, corrective actions and evidence
 * (members/audit/?id=…). Builds on portal.js (window.IEH); members.js opens each page after
 * GET /me and calls IEH.producer.init(page, me). Nothing here runs before that call. */
(function () {
  "use strict";

  const IEH = window.IEH;
  if (!IEH) return;
  const { api, element: el, showMessage, setBusy } = IEH;
  const API = "/api/v1";
  const MAX_UPLOAD_BYTES = 25 * 1024 * 1024; // the server's limit; it checks again and is the authority
  const POLL_EVERY_MS = 1000;
  const POLL_FOR_MS = 60000;
  const AUTOSAVE_AFTER_MS = 1500;
  const RETRY_SAVE_AFTER_MS = 10000;
  const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;
  const RADIO_LIMIT = 5; // choice questions with more options than this get a select
  const REPORT_TYPES = { "application/pdf": [".pdf"] };
  const EVIDENCE_TYPES = { "application/pdf": [".pdf"], "image/jpeg": [".jpg", ".jpeg"], "image/png": [".png"] };
  const WORKFORCE = ["total", "women", "migrant", "temporary", "agency"];
  const ACTION_FIELDS = ["root_cause", "action", "owner", "due_date", "status", "completion_note"];
  const NEEDS_EVIDENCE = ["awaiting_verification", "closed"]; // statuses that need a completion note and evidence
  const MAX_SAQ_TEXT = 2000; // characters in a text answer, as the server keeps them
  const MAX_GOODS = 30; // goods per site, as the server allows

  const TEXT = {
    nb: {
      saving: "Lagrer …",
      required: "Fyll ut dette feltet.",
      chooseSectors: "Velg minst én bransje.",
      choosePillars: "Velg minst én pilar.",
      wholeNumber: "Skriv inn et helt tall, 0 eller mer.",
      notMoreThanTotal: (total) => `Kan ikke være flere enn det totale antallet ansatte (${total}).`,
      chooseCountry: "Velg land",
      chooseSector: "Velg bransje",
      chooseSite: "Velg produksjonssted",
      chooseAuditType: "Velg type revisjon",
      chooseGrade: "Velg alvorlighetsgrad",
      choosePillar: "Velg pilar",
      choose: "Velg",
      optional: "valgfritt",
      yes: "Ja",
      no: "Nei",
      backToCompany: "Gå til virksomheten",
      backToAudits: "Gå til revisjonene",
      // saving with a version: someone else saved first
      conflictProfile: "Noen andre har lagret profilen mens du redigerte. Endringene dine er ikke lagret.",
      conflictSite: "Noen andre har lagret produksjonsstedet mens du redigerte. Endringene dine er ikke lagret.",
      conflictAction: "Noen andre har lagret tiltaket mens du redigerte. Endringene dine er ikke lagret.",
      loadTheirs: "Hent den lagrede versjonen",
      theirsLoaded:
        "Den lagrede versjonen er hentet inn i skjemaet. Gjør endringene dine på nytt hvis de fortsatt trengs, og lagre.",
      // company profile and sites
      profileSaved: "Profilen er lagret og bekreftet.",
      confirmedOn: (date) => `Sist bekreftet ${date}.`,
      neverConfirmed: "Profilen er ikke bekreftet ennå.",
      siteNeverConfirmed: "Ikke bekreftet ennå",
      stale: "Utdatert",
      confirmedShort: (date) => `Bekreftet ${date}`,
      saqNone: "Ikke påbegynt",
      saqDraft: (answered, required) => `Utkast: ${answered} av ${required} obligatoriske spørsmål besvart`,
      saqSubmitted: (date, number) => `Sendt inn ${date} (versjon ${number})`,
      siteAdded: (name, id) => `Produksjonsstedet «${name}» er lagt til med ID ${id}.`,
      openSite: "Åpne produksjonsstedet og fyll ut egenvurderingen",
      // one site
      missingSiteId: "Lenken mangler ID-en til produksjonsstedet. Velg produksjonsstedet i listen over virksomhetens produksjonssteder.",
      siteNotFound: "Fant ikke produksjonsstedet. Lenken kan være feil, eller produksjonsstedet hører til en annen virksomhet.",
      siteSaved: "Opplysningene om produksjonsstedet er lagret og bekreftet.",
      goods: "Varer produsert på stedet",
      tooManyGoods: (max) => `Velg høyst ${max} varer.`,
      goodsFound: (shown, total) => (shown === 0 ? "Ingen varer passer til søket." : `Viser ${shown} av ${total} varer.`),
      goodsAll: (total) => `Viser alle ${total} varene.`,
      goodsChosenShown: "Viser varene som er valgt. Søk for å finne flere, eller vis hele listen.",
      goodsShowAll: (total) => `Vis alle ${total} varene`,
      goodsOnlyChosen: "Vis bare de valgte",
      goodsChosen: (names) => (names.length ? `Valgt (${names.length}): ${names.join(", ")}.` : "Ingen varer er valgt."),
      riskBands: { low: "Lav", medium: "Middels", high: "Høy" },
      riskScore: (score, band) => `${score} av 10 – ${band}`,
      riskWhy: "Se hvorfor, og hva som ville senket risikoen",
      // the SAQ
      completion: (answered, required) => `${answered} av ${required} obligatoriske spørsmål besvart`,
      noRequired: "Ingen obligatoriske spørsmål i denne delen.",
      total: (answered, required) => `Totalt ${answered} av ${required} obligatoriske spørsmål besvart.`,
      savingDraft: "Lagrer …",
      savedAt: (time) => `Lagret kl. ${time}`,
      savedOn: (dateTime) => `Sist lagret ${dateTime}`,
      notSaved: "Ikke lagret",
      notSavedConflict: "Ikke lagret: utkastet er endret et annet sted. Se meldingen øverst i egenvurderingen.",
      notSavedInvalid: "Ikke lagret: rett opp svarene som er merket.",
      uploadingShort: "Laster opp …",
      saveFailed: "Ikke lagret: vi fikk ikke kontakt med tjenesten. Vi prøver igjen om litt.",
      draftInvalid: "Utkastet ble ikke lagret. Rett opp svarene som er merket.",
      draftConflict:
        "Utkastet er endret et annet sted (i en annen fane eller av en kollega) etter at du åpnet siden. Svarene du har skrevet her, er ikke lagret.",
      loadDraft: "Hent det lagrede utkastet",
      keepMine: "Behold svarene mine og lagre dem",
      draftLoaded: "Det lagrede utkastet er hentet.",
      submitReady: "Alle obligatoriske spørsmål er besvart. Du kan sende inn egenvurderingen.",
      submitNotReady: (left) =>
        `Du kan sende inn når alle obligatoriske spørsmål er besvart. ${left === 1 ? "1 spørsmål gjenstår." : `${left} spørsmål gjenstår.`}`,
      submitBlocked: "Hent det lagrede utkastet eller behold svarene dine før du sender inn.",
      submitting: "Sender inn …",
      submitted: (number) => `Egenvurderingen er sendt inn som versjon ${number}.`,
      submitIncomplete: "Egenvurderingen kan ikke sendes inn ennå. Svar på spørsmålene som er merket.",
      answerThis: "Svar på dette spørsmålet.",
      fromVersion: (number) =>
        `Svarene er hentet fra versjon ${number}. Når du endrer noe, lagres det som et nytt utkast.`,
      saqUnavailable: "Egenvurderingen kan ikke vises akkurat nå.",
      version: (number) => `Versjon ${number}`,
      show: "Vis",
      close: "Lukk",
      versionTitle: (number, date) => `Versjon ${number}, sendt inn ${date}`,
      versionBy: (who) => `Sendt inn av ${who}.`,
      otherQuestionnaire: (version) =>
        `Besvart med spørreskjemaet ${version}. Spørsmål som ikke finnes i dagens spørreskjema, står under «Andre svar».`,
      otherAnswers: "Andre svar",
      noAnswers: "Versjonen har ingen svar.",
      leaveUnsaved: "Svarene dine er ikke lagret ennå.",
      // audits
      documentStatuses: { uploading: "Under behandling", checking: "Kontrolleres", available: "Tilgjengelig", rejected: "Avvist" },
      noFindings: "Ingen funn registrert",
      overdueCount: (n) => (n === 1 ? "1 forfalt" : `${n} forfalte`),
      chooseReport: "Velg rapporten (en PDF-fil).",
      notPdf: "Rapporten må være en PDF-fil.",
      tooLarge: (size) => `Filen er ${size}. Den kan være høyst 25 MB.`,
      emptyFile: "Filen er tom.",
      registering: "Registrerer revisjonen …",
      preparing: "Gjør klar opplastingen …",
      uploading: (name) => `Laster opp ${name} …`,
      checking: "Kontrollerer filen …",
      uploadFailed: "Filen ble ikke lastet opp. Prøv igjen – det som allerede er registrert, blir ikke registrert to ganger.",
      auditReady: "Revisjonen er registrert, og rapporten er kontrollert og tilgjengelig.",
      openAudit: "Åpne revisjonen",
      fileRejected: "Filen ble avvist",
      rejectedNoReason: "Filen kunne ikke godkjennes.",
      checkSlow:
        "Revisjonen er registrert, men kontrollen av filen tar lengre tid enn vanlig. Følg med på statusen i listen.",
      auditSlow: "Kontrollen av filen tar lengre tid enn vanlig. Last inn siden på nytt om litt for å se statusen.",
      // one audit
      missingAuditId: "Lenken mangler ID-en til revisjonen. Velg revisjonen i listen over revisjoner.",
      auditNotFound: "Fant ikke revisjonen. Lenken kan være feil, eller revisjonen hører til en annen virksomhet.",
      download: "Last ned",
      downloadReport: "Last ned rapporten",
      downloading: "Henter …",
      checksum: "Kontrollsum (SHA-256)",
      reportChecking: "Rapporten kontrolleres. Siden oppdateres når kontrollen er ferdig.",
      findingAdded: "Funnet er lagt til.",
      goToFinding: "Gå til funnet",
      findingTitle: (n, pillar) => `Funn ${n}: ${pillar}`,
      actionTitle: "Korrigerende tiltak",
      actionFor: (n) => `Korrigerende tiltak for funn ${n}`,
      noActionNeeded: "Denne typen funn trenger ikke et korrigerende tiltak.",
      statusLine: (status, due) => `Status: ${status}. Frist: ${due}.`,
      overdue: "Forfalt",
      rootCause: "Grunnårsak",
      actionLabel: "Tiltak",
      owner: "Ansvarlig",
      dueDate: "Frist",
      status: "Status",
      statusHint:
        "Før du kan sette status til verifisering, må du beskrive hva som er gjort og laste opp minst ett bevis som er kontrollert.",
      completionNote: "Hva er gjort",
      completionHint: "Kreves før tiltaket kan sendes til verifisering.",
      saveAction: "Lagre tiltaket",
      forFinding: (n) => ` for funn ${n}`,
      actionSaved: "Tiltaket er lagret.",
      statusRefused: (status) => `Tiltaket kan ikke få statusen «${status}» ennå`,
      noteNeeded: "Beskriv hva som er gjort.",
      evidenceNeeded: "Last opp minst ett bevis, og vent til det er kontrollert.",
      evidence: "Bevis",
      noEvidence: "Ingen bevis er lastet opp ennå.",
      evidenceFile: "Legg til bevis",
      evidenceHint: "PDF, JPEG eller PNG, høyst 25 MB. Filen kontrolleres før den blir tilgjengelig.",
      uploadEvidence: "Last opp",
      chooseEvidence: "Velg filen du vil laste opp.",
      evidenceWrongType: "Filen må være PDF, JPEG eller PNG.",
      evidenceReady: (name) => `${name} er kontrollert og lagt til som bevis.`,
      evidenceSlow: "Kontrollen av filen tar lengre tid enn vanlig. Last inn siden på nytt om litt for å se statusen.",
    },
    en: {
      saving: "Saving …",
      required: "Fill in this field.",
      chooseSectors: "Choose at least one sector.",
      choosePillars: "Choose at least one pillar.",
      wholeNumber: "Enter a whole number, 0 or more.",
      notMoreThanTotal: (total) => `Cannot be more than the total number of workers (${total}).`,
      chooseCountry: "Choose a country",
      chooseSector: "Choose a sector",
      chooseSite: "Choose a site",
      chooseAuditType: "Choose the type of audit",
      chooseGrade: "Choose a grade",
      choosePillar: "Choose a pillar",
      choose: "Choose",
      optional: "optional",
      yes: "Yes",
      no: "No",
      backToCompany: "Go to the company page",
      backToAudits: "Go to the audits",
      conflictProfile: "Someone else saved the profile while you were editing it. Your changes have not been saved.",
      conflictSite: "Someone else saved the site while you were editing it. Your changes have not been saved.",
      conflictAction: "Someone else saved the action while you were editing it. Your changes have not been saved.",
      loadTheirs: "Load the saved version",
      theirsLoaded: "The saved version has been loaded into the form. Make your changes again if they are still needed, and save.",
      profileSaved: "The profile has been saved and confirmed.",
      confirmedOn: (date) => `Last confirmed ${date}.`,
      neverConfirmed: "The profile has not been confirmed yet.",
      siteNeverConfirmed: "Not confirmed yet",
      stale: "Out of date",
      confirmedShort: (date) => `Confirmed ${date}`,
      saqNone: "Not started",
      saqDraft: (answered, required) => `Draft: ${answered} of ${required} required questions answered`,
      saqSubmitted: (date, number) => `Submitted ${date} (version ${number})`,
      siteAdded: (name, id) => `The site “${name}” has been added with the ID ${id}.`,
      openSite: "Open the site and fill in the self-assessment",
      missingSiteId: "The link has no site ID. Choose the site in the list of your company’s sites.",
      siteNotFound: "The site was not found. The link may be wrong, or the site belongs to another company.",
      siteSaved: "The site details have been saved and confirmed.",
      goods: "Goods made or grown at the site",
      tooManyGoods: (max) => `Choose at most ${max} goods.`,
      goodsFound: (shown, total) => (shown === 0 ? "No goods match the search." : `Showing ${shown} of ${total} goods.`),
      goodsAll: (total) => `Showing all ${total} goods.`,
      goodsChosenShown: "Showing the goods chosen. Search to find more, or show the whole list.",
      goodsShowAll: (total) => `Show all ${total} goods`,
      goodsOnlyChosen: "Show only those chosen",
      goodsChosen: (names) => (names.length ? `Chosen (${names.length}): ${names.join(", ")}.` : "No goods are chosen."),
      riskBands: { low: "Low", medium: "Medium", high: "High" },
      riskScore: (score, band) => `${score} of 10 – ${band}`,
      riskWhy: "See why, and what would lower the risk",
      completion: (answered, required) => `${answered} of ${required} required questions answered`,
      noRequired: "No required questions in this section.",
      total: (answered, required) => `In all, ${answered} of ${required} required questions answered.`,
      savingDraft: "Saving …",
      savedAt: (time) => `Saved at ${time}`,
      savedOn: (dateTime) => `Last saved ${dateTime}`,
      notSaved: "Not saved",
      notSavedConflict: "Not saved: the draft has been changed elsewhere. See the message at the top of the self-assessment.",
      notSavedInvalid: "Not saved: correct the answers that are marked.",
      uploadingShort: "Uploading …",
      saveFailed: "Not saved: we could not reach the service. We will try again in a moment.",
      draftInvalid: "The draft was not saved. Correct the answers that are marked.",
      draftConflict:
        "The draft has been changed elsewhere (in another tab or by a colleague) since you opened the page. The answers you have written here have not been saved.",
      loadDraft: "Load the saved draft",
      keepMine: "Keep my answers and save them",
      draftLoaded: "The saved draft has been loaded.",
      submitReady: "All required questions are answered. You can submit the self-assessment.",
      submitNotReady: (left) =>
        `You can submit when all required questions are answered. ${left === 1 ? "1 question is left." : `${left} questions are left.`}`,
      submitBlocked: "Load the saved draft or keep your answers before you submit.",
      submitting: "Submitting …",
      submitted: (number) => `The self-assessment has been submitted as version ${number}.`,
      submitIncomplete: "The self-assessment cannot be submitted yet. Answer the questions that are marked.",
      answerThis: "Answer this question.",
      fromVersion: (number) => `The answers come from version ${number}. When you change something, it is saved as a new draft.`,
      saqUnavailable: "The self-assessment cannot be shown right now.",
      version: (number) => `Version ${number}`,
      show: "Show",
      close: "Close",
      versionTitle: (number, date) => `Version ${number}, submitted ${date}`,
      versionBy: (who) => `Submitted by ${who}.`,
      otherQuestionnaire: (version) =>
        `Answered with questionnaire ${version}. Questions that are not in today’s questionnaire are listed under “Other answers”.`,
      otherAnswers: "Other answers",
      noAnswers: "This version has no answers.",
      leaveUnsaved: "Your answers have not been saved yet.",
      documentStatuses: { uploading: "Processing", checking: "Being checked", available: "Available", rejected: "Rejected" },
      noFindings: "No findings recorded",
      overdueCount: (n) => `${n} overdue`,
      chooseReport: "Choose the report (a PDF file).",
      notPdf: "The report must be a PDF file.",
      tooLarge: (size) => `The file is ${size}. It can be at most 25 MB.`,
      emptyFile: "The file is empty.",
      registering: "Registering the audit …",
      preparing: "Preparing the upload …",
      uploading: (name) => `Uploading ${name} …`,
      checking: "Checking the file …",
      uploadFailed: "The file was not uploaded. Please try again – what has already been registered will not be registered twice.",
      auditReady: "The audit has been registered, and the report has been checked and is available.",
      openAudit: "Open the audit",
      fileRejected: "The file was rejected",
      rejectedNoReason: "The file could not be accepted.",
      checkSlow: "The audit has been registered, but checking the file is taking longer than usual. Follow its status in the list.",
      auditSlow: "Checking the file is taking longer than usual. Reload the page in a moment to see its status.",
      missingAuditId: "The link has no audit ID. Choose the audit in the list of audits.",
      auditNotFound: "The audit was not found. The link may be wrong, or the audit belongs to another company.",
      download: "Download",
      downloadReport: "Download the report",
      downloading: "Fetching …",
      checksum: "Checksum (SHA-256)",
      reportChecking: "The report is being checked. The page updates when the check is done.",
      findingAdded: "The finding has been added.",
      goToFinding: "Go to the finding",
      findingTitle: (n, pillar) => `Finding ${n}: ${pillar}`,
      actionTitle: "Corrective action",
      actionFor: (n) => `Corrective action for finding ${n}`,
      noActionNeeded: "This kind of finding needs no corrective action.",
      statusLine: (status, due) => `Status: ${status}. Due: ${due}.`,
      overdue: "Overdue",
      rootCause: "Root cause",
      actionLabel: "Action",
      owner: "Owner",
      dueDate: "Due date",
      status: "Status",
      statusHint:
        "Before you can set the status to verification, describe what has been done and upload at least one piece of evidence that has been checked.",
      completionNote: "What has been done",
      completionHint: "Needed before the action can be sent for verification.",
      saveAction: "Save the action",
      forFinding: (n) => ` for finding ${n}`,
      actionSaved: "The action has been saved.",
      statusRefused: (status) => `The action cannot have the status “${status}” yet`,
      noteNeeded: "Describe what has been done.",
      evidenceNeeded: "Upload at least one piece of evidence, and wait until it has been checked.",
      evidence: "Evidence",
      noEvidence: "No evidence has been uploaded yet.",
      evidenceFile: "Add evidence",
      evidenceHint: "PDF, JPEG or PNG, at most 25 MB. The file is checked before it becomes available.",
      uploadEvidence: "Upload",
      chooseEvidence: "Choose the file to upload.",
      evidenceWrongType: "The file must be a PDF, JPEG or PNG.",
      evidenceReady: (name) => `${name} has been checked and added as evidence.`,
      evidenceSlow: "Checking the file is taking longer than usual. Reload the page in a moment to see its status.",
    },
  }[IEH.lang];

  // ================================================================ shared helpers

  const byId = (id) => document.getElementById(id);
  const enc = encodeURIComponent;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

  function siteUrl(siteId) {
    return IEH.pageUrl(`members/site/?id=${enc(siteId)}`);
  }

  function auditUrl(auditId) {
    return IEH.pageUrl(`members/audit/?id=${enc(auditId)}`);
  }

  function newRequestId() {
    if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    // RFC 4122 version 4 from crypto.getRandomValues, for browsers without randomUUID.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /**
   * Idempotency keys for a create request: the same request (same fields, same file) reuses its
   * key until it has succeeded, so a retry after a lost answer never creates a second record;
   * a changed request gets a new key.
   */
  function requestKeys() {
    let request = null;
    let key = null;
    return {
      for(fingerprint) {
        if (fingerprint !== request) {
          request = fingerprint;
          key = newRequestId();
        }
        return key;
      },
      forget() {
        request = null;
        key = null;
      },
    };
  }

  /** A "YYYY-MM-DD" date as "3. mars 2026", read as a calendar day (not midnight UTC). */
  function formatDay(value) {
    if (typeof value !== "string" || !value) return "";
    const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value;
    return IEH.formatDate(day) || value;
  }

  /** "14:32", in the reader's time zone. */
  function clock(iso) {
    const date = iso ? new Date(iso) : new Date();
    const shown = Number.isNaN(date.getTime()) ? new Date() : date;
    return shown.toLocaleTimeString(IEH.locale, { hour: "2-digit", minute: "2-digit" });
  }

  function isToday(iso) {
    const date = new Date(iso);
    return !Number.isNaN(date.getTime()) && date.toDateString() === new Date().toDateString();
  }

  /** Today as "YYYY-MM-DD" in the reader's time zone. */
  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function valueAt(object, path) {
    return path.split(".").reduce((value, key) => (value && typeof value === "object" ? value[key] : undefined), object);
  }

  function setAt(object, path, value) {
    const keys = path.split(".");
    let node = object;
    for (const key of keys.slice(0, -1)) {
      if (!node[key] || typeof node[key] !== "object") node[key] = {};
      node = node[key];
    }
    node[keys[keys.length - 1]] = value;
  }

  function textOf(form, name) {
    const control = form.elements[name];
    return control ? control.value.trim() : "";
  }

  function setText(form, name, value) {
    const control = form.elements[name];
    if (control) control.value = value === null || value === undefined ? "" : String(value);
  }

  function checkedValues(form, name) {
    return Array.from(form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`), (input) => input.value);
  }

  function setChecked(form, name, values) {
    const wanted = new Set((values || []).map(String));
    for (const input of form.querySelectorAll(`input[name="${CSS.escape(name)}"]`)) input.checked = wanted.has(input.value);
  }

  function hasProblems(problems) {
    return Object.keys(problems).length > 0;
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

  /** Checkboxes for a reference list, each with its label; errors name the group (its legend). */
  function fillCheckboxes(container, items, name, idPrefix) {
    const legend = container.closest("fieldset") && container.closest("fieldset").querySelector("legend");
    const groupLabel = legend ? legend.textContent.trim() : name;
    container.replaceChildren(
      ...items.map((item) => {
        const id = `${idPrefix}-${domId(item.code)}`;
        return el("div", { class: "ieh-choice" }, [
          el("input", { type: "checkbox", id, name, value: item.code, "data-error-label": groupLabel }),
          el("label", { for: id }, item.name),
        ]);
      }),
    );
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

  function badge(text, kind) {
    return el("span", { class: `ieh-badge${kind ? ` ieh-badge--${kind}` : ""}` }, text);
  }

  function smallButton(text, attributes = {}, context = null) {
    return el("button", { type: "button", class: "md-button ieh-button--small", ...attributes }, [
      text,
      context ? el("span", { class: "ieh-sr-only" }, context) : null,
    ]);
  }

  /** The error fields of a failed call, with the file description fields shown on the file input. */
  function withFileFields(result, fileField) {
    const error = (result.body && result.body.error) || null;
    if (!error || !error.fields) return result;
    const fields = {};
    for (const [name, message] of Object.entries(error.fields)) {
      const target = ["file_name", "content_type", "size_bytes"].includes(name) ? fileField : name;
      if (!fields[target]) fields[target] = message;
    }
    return { ...result, body: { ...result.body, error: { ...error, fields } } };
  }

  /**
   * IEH.showFieldErrors, with groups of radios or checkboxes named by their label in the summary:
   * portal.js looks each name up as one control and, for a group, falls back to the bare name.
   */
  function showErrors(form, fields = {}, options = {}) {
    IEH.showFieldErrors(form, fields, options);
    const box = options.summary || form.querySelector(".ieh-form__summary");
    if (!box) return;
    for (const [name, text] of Object.entries(fields || {})) {
      const found = form.elements[name];
      const first = found && !found.id && found.length ? found[0] : null;
      if (!first || !first.dataset.errorLabel) continue;
      const link = Array.from(box.querySelectorAll("a")).find((a) => a.getAttribute("href") === `#${first.id}`);
      if (link) link.textContent = `${first.dataset.errorLabel}: ${text}`;
    }
  }

  /**
   * The server's field names as the form's control names. Request validation names only the last
   * part ("email" for contact.email, "women" for workforce.women), the domain the whole path; an
   * item of a list comes as its index, which names no control.
   */
  function formFieldNames(form, fields) {
    const names = Array.from(form.elements, (control) => control.name).filter(Boolean);
    const out = {};
    for (const [name, message] of Object.entries(fields || {})) {
      let target = name;
      if (/^\d+$/.test(name)) target = `[${name}]`;
      else if (!form.elements.namedItem(name)) target = names.find((known) => known.endsWith(`.${name}`)) || name;
      if (!(target in out)) out[target] = message;
    }
    return out;
  }

  /** The errors of a failed call on a form: the server's message (or options.message) and its fields. */
  function showApiErrors(form, result, options = {}) {
    const error = (result.body && result.body.error) || {};
    const fields = result.status > 0 && result.status < 500 ? formFieldNames(form, error.fields) : {};
    showErrors(form, fields, { ...options, message: options.message || IEH.errorMessage(result) });
  }

  /** The stored object that a 409 carries, or null. */
  function conflictCurrent(result) {
    const error = (result.body && result.body.error) || {};
    return error.current && typeof error.current === "object" ? error.current : null;
  }

  /**
   * A 409 on a form: its error summary says that someone else saved meanwhile and offers buttons
   * (by default one that loads the stored version). The summary takes the focus unless told not to.
   */
  function showConflict(form, message, buttons, focus = true) {
    showErrors(form, {}, { message, focus: false });
    const box = form.querySelector(".ieh-form__summary");
    box.append(
      el(
        "div",
        { class: "ieh-actions" },
        buttons.map(({ label, run, name }) => {
          const button = smallButton(label, { "data-action": name });
          button.addEventListener("click", () => {
            IEH.clearFieldErrors(form);
            run();
          });
          return button;
        }),
      ),
    );
    if (focus) box.focus();
  }

  // ---------------------------------------------------------------- reference data, files, downloads

  let reference = null;

  /** GET /reference once per page: {reference} or {result} (the failed call). */
  async function loadReference() {
    if (reference) return { reference };
    const result = await api(`${API}/reference`);
    if (result.status !== 200 || !result.body) return { result };
    const lists = ["countries", "sectors", "audit_types", "pillars", "grades", "action_statuses", "goods"];
    reference = {};
    for (const key of lists) reference[key] = Array.isArray(result.body[key]) ? result.body[key] : [];
    return { reference };
  }

  /** The content type of a chosen file if it is one of the allowed ones (by type, else by name). */
  function allowedType(file, allowed) {
    if (allowed[file.type]) return file.type;
    const name = file.name.toLowerCase();
    for (const [type, endings] of Object.entries(allowed)) {
      if (!file.type && endings.some((ending) => name.endsWith(ending))) return type;
    }
    return null;
  }

  function sizeProblem(file) {
    if (file.size === 0) return TEXT.emptyFile;
    return file.size > MAX_UPLOAD_BYTES ? TEXT.tooLarge(IEH.formatBytes(file.size)) : null;
  }

  /**
   * Send a file to the presigned upload: every field first, then "file" last, as the storage
   * expects. Resolves to {ok, tooLarge}; never rejects.
   */
  async function uploadFile(upload, file) {
    let url = null;
    try {
      url = upload && typeof upload.url === "string" ? new URL(upload.url, location.href) : null;
    } catch (_) {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return { ok: false };
    const body = new FormData();
    for (const [name, value] of Object.entries(upload.fields || {})) body.append(name, value);
    body.append("file", file);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), UPLOAD_TIMEOUT_MS);
    try {
      const response = await fetch(url.href, { method: "POST", body, credentials: "same-origin", signal: controller.signal });
      if (response.ok) return { ok: true };
      const text = await response.text().catch(() => "");
      return { ok: false, tooLarge: response.status === 413 || /EntityTooLarge/.test(text) };
    } catch (_) {
      return { ok: false };
    } finally {
      clearTimeout(timer);
    }
  }

  const SETTLED = ["available", "rejected"];

  /**
   * Ask for the audit every second, for up to a minute, until pick(audit) gives a document that is
   * available or rejected. Resolves to {audit, document}, {ended} (logged out) or {timedOut}.
   */
  async function pollAudit(auditId, pick) {
    const deadline = Date.now() + POLL_FOR_MS;
    while (Date.now() < deadline) {
      await sleep(POLL_EVERY_MS);
      const result = await api(`${API}/producer/audits/${enc(auditId)}`);
      if (result.status === 401) return { ended: true };
      if (result.status === 200 && result.body) {
        const document = pick(result.body);
        if (document && SETTLED.includes(document.status)) return { audit: result.body, document };
      }
    }
    return { timedOut: true };
  }

  /** Download a document: ask for a short-lived link, then follow it. */
  async function downloadDocument(documentId, button, region) {
    showMessage(region, "");
    setButtonBusy(button, true, TEXT.downloading);
    const result = await api(`${API}/producer/documents/${enc(documentId)}/download`, { method: "POST" });
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
    if (result.status !== 401) showMessage(region, IEH.errorMessage(result.status === 200 ? { status: 500 } : result), "error");
  }

  function documentStatusText(document) {
    return TEXT.documentStatuses[document.status] || document.status || "";
  }

  // ================================================================ company profile

  const PROFILE_FIELDS = [
    "name",
    "organisation_number",
    "address.street",
    "address.postal_code",
    "address.city",
    "address.country",
    "contact.name",
    "contact.email",
    "contact.phone",
    "products",
  ];
  const PROFILE_REQUIRED = ["name", "address.street", "address.city", "address.country", "contact.name", "contact.email"];

  function initProfile(ref) {
    const form = byId("profile-form");
    const submit = byId("profile-submit");
    const status = byId("profile-save-message");
    let version = null;
    let sending = false;

    fillSelect(form.elements["address.country"], ref.countries, TEXT.chooseCountry);
    fillCheckboxes(byId("profile-sectors"), ref.sectors, "sectors", "profile-sector");

    function show(profile) {
      version = profile.version;
      for (const name of PROFILE_FIELDS) setText(form, name, valueAt(profile, name));
      setChecked(form, "sectors", profile.sectors);
      byId("profile-stale").hidden = !profile.stale;
      const confirmed = profile.confirmed_at ? IEH.formatDate(profile.confirmed_at) : null;
      byId("profile-confirmed").textContent = confirmed ? TEXT.confirmedOn(confirmed) : TEXT.neverConfirmed;
      form.dataset.stale = profile.stale ? "true" : "false";
    }

    function collect() {
      const problems = IEH.missingFields(form, PROFILE_REQUIRED);
      const sectors = checkedValues(form, "sectors");
      if (!sectors.length) problems.sectors = TEXT.chooseSectors;
      if (!textOf(form, "products")) problems.products = TEXT.required;
      const data = { version };
      for (const name of PROFILE_FIELDS) setAt(data, name, textOf(form, name));
      data.organisation_number = data.organisation_number.replace(/\s+/g, "") || null;
      data.sectors = sectors;
      return { data, problems };
    }

    async function load() {
      form.setAttribute("aria-busy", "true");
      submit.disabled = true;
      const result = await api(`${API}/producer/profile`);
      form.setAttribute("aria-busy", "false");
      if (result.status === 200 && result.body) {
        show(result.body);
        submit.disabled = false;
        return true;
      }
      if (result.status !== 401) showMessage(byId("profile-message"), IEH.errorMessage(result), "error");
      return false;
    }

    async function loadStored(current) {
      if (current) show(current);
      else if (!(await load())) return;
      showMessage(status, TEXT.theirsLoaded, "info");
      focusOn(status);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending || version === null) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const { data, problems } = collect();
      if (hasProblems(problems)) {
        showErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/producer/profile`, { method: "PUT", body: data });
      sending = false;
      setBusy(submit, false);
      if (result.status === 200 && result.body) {
        show(result.body);
        showMessage(status, TEXT.profileSaved, "success");
        return;
      }
      if (result.status === 409) {
        const current = conflictCurrent(result);
        showConflict(form, TEXT.conflictProfile, [{ label: TEXT.loadTheirs, name: "load-current", run: () => loadStored(current) }]);
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });

    return load();
  }

  // ================================================================ sites: the list, the add form, one site's form

  const SITE_REQUIRED = ["name", "address.street", "address.city", "country", "sector"];

  /** The site fields of a form (add or edit), checked: {data, problems}. */
  function readSiteForm(form) {
    const problems = IEH.missingFields(form, SITE_REQUIRED);
    const data = {
      name: textOf(form, "name"),
      address: {
        street: textOf(form, "address.street"),
        postal_code: textOf(form, "address.postal_code"),
        city: textOf(form, "address.city"),
      },
      country: textOf(form, "country"),
      sector: textOf(form, "sector"),
      workforce: {},
      certifications: form.elements.certifications.value
        .split(/[\n,]+/)
        .map((item) => item.trim())
        .filter(Boolean),
    };
    if (form.querySelector("[data-goods]")) {
      data.goods = checkedValues(form, "goods");
      if (data.goods.length > MAX_GOODS) problems.goods = TEXT.tooManyGoods(MAX_GOODS);
    }
    for (const key of WORKFORCE) {
      const name = `workforce.${key}`;
      const input = form.elements[name];
      const raw = input.value.trim();
      const bad = input.validity && input.validity.badInput;
      if (raw === "" && !bad) {
        problems[name] = TEXT.required;
        continue;
      }
      const number = Number(raw);
      if (bad || !Number.isSafeInteger(number) || number < 0) {
        problems[name] = TEXT.wholeNumber;
        continue;
      }
      data.workforce[key] = number;
    }
    const total = data.workforce.total;
    if (typeof total === "number") {
      for (const key of WORKFORCE.slice(1)) {
        if (data.workforce[key] > total) problems[`workforce.${key}`] = TEXT.notMoreThanTotal(total);
      }
    }
    return { data, problems };
  }

  function fillSiteForm(form, site) {
    setText(form, "name", site.name);
    setText(form, "address.street", valueAt(site, "address.street"));
    setText(form, "address.postal_code", valueAt(site, "address.postal_code"));
    setText(form, "address.city", valueAt(site, "address.city"));
    setText(form, "country", site.country);
    setText(form, "sector", site.sector);
    for (const key of WORKFORCE) setText(form, `workforce.${key}`, valueAt(site, `workforce.${key}`));
    form.elements.certifications.value = (site.certifications || []).join("\n");
    if (form.querySelector("[data-goods]")) {
      setChecked(form, "goods", site.goods);
      form.querySelector("[data-goods]").dispatchEvent(new Event("ieh:goods-set"));
    }
  }

  function prepareSiteForm(form, ref) {
    fillSelect(form.elements.country, ref.countries, TEXT.chooseCountry);
    fillSelect(form.elements.sector, ref.sectors, TEXT.chooseSector);
    const goods = form.querySelector("[data-goods]");
    if (goods) initGoods(form, goods, ref.goods);
  }

  /**
   * The goods of a site: a checkbox per good (about 160). So that the form stays short and the
   * keyboard does not have to pass 160 boxes, the list shows the goods chosen; typing in the search
   * field shows the goods that match, and a button shows the whole list. Goods hidden this way
   * stay chosen. A line under the list names the goods chosen.
   */
  function initGoods(form, list, goods) {
    const filter = form.querySelector("[data-goods-filter]");
    const count = form.querySelector("[data-goods-count]");
    const chosen = form.querySelector("[data-goods-chosen]");
    const all = form.querySelector("[data-goods-all]");
    let showAll = false;
    fillCheckboxes(list, goods, "goods", "site-good");
    for (const input of list.querySelectorAll("input")) input.dataset.errorLabel = TEXT.goods;
    const names = new Map(goods.map((item) => [item.code, item.name]));

    function showChosen() {
      if (chosen) chosen.textContent = TEXT.goodsChosen(checkedValues(form, "goods").map((code) => names.get(code) || code));
    }

    /** Which goods the list shows: those that match the search, else all or the chosen ones. */
    function narrow() {
      const words = filter ? filter.value.trim().toLocaleLowerCase(IEH.locale).split(/\s+/).filter(Boolean) : [];
      let shown = 0;
      for (const choice of list.querySelectorAll(".ieh-choice")) {
        const input = choice.querySelector("input");
        const name = choice.textContent.toLocaleLowerCase(IEH.locale);
        const match = words.length ? words.every((word) => name.includes(word)) : showAll || input.checked;
        choice.hidden = !match;
        if (match) shown += 1;
      }
      list.hidden = shown === 0;
      if (all) {
        all.textContent = showAll ? TEXT.goodsOnlyChosen : TEXT.goodsShowAll(goods.length);
      }
      if (count) {
        count.textContent = words.length
          ? TEXT.goodsFound(shown, goods.length)
          : showAll
            ? TEXT.goodsAll(goods.length)
            : TEXT.goodsChosenShown;
      }
    }

    list.addEventListener("change", showChosen);
    list.addEventListener("ieh:goods-set", () => {
      narrow();
      showChosen();
    });
    if (filter) {
      filter.addEventListener("input", narrow);
      filter.addEventListener("keydown", (event) => {
        if (event.key === "Enter") event.preventDefault(); // searching, not sending the form
      });
    }
    if (all) {
      all.addEventListener("click", () => {
        showAll = !showAll;
        if (filter) filter.value = "";
        narrow();
      });
    }
    narrow();
    showChosen();
  }

  function saqSummary(saq) {
    const state = saq || { status: "none" };
    if (state.status === "submitted") {
      return TEXT.saqSubmitted(IEH.formatDate(state.submitted_at) || "", state.versions || 1);
    }
    if (state.status === "draft") {
      const completion = state.completion || {};
      return TEXT.saqDraft(completion.answered || 0, completion.required || 0);
    }
    return TEXT.saqNone;
  }

  function siteRow(site) {
    const confirmed = site.confirmed_at ? IEH.formatDate(site.confirmed_at) : null;
    return el("tr", { "data-site-id": site.id }, [
      el("td", {}, el("code", {}, site.id)),
      el("td", {}, el("a", { href: siteUrl(site.id), "data-site-link": "" }, site.name || site.id)),
      el("td", {}, site.country_name || site.country || ""),
      el("td", { "data-saq-status": (site.saq && site.saq.status) || "none" }, saqSummary(site.saq)),
      el(
        "td",
        { "data-stale": site.stale ? "true" : "false" },
        site.stale
          ? badge(TEXT.stale, "warning")
          : confirmed
            ? TEXT.confirmedShort(confirmed)
            : TEXT.siteNeverConfirmed,
      ),
    ]);
  }

  async function loadSites() {
    const table = byId("sites-table");
    const status = byId("sites-message");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${API}/producer/sites`);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const items = result.body.items || [];
    table.querySelector("tbody").replaceChildren(...items.map(siteRow));
    table.hidden = items.length === 0;
    byId("sites-empty").hidden = items.length > 0;
  }

  function initAddSite(ref) {
    const form = byId("site-add-form");
    const submit = byId("site-add-submit");
    const status = byId("site-add-message");
    let sending = false;
    prepareSiteForm(form, ref);

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const { data, problems } = readSiteForm(form);
      if (hasProblems(problems)) {
        showErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/producer/sites`, { method: "POST", body: data });
      sending = false;
      setBusy(submit, false);
      if ((result.status === 201 || result.status === 200) && result.body) {
        form.reset();
        const site = result.body;
        showMessage(
          status,
          [TEXT.siteAdded(site.name, site.id), " ", el("a", { href: siteUrl(site.id) }, TEXT.openSite)],
          "success",
        );
        focusOn(status);
        loadSites();
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });
  }

  async function initProducerPage() {
    const { reference: ref, result } = await loadReference();
    if (!ref) {
      if (result.status !== 401) showMessage(byId("profile-message"), IEH.errorMessage(result), "error");
      return;
    }
    initAddSite(ref);
    await Promise.all([initProfile(ref), loadSites()]);
  }

  // ---------------------------------------------------------------- one site

  async function initSitePage() {
    const message = byId("site-message");
    const siteId = idFromAddress();
    const back = el("a", { href: IEH.pageUrl("members/producer/") }, TEXT.backToCompany);
    if (!siteId) {
      showMessage(message, [TEXT.missingSiteId, " ", back], "error");
      return;
    }
    const [{ reference: ref, result: refResult }, result] = await Promise.all([
      loadReference(),
      api(`${API}/producer/sites/${enc(siteId)}`),
    ]);
    if (result.status === 401 || (refResult && refResult.status === 401)) return;
    if (result.status === 404) {
      showMessage(message, [TEXT.siteNotFound, " ", back], "error");
      return;
    }
    if (!ref || result.status !== 200 || !result.body) {
      showMessage(message, IEH.errorMessage(ref ? result : refResult), "error");
      return;
    }
    byId("site-content").classList.add("ieh-open"); // shows the rest of the page (.ieh-gate in portal.css)
    initSiteForm(siteId, result.body, ref);
    await initSaq(siteId);
  }

  function initSiteForm(siteId, site, ref) {
    const form = byId("site-form");
    const submit = byId("site-submit");
    const status = byId("site-save-message");
    const pageTitle = document.title;
    let version = null;
    let sending = false;
    prepareSiteForm(form, ref);

    function show(current) {
      version = current.version;
      fillSiteForm(form, current);
      byId("site-heading").textContent = current.name || current.id;
      document.title = `${current.name || current.id} – ${pageTitle}`;
      byId("site-public-id").textContent = current.id || siteId;
      const confirmed = current.confirmed_at ? IEH.formatDate(current.confirmed_at) : null;
      byId("site-confirmed").textContent = confirmed || TEXT.siteNeverConfirmed;
      byId("site-stale").hidden = !current.stale;
      form.dataset.stale = current.stale ? "true" : "false";
      showSiteRisk(current);
    }

    async function loadStored(current) {
      let stored = current;
      if (!stored) {
        const result = await api(`${API}/producer/sites/${enc(siteId)}`);
        if (result.status !== 200 || !result.body) {
          if (result.status !== 401) showApiErrors(form, result);
          return;
        }
        stored = result.body;
      }
      show(stored);
      showMessage(status, TEXT.theirsLoaded, "info");
      focusOn(status);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const { data, problems } = readSiteForm(form);
      if (hasProblems(problems)) {
        showErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/producer/sites/${enc(siteId)}`, { method: "PUT", body: { ...data, version } });
      sending = false;
      setBusy(submit, false);
      if (result.status === 200 && result.body) {
        show(result.body);
        showMessage(status, TEXT.siteSaved, "success");
        return;
      }
      if (result.status === 409) {
        const current = conflictCurrent(result);
        showConflict(form, TEXT.conflictSite, [{ label: TEXT.loadTheirs, name: "load-current", run: () => loadStored(current) }]);
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });

    show(site);
  }

  /** The site's headline risk beside its facts, with a link to the explanation on the risk page. */
  function showSiteRisk(site) {
    const risk = site.risk && typeof site.risk.score === "number" ? site.risk : null;
    const value = byId("site-risk");
    if (!value) return;
    for (const node of document.querySelectorAll("[data-site-risk]")) node.hidden = !risk;
    if (!risk) {
      value.replaceChildren();
      return;
    }
    const score = risk.score.toLocaleString(IEH.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    const band = TEXT.riskBands[risk.band] || risk.band;
    value.dataset.band = risk.band;
    value.replaceChildren(
      el("span", { class: `ieh-band ieh-band--${risk.band}`, "data-score": String(risk.score) }, TEXT.riskScore(score, band)),
      " ",
      el("a", { href: IEH.pageUrl(`members/risk/#site-${domId(site.id)}`), "data-risk-link": "" }, TEXT.riskWhy),
    );
  }

  // ================================================================ the self-assessment questionnaire (SAQ)

  /** Answers compare as text: true matches "yes", false matches "no", 3 matches "3". */
  function sameAnswer(answer, expected) {
    if (answer === undefined || answer === null) return false;
    const text = (value) => (value === true ? "yes" : value === false ? "no" : String(value));
    return text(answer) === text(expected);
  }

  function questionControlId(question) {
    return `saq-q-${domId(question.id)}`;
  }

  /** One question as form controls; the wrapper carries data-question-id and is hidden by its condition. */
  function questionField(question) {
    const id = questionControlId(question);
    const helpId = question.help ? `${id}-help` : null;
    const optional = question.required ? null : el("span", { class: "ieh-field__hint" }, ` (${TEXT.optional})`);
    const help = question.help ? el("p", { class: "ieh-field__hint", id: helpId }, question.help) : null;
    const options = Array.isArray(question.options) ? question.options : [];
    const wrapper = el("div", {
      class: "ieh-saq__question",
      "data-question-id": question.id,
      "data-question-type": question.type,
      "data-required": question.required ? "true" : "false",
    });

    if (question.type === "yes_no" || (question.type === "choice" && options.length <= RADIO_LIMIT)) {
      const choices =
        question.type === "yes_no"
          ? [
              { value: "yes", label: TEXT.yes },
              { value: "no", label: TEXT.no },
            ]
          : options;
      wrapper.append(
        el("fieldset", { class: "ieh-field ieh-choices", "aria-describedby": helpId }, [
          el("legend", {}, [question.text, optional]),
          help,
          el(
            "div",
            { class: question.type === "yes_no" ? "ieh-choices__row" : "ieh-choices__list" },
            choices.map((choice, index) => {
              const optionId = `${id}-${index}`;
              return el("div", { class: "ieh-choice" }, [
                el("input", {
                  type: "radio",
                  id: optionId,
                  name: question.id,
                  value: String(choice.value),
                  "data-error-label": question.text,
                }),
                el("label", { for: optionId }, choice.label),
              ]);
            }),
          ),
        ]),
      );
      return wrapper;
    }

    let control;
    if (question.type === "choice") {
      control = el("select", { id, name: question.id, "aria-describedby": helpId }, [
        el("option", { value: "" }, TEXT.choose),
        ...options.map((choice) => el("option", { value: String(choice.value) }, choice.label)),
      ]);
    } else if (question.type === "number") {
      const unitId = question.unit ? `${id}-unit` : null;
      const input = el("input", {
        type: "number",
        id,
        name: question.id,
        inputmode: "decimal",
        step: "any",
        min: typeof question.min === "number" ? String(question.min) : null,
        max: typeof question.max === "number" ? String(question.max) : null,
        "aria-describedby": [helpId, unitId].filter(Boolean).join(" ") || null,
      });
      control = question.unit
        ? el("div", { class: "ieh-input-unit" }, [input, el("span", { class: "ieh-input-unit__unit", id: unitId }, question.unit)])
        : input;
    } else {
      control = el("textarea", { id, name: question.id, rows: "3", maxlength: String(MAX_SAQ_TEXT), "aria-describedby": helpId });
    }
    wrapper.append(el("div", { class: "ieh-field" }, [el("label", { for: id }, [question.text, optional]), help, control]));
    return wrapper;
  }

  function sectionFieldset(section) {
    const sid = domId(section.id);
    const textId = `saq-completion-${sid}`;
    return el(
      "fieldset",
      { class: "ieh-saq__section", id: `saq-section-${sid}`, "data-section-id": section.id },
      [
        el("legend", { class: "ieh-saq__title" }, section.title),
        section.intro ? el("p", { class: "ieh-saq__intro" }, section.intro) : null,
        el("div", { class: "ieh-saq__completion", "data-completion": "" }, [
          el("progress", { max: "1", value: "0", "aria-labelledby": textId }),
          el("span", { id: textId }),
        ]),
        ...(section.questions || []).map(questionField),
      ],
    );
  }

  /** The text shown for a stored answer in a read-only version. */
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

  function personName(who) {
    if (!who) return "";
    if (typeof who === "object") return who.name || who.email || "";
    return String(who);
  }

  async function initSaq(siteId) {
    const base = `${API}/producer/sites/${enc(siteId)}/saq`;
    const form = byId("saq-form");
    const message = byId("saq-message");
    const saveStatus = byId("saq-save-status");
    const submit = byId("saq-submit");
    const hint = byId("saq-submit-hint");

    const [questionnaireResult, stateResult] = await Promise.all([api(`${API}/saq/questionnaire`), api(base)]);
    if (questionnaireResult.status === 401 || stateResult.status === 401) return;
    if (questionnaireResult.status !== 200 || !questionnaireResult.body || stateResult.status !== 200 || !stateResult.body) {
      const failed = questionnaireResult.status !== 200 ? questionnaireResult : stateResult;
      showMessage(message, [TEXT.saqUnavailable, " ", IEH.errorMessage(failed)], "error");
      form.hidden = true;
      return;
    }

    const questionnaire = questionnaireResult.body;
    const sections = Array.isArray(questionnaire.sections) ? questionnaire.sections : [];
    const questions = new Map(); // id → question
    for (const section of sections) for (const question of section.questions || []) questions.set(question.id, question);
    byId("saq-sections").replaceChildren(...sections.map(sectionFieldset));

    let version = null; // the stored draft's version; null until the first save
    let savedSnapshot = null; // the answers last stored, as JSON
    let dirty = false;
    let timer = null;
    let inFlight = null;
    let conflict = null; // {known, draft} after a 409, until the member chooses
    let submitting = false;
    let draftErrorsShown = false;
    let complete = false;

    /** The draft in an answer: the draft itself ({answers, version}) or the SAQ view that holds it. */
    function draftOf(body) {
      if (!body || typeof body !== "object") return null;
      if ("answers" in body && "version" in body) return body;
      return body.draft || null;
    }

    /** After a 409: what is stored now, if the answer says ({known: false} means ask for it). */
    function conflictOf(result) {
      const current = conflictCurrent(result);
      return { known: current !== null, draft: draftOf(current) };
    }

    // -- reading and writing the answers

    function inputsOf(question) {
      return Array.from(form.querySelectorAll(`[name="${CSS.escape(question.id)}"]`));
    }

    function readAnswer(question) {
      const inputs = inputsOf(question);
      if (!inputs.length) return undefined;
      if (inputs[0].type === "radio") {
        const checked = inputs.find((input) => input.checked);
        if (!checked) return undefined;
        if (question.type === "yes_no") return checked.value === "yes";
        const option = (question.options || []).find((choice) => String(choice.value) === checked.value);
        return option ? option.value : checked.value;
      }
      const raw = inputs[0].value.trim();
      if (raw === "") return undefined;
      if (question.type === "number") {
        const number = Number(raw);
        return Number.isFinite(number) ? number : undefined;
      }
      if (question.type === "choice") {
        const option = (question.options || []).find((choice) => String(choice.value) === raw);
        return option ? option.value : raw;
      }
      return raw;
    }

    function writeAnswer(question, value) {
      const inputs = inputsOf(question);
      if (!inputs.length) return;
      if (inputs[0].type === "radio") {
        for (const input of inputs) {
          input.checked = sameAnswer(value, input.value);
        }
        return;
      }
      inputs[0].value = value === undefined || value === null ? "" : String(value);
    }

    /** Whether an answer is one the server keeps: of the question's type, within its limits. */
    function isValid(question, value) {
      if (value === undefined || value === null) return false;
      if (question.type === "yes_no") return typeof value === "boolean";
      if (question.type === "choice") return (question.options || []).some((choice) => choice.value === value);
      if (question.type === "number") {
        return (
          typeof value === "number" &&
          Number.isFinite(value) &&
          !(typeof question.min === "number" && value < question.min) &&
          !(typeof question.max === "number" && value > question.max)
        );
      }
      return typeof value === "string" && value.length <= MAX_SAQ_TEXT;
    }

    function validAnswers(answers) {
      const valid = {};
      for (const [id, value] of Object.entries(answers)) if (isValid(questions.get(id), value)) valid[id] = value;
      return valid;
    }

    function fillAnswers(answers) {
      for (const question of questions.values()) writeAnswer(question, (answers || {})[question.id]);
    }

    function allAnswers() {
      const answers = {};
      for (const question of questions.values()) {
        const value = readAnswer(question);
        if (value !== undefined) answers[question.id] = value;
      }
      return answers;
    }

    /**
     * Which questions are shown: those without a condition, and those whose condition holds for the
     * (valid) answer of a question that is itself shown. Pass valid answers only.
     */
    function visibility(answers) {
      const shown = new Map();
      function isShown(question) {
        if (shown.has(question.id)) return shown.get(question.id);
        const condition = question.condition;
        if (!condition || !condition.question) {
          shown.set(question.id, true);
          return true;
        }
        shown.set(question.id, false); // guards against a condition that refers back to itself
        const parent = questions.get(condition.question);
        const result = Boolean(parent) && isShown(parent) && sameAnswer(answers[condition.question], condition.equals);
        shown.set(question.id, result);
        return result;
      }
      for (const question of questions.values()) isShown(question);
      return shown;
    }

    /**
     * The answers to send: those of the questions shown, in the questionnaire's order, invalid ones
     * too, so that the server says what is wrong with them.
     */
    function payloadAnswers() {
      const answers = allAnswers();
      const shown = visibility(validAnswers(answers));
      const payload = {};
      for (const [id, value] of Object.entries(answers)) if (shown.get(id)) payload[id] = value;
      return payload;
    }

    function missingAnswers() {
      const answers = validAnswers(allAnswers());
      const shown = visibility(answers);
      const missing = {};
      for (const question of questions.values()) {
        if (question.required && shown.get(question.id) && answers[question.id] === undefined) missing[question.id] = TEXT.answerThis;
      }
      return missing;
    }

    // -- what the page shows: conditions, completion, the submit button

    function refresh() {
      const answers = validAnswers(allAnswers());
      const shown = visibility(answers);
      let answeredAll = 0;
      let requiredAll = 0;
      for (const fieldset of form.querySelectorAll("[data-section-id]")) {
        let answered = 0;
        let required = 0;
        for (const wrapper of fieldset.querySelectorAll("[data-question-id]")) {
          const id = wrapper.dataset.questionId;
          const question = questions.get(id);
          const visible = Boolean(shown.get(id));
          wrapper.hidden = !visible;
          if (visible && question.required) {
            required += 1;
            if (answers[id] !== undefined) answered += 1;
          }
        }
        const box = fieldset.querySelector("[data-completion]");
        const bar = box.querySelector("progress");
        const text = box.querySelector("span");
        box.dataset.completion = `${answered}/${required}`;
        box.dataset.answered = String(answered);
        box.dataset.required = String(required);
        bar.max = Math.max(required, 1);
        bar.value = required ? answered : 1;
        bar.hidden = required === 0;
        text.textContent = required ? TEXT.completion(answered, required) : TEXT.noRequired;
        fieldset.dataset.complete = answered === required ? "true" : "false";
        answeredAll += answered;
        requiredAll += required;
      }
      const total = byId("saq-total");
      total.textContent = TEXT.total(answeredAll, requiredAll);
      total.dataset.completion = `${answeredAll}/${requiredAll}`;
      complete = answeredAll === requiredAll;
      updateSubmit(requiredAll - answeredAll);
    }

    function updateSubmit(left = null) {
      const remaining = left === null ? Object.keys(missingAnswers()).length : left;
      submit.disabled = !complete || Boolean(conflict) || submitting;
      hint.textContent = conflict ? TEXT.submitBlocked : complete ? TEXT.submitReady : TEXT.submitNotReady(remaining);
    }

    function setSaveStatus(text, state) {
      if (saveStatus.textContent !== text) saveStatus.textContent = text;
      saveStatus.dataset.state = state;
    }

    function showSavedAt(iso) {
      if (!iso || isToday(iso)) setSaveStatus(TEXT.savedAt(clock(iso)), "saved");
      else setSaveStatus(TEXT.savedOn(IEH.formatDateTime(iso) || ""), "saved");
    }

    // -- saving the draft: debounced while typing, one request at a time, never over another's work

    function schedule(delay) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        save();
      }, delay);
    }

    /** Store the answers if they changed. Resolves to true when the stored draft matches the form. */
    async function save({ force = false, focus = false } = {}) {
      clearTimeout(timer);
      timer = null;
      while (inFlight) await inFlight;
      if (conflict) return false;
      const answers = payloadAnswers();
      const snapshot = JSON.stringify(answers);
      if (snapshot === savedSnapshot && !(force && version === null)) {
        dirty = false;
        return true;
      }
      dirty = false;
      inFlight = putDraft(answers, snapshot, focus);
      const ok = await inFlight;
      inFlight = null;
      if (ok && dirty && !timer) schedule(AUTOSAVE_AFTER_MS); // typed while it was saving
      return ok;
    }

    async function putDraft(answers, snapshot, focus) {
      setSaveStatus(TEXT.savingDraft, "saving");
      const result = await api(`${base}/draft`, { method: "PUT", body: { answers, version } });
      if (result.status === 200 && result.body) {
        const stored = draftOf(result.body) || result.body;
        version = stored.version;
        savedSnapshot = snapshot;
        if (draftErrorsShown) {
          IEH.clearFieldErrors(form);
          draftErrorsShown = false;
        }
        showSavedAt(stored.updated_at);
        return true;
      }
      dirty = true; // what the form holds is still not stored
      if (result.status === 409) {
        conflict = conflictOf(result);
        setSaveStatus(TEXT.notSavedConflict, "conflict");
        showDraftConflict(focus);
        return false;
      }
      if (result.status === 422) {
        const error = (result.body && result.body.error) || {};
        showErrors(form, error.fields || {}, { message: TEXT.draftInvalid, focus });
        draftErrorsShown = true;
        setSaveStatus(TEXT.notSavedInvalid, "invalid");
        return false;
      }
      if (result.status === 0 || result.status === 429 || result.status >= 500) {
        setSaveStatus(TEXT.saveFailed, "failed");
        schedule(RETRY_SAVE_AFTER_MS);
        return false;
      }
      setSaveStatus(`${TEXT.notSaved}: ${IEH.errorMessage(result)}`, "failed");
      return false;
    }

    function showDraftConflict(focus) {
      showConflict(
        form,
        TEXT.draftConflict,
        [
          { label: TEXT.loadDraft, name: "load-draft", run: loadStoredDraft },
          { label: TEXT.keepMine, name: "keep-mine", run: keepMine },
        ],
        focus,
      );
      updateSubmit();
    }

    async function loadStoredDraft() {
      let draft = conflict && conflict.draft;
      if (!conflict || !conflict.known) {
        const result = await api(base);
        if (result.status !== 200 || !result.body) {
          if (result.status !== 401) showMessage(message, IEH.errorMessage(result), "error");
          showDraftConflict(true);
          return;
        }
        draft = result.body.draft;
      }
      conflict = null;
      applyDraft(draft);
      showMessage(message, TEXT.draftLoaded, "info");
      focusOn(message);
    }

    async function keepMine() {
      if (conflict && conflict.known) {
        version = conflict.draft ? conflict.draft.version : null;
      } else {
        const result = await api(base);
        if (result.status !== 200 || !result.body) {
          if (result.status !== 401) showMessage(message, IEH.errorMessage(result), "error");
          showDraftConflict(true);
          return;
        }
        version = result.body.draft ? result.body.draft.version : null;
      }
      conflict = null;
      savedSnapshot = null;
      updateSubmit();
      await save({ force: true, focus: true });
      if (!conflict) focusOn(saveStatus);
    }

    function applyDraft(draft) {
      clearTimeout(timer);
      timer = null;
      dirty = false;
      fillAnswers(draft ? draft.answers : {});
      version = draft ? draft.version : null;
      refresh();
      savedSnapshot = JSON.stringify(payloadAnswers());
      if (draft && draft.updated_at) showSavedAt(draft.updated_at);
      else setSaveStatus("", "idle");
    }

    function onEdit(event) {
      const name = event.target && event.target.name;
      if (!name || !questions.has(name)) return;
      refresh();
      dirty = true;
      if (!conflict) schedule(AUTOSAVE_AFTER_MS);
    }

    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);

    byId("saq-save").addEventListener("click", async () => {
      if (conflict) {
        showDraftConflict(true);
        return;
      }
      await save({ force: true, focus: true });
    });

    window.addEventListener("beforeunload", (event) => {
      if (!dirty && !inFlight) return;
      event.preventDefault();
      event.returnValue = TEXT.leaveUnsaved;
    });

    // -- submitting a version

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (submitting) return;
      if (conflict) {
        showDraftConflict(true);
        return;
      }
      IEH.clearFieldErrors(form);
      draftErrorsShown = false;
      showMessage(message, "");
      const missing = missingAnswers();
      if (hasProblems(missing)) {
        showErrors(form, missing, { message: TEXT.submitIncomplete });
        return;
      }
      submitting = true;
      setBusy(submit, true, TEXT.submitting);
      const saved = await save({ force: true, focus: true });
      let result = null;
      if (saved && version !== null) {
        result = await api(`${base}/submit`, { method: "POST", body: { version } });
      }
      submitting = false;
      setBusy(submit, false);
      updateSubmit();
      if (!result) return; // saving said why
      if ((result.status === 201 || result.status === 200) && result.body) {
        await reload();
        showMessage(message, TEXT.submitted(result.body.number), "success");
        focusOn(message);
        return;
      }
      if (result.status === 409) {
        conflict = conflictOf(result);
        showDraftConflict(true);
        return;
      }
      if (result.status === 401) return;
      if (result.status === 422) {
        showApiErrors(form, result, { message: TEXT.submitIncomplete });
        return;
      }
      showApiErrors(form, result);
    });

    // -- earlier versions, read-only

    const versionsTable = byId("saq-versions");
    const view = byId("saq-version-view");
    let opener = null;

    function renderVersions(items) {
      versionsTable.querySelector("tbody").replaceChildren(
        ...items.map((item) => {
          const button = smallButton(
            TEXT.show,
            { "data-version-number": String(item.number), "aria-controls": "saq-version-view", "aria-expanded": "false" },
            ` ${TEXT.version(item.number)}`,
          );
          button.addEventListener("click", () => openVersion(item.number, button));
          return el("tr", { "data-version-number": String(item.number) }, [
            el("td", {}, TEXT.version(item.number)),
            el("td", {}, IEH.formatDateTime(item.submitted_at) || ""),
            el("td", {}, personName(item.submitted_by)),
            el("td", {}, button),
          ]);
        }),
      );
      versionsTable.hidden = items.length === 0;
      byId("saq-versions-empty").hidden = items.length > 0;
    }

    function closeVersion() {
      view.hidden = true;
      view.replaceChildren();
      if (opener) {
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      }
      opener = null;
    }

    async function openVersion(number, button) {
      const status = byId("saq-versions-message");
      showMessage(status, "");
      setButtonBusy(button, true, TEXT.downloading);
      const result = await api(`${base}/versions/${enc(number)}`);
      setButtonBusy(button, false);
      if (result.status !== 200 || !result.body) {
        if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
        return;
      }
      if (opener && opener !== button) opener.setAttribute("aria-expanded", "false");
      opener = button;
      button.setAttribute("aria-expanded", "true");
      renderVersion(result.body);
    }

    function answersList(entries) {
      return el(
        "dl",
        { class: "ieh-answers" },
        entries.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value)]),
      );
    }

    function renderVersion(stored) {
      const answers = stored.answers || {};
      const known = new Set();
      const parts = [
        el("h3", { id: "saq-version-title", tabindex: "-1" }, TEXT.versionTitle(stored.number, IEH.formatDateTime(stored.submitted_at) || "")),
      ];
      const who = personName(stored.submitted_by);
      if (who) parts.push(el("p", { class: "ieh-muted" }, TEXT.versionBy(who)));
      if (stored.questionnaire_version && stored.questionnaire_version !== questionnaire.version) {
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
      const close = el("button", { type: "button", class: "md-button", "data-action": "close-version" }, TEXT.close);
      close.addEventListener("click", closeVersion);
      parts.push(close);
      view.replaceChildren(...parts);
      view.dataset.versionNumber = String(stored.number);
      view.hidden = false;
      byId("saq-version-title").focus();
    }

    // -- loading the draft and the versions

    async function startFromVersion(number) {
      const result = await api(`${base}/versions/${enc(number)}`);
      if (result.status !== 200 || !result.body) return;
      if (dirty || version !== null) return; // the member has started meanwhile
      fillAnswers(result.body.answers || {});
      refresh();
      savedSnapshot = null; // not stored as a draft yet: the first change (or submitting) stores it
      setSaveStatus(TEXT.fromVersion(number), "from-version");
    }

    function applyState(state) {
      const versions = Array.isArray(state.versions) ? state.versions : [];
      renderVersions(versions);
      applyDraft(state.draft || null);
      if (!state.draft && versions.length) return startFromVersion(versions[0].number);
      return null;
    }

    async function reload() {
      const result = await api(base);
      if (result.status === 200 && result.body) await applyState(result.body);
    }

    form.hidden = false;
    await applyState(stateResult.body);
  }

  // ================================================================ audits: the list and the register form

  function findingsSummary(summary, ref) {
    const counts = summary || {};
    const parts = ref.grades
      .filter((grade) => Number(counts[grade.code]) > 0)
      .map((grade) => `${grade.name}: ${counts[grade.code]}`);
    return parts.length ? parts.join(", ") : TEXT.noFindings;
  }

  function documentCell(document) {
    const doc = document || {};
    return el("td", { "data-document-status": doc.status || "" }, [
      doc.status === "rejected" ? badge(documentStatusText(doc), "warning") : documentStatusText(doc),
      doc.status === "rejected" && doc.reason ? el("p", { class: "ieh-muted" }, doc.reason) : null,
    ]);
  }

  function auditRow(audit, ref) {
    const date = formatDay(audit.audit_date);
    const overdue = Number(audit.overdue_actions) || 0;
    return el("tr", { "data-audit-id": audit.id }, [
      el("td", {}, el("a", { href: auditUrl(audit.id) }, [
        nameIn(ref.audit_types, audit.audit_type),
        el("span", { class: "ieh-sr-only" }, `, ${audit.site_name || audit.site_id}, ${date}`),
      ])),
      el("td", {}, audit.site_name || audit.site_id || ""),
      el("td", {}, date),
      el("td", {}, audit.audit_company || ""),
      documentCell(audit.document),
      el("td", { "data-findings-summary": "" }, findingsSummary(audit.summary, ref)),
      el("td", { "data-overdue-actions": String(overdue) }, overdue > 0 ? badge(TEXT.overdueCount(overdue), "warning") : "0"),
    ]);
  }

  async function loadAudits(ref) {
    const table = byId("audits-table");
    const status = byId("audits-message");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${API}/producer/audits`);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    showMessage(status, "");
    const items = result.body.items || [];
    table.querySelector("tbody").replaceChildren(...items.map((audit) => auditRow(audit, ref)));
    table.hidden = items.length === 0;
    byId("audits-empty").hidden = items.length > 0;
  }

  const PILLAR_PRESETS = {
    smeta_2: ["labour", "health_safety"],
    smeta_4: ["labour", "health_safety", "environment", "business_ethics"],
  };

  function initAuditForm(sites, ref) {
    const form = byId("audit-form");
    const submit = byId("audit-submit");
    const status = byId("audit-upload-status");
    const fileInput = byId("audit-file");
    const keys = requestKeys();
    let busy = false;
    let pillarsTouched = false;

    if (!sites.length) {
      form.hidden = true;
      byId("audit-no-sites").hidden = false;
      return;
    }
    fillSelect(
      form.elements.site_id,
      sites.map((site) => ({ code: site.id, name: `${site.name} (${site.id})` })),
      TEXT.chooseSite,
    );
    if (sites.length === 1) form.elements.site_id.value = sites[0].id;
    fillSelect(form.elements.audit_type, ref.audit_types, TEXT.chooseAuditType);
    fillCheckboxes(byId("audit-pillars"), ref.pillars, "pillars", "audit-pillar");
    form.elements.audit_date.max = today();

    // SMETA's pillars are known; tick them for the member until they choose themselves.
    form.elements.audit_type.addEventListener("change", () => {
      const preset = PILLAR_PRESETS[form.elements.audit_type.value];
      if (preset && !pillarsTouched) setChecked(form, "pillars", preset);
    });
    byId("audit-pillars").addEventListener("change", () => {
      pillarsTouched = true;
    });

    function collect() {
      const problems = IEH.missingFields(form, ["site_id", "audit_type", "audit_date", "audit_company"]);
      const pillars = checkedValues(form, "pillars");
      if (!pillars.length) problems.pillars = TEXT.choosePillars;
      const file = fileInput.files && fileInput.files[0];
      let contentType = null;
      if (!file) problems.file = TEXT.chooseReport;
      else if (!(contentType = allowedType(file, REPORT_TYPES))) problems.file = TEXT.notPdf;
      else if (sizeProblem(file)) problems.file = sizeProblem(file);
      const data = {
        site_id: textOf(form, "site_id"),
        audit_type: textOf(form, "audit_type"),
        audit_date: textOf(form, "audit_date"),
        audit_company: textOf(form, "audit_company"),
        pillars,
      };
      if (file && contentType) Object.assign(data, { file_name: file.name, content_type: contentType, size_bytes: file.size });
      return { data, file, problems };
    }

    function finish() {
      busy = false;
      setBusy(submit, false);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const { data, file, problems } = collect();
      if (hasProblems(problems)) {
        showErrors(form, problems);
        return;
      }
      busy = true;
      setBusy(submit, true, TEXT.registering);
      try {
        await register(data, file);
      } finally {
        finish();
      }
    });

    async function register(data, file) {
      // One key per request until it has succeeded: a retry (after a lost answer or a failed
      // upload) returns the same audit instead of registering it twice.
      const body = { request_id: keys.for(JSON.stringify([data, file.lastModified])), ...data };
      showMessage(status, TEXT.registering, "info");
      const created = await api(`${API}/producer/audits`, { method: "POST", body });
      if (!(created.status === 201 || created.status === 200) || !created.body || !created.body.audit) {
        showMessage(status, "");
        if (created.status === 409) keys.forget(); // the key is taken by another request: the next try gets a new one
        if (created.status !== 401) showApiErrors(form, withFileFields(created, "file"));
        return;
      }
      const { audit, upload } = created.body;
      loadAudits(ref); // the new audit shows in the list with its document's status

      if (upload) {
        // No form when a retry finds the file already in: it only needs its check.
        showMessage(status, TEXT.uploading(file.name), "info");
        const sent = await uploadFile(upload, file);
        if (!sent.ok) {
          showMessage(status, "");
          if (sent.tooLarge) showErrors(form, { file: TEXT.tooLarge(IEH.formatBytes(file.size)) });
          else showErrors(form, {}, { message: TEXT.uploadFailed });
          return;
        }
      }

      showMessage(status, TEXT.checking, "info");
      const outcome = await pollAudit(audit.id, (current) => current.document);
      if (outcome.ended) return;
      keys.forget(); // the check has given its verdict (or is late): a new attempt is a new audit
      loadAudits(ref);
      const openLink = el("a", { href: auditUrl(audit.id) }, TEXT.openAudit);
      if (outcome.timedOut) {
        form.reset();
        pillarsTouched = false;
        showMessage(status, [TEXT.checkSlow, " ", openLink], "info");
        focusOn(status);
        return;
      }
      if (outcome.document.status === "available") {
        form.reset();
        pillarsTouched = false;
        if (sites.length === 1) form.elements.site_id.value = sites[0].id;
        showMessage(status, [TEXT.auditReady, " ", openLink], "success");
        focusOn(status);
        return;
      }
      showMessage(status, "");
      showErrors(form, { file: outcome.document.reason || TEXT.rejectedNoReason }, { message: TEXT.fileRejected });
    }
  }

  async function initAuditsPage() {
    const message = byId("audits-message");
    const [{ reference: ref, result: refResult }, sitesResult] = await Promise.all([
      loadReference(),
      api(`${API}/producer/sites`),
    ]);
    if (!ref || sitesResult.status !== 200 || !sitesResult.body) {
      const failed = ref ? sitesResult : refResult;
      if (failed.status !== 401) showMessage(message, IEH.errorMessage(failed), "error");
      return;
    }
    initAuditForm(sitesResult.body.items || [], ref);
    await loadAudits(ref);
  }

  // ================================================================ one audit: the report, findings, actions, evidence

  async function initAuditPage() {
    const message = byId("audit-message");
    const auditId = idFromAddress();
    const back = el("a", { href: IEH.pageUrl("members/audits/") }, TEXT.backToAudits);
    if (!auditId) {
      showMessage(message, [TEXT.missingAuditId, " ", back], "error");
      return;
    }
    const [{ reference: ref, result: refResult }, result] = await Promise.all([
      loadReference(),
      api(`${API}/producer/audits/${enc(auditId)}`),
    ]);
    if (result.status === 401 || (refResult && refResult.status === 401)) return;
    if (result.status === 404) {
      showMessage(message, [TEXT.auditNotFound, " ", back], "error");
      return;
    }
    if (!ref || result.status !== 200 || !result.body) {
      showMessage(message, IEH.errorMessage(ref ? result : refResult), "error");
      return;
    }
    const audit = result.body;
    byId("audit-content").classList.add("ieh-open"); // shows the rest of the page (.ieh-gate in portal.css)
    renderAuditFacts(audit, ref);
    renderReport(audit);
    const findings = initFindings(audit, ref);
    initFindingForm(audit, ref, findings);
    watchReport(audit);
  }

  function renderAuditFacts(audit, ref) {
    const type = nameIn(ref.audit_types, audit.audit_type);
    byId("audit-heading").textContent = [type, audit.site_name].filter(Boolean).join(" – ");
    document.title = `${byId("audit-heading").textContent} – ${document.title}`;
    byId("audit-site").replaceChildren(el("a", { href: siteUrl(audit.site_id) }, audit.site_name || audit.site_id));
    byId("audit-type").textContent = type;
    byId("audit-date").textContent = formatDay(audit.audit_date);
    byId("audit-company").textContent = audit.audit_company || "";
    byId("audit-pillars").textContent = (audit.pillars || []).map((code) => nameIn(ref.pillars, code)).join(", ");
    byId("audit-summary").textContent = findingsSummary(audit.summary, ref);
  }

  function renderReport(audit) {
    const doc = audit.document || {};
    const box = byId("audit-document");
    const region = byId("audit-document-message");
    const parts = [
      el("p", {}, [
        el("strong", {}, doc.file_name || ""),
        doc.size_bytes ? ` (${IEH.formatBytes(doc.size_bytes)})` : "",
        " – ",
        el("span", { "data-document-status": doc.status || "" }, documentStatusText(doc)),
      ]),
    ];
    if (doc.status === "rejected" && doc.reason) parts.push(el("p", { class: "ieh-muted" }, doc.reason));
    if (doc.sha256) {
      parts.push(el("p", { class: "ieh-muted" }, [`${TEXT.checksum}: `, el("code", { class: "ieh-checksum" }, doc.sha256)]));
    }
    if (doc.status === "available" && doc.id) {
      const button = el("button", { type: "button", id: "audit-download", class: "md-button" }, [
        TEXT.downloadReport,
        el("span", { class: "ieh-sr-only" }, doc.file_name ? ` (${doc.file_name})` : ""),
      ]);
      button.addEventListener("click", () => downloadDocument(doc.id, button, region));
      parts.push(button);
    }
    box.dataset.documentStatus = doc.status || "";
    box.replaceChildren(...parts);
  }

  /** A report still being checked when the page opens: follow it for a minute. */
  async function watchReport(audit) {
    const doc = audit.document || {};
    if (SETTLED.includes(doc.status) || !doc.status) return;
    const region = byId("audit-document-message");
    showMessage(region, TEXT.reportChecking, "info");
    const outcome = await pollAudit(audit.id, (current) => current.document);
    if (outcome.ended) return;
    if (outcome.timedOut) {
      showMessage(region, TEXT.auditSlow, "info");
      return;
    }
    showMessage(region, "");
    renderReport(outcome.audit);
  }

  function initFindings(audit, ref) {
    const container = byId("findings-list");
    let count = 0;

    function group(grade) {
      let section = container.querySelector(`:scope > section[data-grade="${CSS.escape(grade)}"]`);
      if (section) return section;
      const name = nameIn(ref.grades, grade);
      section = el("section", { class: "ieh-grade", "data-grade": grade, "aria-labelledby": `grade-${domId(grade)}` }, [
        el("h3", { id: `grade-${domId(grade)}` }, [name, " ", el("span", { class: "ieh-muted", "data-grade-count": "" })]),
        el("ul", { class: "ieh-cards" }),
      ]);
      // Groups follow the order of the grades in the reference data (critical first).
      const order = ref.grades.map((item) => item.code);
      const position = order.indexOf(grade);
      const next = Array.from(container.querySelectorAll(":scope > section[data-grade]")).find((other) => {
        const index = order.indexOf(other.dataset.grade);
        return position !== -1 && (index === -1 || index > position);
      });
      container.insertBefore(section, next || null);
      return section;
    }

    function updateCounts() {
      for (const section of container.querySelectorAll(":scope > section[data-grade]")) {
        const n = section.querySelectorAll("[data-finding-id]").length;
        section.querySelector("[data-grade-count]").textContent = `(${n})`;
      }
      byId("findings-empty").hidden = container.querySelector("[data-finding-id]") !== null;
    }

    function add(finding) {
      count += 1;
      const card = findingCard(audit, finding, count, ref);
      group(finding.grade).querySelector("ul").append(card);
      updateCounts();
      return card;
    }

    for (const finding of audit.findings || []) add(finding);
    updateCounts();
    return { add };
  }

  function findingCard(audit, finding, n, ref) {
    const fid = domId(finding.id);
    const titleId = `finding-${fid}-title`;
    const card = el("li", { class: "ieh-card ieh-finding", id: `finding-${fid}`, "data-finding-id": finding.id, "data-grade": finding.grade }, [
      el("h4", { class: "ieh-card__title", id: titleId }, TEXT.findingTitle(n, nameIn(ref.pillars, finding.pillar))),
      el("p", { class: "ieh-finding__description" }, finding.description || ""),
    ]);
    if (!finding.action) {
      card.append(el("p", { class: "ieh-muted" }, TEXT.noActionNeeded));
      return card;
    }
    const meta = el("p", { class: "ieh-finding__meta", "data-action-meta": "" });
    card.append(meta, actionForm(audit, finding, n, ref, meta));
    return card;
  }

  function actionForm(audit, finding, n, ref, meta) {
    const fid = domId(finding.id);
    const idOf = (name) => `action-${fid}-${name.replace(/_/g, "-")}`;
    const hintOf = (name) => `${idOf(name)}-hint`;
    const field = (name, label, control, hint = null) =>
      el("div", { class: "ieh-field" }, [
        el("label", { for: idOf(name) }, label),
        hint ? el("p", { class: "ieh-field__hint", id: hintOf(name) }, hint) : null,
        control,
      ]);
    const textarea = (name, hint = false) =>
      el("textarea", { id: idOf(name), name, rows: "3", "aria-describedby": hint ? hintOf(name) : null });
    const fileId = `evidence-file-${fid}`;
    const evidenceList = el("ul", { class: "ieh-evidence", "data-evidence-list": "" });
    const evidenceEmpty = el("p", { class: "ieh-muted", "data-evidence-empty": "" }, TEXT.noEvidence);
    const fileInput = el("input", {
      type: "file",
      id: fileId,
      name: "evidence",
      accept: "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png",
      "aria-describedby": `${fileId}-hint`,
    });
    const uploadButton = smallButton(TEXT.uploadEvidence, { "data-evidence-upload": "" }, TEXT.forFinding(n));
    const uploadStatus = el("p", { class: "ieh-message", role: "status", "data-evidence-upload-status": "" });
    const status = el("p", { class: "ieh-message", role: "status", "data-action-status": "" });
    const submit = el("button", { type: "submit", class: "md-button md-button--primary" }, [
      TEXT.saveAction,
      el("span", { class: "ieh-sr-only" }, TEXT.forFinding(n)),
    ]);

    const form = el("form", { class: "ieh-form ieh-action", "data-action-form": "", novalidate: true, "aria-label": TEXT.actionFor(n) }, [
      el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
      el("h5", { class: "ieh-action__title" }, TEXT.actionTitle),
      field("root_cause", TEXT.rootCause, textarea("root_cause")),
      field("action", TEXT.actionLabel, textarea("action")),
      field("owner", TEXT.owner, el("input", { type: "text", id: idOf("owner"), name: "owner", autocomplete: "off" })),
      field("due_date", TEXT.dueDate, el("input", { type: "date", id: idOf("due_date"), name: "due_date" })),
      field(
        "status",
        TEXT.status,
        el(
          "select",
          { id: idOf("status"), name: "status", "aria-describedby": hintOf("status") },
          ref.action_statuses.map((item) => el("option", { value: item.code }, item.name)),
        ),
        TEXT.statusHint,
      ),
      field("completion_note", TEXT.completionNote, textarea("completion_note", true), TEXT.completionHint),
      el("fieldset", { class: "ieh-field ieh-evidence-field" }, [
        el("legend", {}, TEXT.evidence),
        evidenceList,
        evidenceEmpty,
        el("label", { for: fileId }, TEXT.evidenceFile),
        el("p", { class: "ieh-field__hint", id: `${fileId}-hint` }, TEXT.evidenceHint),
        el("div", { class: "ieh-upload" }, [fileInput, uploadButton]),
        uploadStatus,
      ]),
      status,
      submit,
    ]);

    const auditPath = `${API}/producer/audits/${enc(audit.id)}/findings/${enc(finding.id)}`;
    const keys = requestKeys();
    let action = finding.action; // the stored action, as last seen
    let sending = false;
    let uploading = false;

    function showMeta() {
      const statusName = nameIn(ref.action_statuses, action.status);
      meta.replaceChildren(TEXT.statusLine(statusName, formatDay(action.due_date) || "–"));
      meta.dataset.status = action.status || "";
      if (action.overdue) meta.append(" ", el("span", { class: "ieh-badge ieh-badge--warning", "data-overdue": "" }, TEXT.overdue));
    }

    function renderEvidence() {
      const items = Array.isArray(action.evidence) ? action.evidence : [];
      evidenceList.replaceChildren(
        ...items.map((doc) => {
          const item = el("li", { "data-evidence-id": doc.id, "data-evidence-status": doc.status || "" }, [
            doc.file_name || "",
            doc.size_bytes ? ` (${IEH.formatBytes(doc.size_bytes)})` : "",
            " – ",
            doc.status === "rejected" ? badge(documentStatusText(doc), "warning") : documentStatusText(doc),
            doc.status === "rejected" && doc.reason ? el("span", { class: "ieh-muted" }, ` ${doc.reason}`) : null,
          ]);
          if (doc.status === "available" && doc.id) {
            const button = smallButton(TEXT.download, { "data-document-id": doc.id }, ` ${doc.file_name || ""}`);
            button.addEventListener("click", () => downloadDocument(doc.id, button, uploadStatus));
            item.append(" ", button);
          }
          return item;
        }),
      );
      evidenceList.hidden = items.length === 0;
      evidenceEmpty.hidden = items.length > 0;
    }

    function fill() {
      for (const name of ACTION_FIELDS) setText(form, name, action[name]);
      showMeta();
      renderEvidence();
    }

    function collect() {
      const data = {};
      for (const name of ACTION_FIELDS) data[name] = textOf(form, name);
      if (!data.due_date) delete data.due_date;
      return data;
    }

    /** The fields a 422 on "awaiting verification" (or "closed") is about, when the server names none. */
    function verificationProblems(data) {
      const problems = {};
      if (!data.completion_note) problems.completion_note = TEXT.noteNeeded;
      if (!(action.evidence || []).some((doc) => doc.status === "available")) problems.evidence = TEXT.evidenceNeeded;
      return problems;
    }

    async function loadStored(current) {
      let stored = current;
      if (!stored) {
        const result = await api(`${API}/producer/audits/${enc(audit.id)}`);
        const found = result.status === 200 && result.body ? (result.body.findings || []).find((item) => item.id === finding.id) : null;
        if (!found || !found.action) {
          if (result.status !== 401) showApiErrors(form, result.status === 200 ? { status: 500 } : result);
          return;
        }
        stored = found.action;
      }
      action = stored;
      fill();
      showMessage(status, TEXT.theirsLoaded, "info");
      focusOn(status);
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const data = collect();
      sending = true;
      setButtonBusy(submit, true, TEXT.saving);
      const result = await api(`${auditPath}/action`, { method: "PATCH", body: { ...data, version: action.version } });
      sending = false;
      setButtonBusy(submit, false);
      if (result.status === 200 && result.body) {
        action = result.body;
        fill();
        showMessage(status, TEXT.actionSaved, "success");
        return;
      }
      if (result.status === 409) {
        const current = conflictCurrent(result);
        showConflict(form, TEXT.conflictAction, [{ label: TEXT.loadTheirs, name: "load-current", run: () => loadStored(current) }]);
        return;
      }
      if (result.status === 401) return;
      if (result.status === 422 && NEEDS_EVIDENCE.includes(data.status) && data.status !== action.status) {
        const error = (result.body && result.body.error) || {};
        const fields = error.fields && Object.keys(error.fields).length ? formFieldNames(form, error.fields) : verificationProblems(data);
        showErrors(form, fields, { message: TEXT.statusRefused(nameIn(ref.action_statuses, data.status)) });
        return;
      }
      showApiErrors(form, result);
    });

    uploadButton.addEventListener("click", async () => {
      if (uploading) return;
      IEH.clearFieldErrors(form);
      showMessage(uploadStatus, "");
      const file = fileInput.files && fileInput.files[0];
      const contentType = file ? allowedType(file, EVIDENCE_TYPES) : null;
      const problem = !file ? TEXT.chooseEvidence : !contentType ? TEXT.evidenceWrongType : sizeProblem(file);
      if (problem) {
        showErrors(form, { evidence: problem });
        return;
      }
      uploading = true;
      setButtonBusy(uploadButton, true, TEXT.uploadingShort);
      try {
        await uploadEvidence(file, contentType);
      } finally {
        uploading = false;
        setButtonBusy(uploadButton, false);
      }
    });

    async function uploadEvidence(file, contentType) {
      const described = { file_name: file.name, content_type: contentType, size_bytes: file.size };
      const body = { request_id: keys.for(JSON.stringify([described, file.lastModified])), ...described };
      showMessage(uploadStatus, TEXT.preparing, "info");
      const created = await api(`${auditPath}/evidence`, { method: "POST", body });
      if (!(created.status === 201 || created.status === 200) || !created.body || !created.body.document) {
        showMessage(uploadStatus, "");
        if (created.status === 409) keys.forget();
        if (created.status !== 401) showApiErrors(form, withFileFields(created, "evidence"));
        return;
      }
      const { document: doc, upload } = created.body;
      action.evidence = (action.evidence || []).filter((item) => item.id !== doc.id).concat([doc]);
      renderEvidence();

      if (upload) {
        showMessage(uploadStatus, TEXT.uploading(file.name), "info");
        const sent = await uploadFile(upload, file);
        if (!sent.ok) {
          showMessage(uploadStatus, "");
          if (sent.tooLarge) showErrors(form, { evidence: TEXT.tooLarge(IEH.formatBytes(file.size)) });
          else showErrors(form, {}, { message: TEXT.uploadFailed });
          return;
        }
      }

      showMessage(uploadStatus, TEXT.checking, "info");
      const pick = (current) => {
        const found = (current.findings || []).find((item) => item.id === finding.id);
        return found && found.action ? (found.action.evidence || []).find((item) => item.id === doc.id) : null;
      };
      const outcome = await pollAudit(audit.id, pick);
      if (outcome.ended) return;
      keys.forget();
      if (outcome.timedOut) {
        showMessage(uploadStatus, TEXT.evidenceSlow, "info");
        return;
      }
      adopt(outcome.audit);
      if (outcome.document.status === "available") {
        fileInput.value = "";
        showMessage(uploadStatus, TEXT.evidenceReady(file.name), "success");
        return;
      }
      showMessage(uploadStatus, "");
      showErrors(form, { evidence: outcome.document.reason || TEXT.rejectedNoReason }, { message: TEXT.fileRejected });
    }

    /**
     * Take the evidence list from a fresher copy of the audit. If nothing else in the action has
     * changed, its new version is ours too (adding evidence may count as a change); if someone else
     * has edited it, keep the version we had, so that saving says so instead of overwriting.
     */
    function adopt(current) {
      const found = (current.findings || []).find((item) => item.id === finding.id);
      if (!found || !found.action) return;
      const fresh = found.action;
      const sameFields = ACTION_FIELDS.every((name) => (fresh[name] || "") === (action[name] || ""));
      if (sameFields) {
        action = fresh;
        showMeta();
      } else {
        action = { ...action, evidence: fresh.evidence };
      }
      renderEvidence();
    }

    fill();
    return form;
  }

  function initFindingForm(audit, ref, findings) {
    const form = byId("finding-form");
    const submit = byId("finding-submit");
    const status = byId("finding-add-message");
    let sending = false;
    fillSelect(form.elements.grade, ref.grades, TEXT.chooseGrade);
    fillSelect(form.elements.pillar, ref.pillars, TEXT.choosePillar);
    const summary = { ...(audit.summary || {}) };

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const problems = IEH.missingFields(form, ["grade", "pillar", "description"]);
      if (hasProblems(problems)) {
        showErrors(form, problems);
        return;
      }
      const data = { grade: textOf(form, "grade"), pillar: textOf(form, "pillar"), description: textOf(form, "description") };
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/producer/audits/${enc(audit.id)}/findings`, { method: "POST", body: data });
      sending = false;
      setBusy(submit, false);
      if ((result.status === 201 || result.status === 200) && result.body) {
        const card = findings.add(result.body);
        summary[result.body.grade] = (Number(summary[result.body.grade]) || 0) + 1;
        byId("audit-summary").textContent = findingsSummary(summary, ref);
        form.reset();
        showMessage(status, [TEXT.findingAdded, " ", el("a", { href: `#${card.id}` }, TEXT.goToFinding)], "success");
        focusOn(status);
        return;
      }
      if (result.status !== 401) showApiErrors(form, result);
    });
  }

  // ================================================================ start

  const PAGES = {
    producer: initProducerPage,
    site: initSitePage,
    audits: initAuditsPage,
    audit: initAuditPage,
  };

  /** Called by members.js once GET /me has said that this member's organisation is a producer. */
  function init(page) {
    const start = PAGES[page];
    return start ? start() : Promise.resolve();
  }

  IEH.producer = { init };
})();
