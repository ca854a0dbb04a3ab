/* Numbers, amounts, dates and sizes the way the page's language writes them. */
import { locale, t } from "./i18n.js";

/** A number as the page's language writes it ("1 234,5" / "1,234.5"); with `digits`, exactly that
 * many decimals ("7,0"). */
export function formatNumber(value, digits) {
  const fixed = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return Number(value).toLocaleString(locale, fixed);
}

/** "kr 12 000" / "NOK 12,000" (the catalogue's kit.nok says where the number goes). */
export function formatNok(value) {
  return t("kit.nok", { amount: formatNumber(value) });
}

export function formatNokRange(min, max) {
  return t("kit.nok", { amount: `${formatNumber(min)}–${formatNumber(max)}` });
}

export function formatPercent(share) {
  return Number(share).toLocaleString(locale, { style: "percent", maximumFractionDigits: 0 });
}

/** "12. mars 2025" / "12 March 2025", or null for what is not a date. */
export function formatDate(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return null;
  return date.toLocaleDateString(locale, { day: "numeric", month: "long", year: "numeric" });
}

/** "12. mars 2025 kl. 09:00" / "12 March 2025 at 09:00", in the reader's time zone. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return null;
  return date.toLocaleString(locale, { dateStyle: "long", timeStyle: "short" });
}

/** A file size: "820 kB", "1,4 MB". */
export function formatBytes(bytes) {
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

/** A name from a reference list ([{code, name}]) for a code; the code itself only if the list lacks it. */
export function nameOf(list, code) {
  const found = (list || []).find((entry) => entry.code === code);
  return found ? found.name : code;
}
