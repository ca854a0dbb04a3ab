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
      when: "Tid",
      where: "Sted",
      seats: "Plasser",
      seatsLeft: (left, capacity) => `${left} av ${capacity} ledige`,
      full: (waiting) => (waiting ? `Fullt – ${waiting} på ventelisten` : "Fullt"),
      registered: "Du er påmeldt.",
      waitingAt: (n) => (n ? `Du er nummer ${n} på ventelisten.` : "Du står på ventelisten."),
      register: "Meld meg på",
      joinWaitingList: "Sett meg på ventelisten",
      cancel: "Meld meg av",
      leaveWaitingList: "Gå av ventelisten",
      registeredFor: (title) => `Du er påmeldt «${title}».`,
      waitingFor: (title, n) =>
        n ? `Kurset «${title}» er fullt. Du er nummer ${n} på ventelisten.` : `Du står på ventelisten til «${title}».`,
      cancelledFor: (title) => `Du er meldt av «${title}».`,
      // resources
      download: "Last ned",
      downloading: "Henter …",
      kinds: {
        pdf: "PDF",
        docx: "Word",
        doc: "Word",
        xlsx: "Excel",
        xls: "Excel",
        pptx: "PowerPoint",
        guide: "Veileder",
        template: "Mal",
        report: "Rapport",
        presentation: "Presentasjon",
        link: "Lenke",
      },
      // organisation
      you: "deg",
      statuses: { active: "Aktiv", invited: "Invitert", disabled: "Deaktivert" },
      roleFor: (name) => `Rolle for ${name}`,
      disable: "Deaktiver",
      enable: "Aktiver",
      roleChanged: (name, role) => `${name} har nå rollen ${role.toLowerCase()}.`,
      userDisabled: (name) => `${name} er deaktivert og kan ikke lenger logge inn.`,
      userEnabled: (name) => `${name} er aktivert igjen.`,
      invited: (email) => `Invitasjonen er sendt til ${email}.`,
      resend: "Send invitasjonen på nytt",
      moreEvents: (n) => (n === 1 ? "1 hendelse til vises." : `${n} hendelser til vises.`),
      eventKinds: {
        login_succeeded: "Innlogging",
        login_failed: "Mislykket innlogging",
        login_throttled: "Innlogging midlertidig sperret",
        logout: "Utlogging",
        password_changed: "Passord endret",
        password_reset_requested: "Nytt passord bedt om",
        password_reset: "Nytt passord laget",
        password_reset_completed: "Nytt passord laget",
        role_changed: "Rolle endret",
        user_disabled: "Bruker deaktivert",
        user_enabled: "Bruker aktivert",
        user_invited: "Bruker invitert",
        invitation_accepted: "Invitasjon godtatt",
        totp_enabled: "Tofaktorautentisering slått på",
        totp_disabled: "Tofaktorautentisering slått av",
        recovery_code_used: "Gjenopprettingskode brukt",
        session_ended: "Økt avsluttet",
        sessions_ended: "Økter avsluttet",
      },
      // IEH administration
      noApplications: {
        received: "Ingen nye søknader.",
        approved: "Ingen godkjente søknader.",
        rejected: "Ingen avslåtte søknader.",
      },
      categories: {
        company: "Bedrift",
        organisation: "Organisasjon",
        municipality: "Kommune",
        county_council: "Fylkeskommune",
      },
      applicationStatuses: { received: "Mottatt", approved: "Godkjent", rejected: "Avslått" },
      organisationNumber: "Organisasjonsnummer",
      numberMember: (number, member) =>
        `Organisasjonsnummeret ${number} tilhører allerede medlemmet ${member}. Søknaden kan ikke godkjennes som en ny organisasjon – avslå den, eller kontakt medlemmet.`,
      category: "Medlemstype",
      contact: "Kontaktperson",
      email: "E-post",
      phone: "Telefon",
      receivedAt: "Mottatt",
      fee: "Kontingent",
      status: "Status",
      messageFromApplicant: "Melding fra søkeren",
      orgTypeLabel: "Type organisasjon i portalen",
      chooseOrgType: "Velg type",
      orgTypeOptions: { buyer: "Innkjøper", producer: "Produsent", both: "Innkjøper og produsent" },
      chooseOrgTypeError: "Velg type organisasjon.",
      approve: "Godkjenn",
      reasonLabel: "Begrunnelse for avslag",
      reasonHint: "Begrunnelsen sendes til søkeren.",
      reasonRequired: "Skriv en begrunnelse for avslaget.",
      reject: "Avslå",
      approved: (name, email) => `${name} er godkjent. Invitasjonen er sendt til ${email}.`,
      rejected: (name) => `Søknaden fra ${name} er avslått.`,
      coursePublished: (title) => `Kurset «${title}» er publisert.`,
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
      where: "Where",
      seats: "Seats",
      seatsLeft: (left, capacity) => `${left} of ${capacity} available`,
      full: (waiting) => (waiting ? `Fully booked – ${waiting} on the waiting list` : "Fully booked"),
      registered: "You are registered.",
      waitingAt: (n) => (n ? `You are number ${n} on the waiting list.` : "You are on the waiting list."),
      register: "Sign up",
      joinWaitingList: "Join the waiting list",
      cancel: "Cancel my registration",
      leaveWaitingList: "Leave the waiting list",
      registeredFor: (title) => `You are registered for “${title}”.`,
      waitingFor: (title, n) =>
        n ? `“${title}” is fully booked. You are number ${n} on the waiting list.` : `You are on the waiting list for “${title}”.`,
      cancelledFor: (title) => `Your registration for “${title}” has been cancelled.`,
      download: "Download",
      downloading: "Fetching …",
      kinds: {
        pdf: "PDF",
        docx: "Word",
        doc: "Word",
        xlsx: "Excel",
        xls: "Excel",
        pptx: "PowerPoint",
        guide: "Guide",
        template: "Template",
        report: "Report",
        presentation: "Presentation",
        link: "Link",
      },
      you: "you",
      statuses: { active: "Active", invited: "Invited", disabled: "Disabled" },
      roleFor: (name) => `Role for ${name}`,
      disable: "Disable",
      enable: "Enable",
      roleChanged: (name, role) => `${name} now has the role ${role.toLowerCase()}.`,
      userDisabled: (name) => `${name} has been disabled and can no longer log in.`,
      userEnabled: (name) => `${name} has been enabled again.`,
      invited: (email) => `The invitation has been sent to ${email}.`,
      resend: "Send the invitation again",
      moreEvents: (n) => (n === 1 ? "1 more event shown." : `${n} more events shown.`),
      eventKinds: {
        login_succeeded: "Logged in",
        login_failed: "Failed login",
        login_throttled: "Login temporarily blocked",
        logout: "Logged out",
        password_changed: "Password changed",
        password_reset_requested: "New password requested",
        password_reset: "New password set",
        password_reset_completed: "New password set",
        role_changed: "Role changed",
        user_disabled: "User disabled",
        user_enabled: "User enabled",
        user_invited: "User invited",
        invitation_accepted: "Invitation accepted",
        totp_enabled: "Two-factor authentication turned on",
        totp_disabled: "Two-factor authentication turned off",
        recovery_code_used: "Recovery code used",
        session_ended: "Session ended",
        sessions_ended: "Sessions ended",
      },
      noApplications: {
        received: "No new applications.",
        approved: "No approved applications.",
        rejected: "No rejected applications.",
      },
      categories: {
        company: "Company",
        organisation: "Organisation",
        municipality: "Municipality",
        county_council: "County council",
      },
      applicationStatuses: { received: "Received", approved: "Approved", rejected: "Rejected" },
      organisationNumber: "Organisation number",
      numberMember: (number, member) =>
        `Organisation number ${number} already belongs to the member ${member}. The application cannot be approved as a new organisation – reject it, or contact the member.`,
      category: "Member type",
      contact: "Contact person",
      email: "Email",
      phone: "Phone",
      receivedAt: "Received",
      fee: "Fee",
      status: "Status",
      messageFromApplicant: "Message from the applicant",
      orgTypeLabel: "Organisation type in the portal",
      chooseOrgType: "Choose a type",
      orgTypeOptions: { buyer: "Buyer", producer: "Producer", both: "Buyer and producer" },
      chooseOrgTypeError: "Choose the organisation type.",
      approve: "Approve",
      reasonLabel: "Reason for rejecting",
      reasonHint: "The reason is sent to the applicant.",
      reasonRequired: "Write a reason for rejecting the application.",
      reject: "Reject",
      approved: (name, email) => `${name} has been approved. The invitation has been sent to ${email}.`,
      rejected: (name) => `The application from ${name} has been rejected.`,
      coursePublished: (title) => `The course “${title}” has been published.`,
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

  function courseSeats(course) {
    const capacity = Number(course.capacity) || 0;
    const left = Math.max(0, capacity - (Number(course.seats_taken) || 0));
    return left > 0 ? TEXT.seatsLeft(left, capacity) : TEXT.full(Number(course.waiting) || 0);
  }

  async function loadCourses(focusCourseId = null) {
    const list = byId("courses-list");
    const status = byId("courses-message");
    list.setAttribute("aria-busy", "true");
    const result = await api(`${API}/courses`);
    list.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const courses = result.body.items || [];
    byId("courses-empty").hidden = courses.length > 0;
    list.replaceChildren(
      ...courses.map((course, index) => {
        const headingId = `course-${index}-title`;
        const full = (Number(course.capacity) || 0) - (Number(course.seats_taken) || 0) <= 0;
        const facts = el("dl", { class: "ieh-facts" }, [
          el("dt", {}, TEXT.when),
          el("dd", {}, IEH.formatDateTime(course.starts_at) || ""),
          el("dt", {}, TEXT.where),
          el("dd", {}, course.location || ""),
          el("dt", {}, TEXT.seats),
          el("dd", { "data-course-seats": "" }, courseSeats(course)),
        ]);
        const mine =
          course.my_status === "registered"
            ? TEXT.registered
            : course.my_status === "waiting"
              ? TEXT.waitingAt(course.my_position)
              : "";
        const action = course.my_status ? "cancel" : "register";
        const label = course.my_status
          ? course.my_status === "waiting"
            ? TEXT.leaveWaitingList
            : TEXT.cancel
          : full
            ? TEXT.joinWaitingList
            : TEXT.register;
        const button = el(
          "button",
          {
            type: "button",
            class: `md-button${action === "register" ? " md-button--primary" : ""}`,
            "data-action": action,
            "aria-describedby": headingId,
          },
          label,
        );
        button.addEventListener("click", () => courseAction(course, action, button));
        return el("li", { class: "ieh-card", "data-course-id": course.id }, [
          el("h2", { id: headingId, class: "ieh-card__title" }, course.title),
          course.description ? el("p", {}, course.description) : null,
          facts,
          el("p", { class: "ieh-course__status", "data-course-status": course.my_status || "none", hidden: !mine }, mine),
          el("div", { class: "ieh-actions" }, button),
        ]);
      }),
    );
    if (focusCourseId !== null) {
      const item = list.querySelector(`[data-course-id="${CSS.escape(String(focusCourseId))}"] button`);
      if (item) item.focus();
    }
  }

  async function courseAction(course, action, button) {
    const status = byId("courses-message");
    setBusy(button, true, TEXT.saving);
    const path = `${API}/courses/${encodeURIComponent(course.id)}/registration`;
    const result = await api(path, { method: action === "register" ? "POST" : "DELETE" });
    if (result.status === 201 || result.status === 200 || result.status === 204) {
      if (action === "cancel") showMessage(status, TEXT.cancelledFor(course.title), "success");
      else if (result.body && result.body.status === "waiting")
        showMessage(status, TEXT.waitingFor(course.title, result.body.position), "success");
      else showMessage(status, TEXT.registeredFor(course.title), "success");
      await loadCourses(course.id);
      return;
    }
    setBusy(button, false);
    showMessage(status, IEH.errorMessage(result), "error");
    if (result.status === 409) await loadCourses(course.id); // the course changed meanwhile
  }

  // ================================================================ resources

  async function loadResources() {
    const body = byId("resources-body");
    const status = byId("resources-message");
    const table = byId("resources-table");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${API}/resources`);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const items = result.body.items || [];
    table.hidden = items.length === 0;
    byId("resources-empty").hidden = items.length > 0;
    body.replaceChildren(
      ...items.map((item) => {
        const button = el(
          "button",
          { type: "button", class: "md-button ieh-button--small", "data-action": "download", "data-resource-id": item.id },
          [TEXT.download, el("span", { class: "ieh-sr-only" }, ` ${item.title}`)],
        );
        button.addEventListener("click", () => download(item, button));
        const kind = String(item.kind || "");
        return el("tr", { "data-resource-id": item.id }, [
          el("td", {}, [el("strong", {}, item.title), item.description ? el("p", { class: "ieh-muted" }, item.description) : null]),
          el("td", {}, TEXT.kinds[kind.toLowerCase()] || kind),
          el("td", { class: "ieh-number" }, IEH.formatBytes(item.size_bytes)),
          el("td", {}, IEH.formatDate(item.updated_at) || ""),
          el("td", {}, button),
        ]);
      }),
    );
  }

  async function download(item, button) {
    const status = byId("resources-message");
    showMessage(status, "");
    setBusy(button, true, TEXT.downloading);
    const result = await api(`${API}/resources/${encodeURIComponent(item.id)}/download`, { method: "POST" });
    setBusy(button, false);
    let url = null;
    try {
      url = result.status === 200 && result.body ? new URL(result.body.url, location.href) : null;
    } catch (_) {
      url = null;
    }
    if (url && (url.protocol === "https:" || url.protocol === "http:")) {
      location.assign(url.href); // a short-lived link: follow it now
      return;
    }
    showMessage(status, IEH.errorMessage(result.status === 200 ? { status: 500 } : result), "error");
  }

  // ================================================================ organisation (its administrators)

  function statusLabel(value) {
    return TEXT.statuses[value] || value || "";
  }

  async function loadOrgUsers() {
    const body = byId("org-users-body");
    const table = byId("org-users-table");
    const status = byId("org-users-message");
    table.setAttribute("aria-busy", "true");
    const result = await api(`${API}/org/users`);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    body.replaceChildren(...(result.body.items || []).map((user, index) => orgUserRow(user, index)));
  }

  function orgUserRow(user, index) {
    const self = me && user.user_id === me.user_id;
    const name = user.name || user.email;
    const nameCell = el("td", {}, name);
    if (self) nameCell.append(` (${TEXT.you})`);
    let roleCell;
    if (self) {
      roleCell = el("td", {}, TEXT.roles[user.role] || user.role);
    } else {
      const id = `org-user-role-${index}`;
      const select = el(
        "select",
        { id, class: "ieh-control", "data-action": "role" },
        Object.entries(TEXT.roles).map(([value, label]) => el("option", { value, selected: value === user.role }, label)),
      );
      select.addEventListener("change", () => changeRole(user, select));
      roleCell = el("td", {}, [el("label", { for: id, class: "ieh-sr-only" }, TEXT.roleFor(name)), select]);
    }
    let action = el("td", {});
    if (!self) {
      const disabled = user.status === "disabled";
      const button = el(
        "button",
        { type: "button", class: "md-button ieh-button--small", "data-action": disabled ? "enable" : "disable" },
        [disabled ? TEXT.enable : TEXT.disable, el("span", { class: "ieh-sr-only" }, ` ${name}`)],
      );
      button.addEventListener("click", () => setDisabled(user, !disabled, button));
      const buttons = [button];
      if (user.status === "invited") {
        const again = el(
          "button",
          { type: "button", class: "md-button ieh-button--small", "data-action": "resend" },
          [TEXT.resend, el("span", { class: "ieh-sr-only" }, ` ${name}`)],
        );
        again.addEventListener("click", () => resendInvitation(user, again));
        buttons.push(" ", again);
      }
      action = el("td", {}, buttons);
    }
    return el("tr", { "data-user-id": user.user_id, "data-status": user.status }, [
      nameCell,
      el("td", {}, user.email || ""),
      roleCell,
      el("td", {}, statusLabel(user.status)),
      action,
    ]);
  }

  async function resendInvitation(user, button) {
    const status = byId("org-users-message");
    setBusy(button, true, TEXT.saving);
    const result = await api(`${API}/org/users/${encodeURIComponent(user.user_id)}/invitation`, { method: "POST" });
    setBusy(button, false);
    if (result.status === 200) {
      showMessage(status, TEXT.invited(user.email), "success");
      loadSecurityEvents(true);
      return;
    }
    showMessage(status, IEH.errorMessage(result), "error");
  }

  async function patchUser(user, change) {
    return api(`${API}/org/users/${encodeURIComponent(user.user_id)}`, { method: "PATCH", body: change });
  }

  async function changeRole(user, select) {
    const status = byId("org-users-message");
    const wanted = select.value;
    select.disabled = true;
    const result = await patchUser(user, { role: wanted });
    select.disabled = false;
    if (result.status === 200) {
      user.role = wanted;
      const name = user.name || user.email;
      showMessage(status, TEXT.roleChanged(name, TEXT.roles[wanted] || wanted), "success");
      select.focus();
      return;
    }
    select.value = user.role; // not changed: show what is true
    showMessage(status, IEH.errorMessage(result), "error");
  }

  async function setDisabled(user, disabled, button) {
    const status = byId("org-users-message");
    const row = button.closest("tr");
    setBusy(button, true, TEXT.saving);
    const result = await patchUser(user, { disabled });
    if (result.status === 200) {
      const updated = { ...user, ...(result.body || {}), status: (result.body && result.body.status) || (disabled ? "disabled" : "active") };
      const index = [...row.parentNode.children].indexOf(row);
      const fresh = orgUserRow(updated, index);
      row.replaceWith(fresh);
      const name = user.name || user.email;
      showMessage(status, disabled ? TEXT.userDisabled(name) : TEXT.userEnabled(name), "success");
      const next = fresh.querySelector("button");
      if (next) next.focus();
      loadSecurityEvents(true);
      return;
    }
    setBusy(button, false);
    showMessage(status, IEH.errorMessage(result), "error");
  }

  function initInvite() {
    const form = byId("invite-form");
    if (!form) return;
    const submit = byId("invite-submit");
    const status = byId("invite-message");
    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const problems = IEH.missingFields(form, ["name", "email"]);
      if (Object.keys(problems).length) {
        IEH.showFieldErrors(form, problems);
        return;
      }
      const data = {
        name: form.elements.name.value.trim(),
        email: form.elements.email.value.trim(),
        role: form.elements.role.value,
      };
      sending = true;
      setBusy(submit, true);
      const result = await api(`${API}/org/invitations`, { method: "POST", body: data });
      sending = false;
      setBusy(submit, false);
      if (result.status === 201 || result.status === 200) {
        form.reset();
        showMessage(status, TEXT.invited(data.email), "success");
        loadOrgUsers();
        loadSecurityEvents(true);
        return;
      }
      IEH.showApiError(form, result);
    });
  }

  let eventsCursor = null;

  async function loadSecurityEvents(fromStart = false) {
    const body = byId("security-events-body");
    if (!body) return;
    const more = byId("security-events-more");
    const status = byId("security-events-message");
    const table = byId("security-events-table");
    if (fromStart) eventsCursor = null;
    const query = eventsCursor ? `?cursor=${encodeURIComponent(eventsCursor)}` : "";
    table.setAttribute("aria-busy", "true");
    setBusy(more, true, TEXT.loading);
    const result = await api(`${API}/org/security-events${query}`);
    setBusy(more, false);
    table.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const items = result.body.items || [];
    const rows = items.map((item) =>
      el("tr", { "data-kind": item.kind }, [
        el("td", {}, IEH.formatDateTime(item.at) || ""),
        el("td", {}, TEXT.eventKinds[item.kind] || String(item.kind || "").replace(/_/g, " ")),
        el("td", {}, item.actor || ""),
        el("td", {}, [item.subject, item.detail].filter(Boolean).join(" · ")),
      ]),
    );
    if (fromStart || !query) body.replaceChildren(...rows);
    else body.append(...rows);
    eventsCursor = result.body.next_cursor || null;
    more.hidden = !eventsCursor;
    byId("security-events-empty").hidden = body.children.length > 0;
    table.hidden = body.children.length === 0;
    if (query && !fromStart) {
      showMessage(status, TEXT.moreEvents(rows.length), "info");
      if (rows.length && !eventsCursor) focusOn(rows[0]);
    }
  }

  function initSecurityEvents() {
    const more = byId("security-events-more");
    if (!more) return;
    more.addEventListener("click", () => loadSecurityEvents(false));
    loadSecurityEvents(true);
  }

  // ================================================================ IEH administration (staff)

  let applicationCounter = 0;

  async function loadApplications() {
    const list = byId("applications-list");
    const status = byId("applications-message");
    const filter = byId("applications-status").value || "received";
    list.setAttribute("aria-busy", "true");
    const result = await api(`${API}/admin/applications?status=${encodeURIComponent(filter)}`);
    list.setAttribute("aria-busy", "false");
    if (result.status !== 200 || !result.body) {
      if (result.status !== 401) showMessage(status, IEH.errorMessage(result), "error");
      return;
    }
    const items = result.body.items || [];
    const empty = byId("applications-empty");
    empty.textContent = TEXT.noApplications[filter] || "";
    empty.hidden = items.length > 0;
    list.replaceChildren(...items.map(applicationCard));
  }

  function fact(term, value) {
    if (value === null || value === undefined || value === "") return [];
    return [el("dt", {}, term), el("dd", {}, value)];
  }

  function applicationCard(application) {
    const n = ++applicationCounter;
    const headingId = `application-${n}-title`;
    const fee = application.fee && typeof application.fee === "object" ? IEH.describeFee(application.fee) : null;
    const email = application.email ? link(`mailto:${application.email}`, application.email) : null;
    const facts = el("dl", { class: "ieh-facts" }, [
      ...fact(TEXT.organisationNumber, application.organisation_number),
      ...fact(TEXT.category, TEXT.categories[application.category] || application.category),
      ...fact(TEXT.contact, application.contact_name),
      ...fact(TEXT.email, email),
      ...fact(TEXT.phone, application.phone),
      ...fact(TEXT.receivedAt, IEH.formatDateTime(application.created_at)),
      ...fact(TEXT.fee, fee),
      ...fact(TEXT.status, TEXT.applicationStatuses[application.status] || application.status),
    ]);
    const member = application.number_member;
    const card = el("li", { class: "ieh-card", "data-application-id": application.id }, [
      el("h3", { id: headingId, class: "ieh-card__title" }, application.organisation_name),
      // The number is a member's already: this is that member, or someone posing as it. The server
      // refuses to approve it as a new organisation, so only rejecting is offered.
      member
        ? el("p", { class: "ieh-message ieh-message--error", "data-number-member": member.id }, TEXT.numberMember(application.organisation_number, member.name))
        : null,
      facts,
    ]);
    if (application.message) {
      card.append(el("p", { class: "ieh-card__label" }, TEXT.messageFromApplicant), el("blockquote", {}, application.message));
    }
    if (application.status === "received") {
      if (!member) card.append(approveForm(application, n, headingId));
      card.append(rejectForm(application, n, headingId));
    }
    return card;
  }

  function approveForm(application, n, headingId) {
    const id = `approve-type-${n}`;
    const button = el("button", { type: "submit", class: "md-button md-button--primary", "data-action": "approve", "aria-describedby": headingId }, TEXT.approve);
    const form = el("form", { class: "ieh-form ieh-form--inline", "data-form": "approve", novalidate: true }, [
      el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
      el("div", { class: "ieh-field" }, [
        el("label", { for: id }, TEXT.orgTypeLabel),
        el("select", { id, name: "org_type", required: true }, [
          el("option", { value: "" }, TEXT.chooseOrgType),
          ...Object.entries(TEXT.orgTypeOptions).map(([value, label]) => el("option", { value }, label)),
        ]),
      ]),
      button,
    ]);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      IEH.clearFieldErrors(form);
      if (!form.elements.org_type.value) {
        IEH.showFieldErrors(form, { org_type: TEXT.chooseOrgTypeError }, { summary: false });
        return;
      }
      setBusy(button, true, TEXT.saving);
      const result = await api(`${API}/admin/applications/${encodeURIComponent(application.id)}/approve`, {
        method: "POST",
        body: { org_type: form.elements.org_type.value },
      });
      if (result.status === 200) {
        const invited = (result.body && result.body.invited) || application.email;
        announceApplication(TEXT.approved(application.organisation_name, invited));
        return;
      }
      setBusy(button, false);
      IEH.showApiError(form, result);
    });
    return form;
  }

  function rejectForm(application, n, headingId) {
    const id = `reject-reason-${n}`;
    const button = el("button", { type: "submit", class: "md-button", "data-action": "reject", "aria-describedby": headingId }, TEXT.reject);
    const form = el("form", { class: "ieh-form", "data-form": "reject", novalidate: true }, [
      el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
      el("div", { class: "ieh-field" }, [
        el("label", { for: id }, [TEXT.reasonLabel, " ", el("span", { class: "ieh-field__hint" }, `(${TEXT.reasonHint})`)]),
        el("textarea", { id, name: "reason", rows: "3", required: true }),
      ]),
      button,
    ]);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (button.disabled) return;
      IEH.clearFieldErrors(form);
      const reason = form.elements.reason.value.trim();
      if (!reason) {
        IEH.showFieldErrors(form, { reason: TEXT.reasonRequired }, { summary: false });
        return;
      }
      setBusy(button, true, TEXT.saving);
      const result = await api(`${API}/admin/applications/${encodeURIComponent(application.id)}/reject`, {
        method: "POST",
        body: { reason },
      });
      if (result.status === 200) {
        announceApplication(TEXT.rejected(application.organisation_name));
        return;
      }
      setBusy(button, false);
      IEH.showApiError(form, result);
    });
    return form;
  }

  async function announceApplication(text) {
    const status = byId("applications-message");
    showMessage(status, text, "success");
    await loadApplications();
    focusOn(status);
  }

  function initApplications() {
    const filter = byId("applications-status");
    if (!filter) return;
    filter.addEventListener("change", () => {
      showMessage(byId("applications-message"), "");
      loadApplications();
    });
    byId("applications-filter-form").addEventListener("submit", (event) => {
      event.preventDefault();
      loadApplications();
    });
    loadApplications();
  }

  function initCourseForm() {
    const form = byId("course-form");
    if (!form) return;
    const submit = byId("course-submit");
    const status = byId("course-message");
    const names = ["title_nb", "title_en", "description_nb", "description_en", "starts_at", "location", "capacity"];
    let sending = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (sending) return;
      IEH.clearFieldErrors(form);
      showMessage(status, "");
      const problems = IEH.missingFields(form, names);
      const startsAt = new Date(form.elements.starts_at.value); // datetime-local: the browser's time zone
      const capacity = Number(form.elements.capacity.value);
      if (!problems.starts_at && Number.isNaN(startsAt.getTime())) problems.starts_at = TEXT.required;
      if (!problems.capacity && (!Number.isSafeInteger(capacity) || capacity < 1)) problems.capacity = IEH.text.wholeNumber;
      if (Object.keys(problems).length) {
        IEH.showFieldErrors(form, problems);
        return;
      }
      const data = {};
      for (const name of names) data[name] = form.elements[name].value.trim();
      data.starts_at = startsAt.toISOString();
      data.capacity = capacity;
      sending = true;
      setBusy(submit, true);
      const result = await api(`${API}/admin/courses`, { method: "POST", body: data });
      sending = false;
      setBusy(submit, false);
      if (result.status === 201 || result.status === 200) {
        form.reset();
        showMessage(status, TEXT.coursePublished(IEH.lang === "en" ? data.title_en : data.title_nb), "success");
        focusOn(status);
        return;
      }
      IEH.showApiError(form, result);
    });
  }

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
      case "suppliers":
      case "supplier":
      case "customers":
        if (IEH.sharing) IEH.sharing.init(app.dataset.membersPage, me); // sharing.js
        break;
      case "risk":
        if (IEH.risk) IEH.risk.init(app.dataset.membersPage, me); // risk.js
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
