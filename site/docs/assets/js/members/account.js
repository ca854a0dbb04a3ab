/* My account: changing the password, the sessions where one is logged in, two-factor
 * authentication (set up with a QR code, recovery codes shown once, turned off with the password),
 * and what the portal e-mails one about (only the kinds the API says can reach this person). */
import { api, errorMessage } from "../kit/api.js";
import { button, byId, el, focusOn, showMessage } from "../kit/dom.js";
import { bindForm, clearFieldErrors, resetPasswordToggles, setBusy, showFieldErrors } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { codeCheck, codeOf, passwordCheck } from "./passwords.js";

membersPage((me) => {
  // Password managers want the account's name beside each password.
  byId("password-username").value = byId("totp-disable-username").value = me.email || "";
  const form = byId("password-form");
  bindForm(form, {
    busyLabel: t("kit.saving"),
    collect: () => ({ current_password: form.elements.current_password.value, new_password: form.elements.new_password.value }),
    check: () => passwordCheck(form, "new_password"),
    send: (data) => api("account/password", { method: "POST", body: data }),
    async done() {
      form.reset();
      resetPasswordToggles(form);
      showMessage(byId("password-message"), t("account.password.changed"), "success");
      await api("me"); // the session's anti-CSRF token may have been renewed
      loadSessions();
    },
  });
  byId("end-other-sessions").addEventListener("click", endOthers);
  loadSessions();
  twoFactor(me);
  notifications();
});

// ---------------------------------------------------------------- sessions

