/* The IEH portal's browser code: the API helper (window.IEH.api, with the anti-CSRF header), the
 * helpers shared by every form (field errors, busy buttons, messages, links between pages). The old
 * members area scripts (members.js) build on window.IEH; the pages written once use the ES modules
 * in assets/js instead (the public pages' live figures and membership form among them).
 * Plain modern JavaScript, no libraries, no build step. Each feature runs only on pages that
 * have its markup, so this one file can be loaded on every page. */
(function () {
  "use strict";

  const lang = (document.documentElement.lang || "").toLowerCase().startsWith("en") ? "en" : "nb";
  const locale = lang === "en" ? "en-GB" : "nb-NO";
  const REQUEST_TIMEOUT_MS = 15000;
  // The site root, from this script's own address (…/assets/javascripts/portal.js): the site works
  // from any host or path prefix, so links between pages are never written as absolute paths.
  const SITE_ROOT = (() => {
    const script = document.currentScript;
    if (script && script.src) return new URL("../../", script.src);
    return typeof __md_scope !== "undefined" ? new URL(__md_scope) : new URL("/", location.href); // eslint-disable-line no-undef
  })();
  const LANGUAGE_ROOT = lang === "en" ? new URL("en/", SITE_ROOT) : SITE_ROOT;
  const CSRF_STORAGE_KEY = "ieh.csrf";
  const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];
  const SESSION_ENDED_CODES = ["not_authenticated", "session_expired"];

  const TEXT = {
    nb: {
      fixErrors: "Skjemaet har feil. Rett opp feilene og send på nytt.",
      genericError: "Noe gikk galt. Prøv igjen.",
      unreachable:
        "Vi fikk ikke kontakt med tjenesten. Opplysningene du har fylt inn, er tatt vare på – prøv å sende igjen om litt.",
      required: "Fyll ut dette feltet.",
      wholeNumber: "Skriv inn et helt tall.",
      submitting: "Sender …",
    },
    en: {
      fixErrors: "There are errors in the form. Correct them and send it again.",
      genericError: "Something went wrong. Please try again.",
      unreachable:
        "We could not reach the service. What you have filled in is kept – please try sending again in a moment.",
      required: "Fill in this field.",
      wholeNumber: "Enter a whole number.",
      submitting: "Sending …",
    },
  }[lang];

  // ---------------------------------------------------------------- API helper

  // The anti-CSRF token of the current session. The session itself is an HttpOnly cookie that
  // scripts never see; this token only proves that a request comes from the portal's own pages.
  // Kept for the tab's lifetime in sessionStorage (never localStorage), so a reload keeps it.
  let csrfToken = readCsrfToken();

  function readCsrfToken() {
    try {
      return sessionStorage.getItem(CSRF_STORAGE_KEY);
    } catch (_) {
      return null;
    }
  }

  function setCsrfToken(token) {
    csrfToken = token || null;
    try {
      if (csrfToken) sessionStorage.setItem(CSRF_STORAGE_KEY, csrfToken);
      else sessionStorage.removeItem(CSRF_STORAGE_KEY);
    } catch (_) {
      /* storage switched off: the variable still serves this page */
    }
  }

  /** Whether this tab has been logged in (it holds a session's anti-CSRF token). */
  function hasSession() {
    return Boolean(csrfToken);
  }

  function errorCode(body) {
    return body && body.error && typeof body.error.code === "string" ? body.error.code : null;
  }

  async function send(path, options, method) {
    const headers = { Accept: "application/json", "Accept-Language": lang, ...(options.headers || {}) };
    if (!SAFE_METHODS.includes(method)) headers["X-CSRF-Token"] = csrfToken || "anonymous";
    const init = { method, headers, credentials: "same-origin" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const controller = typeof AbortController === "function" ? new AbortController() : null;
    const timer = controller
      ? setTimeout(() => controller.abort(), options.timeout || REQUEST_TIMEOUT_MS)
      : null;
    if (controller) init.signal = controller.signal;
    try {
      const response = await fetch(path, init);
      const text = await response.text();
      let body = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch (_) {
          body = null;
        }
      }
      return { status: response.status, body, headers: response.headers };
    } catch (_) {
      return { status: 0, body: null, headers: new Headers() };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /**
   * Call the portal's JSON API on the same origin.
   * Resolves to {status, body, headers}: body is the parsed JSON or null. Never rejects: HTTP
   * errors come back with their status, and network failures or timeouts come back as status 0.
   * options: {method, body (object, sent as JSON), headers, timeout (ms)}.
   *
   * Every request that changes something carries the X-CSRF-Token header: the session's token
   * (taken from any answer that holds a `csrf_token`: GET /me, the login, an accepted invitation),
   * or "anonymous" when logged out. If the server refuses the token (the session changed in
   * another tab), the helper asks /me for the current one and tries once more.
   * When the server says the session is gone (401 not_authenticated / session_expired), the token
   * is forgotten and an "ieh:session-ended" event is dispatched on window (detail: {code}).
   */
  async function api(path, options = {}) {
    const method = (options.method || "GET").toUpperCase();
    let result = await send(path, options, method);
    const code = errorCode(result.body);
    if (result.status === 403 && code && /csrf/i.test(code) && !SAFE_METHODS.includes(method)) {
      const me = await send("/api/v1/me", {}, "GET");
      setCsrfToken(me.status === 200 && me.body ? me.body.csrf_token : null);
      result = await send(path, options, method);
    }
    remember(path, method, result);
    return result;
  }

  function remember(path, method, { status, body }) {
    const code = errorCode(body);
    if (status === 200 && body && typeof body.csrf_token === "string") {
      setCsrfToken(body.csrf_token);
    } else if (status === 401 && SESSION_ENDED_CODES.includes(code)) {
      const hadSession = hasSession();
      setCsrfToken(null);
      window.dispatchEvent(new CustomEvent("ieh:session-ended", { detail: { code, hadSession } }));
    } else if (method === "POST" && /\/auth\/logout$/.test(path) && status < 500 && status !== 0) {
      setCsrfToken(null);
    }
  }

  /** The message to show for a failed call: the server's own (already in the page's language) or ours. */
  function errorMessage(result) {
    if (!result || result.status === 0 || result.status >= 500) return TEXT.unreachable;
    const error = (result.body && result.body.error) || {};
    return error.message || TEXT.genericError;
  }

  // ---------------------------------------------------------------- links between pages

  /** The address of a page of the site in the page's own language, e.g. pageUrl("members/"). */
  function pageUrl(path = "") {
    return new URL(path, LANGUAGE_ROOT).href;
  }

  /** A same-site path to return to after logging in, or null: never another origin. */
  function safeNext(value) {
    if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
      return null;
    }
    let url;
    try {
      url = new URL(value, location.origin);
    } catch (_) {
      return null;
    }
    if (url.origin !== location.origin) return null;
    return url.pathname + url.search + url.hash;
  }

  /** The login page, with ?next= pointing back at this page. */
  function loginUrl(next = location.pathname + location.search + location.hash) {
    const url = new URL("login/", LANGUAGE_ROOT);
    if (safeNext(next)) url.searchParams.set("next", next);
    return url.href;
  }

  /** A link or path from the server, made safe to put in an href: same origin only, else null. */
  function sameOriginHref(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      const url = new URL(value, location.href);
      return url.origin === location.origin ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  // ---------------------------------------------------------------- formatting

  function formatNumber(value) {
    return Number(value).toLocaleString(locale);
  }

  function formatNok(value) {
    return lang === "en" ? `NOK ${formatNumber(value)}` : `kr ${formatNumber(value)}`;
  }

  function formatDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    return date.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
  }

  /** "12. mars 2025 kl. 09:00" / "12 March 2025 at 09:00", in the reader's time zone. */
  function formatDateTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    return date.toLocaleString(locale, { dateStyle: "long", timeStyle: "short" });
  }

  /** A file size: "820 kB", "1,4 MB". */
  function formatBytes(bytes) {
    const value = Number(bytes);
    if (!Number.isFinite(value) || value < 0) return "";
    if (value < 1000) return `${formatNumber(value)} B`;
    const units = ["kB", "MB", "GB"];
    let scaled = value / 1000;
    let unit = 0;
    while (scaled >= 1000 && unit < units.length - 1) {
      scaled /= 1000;
      unit += 1;
    }
    const digits = scaled < 10 ? 1 : 0;
    return `${scaled.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
  }

  /** A DOM element: attributes set as given (null/false left out), children as nodes or text. */
  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of [].concat(children)) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // ---------------------------------------------------------------- forms: errors, busy buttons, messages

  /** The text of a control's label, without hints, for the error summary. */
  function fieldLabel(form, name) {
    const control = form.elements[name];
    if (control && control.dataset && control.dataset.errorLabel) return control.dataset.errorLabel;
    const label = control && control.id ? form.querySelector(`label[for="${control.id}"]`) : null;
    if (!label) return name;
    const copy = label.cloneNode(true);
    for (const hint of copy.querySelectorAll(".ieh-field__hint, .ieh-sr-only")) hint.remove();
    return copy.textContent.trim();
  }

  /** The error slot of a control: #error-<control id>, created beside the control if the page has none. */
  function errorSlot(control) {
    let slot = document.getElementById(`error-${control.id}`);
    if (!slot) {
      slot = element("p", { class: "field-error", id: `error-${control.id}`, hidden: true });
      const group = control.closest(".ieh-field");
      if (group) group.append(slot);
      else control.after(slot);
    }
    const described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (!described.includes(slot.id)) control.setAttribute("aria-describedby", [...described, slot.id].join(" "));
    return slot;
  }

  function errorSummary(form, summary) {
    if (summary === false) return null;
    return summary || form.querySelector(".ieh-form__summary");
  }

  /** Remove the errors shown by showFieldErrors. */
  function clearFieldErrors(form, summary = null) {
    const box = errorSummary(form, summary);
    if (box) {
      box.hidden = true;
      box.replaceChildren();
    }
    for (const node of form.querySelectorAll(".field-error")) {
      node.textContent = "";
      node.hidden = true;
    }
    for (const node of form.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute("aria-invalid");
  }

  /**
   * Show a form's errors the way every form of the portal does: each message under its field
   * (the control gets aria-invalid), and a summary at the top of the form – the form's
   * .ieh-form__summary (role="alert") or options.summary – with the message and a link to each
   * field. The summary takes the focus, unless options.focus is false. With options.summary false
   * (a one-field form), only the field shows its error, and the field takes the focus.
   * fields: {name: message}, as in the API's error.fields; names match the controls' name attributes.
   */
  function showFieldErrors(form, fields = {}, options = {}) {
    const message = options.message || TEXT.fixErrors;
    const box = errorSummary(form, options.summary);
    const list = element("ul", { class: "ieh-form__summary-list" });
    let firstControl = null;
    for (const [name, text] of Object.entries(fields || {})) {
      const found = form.elements[name];
      const control = found && !found.id && found.length ? found[0] : found;
      if (control && control.id) {
        const slot = errorSlot(control);
        slot.textContent = text;
        slot.hidden = false;
        control.setAttribute("aria-invalid", "true");
        const group = control.closest(".ieh-field");
        if (group) group.hidden = false;
        firstControl = firstControl || control;
        const link = element("a", { href: `#${control.id}` }, `${fieldLabel(form, name)}: ${text}`);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          const target = form.querySelector(`label[for="${control.id}"]`) || control;
          target.scrollIntoView({ block: "center" });
          control.focus({ preventScroll: true });
        });
        list.append(element("li", {}, link));
      } else {
        list.append(element("li", {}, text));
      }
    }
    if (box) {
      box.replaceChildren(element("h2", { class: "ieh-form__summary-title" }, message));
      if (list.childNodes.length) box.append(list);
      box.hidden = false;
      if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "-1");
      if (options.focus !== false) box.focus();
    } else if (firstControl && options.focus !== false) {
      firstControl.focus();
    }
  }

  /** Show the message of a failed API call on a form, with the fields' own errors if it has any. */
  function showApiError(form, result, options = {}) {
    const error = (result.body && result.body.error) || {};
    const fields = result.status > 0 && result.status < 500 ? error.fields || {} : {};
    showFieldErrors(form, fields, { ...options, message: errorMessage(result) });
  }

  /** Empty required fields of a form, as {name: "Fill in this field."}, in the form's order. */
  function missingFields(form, names) {
    const problems = {};
    for (const name of names) {
      const control = form.elements[name];
      if (!control || control.disabled || control.closest("[hidden]")) continue;
      const empty = control.type === "checkbox" ? !control.checked : control.value.trim() === "";
      if (empty) problems[name] = TEXT.required;
    }
    return problems;
  }

  /** Mark a button (and its form) busy while a request is on its way; the label says so. */
  function setBusy(button, busy, busyLabel = TEXT.submitting) {
    if (!button) return;
    button.disabled = busy;
    const form = button.form || button.closest("form");
    if (form) form.setAttribute("aria-busy", busy ? "true" : "false");
    if (busy) {
      if (!button.dataset.label) button.dataset.label = button.textContent;
      button.textContent = busyLabel;
    } else if (button.dataset.label) {
      button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  }

  /**
   * Put a message in a live region (role="status" or role="alert", class ieh-message): kind is
   * "success", "error" or "info" and only changes its look. An empty text clears the region.
   * Content may be text or nodes (for a message with a link). The region stays in the page when
   * empty (it takes no room then), so screen readers announce what is put in it later.
   */
  function showMessage(region, content, kind = "info") {
    if (!region) return;
    region.classList.remove("ieh-message--success", "ieh-message--error", "ieh-message--info");
    region.classList.add("ieh-message");
    const parts = [].concat(content).filter((part) => part !== null && part !== undefined && part !== "");
    if (!parts.length) {
      region.replaceChildren();
      return;
    }
    region.classList.add(`ieh-message--${kind}`);
    region.replaceChildren(...parts.map((part) => (part instanceof Node ? part : document.createTextNode(String(part)))));
    region.hidden = false;
  }

  /** Checkboxes with data-show-password="<input id>" switch that password field to plain text and back. */
  function initPasswordToggles(root = document) {
    for (const toggle of root.querySelectorAll("input[type=checkbox][data-show-password]")) {
      const input = document.getElementById(toggle.dataset.showPassword);
      if (!input || toggle.dataset.bound) continue;
      toggle.dataset.bound = "true";
      toggle.addEventListener("change", () => {
        input.type = toggle.checked ? "text" : "password";
      });
    }
  }

  /** Hide the passwords again (after a form has been sent and reset). */
  function resetPasswordToggles(root = document) {
    for (const toggle of root.querySelectorAll("input[type=checkbox][data-show-password]")) {
      toggle.checked = false;
      const input = document.getElementById(toggle.dataset.showPassword);
      if (input) input.type = "password";
    }
  }

  // ---------------------------------------------------------------- start

  window.IEH = Object.assign(window.IEH || {}, {
    lang,
    locale,
    text: TEXT,
    api,
    setCsrfToken,
    hasSession,
    errorMessage,
    pageUrl,
    loginUrl,
    safeNext,
    sameOriginHref,
    element,
    formatNumber,
    formatNok,
    formatDate,
    formatDateTime,
    formatBytes,
    clearFieldErrors,
    showFieldErrors,
    showApiError,
    missingFields,
    setBusy,
    showMessage,
    initPasswordToggles,
    resetPasswordToggles,
  });
})();
