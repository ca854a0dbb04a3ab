/* What the pages that log in and set passwords share: the password rule, e-mailed tokens,
 * "wait before trying again", a six-digit code, and a message that leads on to another page. */
import { errorMessage, pageUrl } from "../kit/api.js";
import { focusOn, link, showMessage } from "../kit/dom.js";
import { setBusy, showFieldErrors } from "../kit/form.js";
import { t } from "../kit/i18n.js";

/** Problems of a new password, for bindForm's check: its length in characters (not UTF-16 units). */
export function passwordCheck(form, name) {
  const length = [...form.elements[name].value].length;
  if (length < 12) return { [name]: t("field.password_too_short") };
  if (length > 128) return { [name]: t("field.password_too_long") };
  return {};
}

/** A six-digit code as typed, spaces left out. */
export const codeOf = (input) => input.value.replace(/\s+/g, "");

/** What is wrong with a six-digit code, for bindForm's check: {name: message}, or {}. */
export function codeCheck(input) {
  const code = codeOf(input);
  return /^\d{6}$/.test(code) ? {} : { [input.name]: t(code ? "auth.totp_format" : "auth.totp_needed") };
}

/** The token in the page address's fragment (#token=…): fragments never reach server logs. A link
 * with another token pasted into the same tab changes only the fragment, so the page starts again. */
export function tokenFromHash() {
  window.addEventListener("hashchange", () => {
    if (/(^#|&)token=/.test(location.hash)) location.reload();
  });
  const token = (new URLSearchParams(location.hash.replace(/^#/, "")).get("token") || "").trim();
  return token || null;
}

/** A 429 on a form: the server's message and how long to wait (its Retry-After, in seconds). */
export function showTooMany(form, result) {
  const seconds = Number.parseInt(result.headers.get("Retry-After") || "", 10);
  let wait = "";
  if (seconds > 0 && seconds < 60) wait = t("auth.wait_seconds", { count: seconds });
  else if (seconds >= 60) wait = t("auth.wait_minutes", { count: Math.ceil(seconds / 60) });
  showFieldErrors(form, {}, { message: [errorMessage(result), wait].filter(Boolean).join(" ") });
}

/** A message with a link onwards ("… Go to the login page"), focused for screen readers. */
export function leadOn(region, text, path, linkText, kind = "error") {
  showMessage(region, [`${text} `, link(pageUrl(path), linkText)], kind);
  focusOn(region);
}

/** bindForm's failed(): `run(result)` for answers with this status, which it then has handled. */
export function on(status, run) {
  return (result) => {
    if (result.status !== status) return false;
    run(result);
    return true;
  };
}

/** After logging in: on to the next page, the form's button busy until it has loaded. */
export function goOn(form, url, busyLabel) {
  setBusy(form.querySelector('[type="submit"]'), true, busyLabel);
  location.assign(url);
}