const BROWSERS = [[/Edg\//, "Edge"], [/OPR\/|Opera/, "Opera"], [/Firefox\//, "Firefox"], [/Chrome\/|Chromium\//, "Chrome"], [/Safari\//, "Safari"]];
const SYSTEMS = [[/iPhone|iPad|iPod/, "iOS"], [/Android/, "Android"], [/Windows/, "Windows"], [/Mac OS X|Macintosh/, "macOS"], [/CrOS/, "ChromeOS"], [/Linux/, "Linux"]];

/** "Firefox on Windows" from a user agent string; the full string stays in the title. */
function describeDevice(ua) {
  const [browser, os] = [BROWSERS, SYSTEMS].map((list) => (list.find(([pattern]) => pattern.test(ua)) || [])[1]);
  if (browser && os) return t("account.sessions.device_on", { browser, os });
  return browser || os || (ua ? ua.slice(0, 60) : t("account.sessions.unknown_device"));
}

function sessionRow(session) {
  const device = describeDevice(session.user_agent || "");
  const started = formatDateTime(session.created_at) || "";
  const badge = el("span", { class: "ieh-badge" }, t("account.sessions.this_device"));
  let action = t("account.sessions.this_session");
  if (!session.current) {
    const what = el("span", { class: "ieh-sr-only" }, ` (${[device, started].filter(Boolean).join(", ")})`);
    action = button([t("account.sessions.end"), what], (node) => endSession(session.id, node), { "data-action": "end-session", "data-session-id": session.id });
  }
  return el("tr", { "data-session-id": session.id, class: session.current ? "ieh-row--current" : null }, [
    el("td", {}, started),
    el("td", {}, formatDateTime(session.last_seen_at) || ""),
    el("td", { title: session.user_agent || null }, session.current ? [device, " ", badge] : device),
    el("td", {}, session.ip || ""),
    el("td", {}, action),
  ]);
}

async function loadSessions() {
  const table = byId("sessions-table");
  const answer = await loadBusy(table, "account/sessions", byId("sessions-message"));
  if (!answer) return;
  const items = answer.items || [];
  byId("sessions-body").replaceChildren(...items.map(sessionRow));
  const others = items.filter((session) => !session.current).length;
  byId("end-other-sessions").hidden = others === 0;
  byId("sessions-none").hidden = others > 0;
}

/** A button that ends sessions: `success(result)` is the text to say, or nothing when it failed.
 * Then the list again, and the focus on `focus`. */
async function endSessions(node, request, success, focus) {
  const status = byId("sessions-message");
  setBusy(node, true, t("kit.saving"));
  const result = await request();
  setBusy(node, false);
  const text = success(result);
  if (!text) return showMessage(status, errorMessage(result), "error");
  showMessage(status, text, "success");
  await loadSessions();
  focusOn(byId(focus));
}

function endSession(id, node) {
  const request = () => api(`account/sessions/${encodeURIComponent(id)}`, { method: "DELETE" });
  endSessions(node, request, (result) => [200, 204, 404].includes(result.status) && t("account.sessions.ended"), "sessions");
}

function endOthers() {
  const request = () => api("account/sessions/end-others", { method: "POST" });
  const ended = (body) => (Number.isInteger(body?.ended) ? body.ended : 0);
  const success = (result) => result.status === 200 && t("account.sessions.others_ended", { count: ended(result.body) });
  endSessions(byId("end-other-sessions"), request, success, "sessions-message");
}

// ---------------------------------------------------------------- two-factor authentication

function svgDataUrl(svg) {
  const binary = Array.from(new TextEncoder().encode(svg), (byte) => String.fromCharCode(byte)).join("");
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

function warnBeforeLeaving(event) {
  event.preventDefault();
  event.returnValue = t("account.totp.leave");
  return event.returnValue;
}

function twoFactor(me) {
  const status = byId("totp-message");
  const [setup, recovery, start] = ["totp-setup", "totp-recovery", "totp-setup-start"].map(byId);
  const [confirmForm, recoveryForm, disableForm] = ["totp-confirm-form", "totp-recovery-form", "totp-disable-form"].map(byId);
  let codes = [];

  function render() {
    byId("totp-state").textContent = t(me.totp_enabled ? "account.totp.on" : "account.totp.off");
    byId("totp-required-notice").hidden = !me.mfa_setup_required;
    byId("totp-off").hidden = me.totp_enabled || !setup.hidden || !recovery.hidden;
    byId("totp-on").hidden = !me.totp_enabled || !recovery.hidden;
    byId("totp-staff-note").hidden = !me.is_staff;
    disableForm.hidden = Boolean(me.is_staff);
  }

  function announce(text) {
    render();
    showMessage(status, text, "success");
    focusOn(status);
  }

  start.addEventListener("click", async () => {
    showMessage(status, "");
    setBusy(start, true, t("kit.loading"));
    const result = await api("account/totp", { method: "POST" });
    setBusy(start, false);
    if (result.status !== 200 || !result.body) return showMessage(status, errorMessage(result), "error");
    const { secret, otpauth_uri: uri, qr_svg: svg } = result.body;
    const qr = byId("totp-qr");
    qr.hidden = !svg;
    if (svg) qr.src = svgDataUrl(svg); // its alt text is in the page
    byId("totp-secret").textContent = (secret || "").replace(/(.{4})(?=.)/g, "$1 ");
    const open = byId("totp-open-app");
    open.hidden = !(typeof uri === "string" && uri.startsWith("otpauth://"));
    if (!open.hidden) open.href = uri;
    confirmForm.reset();
    clearFieldErrors(confirmForm);
    setup.hidden = false;
    render();
    focusOn(byId("totp-setup-heading"));
  });

  byId("totp-setup-cancel").addEventListener("click", () => {
    setup.hidden = true;
    render();
    start.focus();
  });

  bindForm(confirmForm, {
    busyLabel: t("kit.saving"),
    collect: () => ({ code: codeOf(confirmForm.elements.code) }),
    check: () => codeCheck(confirmForm.elements.code),
    send: (data) => api("account/totp/confirm", { method: "POST", body: data }),
    failed(result) {
      const fields = result.body?.error?.fields || (result.status > 0 && result.status < 500 ? { code: errorMessage(result) } : {});
      showFieldErrors(confirmForm, fields, { message: errorMessage(result) });
      return true;
    },
    done(body) {
      codes = Array.isArray(body?.recovery_codes) ? body.recovery_codes : [];
      byId("totp-recovery-codes").replaceChildren(...codes.map((code) => el("li", {}, el("code", {}, code))));
      recoveryForm.reset();
      clearFieldErrors(recoveryForm);
      setup.hidden = true;
      recovery.hidden = false;
      Object.assign(me, { totp_enabled: true, mfa_setup_required: false });
      render();
      window.addEventListener("beforeunload", warnBeforeLeaving);
      focusOn(byId("totp-recovery-heading"));
      api("me").then(({ status: code, body: fresh }) => {
        if (code === 200 && fresh) Object.assign(me, fresh);
      });
    },
  });

  byId("totp-recovery-copy").addEventListener("click", async () => {
    const region = byId("totp-recovery-status");
    try {
      await navigator.clipboard.writeText(codes.join("\n"));
      showMessage(region, t("account.totp.copied"), "success");
    } catch (_) {
      showMessage(region, t("account.totp.copy_failed"), "error");
    }
  });

  byId("totp-recovery-download").addEventListener("click", () => {
    const text = `${t("account.totp.file_title")}\n\n${codes.join("\n")}\n`;
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const anchor = el("a", { href: url, download: t("account.totp.file_name"), hidden: true });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });

  recoveryForm.addEventListener("submit", (event) => {
    event.preventDefault();
    clearFieldErrors(recoveryForm);
    if (!recoveryForm.elements.saved.checked) return showFieldErrors(recoveryForm, { saved: t("account.totp.confirm_saved") }, { summary: false });
    window.removeEventListener("beforeunload", warnBeforeLeaving);
    codes = [];
    byId("totp-recovery-codes").replaceChildren();
    showMessage(byId("totp-recovery-status"), "");
    recovery.hidden = true;
    announce(t("account.totp.enabled"));
  });

  bindForm(disableForm, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ password: disableForm.elements.password.value }),
    send: (data) => api("account/totp", { method: "DELETE", body: data }),
    done() {
      disableForm.reset();
      resetPasswordToggles(disableForm);
      me.totp_enabled = false;
      announce(t("account.totp.disabled"));
    },
  });

  render();
  if (location.hash === "#two-factor") byId("totp-section").scrollIntoView();
}

// ---------------------------------------------------------------- e-mail notifications

async function notifications() {
  const form = byId("notifications-form");
  const answer = await loadBusy(form, "account/notifications", byId("notifications-message"));
  if (!answer) return;
  const shown = (answer.items || []).map(({ kind, choice }) => {
    const select = form.querySelector(`[data-notice-kind="${kind}"]`);
    if (!select) return null;
    select.value = choice;
    select.closest(".ieh-field").hidden = false;
    return kind;
  }).filter(Boolean);
  form.elements.language.value = answer.language;
  form.hidden = false;
  const status = byId("notifications-status");
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({
      language: form.elements.language.value,
      choices: Object.fromEntries(shown.map((kind) => [kind, form.elements[kind].value])),
    }),
    send: (data) => api("account/notifications", { method: "PUT", body: data }),
    done() {
      showMessage(status, t("account.notifications.saved"), "success");
    },
  });
  if (location.hash === "#notifications") byId("notifications").scrollIntoView();
}
