/* Small pieces of read-only views: facts, badges, calendar days, buttons with context for screen readers. */
import { button, el } from "./dom.js";
import { formatDate } from "./format.js";
import { hasText, t } from "./i18n.js";

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
  return button([label, context ? el("span", { class: "ieh-sr-only" }, context) : null], run, attributes);
}

/** What a document's status says to a person ("Kontrolleres"); the status itself if the catalogue lacks it. */
export function documentStatus(doc) {
  const status = (doc && doc.status) || "";
  return hasText(`document.${status}`) ? t(`document.${status}`) : status;
}
