/* Forms, the way every form of the portal behaves: values to JSON, errors beside the fields and in
 * a focused summary, a busy button, one request at a time, and the 409 "someone else saved" offer. */
import { errorCode, errorMessage } from "./api.js";
import { button as makeButton, el, focusOn, showMessage } from "./dom.js";
import { t } from "./i18n.js";

// ---------------------------------------------------------------- reading and filling a form

/** A control's value, trimmed ("" for a control the form lacks). */
export function textOf(form, name) {
  const control = form.elements[name];
  return control && typeof control.value === "string" ? control.value.trim() : "";
}

/** The values of the checked boxes (or radios) called `name`. */
export function checkedValues(form, name) {
  return Array.from(form.querySelectorAll(`input[name="${CSS.escape(name)}"]:checked`), (input) => input.value);
}

/**
 * The form as the JSON the API takes: dotted names nest ("address.city" → {address: {city}}),
 * number inputs give numbers (what is not a number is sent as typed, for the server to explain),
 * a lone checkbox gives true/false, boxes sharing a name give the list of checked values, and
 * every text is trimmed. Controls inside hidden groups, disabled ones and those without a name
 * are left out; so are empty optional texts unless options.keepEmpty.
 */
export function formValues(form, options = {}) {
  const data = {};
  const seen = new Set();
  for (const control of form.elements) {
    const name = control.name;
    if (!name || control.disabled || seen.has(name) || control.closest("[hidden]") || control.type === "submit") continue;
    if (control.type === "button" || control.type === "file" || control.dataset.skip !== undefined) continue;
    seen.add(name);
    let value;
    const group = form.querySelectorAll(`input[name="${CSS.escape(name)}"]`);
    if (control.type === "checkbox" && group.length > 1) value = checkedValues(form, name);
    else if (control.type === "checkbox") value = control.checked;
    else if (control.type === "radio") value = checkedValues(form, name)[0] ?? null;
    else if (control.type === "number") {
      const raw = control.value.trim();
      if (raw === "") value = null;
      else value = Number.isFinite(Number(raw)) ? Number(raw) : raw;
    } else value = control.value.trim();
    if ((value === "" || value === null) && !options.keepEmpty) continue;
    const path = name.split(".");
    let target = data;
    for (const part of path.slice(0, -1)) target = target[part] = target[part] || {};
    target[path[path.length - 1]] = value;
  }
  return data;
}

/** Fill a form from an object shaped like formValues' answer (dotted names read nested values). */
export function fillForm(form, values) {
  for (const control of form.elements) {
    if (!control.name || control.type === "file" || control.type === "submit" || control.type === "button") continue;
    const value = control.name.split(".").reduce((at, part) => (at == null ? at : at[part]), values);
    if (control.type === "checkbox" || control.type === "radio") {
      control.checked = Array.isArray(value) ? value.map(String).includes(control.value) : control.type === "radio" ? String(value) === control.value : Boolean(value);
    } else {
      control.value = value === null || value === undefined ? "" : Array.isArray(value) ? value.join("\n") : String(value);
    }
  }
}

// ---------------------------------------------------------------- errors

/** The text of a control's label, without hints, for the error summary. */
function fieldLabel(form, control, name) {
  const labelled = control && (control.dataset.errorLabel || (control.closest("fieldset[data-error-label]") || {}).dataset?.errorLabel);
  if (labelled) return labelled;
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
    slot = el("p", { class: "field-error", id: `error-${control.id}`, hidden: true });
    const group = control.closest(".ieh-field, .ieh-fieldset");
    if (group && (control.type === "checkbox" || control.type === "radio") && group.tagName === "FIELDSET") group.append(slot);
    else if (group) group.append(slot);
    else control.after(slot);
  }
  const described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!described.includes(slot.id)) control.setAttribute("aria-describedby", [...described, slot.id].join(" "));
  return slot;
}

function summaryOf(form, summary) {
  if (summary === false) return null;
  return summary || form.querySelector(".ieh-form__summary");
}

