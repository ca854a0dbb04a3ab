/* The IEH portal's browser code: one API helper (window.IEH.api) and the behaviour of the public
 * pages – live figures on the home page and the membership application with its fee quote.
 * Plain modern JavaScript, no libraries, no build step. Each feature runs only on pages that
 * have its markup, so this one file can be loaded on every page. */
(function () {
  "use strict";

  const lang = (document.documentElement.lang || "").toLowerCase().startsWith("en") ? "en" : "nb";
  const locale = lang === "en" ? "en-GB" : "nb-NO";
  const REQUEST_TIMEOUT_MS = 15000;

  const TEXT = {
    nb: {
      statsUnavailable: "Tallene kan ikke vises akkurat nå. Prøv igjen senere.",
      statsUpdated: (date) => `Sist oppdatert ${date}.`,
      annualFee: "Årskontingent",
      thisYear: "I år",
      estimate: "anslag",
      firstYearShare: {
        0.5: "ved innmelding etter 1. juli",
        0.25: "ved innmelding etter 1. oktober",
      },
      ofAnnualFee: "av årskontingenten",
      firstYear: "det første året",
      rates: (year) => `Satser for ${year}.`,
      source: "Kilde",
      fixErrors: "Skjemaet har feil. Rett opp feilene og send på nytt.",
      genericError: "Noe gikk galt. Prøv igjen.",
      unreachable:
        "Vi fikk ikke kontakt med tjenesten. Opplysningene du har fylt inn, er tatt vare på – prøv å sende igjen om litt.",
      wholeNumber: "Skriv inn et helt tall.",
      submitting: "Sender …",
      thanks: "Takk for søknaden!",
      received: "Vi har mottatt søknaden om medlemskap fra",
      reference: "Referansenummer",
      keepReference: "Oppgi referansenummeret hvis du kontakter oss om søknaden.",
      nextTitle: "Hva skjer nå?",
      nextSteps: [
        "IEH går gjennom søknaden og tar kontakt med kontaktpersonen hvis vi trenger flere opplysninger.",
        "Når søknaden er godkjent, får kontaktpersonen en e-post med en invitasjon til medlemsområdet.",
      ],
    },
    en: {
      statsUnavailable: "The figures cannot be shown right now. Please try again later.",
      statsUpdated: (date) => `Last updated ${date}.`,
      annualFee: "Annual fee",
      thisYear: "This year",
      estimate: "estimate",
      firstYearShare: {
        0.5: "when joining after 1 July",
        0.25: "when joining after 1 October",
      },
      ofAnnualFee: "of the annual fee",
      firstYear: "in the first year",
      rates: (year) => `Rates for ${year}.`,
      source: "Source",
      fixErrors: "There are errors in the form. Correct them and send it again.",
      genericError: "Something went wrong. Please try again.",
      unreachable:
        "We could not reach the service. What you have filled in is kept – please try sending again in a moment.",
      wholeNumber: "Enter a whole number.",
      submitting: "Sending …",
      thanks: "Thank you for your application!",
      received: "We have received the membership application from",
      reference: "Reference number",
      keepReference: "Please quote the reference number if you contact us about the application.",
      nextTitle: "What happens next?",
      nextSteps: [
        "IEH reviews the application and contacts the contact person if we need more information.",
        "When the application is approved, the contact person receives an email inviting them to the members area.",
      ],
    },
  }[lang];

  // ---------------------------------------------------------------- API helper

  /**
   * Call the portal's JSON API on the same origin.
   * Resolves to {status, body}: body is the parsed JSON or null. Never rejects: HTTP errors come
   * back with their status, and network failures or timeouts come back as status 0.
   * options: {method, body (object, sent as JSON), headers, timeout (ms)}.
   */
  async function api(path, options = {}) {
    const headers = { Accept: "application/json", "Accept-Language": lang, ...(options.headers || {}) };
    const init = { method: options.method || "GET", headers, credentials: "same-origin" };
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
      return { status: response.status, body };
    } catch (_) {
      return { status: 0, body: null };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  // ---------------------------------------------------------------- formatting

  function formatNumber(value) {
    return Number(value).toLocaleString(locale);
  }

  function formatNok(value) {
    return lang === "en" ? `NOK ${formatNumber(value)}` : `kr ${formatNumber(value)}`;
  }

  function formatNokRange(min, max) {
    return lang === "en"
      ? `NOK ${formatNumber(min)}–${formatNumber(max)}`
      : `kr ${formatNumber(min)}–${formatNumber(max)}`;
  }

  function formatPercent(share) {
    return Number(share).toLocaleString(locale, { style: "percent", maximumFractionDigits: 0 });
  }

  function formatDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    return date.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
  }

  /** One line describing a fee ({basis, annual_fee_nok, min_nok, max_nok, first_year_share, …}). */
  function describeFee(fee) {
    const hasAmount = fee.basis !== "range" && typeof fee.annual_fee_nok === "number";
    let line = `${TEXT.annualFee}: `;
    line += hasAmount ? formatNok(fee.annual_fee_nok) : formatNokRange(fee.min_nok, fee.max_nok);
    if (hasAmount && fee.basis === "estimate") line += ` (${TEXT.estimate})`;

    const share = Number(fee.first_year_share);
    if (share > 0 && share < 1) {
      const when = TEXT.firstYearShare[share] || TEXT.firstYear;
      const percent = formatPercent(share);
      if (typeof fee.first_year_fee_nok === "number") {
        line += ` · ${TEXT.thisYear}: ${formatNok(fee.first_year_fee_nok)} (${percent} ${when})`;
      } else {
        line += ` · ${TEXT.thisYear}: ${percent} ${TEXT.ofAnnualFee} (${when})`;
      }
    }
    return line;
  }

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of [].concat(children)) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** The fee as DOM: the amount line, then the note, the year and a link to the source. */
  function renderFee(container, fee) {
    container.replaceChildren();
    container.append(element("p", { class: "ieh-fee__amount" }, describeFee(fee)));
    const details = element("p", { class: "ieh-fee__note" });
    if (fee.note) details.append(`${fee.note} `);
    if (fee.year) details.append(`${TEXT.rates(fee.year)} `);
    if (typeof fee.source === "string" && /^https?:\/\//.test(fee.source)) {
      details.append(element("a", { href: fee.source, rel: "noopener" }, TEXT.source));
    }
    if (details.childNodes.length) container.append(details);
  }

  // ---------------------------------------------------------------- live figures (home page)

  async function initLiveStats() {
    const box = document.getElementById("live-stats");
    if (!box) return;
    const status = box.querySelector("[data-stats-status]");
    box.setAttribute("aria-busy", "true");
    const { status: code, body } = await api("/api/v1/stats");
    const ok = code === 200 && body && typeof body === "object";
    if (ok) {
      for (const node of box.querySelectorAll("[data-stat]")) {
        const value = body[node.dataset.stat];
        if (typeof value === "number") node.textContent = formatNumber(value);
      }
    }
    if (status) {
      const updated = ok && body.updated_at ? formatDate(body.updated_at) : null;
      status.textContent = ok ? (updated ? TEXT.statsUpdated(updated) : "") : TEXT.statsUnavailable;
    }
    box.setAttribute("aria-busy", "false");
  }

  // ---------------------------------------------------------------- membership application

  const SIZE_FIELD = {
    company: "annual_turnover_nok",
    organisation: "annual_turnover_nok",
    municipality: "inhabitants",
    county_council: "inhabitants",
  };
  const TEXT_FIELDS = ["organisation_name", "organisation_number", "category", "contact_name", "email", "phone", "message"];
  const NUMBER_FIELDS = ["annual_turnover_nok", "inhabitants"];

  function initMembershipForm() {
    const form = document.getElementById("membership-form");
    if (!form) return;
    const summary = document.getElementById("form-errors");
    const quote = document.getElementById("fee-quote");
    const submit = document.getElementById("membership-submit");
    const confirmation = document.getElementById("membership-confirmation");
    const category = form.elements.category;

    // One id per page load: a double click or a retry after a lost answer stores one application.
    const submissionId =
      typeof crypto !== "undefined" && typeof crypto.randomUUID === "function"
        ? crypto.randomUUID()
        : fallbackUuid();
    let submitting = false;

    // -- show the size field that fits the member type
    function showSizeField() {
      const wanted = SIZE_FIELD[category.value];
      for (const name of NUMBER_FIELDS) {
        const group = document.getElementById(`field-${name}`);
        if (group) group.hidden = name !== wanted;
      }
    }

    // -- fee quote, debounced, newest answer wins
    let quoteTimer = null;
    let quoteSequence = 0;

    function scheduleQuote() {
      clearTimeout(quoteTimer);
      quoteTimer = setTimeout(updateQuote, 300);
    }

    async function updateQuote() {
      const sequence = ++quoteSequence;
      const kind = category.value;
      if (!quote) return;
      if (!SIZE_FIELD[kind]) {
        quote.replaceChildren();
        return;
      }
      const params = new URLSearchParams({ category: kind });
      const sizeName = SIZE_FIELD[kind];
      const size = form.elements[sizeName].value.trim();
      if (size !== "") params.set(sizeName, size);
      const { status, body } = await api(`/api/v1/membership-fee?${params}`);
      if (sequence !== quoteSequence) return; // a newer request has been sent
      if (status === 200 && body && typeof body === "object") renderFee(quote, body);
      else quote.replaceChildren();
    }

    category.addEventListener("change", () => {
      showSizeField();
      scheduleQuote();
    });
    for (const name of NUMBER_FIELDS) form.elements[name].addEventListener("input", scheduleQuote);
    showSizeField();
    if (category.value) scheduleQuote(); // the browser may have restored the form

    // -- errors
    function fieldLabel(name) {
      const control = form.elements[name];
      if (control && control.dataset && control.dataset.errorLabel) return control.dataset.errorLabel;
      const label = control && control.id ? form.querySelector(`label[for="${control.id}"]`) : null;
      if (!label) return name;
      const copy = label.cloneNode(true);
      for (const hint of copy.querySelectorAll(".ieh-field__hint")) hint.remove();
      return copy.textContent.trim();
    }

    function clearErrors() {
      summary.hidden = true;
      summary.replaceChildren();
      for (const node of form.querySelectorAll(".field-error")) {
        node.textContent = "";
        node.hidden = true;
      }
      for (const node of form.querySelectorAll('[aria-invalid="true"]')) node.removeAttribute("aria-invalid");
    }

    function showErrors(message, fields) {
      const list = element("ul", { class: "ieh-form__summary-list" });
      for (const [name, text] of Object.entries(fields || {})) {
        const control = form.elements[name];
        const slot = document.getElementById(`error-${name}`);
        if (control && slot && control.id) {
          slot.textContent = text;
          slot.hidden = false;
          control.setAttribute("aria-invalid", "true");
          const group = control.closest(".ieh-field");
          if (group) group.hidden = false;
          const link = element("a", { href: `#${control.id}` }, `${fieldLabel(name)}: ${text}`);
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
      summary.replaceChildren(element("h2", { class: "ieh-form__summary-title" }, message));
      if (list.childNodes.length) summary.append(list);
      summary.hidden = false;
      summary.focus();
    }

    // -- the request body: trimmed strings, integers, a boolean; empty values are left out
    function collect() {
      const data = { submission_id: submissionId };
      const problems = {};
      for (const name of TEXT_FIELDS) {
        let value = form.elements[name].value.trim();
        if (name === "organisation_number") value = value.replace(/\s+/g, "");
        if (value !== "") data[name] = value;
      }
      const sizeName = SIZE_FIELD[category.value];
      if (sizeName) {
        const input = form.elements[sizeName];
        const raw = input.value.trim();
        if (input.validity && input.validity.badInput) {
          problems[sizeName] = TEXT.wholeNumber;
        } else if (raw !== "") {
          const number = Number(raw);
          // Not a whole number: send it as typed and let the service explain what is wrong.
          data[sizeName] = Number.isSafeInteger(number) ? number : raw;
        }
      }
      data.consent = form.elements.consent.checked;
      return { data, problems };
    }

    function setBusy(busy) {
      submitting = busy;
      submit.disabled = busy;
      form.setAttribute("aria-busy", busy ? "true" : "false");
      if (busy) {
        submit.dataset.label = submit.textContent;
        submit.textContent = TEXT.submitting;
      } else if (submit.dataset.label) {
        submit.textContent = submit.dataset.label;
      }
    }

    function showConfirmation(body) {
      const content = [element("h2", {}, TEXT.thanks)];
      const received = element("p", {}, `${TEXT.received} `);
      received.append(element("strong", {}, body.organisation_name || form.elements.organisation_name.value.trim()), ".");
      content.push(received);
      if (body.id) {
        const reference = element("p", {}, `${TEXT.reference}: `);
        reference.append(element("strong", { class: "ieh-confirmation__reference" }, body.id));
        content.push(reference, element("p", {}, TEXT.keepReference));
      }
      if (body.fee && typeof body.fee === "object") {
        const fee = element("div", { class: "ieh-fee" });
        renderFee(fee, body.fee);
        content.push(fee);
      }
      content.push(element("h3", {}, TEXT.nextTitle));
      content.push(element("ol", {}, TEXT.nextSteps.map((step) => element("li", {}, step))));
      confirmation.replaceChildren(...content);
      form.hidden = true;
      confirmation.hidden = false;
      confirmation.focus();
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (submitting) return; // a second click while the first is on its way
      clearErrors();
      const { data, problems } = collect();
      if (Object.keys(problems).length) {
        showErrors(TEXT.fixErrors, problems);
        return;
      }
      setBusy(true);
      const { status, body } = await api("/api/v1/membership-applications", { method: "POST", body: data });
      if (status === 201 || status === 200) {
        submitting = true; // the form is gone; nothing more to send
        showConfirmation(body || {});
        return;
      }
      setBusy(false);
      if (status === 0 || status >= 500) {
        showErrors(TEXT.unreachable, {});
        return;
      }
      const error = (body && body.error) || {};
      showErrors(error.message || TEXT.genericError, error.fields || {});
    });
  }

  function fallbackUuid() {
    // RFC 4122 version 4 from crypto.getRandomValues, for browsers without randomUUID.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  // ---------------------------------------------------------------- start

  window.IEH = Object.assign(window.IEH || {}, { lang, locale, api, formatNumber, formatNok, describeFee });

  function start() {
    initLiveStats();
    initMembershipForm();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
