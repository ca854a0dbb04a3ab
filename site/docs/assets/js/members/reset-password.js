/* A new password from the link in an e-mail (#token=…). */
import { api } from "../kit/api.js";
import { byId } from "../kit/dom.js";
import { bindForm, initPasswordToggles } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { leadOn, on, passwordCheck, tokenFromHash } from "./passwords.js";

const form = byId("reset-form");
const token = tokenFromHash();

function askAgain(text) {
  form.hidden = true;
  leadOn(byId("reset-message"), text, "login/#forgot-password", t("reset.ask_new_link"));
}

if (!token) askAgain(t("reset.no_token"));
else {
  form.hidden = false;
  initPasswordToggles(form);
  bindForm(form, {
    busyLabel: t("kit.saving"),
    collect: () => ({ token, password: form.elements.password.value }),
    check: () => passwordCheck(form, "password"),
    send: (data) => api("auth/password-reset/complete", { method: "POST", body: data }),
    done() {
      form.hidden = true;
      leadOn(byId("reset-done"), t("reset.done"), "login/", t("auth.go_to_login"), "success");
    },
    failed: on(404, () => askAgain(t("reset.expired"))),
  });
}