/** Remove the errors shown by showFieldErrors. */
export function clearFieldErrors(form, summary = null) {
  const box = summaryOf(form, summary);
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
 * The server's field names as the form's control names. Request validation names only the last
 * part ("email" for contact.email, "women" for workforce.women), the domain the whole path.
 */
export function controlNames(form, fields) {
  const names = Array.from(form.elements, (control) => control.name).filter(Boolean);
  const out = {};
  for (const [name, message] of Object.entries(fields || {})) {
    let target = name;
    if (!form.elements.namedItem(name)) target = names.find((known) => known.endsWith(`.${name}`)) || name;
    if (!(target in out)) out[target] = message;
  }
  return out;
}

/**
 * Show a form's errors: each message under its field (the control gets aria-invalid), and a
 * summary at the top of the form – its .ieh-form__summary (role="alert") or options.summary –
 * with the message and a link to each field. The summary takes the focus, unless options.focus is
 * false. With options.summary false (a one-field form), only the field shows its error, and the
 * field takes the focus. fields: {name: message}, names as the controls' name attributes.
 */
export function showFieldErrors(form, fields = {}, options = {}) {
  const message = options.message || t("kit.fix_errors");
  const box = summaryOf(form, options.summary);
  const list = el("ul", { class: "ieh-form__summary-list" });
  let firstControl = null;
  for (const [name, text] of Object.entries(fields || {})) {
    const found = form.elements.namedItem(name);
    const control = found && !found.id && found.length ? found[0] : found;
    if (control && control.id) {
      const slot = errorSlot(control);
      slot.textContent = text;
      slot.hidden = false;
      control.setAttribute("aria-invalid", "true");
      const group = control.closest(".ieh-field");
      if (group) group.hidden = false;
      firstControl = firstControl || control;
      const target = el("a", { href: `#${control.id}` }, `${fieldLabel(form, control, name)}: ${text}`);
      target.addEventListener("click", (event) => {
        event.preventDefault();
        (form.querySelector(`label[for="${control.id}"]`) || control).scrollIntoView({ block: "center" });
        control.focus({ preventScroll: true });
      });
      list.append(el("li", {}, target));
    } else {
      list.append(el("li", {}, text));
    }
  }
  if (box) {
    box.replaceChildren(el("h2", { class: "ieh-form__summary-title" }, message));
    if (list.childNodes.length) box.append(list);
    box.hidden = false;
    if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "-1");
    if (options.focus !== false) box.focus();
  } else if (firstControl && options.focus !== false) {
    firstControl.focus();
  }
}

/** Show the message of a failed API call on a form, with the fields' own errors if it has any. */
export function showApiError(form, result, options = {}) {
  const error = (result.body && result.body.error) || {};
  const fields = result.status > 0 && result.status < 500 ? controlNames(form, error.fields) : {};
  showFieldErrors(form, fields, { ...options, message: options.message || errorMessage(result) });
}

/** Empty required fields of a form, as {name: "Fill in this field."}, in the form's order. */
export function missingFields(form, names = null) {
  const problems = {};
  const controls = names ? names.map((name) => form.elements.namedItem(name)) : Array.from(form.querySelectorAll("[required]"));
  for (const found of controls) {
    const control = found && !found.id && found.length ? found[0] : found;
    if (!control || control.disabled || control.closest("[hidden]") || problems[control.name]) continue;
    const empty = control.type === "checkbox" || control.type === "radio" ? !checkedValues(form, control.name).length : control.value.trim() === "";
    if (empty) problems[control.name] = control.type === "checkbox" ? t("kit.required_choice") : t("kit.required");
  }
  return problems;
}

/** Mark a button (and its form) busy while a request is on its way; the label says so
 * (t("kit.sending") by default, t("kit.saving") for forms that save). Only the visible label
 * changes: what follows it for screen readers (a .ieh-sr-only context) stays. */
export function setBusy(button, busy, busyLabel = t("kit.sending")) {
  if (!button) return;
  button.disabled = busy;
  const form = button.form || button.closest("form");
  if (form) form.setAttribute("aria-busy", busy ? "true" : "false");
  const first = button.firstChild;
  const label = first && first.nodeType === Node.TEXT_NODE && button.childNodes.length > 1 ? first : null;
  const write = (text) => (label ? (label.data = text) : (button.textContent = text));
  if (busy) {
    if (!button.dataset.label) button.dataset.label = label ? label.data : button.textContent;
    write(busyLabel);
  } else if (button.dataset.label) {
    write(button.dataset.label);
    delete button.dataset.label;
  }
}

