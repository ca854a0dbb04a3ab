/* Logging in: e-mail and password, then a code from the app or a recovery code when the account
 * has two-factor authentication; and asking for a link to set a new password. */
import { api, errorCode, errorMessage, pageUrl, safeNext } from "../kit/api.js";
import { byId, link, showMessage } from "../kit/dom.js";
import { bindForm, clearFieldErrors, initPasswordToggles, showFieldErrors, textOf } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { codeCheck, codeOf, goOn, on, showTooMany } from "./passwords.js";

const form = byId("login-form");
const status = byId("login-status");
const params = new URLSearchParams(location.search);
const back = safeNext(params.get("next"));
const next = back || pageUrl("members/");
const { email, password, totp_code: totp, recovery_code: recovery } = form.elements;
let step = "password"; // then "totp" or "recovery" when the account has a second factor
initPasswordToggles(form);

if (params.has("logged_out")) showMessage(status, t("login.logged_out"), "success");
else if (back) showMessage(status, t("login.to_continue"), "info");

// Already logged in (another tab, or the back button): offer the way in.
api("me").then(({ status: code, body }) => {
  if (code !== 200 || !body) return;
  const who = body.name || body.email;
  showMessage(status, [`${t("login.already", { who })} `, link(next, t("login.go_to_members"))], "info");
});

function showStep(newStep) {
  clearFieldErrors(form);
  step = newStep;
  byId("login-totp").hidden = step !== "totp";
  byId("login-recovery").hidden = step !== "recovery";
  byId("login-restart").hidden = step === "password";
  email.readOnly = password.readOnly = step !== "password";
  if (step !== "password") (step === "totp" ? totp : recovery).focus();
}

for (const [id, target] of [["login-use-recovery", "recovery"], ["login-use-totp", "totp"]]) {
  byId(id).addEventListener("click", (event) => {
    event.preventDefault();
    showStep(target);
  });
}
byId("login-restart").addEventListener("click", () => {
  totp.value = recovery.value = password.value = "";
  showStep("password");
  password.focus();
});

bindForm(form, {
  busyLabel: t("login.logging_in"),
  collect: () => ({
    email: textOf(form, "email"),
    password: password.value,
    ...(step === "totp" && { totp_code: codeOf(totp) }),
    ...(step === "recovery" && { recovery_code: textOf(form, "recovery_code") }),
  }),
  check(data) {
    const found = {};
    if (!data.email) found.email = t("login.enter_email");
    if (!data.password) found.password = t("login.enter_password");
    if (step === "recovery" && !data.recovery_code) found.recovery_code = t("login.enter_recovery");
    return { ...found, ...(step === "totp" && codeCheck(totp)) };
  },
  send: (data) => api("auth/login", { method: "POST", body: data }),
  done: () => goOn(form, next, t("login.logging_in")),
  failed(result) {
    const code = errorCode(result);
    if (result.status === 429) showTooMany(form, result);
    else if (code === "totp_required") {
      showMessage(status, t("auth.totp_needed"), "info");
      showStep("totp");
    } else if (code === "totp_invalid") {
      const field = step === "recovery" ? "recovery_code" : "totp_code";
      showFieldErrors(form, { [field]: errorMessage(result) }, { summary: false }); // beside the code, once
    } else {
      if (code === "invalid_credentials") {
        password.value = "";
        showStep("password");
      }
      return false; // the server's message, in the summary
    }
    return true;
  },
});

// ---------------------------------------------------------------- forgot password

const forgot = byId("forgot-form");
byId("forgot-password-link").addEventListener("click", () => {
  if (email.value.trim() && !forgot.elements.email.value) forgot.elements.email.value = email.value.trim();
  setTimeout(() => forgot.elements.email.focus(), 0); // after the browser has scrolled to the section
});
bindForm(forgot, {
  status: byId("forgot-message"),
  check: (data) => (data.email ? {} : { email: t("login.enter_email") }),
  send: (data) => api("auth/password-reset", { method: "POST", body: { email: data.email } }),
  done: () => showMessage(byId("forgot-message"), t("login.reset_sent"), "success"),
  failed: on(429, (result) => showTooMany(forgot, result)),
});
