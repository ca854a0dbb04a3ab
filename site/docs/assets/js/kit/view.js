/* Small pieces of read-only views: facts, badges, calendar days, buttons with context for screen readers. */
import { el } from "./dom.js";
import { setBusy } from "./form.js";
import { formatDate } from "./format.js";

/** A term and its value for a <dl class="ieh-facts">; nothing when there is no value. */
export function fact(term, value) {
  if (value === null || value === undefined || value === "") return [];
  return [el("dt", {}, term), el("dd", {}, value)];
}

export function badge(text, kind) {
  return el("span", { class: `ieh-badge${kind ? ` ieh-badge--${kind}` : ""}` }, text);
}

/** A "YYYY-MM-DD" date as "3. mars 2026", read as a calendar day (not midnight UTC). */
export function formatDay(value) {
  if (typeof value !== "string" || !value) return "";
  return formatDate(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value) || value;
}

/** A string fit for an element id, from any id the API gives. */
export function domId(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, "_");
}

/** A small button whose label is followed by context for screen readers ("Revoke" + " Nordlys"). */
export function contextButton(label, context, run, attributes = {}) {
  const node = el("button", { type: "button", class: "md-button ieh-button--small", ...attributes }, [
    label,
    context ? el("span", { class: "ieh-sr-only" }, context) : null,
  ]);
  if (run) node.addEventListener("click", () => run(node));
  return node;
}

/** setBusy for such buttons: only the visible label changes, the context stays for screen readers. */
export function setContextBusy(button, busy, busyLabel) {
  const label = button.firstChild;
  if (!label || label.nodeType !== Node.TEXT_NODE || button.childNodes.length === 1) {
    setBusy(button, busy, busyLabel);
    return;
  }
  button.disabled = busy;
  const form = button.form || button.closest("form");
  if (form) form.setAttribute("aria-busy", busy ? "true" : "false");
  if (busy && !button.dataset.label) button.dataset.label = label.data;
  if (busy) label.data = busyLabel;
  else if (button.dataset.label) {
    label.data = button.dataset.label;
    delete button.dataset.label;
  }
}