/** The stored object that a 409 carries, or null. */
export function conflictCurrent(result) {
  const error = (result.body && result.body.error) || {};
  return error.current && typeof error.current === "object" ? error.current : null;
}

/**
 * A 409 on a form: its error summary says that someone else saved meanwhile and offers buttons
 * ([{label, name, run}]). The summary takes the focus unless told not to.
 */
export function showConflict(form, message, buttons, focus = true) {
  showFieldErrors(form, {}, { message, focus: false });
  const box = form.querySelector(".ieh-form__summary");
  box.append(
    el(
      "div",
      { class: "ieh-actions" },
      buttons.map(({ label, run, name }) =>
        makeButton(label, () => {
          clearFieldErrors(form);
          run();
        }, { "data-action": name }),
      ),
    ),
  );
  if (focus) box.focus();
}

/**
 * bindForm's `conflict` for a form that saves a stored record: the offer to load the version saved
 * meanwhile (the one the 409 carries, else fetchStored()), which show(stored) puts in the form.
 */
export function offerStored(message, status, fetchStored, show) {
  const run = async (result) => {
    const stored = conflictCurrent(result) || (await fetchStored());
    if (!stored) return showMessage(status, t("kit.generic_error"), "error");
    show(stored);
    showMessage(status, t("kit.theirs_loaded"), "info");
    focusOn(status);
  };
  return (result) => ({ message, buttons: [{ label: t("kit.load_theirs"), name: "load-current", run: () => run(result) }] });
}

// ---------------------------------------------------------------- binding a form to the API

/**
 * Send a form to the API when it is submitted.
 * options:
 *   send(data, form)   → the api() call (required); data is collect(form).
 *   collect(form)      → the body (default formValues).
 *   check(data, form)  → {name: message} of problems found before sending (required fields are
 *                        always checked).
 *   confirm(data, form)→ a promise of true to send, false to stop (a confirmDialog before
 *                        something that cannot be undone), asked once the form has no problems.
 *   done(body, result, data) → after a 2xx.
 *   conflict(result)   → after a 409: {message, buttons} for showConflict, or nothing to show the
 *                        server's message.
 *   failed(result)     → return true when it has shown the failure itself.
 *   status             → a live region for done()'s message, cleared on every submit.
 *   inline             → problems found before sending show beside their field only, and the
 *                        field takes the focus (a one-field form); the API's errors still use the summary.
 *   busyLabel, button  → the busy text (default "Sender …") and the button (default the form's submit).
 * Returns {submit()} to send it from code. A second submit while one is on its way is ignored; a
 * 401 is left to the page's session-ended message.
 */
export function bindForm(form, options) {
  const submitButton = options.button || form.querySelector('[type="submit"]');
  let sending = false;

  async function submit() {
    if (sending) return;
    clearFieldErrors(form);
    if (options.status) showMessage(options.status, "");
    const data = (options.collect || formValues)(form);
    const problems = { ...missingFields(form), ...((options.check && options.check(data, form)) || {}) };
    if (Object.keys(problems).length) {
      showFieldErrors(form, problems, options.inline ? { summary: false } : {});
      return;
    }
    sending = true;
    if (options.confirm && !(await options.confirm(data, form))) {
      sending = false;
      return;
    }
    setBusy(submitButton, true, options.busyLabel || t("kit.sending"));
    const result = await options.send(data, form);
    sending = false;
    setBusy(submitButton, false);
    if (result.status >= 200 && result.status < 300) {
      if (options.done) await options.done(result.body, result, data);
      return;
    }
    if (result.status === 401 && ["not_authenticated", "session_expired"].includes(errorCode(result))) return;
    if (options.failed && options.failed(result)) return;
    if (result.status === 409 && options.conflict) {
      const offer = options.conflict(result);
      if (offer) {
        showConflict(form, offer.message, offer.buttons || []);
        return;
      }
    }
    showApiError(form, result);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit();
  });
  return { submit };
}

// ---------------------------------------------------------------- password fields

/** Checkboxes with data-show-password="<input id>" switch that password field to plain text and back. */
export function initPasswordToggles(root = document) {
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
export function resetPasswordToggles(root = document) {
  for (const toggle of root.querySelectorAll("input[type=checkbox][data-show-password]")) {
    toggle.checked = false;
    const input = document.getElementById(toggle.dataset.showPassword);
    if (input) input.type = "password";
  }
}
