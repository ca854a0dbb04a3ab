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
      // login
      loggingIn: "Logger inn …",
      loggedOut: "Du er logget ut.",
      loginToContinue: "Logg inn for å fortsette der du var.",
      alreadyLoggedIn: (who) => `Du er allerede logget inn som ${who}. `,
      goToMembers: "Gå til medlemsområdet",
      enterEmail: "Skriv inn e-postadressen din.",
      enterPassword: "Skriv inn passordet ditt.",
      totpNeeded: "Skriv inn den sekssifrede koden fra autentiseringsappen din.",
      totpFormat: "Koden har seks siffer.",
      enterRecovery: "Skriv inn en av gjenopprettingskodene dine.",
      waitSeconds: (n) => `Vent ${n} ${n === 1 ? "sekund" : "sekunder"} før du prøver igjen.`,
      waitMinutes: (n) => `Vent ${n} ${n === 1 ? "minutt" : "minutter"} før du prøver igjen.`,
      resetSent:
        "Hvis det finnes en konto med denne e-postadressen, har vi sendt en e-post med en lenke for å lage nytt passord. Lenken virker én gang og bare en kort stund. Finner du ikke e-posten, se i søppelpostmappen.",
      // passwords
      passwordTooShort: "Passordet må ha minst 12 tegn.",
      passwordTooLong: "Passordet kan ha høyst 128 tegn.",
      // reset password
      resetNoToken:
        "Lenken er ufullstendig. Kopier hele lenken fra e-posten inn i adressefeltet, eller be om en ny lenke.",
      resetExpired: "Lenken er utløpt eller allerede brukt. Be om en ny lenke for å lage nytt passord.",
      askNewLink: "Be om en ny lenke",
      resetDone: "Passordet er endret. Du kan nå logge inn med det nye passordet.",
      goToLogin: "Gå til innlogging",
      saving: "Lagrer …",
      // invitation
      invitationMissing:
        "Lenken er ufullstendig. Kopier hele lenken fra invitasjonen inn i adressefeltet.",
      invitationExpired:
        "Invitasjonen er utløpt eller allerede brukt. Be den som inviterte deg, om en ny invitasjon, eller kontakt IEH. Har du allerede laget en konto, kan du logge inn.",
      // dashboard
      greeting: (name) => `Hei, ${name}!`,
      roles: { admin: "Administrator", member: "Medlem" },
      staff: "IEH-ansatt",
      orgTypes: { buyer: "innkjøper", producer: "produsent", both: "innkjøper og produsent", ieh: "IEH" },
      loggingOut: "Logger ut …",
      // account
      passwordChanged: "Passordet er endret. Du er logget ut på alle andre enheter.",
      thisSession: "Denne økten",
      thisDevice: "denne enheten",
      endSession: "Avslutt økt",
      endSessionFor: (what) => ` (${what})`,
      sessionEnded: "Økten er avsluttet.",
      othersEnded: (n) =>
        n === 0 ? "Det var ingen andre økter å avslutte." : n === 1 ? "1 annen økt er avsluttet." : `${n} andre økter er avsluttet.`,
      unknownDevice: "Ukjent enhet",
      deviceOn: (browser, os) => `${browser} på ${os}`,
      totpOn: "Tofaktorautentisering er slått på for kontoen din.",
      totpOff: "Tofaktorautentisering er slått av.",
      totpEnabled: "Tofaktorautentisering er slått på. Neste gang du logger inn, trenger du en kode fra appen.",
      totpDisabled: "Du har slått av tofaktorautentisering. Nå logger du inn med bare passordet.",
      copied: "Kodene er kopiert.",
      copyFailed: "Kunne ikke kopiere. Merk kodene og kopier dem selv.",
      confirmSaved: "Kryss av for at du har tatt vare på kodene.",
      recoveryFileName: "ieh-gjenopprettingskoder.txt",
      recoveryFileTitle: "Gjenopprettingskoder for Etisk handel Norge. Hver kode kan brukes én gang.",
      leaveWithCodes: "Gjenopprettingskodene vises bare nå. Vil du forlate siden?",
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
      loggingIn: "Logging in …",
      loggedOut: "You have logged out.",
      loginToContinue: "Log in to continue where you were.",
      alreadyLoggedIn: (who) => `You are already logged in as ${who}. `,
      goToMembers: "Go to the members area",
      enterEmail: "Enter your email address.",
      enterPassword: "Enter your password.",
      totpNeeded: "Enter the 6-digit code from your authenticator app.",
      totpFormat: "The code has 6 digits.",
      enterRecovery: "Enter one of your recovery codes.",
      waitSeconds: (n) => `Please wait ${n} ${n === 1 ? "second" : "seconds"} before trying again.`,
      waitMinutes: (n) => `Please wait ${n} ${n === 1 ? "minute" : "minutes"} before trying again.`,
      resetSent:
        "If there is an account with this email address, we have sent an email with a link to set a new password. The link works once and only for a short time. If you cannot find the email, look in your spam folder.",
      passwordTooShort: "The password must have at least 12 characters.",
      passwordTooLong: "The password can have at most 128 characters.",
      resetNoToken:
        "The link is incomplete. Copy the whole link from the email into the address bar, or ask for a new link.",
      resetExpired: "The link has expired or has already been used. Ask for a new link to set a new password.",
      askNewLink: "Ask for a new link",
      resetDone: "Your password has been changed. You can now log in with the new password.",
      goToLogin: "Go to the login page",
      saving: "Saving …",
      invitationMissing: "The link is incomplete. Copy the whole link from the invitation into the address bar.",
      invitationExpired:
        "The invitation has expired or has already been used. Ask the person who invited you for a new invitation, or contact IEH. If you have already created your account, you can log in.",
      greeting: (name) => `Hello, ${name}!`,
      roles: { admin: "Administrator", member: "Member" },
      staff: "IEH staff",
      orgTypes: { buyer: "buyer", producer: "producer", both: "buyer and producer", ieh: "IEH" },
      loggingOut: "Logging out …",
      passwordChanged: "Your password has been changed. You have been logged out on all other devices.",
      thisSession: "This session",
      thisDevice: "this device",
      endSession: "End session",
      endSessionFor: (what) => ` (${what})`,
      sessionEnded: "The session has ended.",
      othersEnded: (n) =>
        n === 0 ? "There were no other sessions to end." : n === 1 ? "1 other session has ended." : `${n} other sessions have ended.`,
      unknownDevice: "Unknown device",
      deviceOn: (browser, os) => `${browser} on ${os}`,
      totpOn: "Two-factor authentication is on for your account.",
      totpOff: "Two-factor authentication is off.",
      totpEnabled: "Two-factor authentication is on. Next time you log in, you will need a code from the app.",
      totpDisabled: "You have turned off two-factor authentication. You now log in with your password alone.",
      copied: "The codes have been copied.",
      copyFailed: "Could not copy. Select the codes and copy them yourself.",
      confirmSaved: "Tick the box to confirm that you have saved the codes.",
      recoveryFileName: "ieh-recovery-codes.txt",
      recoveryFileTitle: "Recovery codes for Ethical Trade Norway. Each code can be used once.",
      leaveWithCodes: "The recovery codes are shown only now. Leave the page?",
      when: "When",
    },
  }[IEH.lang];

  const byId = (id) => document.getElementById(id);

  function link(href, text) {
    return el("a", { href }, text);
  }

  /** A link with another token pasted into the same tab changes only the fragment: start again. */
  function restartOnNewToken() {
    window.addEventListener("hashchange", () => {
      if (/(^#|&)token=/.test(location.hash)) location.reload();
    });
  }

  /** The token in the page address's fragment (#token=…): fragments never reach server logs. */
  function tokenFromHash() {
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    const token = (params.get("token") || "").trim();
    return token || null;
  }

  /** How long to wait, from a Retry-After header in seconds, as a sentence; "" without one. */
  function waitSentence(headers) {
    const seconds = Number.parseInt((headers && headers.get("Retry-After")) || "", 10);
    if (!Number.isFinite(seconds) || seconds <= 0) return "";
    return seconds < 60 ? TEXT.waitSeconds(seconds) : TEXT.waitMinutes(Math.ceil(seconds / 60));
  }

  /** A password's length in characters (not UTF-16 units), checked against the portal's rule. */
  function passwordProblem(value) {
    const length = [...value].length;
    if (length < 12) return TEXT.passwordTooShort;
    if (length > 128) return TEXT.passwordTooLong;
    return null;
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

  // ================================================================ login

  function initLogin() {
    const form = byId("login-form");
    if (!form) return;
    const message = byId("login-message");
    const status = byId("login-status");
    const submit = byId("login-submit");
    const email = byId("login-email");
    const password = byId("login-password");
    const totpGroup = byId("login-totp");
    const totp = byId("login-totp-code");
    const recoveryGroup = byId("login-recovery");
    const recovery = byId("login-recovery-code");
    const restart = byId("login-restart");
    const params = new URLSearchParams(location.search);
    const next = IEH.safeNext(params.get("next"));
    let step = "password"; // then "totp" or "recovery" when the account has a second factor
    let sending = false;

    if (params.has("logged_out")) showMessage(status, TEXT.loggedOut, "success");
    else if (next) showMessage(status, TEXT.loginToContinue, "info");

    // Already logged in (another tab, or the back button): offer the way in.
    api(`${API}/me`).then(({ status: code, body }) => {
      if (code === 200 && body) {
        showMessage(
          status,
          [TEXT.alreadyLoggedIn(body.name || body.email), link(next || IEH.pageUrl("members/"), TEXT.goToMembers)],
          "info",
        );
      }
    });

    function showStep(newStep) {
      step = newStep;
      const second = step !== "password";
      totpGroup.hidden = step !== "totp";
      recoveryGroup.hidden = step !== "recovery";
      restart.hidden = !second;
      email.readOnly = second;
      password.readOnly = second;
      if (step === "totp") totp.focus();
      if (step === "recovery") recovery.focus();
    }

    byId("login-use-recovery").addEventListener("click", (event) => {
      event.preventDefault();
      IEH.clearFieldErrors(form, message);
      showStep("recovery");
    });
    byId("login-use-totp").addEventListener("click", (event) => {
      event.preventDefault();
      IEH.clearFieldErrors(form, message);
      showStep("totp");
    });
    restart.addEventListener("click", () => {
      IEH.clearFieldErrors(form, message);
      totp.value = "";
      recovery.value = "";
      password.value = "";
      showStep("password");
      password.focus();
    });

    function problems() {
      const found = {};
      if (!email.value.trim()) found.email = TEXT.enterEmail;
      if (!password.value) found.password = TEXT.enterPassword;
      if (step === "totp") {
        const code = totp.value.replace(/\s+/g, "");
        if (!code) found.totp_code = TEXT.totpNeeded;
        else if (!/^\d{6}$/.test(code)) found.totp_code = TEXT.totpFormat;
      }
      if (step === "recovery" && !recovery.value.trim()) found.recovery_code = TEXT.enterRecovery;
      return found;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form, message);
      const found = problems();
      if (Object.keys(found).length) {
        IEH.showFieldErrors(form, found, { summary: message });
        return;
      }
      const data = { email: email.value.trim(), password: password.value };
      if (step === "totp") data.totp_code = totp.value.replace(/\s+/g, "");
      if (step === "recovery") data.recovery_code = recovery.value.trim();

      sending = true;
      setBusy(submit, true, TEXT.loggingIn);
      const result = await api(`${API}/auth/login`, { method: "POST", body: data });
      const code = result.body && result.body.error ? result.body.error.code : null;
      if (result.status === 200) {
        location.assign(next || IEH.pageUrl("members/"));
        return; // stay busy while the next page loads
      }
      sending = false;
      setBusy(submit, false);
      if (result.status === 401 && code === "totp_required") {
        showMessage(status, TEXT.totpNeeded, "info");
        showStep("totp");
        return;
      }
      if (result.status === 401 && code === "totp_invalid") {
        const field = step === "recovery" ? "recovery_code" : "totp_code";
        IEH.showFieldErrors(form, { [field]: IEH.errorMessage(result) }, { summary: message, message: IEH.errorMessage(result) });
        return;
      }
      if (result.status === 429) {
        const wait = waitSentence(result.headers);
        IEH.showFieldErrors(form, {}, { summary: message, message: [IEH.errorMessage(result), wait].filter(Boolean).join(" ") });
        return;
      }
      if (result.status === 401 && code === "invalid_credentials") {
        password.value = "";
        if (step !== "password") showStep("password");
      }
      IEH.showApiError(form, result, { summary: message });
    });

    initForgotPassword();
  }

  function initForgotPassword() {
    const form = byId("forgot-form");
    if (!form) return;
    const input = byId("forgot-email");
    const submit = byId("forgot-submit");
    const status = byId("forgot-message");
    const trigger = byId("forgot-password-link");
    if (trigger) {
      trigger.addEventListener("click", () => {
        const typed = byId("login-email");
        if (typed && typed.value.trim() && !input.value) input.value = typed.value.trim();
        setTimeout(() => input.focus(), 0); // after the browser has scrolled to the section
      });
    }
    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      if (!input.value.trim()) {
        IEH.showFieldErrors(form, { email: TEXT.enterEmail });
        return;
      }
      sending = true;
      setBusy(submit, true);
      const result = await api(`${API}/auth/password-reset`, { method: "POST", body: { email: input.value.trim() } });
      sending = false;
      setBusy(submit, false);
      if (result.status >= 200 && result.status < 300) {
        showMessage(status, TEXT.resetSent, "success");
        return;
      }
      if (result.status === 429) {
        const wait = waitSentence(result.headers);
        IEH.showFieldErrors(form, {}, { message: [IEH.errorMessage(result), wait].filter(Boolean).join(" ") });
        return;
      }
      IEH.showApiError(form, result);
    });
  }

  // ================================================================ new password from an e-mailed link

  function initResetPassword() {
    const form = byId("reset-form");
    if (!form) return;
    const message = byId("reset-message");
    const done = byId("reset-done");
    const submit = byId("reset-submit");
    const input = byId("reset-password");
    const token = tokenFromHash();
    restartOnNewToken();

    function askAgain(text) {
      form.hidden = true;
      showMessage(message, [text + " ", link(IEH.pageUrl("login/#forgot-password"), TEXT.askNewLink)], "error");
      focusOn(message);
    }

    if (!token) {
      askAgain(TEXT.resetNoToken);
      return;
    }
    form.hidden = false;
    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      const problem = passwordProblem(input.value);
      if (problem) {
        IEH.showFieldErrors(form, { password: problem });
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/auth/password-reset/complete`, {
        method: "POST",
        body: { token, password: input.value },
      });
      sending = false;
      setBusy(submit, false);
      if (result.status === 204 || result.status === 200) {
        form.hidden = true;
        showMessage(done, [TEXT.resetDone + " ", link(IEH.pageUrl("login/"), TEXT.goToLogin)], "success");
        focusOn(done);
        return;
      }
      if (result.status === 404) {
        askAgain(TEXT.resetExpired);
        return;
      }
      IEH.showApiError(form, result);
    });
  }

  // ================================================================ accepting an invitation

  async function initInvitation() {
    const app = byId("invitation-app");
    if (!app) return;
    const message = byId("invitation-message");
    const form = byId("invitation-form");
    const submit = byId("invitation-submit");
    const token = tokenFromHash();
    restartOnNewToken();

    function refuse(text) {
      app.classList.remove("ieh-open");
      showMessage(message, [text + " ", link(IEH.pageUrl("login/"), TEXT.goToLogin)], "error");
      focusOn(message);
    }

    if (!token) {
      refuse(TEXT.invitationMissing);
      return;
    }
    app.setAttribute("aria-busy", "true");
    const found = await api(`${API}/auth/invitations/${encodeURIComponent(token)}`);
    app.setAttribute("aria-busy", "false");
    if (found.status === 404) {
      refuse(TEXT.invitationExpired);
      return;
    }
    if (found.status !== 200 || !found.body) {
      showMessage(message, IEH.errorMessage(found), "error");
      return;
    }
    byId("invitation-organisation").textContent = found.body.organisation_name || "";
    byId("invitation-email").value = found.body.email || "";
    if (found.body.name && !byId("invitation-name").value) byId("invitation-name").value = found.body.name;
    app.classList.add("ieh-open");

    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      const problems = IEH.missingFields(form, ["name"]);
      const problem = passwordProblem(form.elements.password.value);
      if (problem) problems.password = problem;
      if (Object.keys(problems).length) {
        IEH.showFieldErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/auth/invitations/accept`, {
        method: "POST",
        body: { token, name: form.elements.name.value.trim(), password: form.elements.password.value },
      });
      if (result.status === 200) {
        location.assign(IEH.pageUrl("members/"));
        return;
      }
      sending = false;
      setBusy(submit, false);
      if (result.status === 404) {
        refuse(TEXT.invitationExpired);
        return;
      }
      IEH.showApiError(form, result);
    });
  }

  // ================================================================ dashboard

  function renderDashboard() {
    byId("dashboard-greeting").textContent = TEXT.greeting(me.name || me.email);
    const org = me.organisation || {};
    const type = TEXT.orgTypes[org.type];
    byId("dashboard-organisation").textContent = type && org.type !== "ieh" ? `${org.name} (${type})` : org.name || "";
    byId("dashboard-role").textContent = [TEXT.roles[me.role] || me.role, me.is_staff ? TEXT.staff : null]
      .filter(Boolean)
      .join(" · ");
    byId("dashboard-email").textContent = me.email || "";
    byId("dashboard-mfa-notice").hidden = !me.mfa_setup_required;

    const list = byId("dashboard-attention");
    const items = Array.isArray(me.attention) ? me.attention : [];
    list.replaceChildren(
      ...items.map((item) => {
        const href = IEH.sameOriginHref(item.link);
        return el("li", { "data-kind": item.kind || null }, href ? link(href, item.message) : item.message);
      }),
    );
    list.hidden = items.length === 0;
    byId("dashboard-attention-empty").hidden = items.length > 0;
  }

  function initLogout() {
    const button = byId("logout-button");
    if (!button) return;
    button.addEventListener("click", async () => {
      setBusy(button, true, TEXT.loggingOut);
      const result = await api(`${API}/auth/logout`, { method: "POST" });
      if (result.status === 0 || result.status >= 500) {
        setBusy(button, false);
        showMessage(membersMessage(), IEH.errorMessage(result), "error");
        return;
      }
      IEH.setCsrfToken(null);
      location.assign(`${IEH.pageUrl("login/")}?logged_out=1`);
    });
  }

  // ================================================================ account: password, sessions, two-factor

  function initPasswordChange() {
    const form = byId("password-form");
    if (!form) return;
    const submit = byId("password-submit");
    const status = byId("password-message");
    for (const id of ["password-username", "totp-disable-username"]) {
      const username = byId(id);
      if (username) username.value = me.email || ""; // for password managers
    }
    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const problems = IEH.missingFields(form, ["current_password"]);
      const problem = passwordProblem(form.elements.new_password.value);
      if (problem) problems.new_password = problem;
      if (Object.keys(problems).length) {
        IEH.showFieldErrors(form, problems);
        return;
      }
      sending = true;
      setBusy(submit, true, TEXT.saving);
      const result = await api(`${API}/account/password`, {
        method: "POST",
        body: { current_password: form.elements.current_password.value, new_password: form.elements.new_password.value },
      });
      sending = false;
      setBusy(submit, false);
      if (result.status === 204 || result.status === 200) {
        form.reset();
        IEH.resetPasswordToggles(form);
        showMessage(status, TEXT.passwordChanged, "success");
        await api(`${API}/me`); // the session's anti-CSRF token may have been renewed
        loadSessions();
        return;
      }
      IEH.showApiError(form, result);
    });
  }

  /** "Firefox on Windows" from a user agent string; the full string stays in the title. */
  function describeDevice(userAgent) {
    const ua = userAgent || "";
    const browsers = [
      [/Edg\//, "Edge"],
      [/OPR\/|Opera/, "Opera"],
      [/Firefox\//, "Firefox"],
      [/Chrome\/|Chromium\//, "Chrome"],
      [/Safari\//, "Safari"],
    ];
    const systems = [
      [/iPhone|iPad|iPod/, "iOS"],
      [/Android/, "Android"],
      [/Windows/, "Windows"],
      [/Mac OS X|Macintosh/, "macOS"],
      [/CrOS/, "ChromeOS"],
      [/Linux/, "Linux"],
    ];
    const browser = (browsers.find(([pattern]) => pattern.test(ua)) || [])[1];
    const system = (systems.find(([pattern]) => pattern.test(ua)) || [])[1];
    if (browser && system) return TEXT.deviceOn(browser, system);
    return browser || system || (ua ? ua.slice(0, 60) : TEXT.unknownDevice);
  }

  async function loadSessions() {
    const body = byId("sessions-body");
    if (!body) return;
    const status = byId("sessions-message");
    const table = byId("sessions-table");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${API}/account/sessions`);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const items = result.body.items || [];
    body.replaceChildren(
      ...items.map((session) => {
        const device = describeDevice(session.user_agent);
        const deviceCell = el("td", { title: session.user_agent || null }, device);
        if (session.current) deviceCell.append(" ", el("span", { class: "ieh-badge" }, TEXT.thisDevice));
        let action;
        if (session.current) {
          action = el("td", {}, TEXT.thisSession);
        } else {
          const started = IEH.formatDateTime(session.created_at) || "";
          const button = el(
            "button",
            { type: "button", class: "md-button ieh-button--small", "data-action": "end-session", "data-session-id": session.id },
            [TEXT.endSession, el("span", { class: "ieh-sr-only" }, TEXT.endSessionFor([device, started].filter(Boolean).join(", ")))],
          );
          button.addEventListener("click", () => endSession(session.id, button));
          action = el("td", {}, button);
        }
        return el("tr", { "data-session-id": session.id, class: session.current ? "ieh-row--current" : null }, [
          el("td", {}, IEH.formatDateTime(session.created_at) || ""),
          el("td", {}, IEH.formatDateTime(session.last_seen_at) || ""),
          deviceCell,
          el("td", {}, session.ip || ""),
          action,
        ]);
      }),
    );
    const others = items.filter((session) => !session.current).length;
    byId("end-other-sessions").hidden = others === 0;
    byId("sessions-none").hidden = others > 0;
  }

  async function endSession(id, button) {
    const status = byId("sessions-message");
    setBusy(button, true, TEXT.saving);
    const result = await api(`${API}/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (result.status === 204 || result.status === 200 || result.status === 404) {
      showMessage(status, TEXT.sessionEnded, "success");
      await loadSessions();
      focusOn(byId("sessions") || byId("sessions-table"));
      return;
    }
    setBusy(button, false);
    showMessage(status, IEH.errorMessage(result), "error");
  }

  function initSessions() {
    const endOthers = byId("end-other-sessions");
    if (!endOthers) return;
    endOthers.addEventListener("click", async () => {
      const status = byId("sessions-message");
      setBusy(endOthers, true, TEXT.saving);
      const result = await api(`${API}/account/sessions/end-others`, { method: "POST" });
      setBusy(endOthers, false);
      if (result.status === 200) {
        const ended = result.body && Number.isInteger(result.body.ended) ? result.body.ended : 0;
        showMessage(status, TEXT.othersEnded(ended), "success");
        await loadSessions();
        focusOn(status);
        return;
      }
      showMessage(status, IEH.errorMessage(result), "error");
    });
    loadSessions();
  }

  function svgDataUrl(svg) {
    const bytes = new TextEncoder().encode(svg);
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return `data:image/svg+xml;base64,${btoa(binary)}`;
  }

  function initTwoFactor() {
    const section = byId("totp-section");
    if (!section) return;
    const status = byId("totp-message");
    const off = byId("totp-off");
    const on = byId("totp-on");
    const setup = byId("totp-setup");
    const recoveryBox = byId("totp-recovery");
    const startButton = byId("totp-setup-start");
    const confirmForm = byId("totp-confirm-form");
    const confirmSubmit = byId("totp-confirm-submit");
    const disableForm = byId("totp-disable-form");
    const disableSubmit = byId("totp-disable-submit");
    let codes = [];

    function render() {
      byId("totp-state").textContent = me.totp_enabled ? TEXT.totpOn : TEXT.totpOff;
      byId("totp-required-notice").hidden = !me.mfa_setup_required;
      const showingCodes = !recoveryBox.hidden;
      off.hidden = me.totp_enabled || !setup.hidden || showingCodes;
      on.hidden = !me.totp_enabled || showingCodes;
      byId("totp-staff-note").hidden = !me.is_staff;
      disableForm.hidden = Boolean(me.is_staff);
    }

    function warnBeforeLeaving(event) {
      event.preventDefault();
      event.returnValue = TEXT.leaveWithCodes;
      return TEXT.leaveWithCodes;
    }

    startButton.addEventListener("click", async () => {
      showMessage(status, "");
      setBusy(startButton, true, TEXT.loading);
      const result = await api(`${API}/account/totp`, { method: "POST" });
      setBusy(startButton, false);
      if (result.status !== 200 || !result.body) {
        showMessage(status, IEH.errorMessage(result), "error");
        return;
      }
      const { secret, otpauth_uri: uri, qr_svg: svg } = result.body;
      const qr = byId("totp-qr");
      qr.hidden = !svg;
      if (svg) qr.src = svgDataUrl(svg); // its alt text is in the page
      byId("totp-secret").textContent = (secret || "").replace(/(.{4})(?=.)/g, "$1 ");
      const open = byId("totp-open-app");
      const safeUri = typeof uri === "string" && uri.startsWith("otpauth://") ? uri : null;
      open.hidden = !safeUri;
      if (safeUri) open.href = safeUri;
      confirmForm.reset();
      IEH.clearFieldErrors(confirmForm);
      setup.hidden = false;
      render();
      focusOn(byId("totp-setup-heading"));
    });

    byId("totp-setup-cancel").addEventListener("click", () => {
      setup.hidden = true;
      render();
      startButton.focus();
    });

    let sending = false;
    confirmForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(confirmForm);
      const code = confirmForm.elements.code.value.replace(/\s+/g, "");
      if (!/^\d{6}$/.test(code)) {
        IEH.showFieldErrors(confirmForm, { code: code ? TEXT.totpFormat : TEXT.totpNeeded });
        return;
      }
      sending = true;
      setBusy(confirmSubmit, true, TEXT.saving);
      const result = await api(`${API}/account/totp/confirm`, { method: "POST", body: { code } });
      sending = false;
      setBusy(confirmSubmit, false);
      if (result.status !== 200 || !result.body) {
        const error = (result.body && result.body.error) || {};
        const fields = error.fields || (result.status > 0 && result.status < 500 ? { code: IEH.errorMessage(result) } : {});
        IEH.showFieldErrors(confirmForm, fields, { message: IEH.errorMessage(result) });
        return;
      }
      codes = Array.isArray(result.body.recovery_codes) ? result.body.recovery_codes : [];
      byId("totp-recovery-codes").replaceChildren(...codes.map((code) => el("li", {}, el("code", {}, code))));
      byId("totp-recovery-saved").checked = false;
      IEH.clearFieldErrors(byId("totp-recovery-form"));
      setup.hidden = true;
      recoveryBox.hidden = false;
      me.totp_enabled = true;
      me.mfa_setup_required = false;
      render();
      window.addEventListener("beforeunload", warnBeforeLeaving);
      focusOn(byId("totp-recovery-heading"));
      api(`${API}/me`).then(({ status: code, body }) => {
        if (code === 200 && body) me = { ...me, ...body };
      });
    });

    byId("totp-recovery-copy").addEventListener("click", async () => {
      const region = byId("totp-recovery-status");
      try {
        await navigator.clipboard.writeText(codes.join("\n"));
        showMessage(region, TEXT.copied, "success");
      } catch (_) {
        showMessage(region, TEXT.copyFailed, "error");
      }
    });

    byId("totp-recovery-download").addEventListener("click", () => {
      const text = `${TEXT.recoveryFileTitle}\n\n${codes.join("\n")}\n`;
      const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
      const anchor = el("a", { href: url, download: TEXT.recoveryFileName, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });

    byId("totp-recovery-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const form = event.currentTarget;
      IEH.clearFieldErrors(form);
      if (!byId("totp-recovery-saved").checked) {
        IEH.showFieldErrors(form, { saved: TEXT.confirmSaved }, { summary: false });
        return;
      }
      window.removeEventListener("beforeunload", warnBeforeLeaving);
      codes = [];
      byId("totp-recovery-codes").replaceChildren();
      showMessage(byId("totp-recovery-status"), "");
      recoveryBox.hidden = true;
      render();
      showMessage(status, TEXT.totpEnabled, "success");
      focusOn(status);
    });

    disableForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(disableForm);
      showMessage(status, "");
      const problems = IEH.missingFields(disableForm, ["password"]);
      if (Object.keys(problems).length) {
        IEH.showFieldErrors(disableForm, problems);
        return;
      }
      sending = true;
      setBusy(disableSubmit, true, TEXT.saving);
      const result = await api(`${API}/account/totp`, {
        method: "DELETE",
        body: { password: disableForm.elements.password.value },
      });
      sending = false;
      setBusy(disableSubmit, false);
      if (result.status === 204 || result.status === 200) {
        disableForm.reset();
        IEH.resetPasswordToggles(disableForm);
        me.totp_enabled = false;
        render();
        showMessage(status, TEXT.totpDisabled, "success");
        focusOn(status);
        return;
      }
      IEH.showApiError(disableForm, result);
    });

    render();
    if (location.hash === "#two-factor") section.scrollIntoView();
  }

  // ================================================================ courses
  // ================================================================ start

  async function initMembersPage() {
    const app = membersApp();
    if (!app) return;
    const opened = await openMembersPage(app);
    if (!opened) return;
    switch (app.dataset.membersPage) {
      case "dashboard":
        renderDashboard();
        initLogout();
        break;
      case "account":
        initPasswordChange();
        initSessions();
        initTwoFactor();
        break;
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
    initLogin();
    initResetPassword();
    initInvitation();
    initMembersPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
