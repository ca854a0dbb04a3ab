/* Information requests (Transparency Act) as a handler reads them: the days left in words, states,
 * message kinds and refusal grounds by name, Norway's calendar day, and the legal text a refusal
 * carries, written exactly as the API writes it (usecases/information_requests.py legal_text). */
import { format, hasText, t } from "./i18n.js";

export const OPEN_STATES = ["received", "in_progress", "further_reasons_requested"];
export const REFUSALS = ["partial_refusal", "refusal"];
const LOCALES = { nb: "nb-NO", en: "en-GB" };
const DAY_MS = 24 * 60 * 60 * 1000;

const named = (family, code) => (hasText(`${family}${code}`) ? t(`${family}${code}`) : code);

/** "Mottatt", "Under behandling" … (the handler's words for a case's state). */
export const stateName = (state) => named("requests.state.", state);

/** "Varsel om lengre svartid", "Delvis avslag" … */
export const kindName = (kind) => named("requests.kind.", kind);

/** "Forretningshemmelighet" … (the ground's short name; the legal text has the Act's wording). */
export const groundName = (ground) => named("requests.ground.", ground);

export const isOpen = (state) => OPEN_STATES.includes(state);

/** "3 dager igjen", "Frist i dag", "2 dager over fristen". */
export function daysLeftText(days) {
  if (days === 0) return t("requests.due_today");
  return days > 0 ? t("requests.days_left_count", { count: days }) : t("requests.days_over", { count: -days });
}

/** Today in Norway as "YYYY-MM-DD": the statutory clock counts Norwegian calendar days. */
export function norwegianToday(now = new Date()) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** A "YYYY-MM-DD" day `count` days later (or earlier). */
export function addDays(day, count) {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + count);
  return date.toISOString().slice(0, 10);
}

/** Days from one "YYYY-MM-DD" day to another (negative when `to` is before `from`). */
export function daysBetween(from, to) {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS);
}

/**
 * The legal text a refusal sent today carries, in the case's language (not the page's): law is
 * the page's rules and texts, {further_reasons_days, texts: {nb: {key:
 * message}, en: …}} (site/pages/members/request.md puts them in from the data file and the catalogues).
 */
export function legalText(law, language, ground, refusedOn) {
  const texts = law.texts[language] || law.texts.nb;
  const locale = LOCALES[language] || LOCALES.nb;
  const [year, month, day] = addDays(refusedOn, law.further_reasons_days).split("-").map(Number);
  const by = format(texts["transparency.date"], { day: String(day), month: String(month), year: String(year) }, locale);
  const groundText = format(texts[`transparency.ground.${ground}`], {}, locale);
  return format(texts["transparency.legal_text"], { section: texts[`transparency.section.${ground}`], ground: groundText, by }, locale);
}
