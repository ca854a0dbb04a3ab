/* Accepting an invitation from its e-mailed link (#token=…): name and password, then the members area. */
import { api, errorMessage, pageUrl } from "../kit/api.js";
import { byId, showMessage } from "../kit/dom.js";
import { bindForm, initPasswordToggles, textOf } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { goOn, leadOn, on, passwordCheck, tokenFromHash } from "./passwords.js";

const app = byId("invitation-app");
const form = byId("invitation-form");
const token = tokenFromHash();

function refuse(text) {
  app.classList.remove("ieh-open");
  leadOn(byId("invitation-message"), text, "login/", t("auth.go_to_login"));
}

async function open() {
  app.setAttribute("aria-busy", "true");
  const found = await api(`auth/invitations/${encodeURIComponent(token)}`);
  app.setAttribute("aria-busy", "false");
  if (found.status === 404) return refuse(t("invitation.expired"));
  if (found.status !== 200 || !found.body) return showMessage(byId("invitation-message"), errorMessage(found), "error");
  byId("invitation-organisation").textContent = found.body.organisation_name || "";
  form.elements.email.value = found.body.email || "";
  if (found.body.name && !form.elements.name.value) form.elements.name.value = found.body.name;
  app.classList.add("ieh-open");
  initPasswordToggles(form);
  bindForm(form, {
    busyLabel: t("kit.saving"),
    collect: () => ({ token, name: textOf(form, "name"), password: form.elements.password.value }),
    check: () => passwordCheck(form, "password"),
    send: (data) => api("auth/invitations/accept", { method: "POST", body: data }),
    done: () => goOn(form, pageUrl("members/"), t("kit.saving")),
    failed: on(404, () => refuse(t("invitation.expired"))),
  });
}

if (token) open();
else refuse(t("invitation.missing"));
