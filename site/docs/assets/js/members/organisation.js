/* The organisation's administrators: colleagues' roles and accounts, invitations, the security log. */
import { api, errorMessage } from "../kit/api.js";
import { button, byId, el, showMessage } from "../kit/dom.js";
import { bindForm, setBusy } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { hasText, t } from "../kit/i18n.js";
import { loadBusy, pagedList } from "../kit/list.js";
import { membersPage } from "../kit/members.js";

const ROLES = ["member", "admin"];
let me = null;
let events = null;

const say = (text, kind = "success") => showMessage(byId("org-users-message"), text, kind);
const nameOf = (user) => user.name || user.email;
const roleName = (role) => (hasText(`organisation.role.${role}`) ? t(`organisation.role.${role}`) : role);
const userPath = (user, rest = "") => `org/users/${encodeURIComponent(user.user_id)}${rest}`;

/** A button in a colleague's row, its label completed for screen readers with the colleague's name. */
function rowButton(label, action, user, run) {
  return button([label, el("span", { class: "ieh-sr-only" }, ` ${nameOf(user)}`)], run, { "data-action": action });
}

function roleCell(user, index) {
  if (user.user_id === me.user_id) return el("td", {}, roleName(user.role));
  const id = `org-user-role-${index}`;
  const options = ROLES.map((role) => el("option", { value: role, selected: role === user.role }, roleName(role)));
  const select = el("select", { id, class: "ieh-control", "data-action": "role" }, options);
  select.addEventListener("change", () => changeRole(user, select));
  return el("td", {}, [el("label", { for: id, class: "ieh-sr-only" }, t("organisation.role_for", { name: nameOf(user) })), select]);
}

/** Whether the colleague handles information requests (GET /me "duties"): a box an admin ticks;
 * administrators always may, so theirs is ticked and fixed. */
function dutyCell(user, index) {
  const id = `org-user-duty-${index}`;
  const admin = user.role === "admin";
  const box = el("input", { type: "checkbox", id, "data-action": "duty", checked: admin || user.handles_information_requests, disabled: admin });
  box.addEventListener("change", () => changeDuty(user, box));
  const context = admin ? t("organisation.duty.always_why") : t("organisation.duty.context", { name: nameOf(user) });
  const label = el("label", { for: id }, [t(admin ? "organisation.duty.always" : "organisation.duty.handles"), el("span", { class: "ieh-sr-only" }, ` ${context}`)]);
  return el("td", {}, el("div", { class: "ieh-choice" }, [box, label]));
}

function actionCell(user) {
  if (user.user_id === me.user_id) return el("td", {});
  const disabled = user.status === "disabled";
  const label = t(disabled ? "organisation.enable" : "organisation.disable");
  const toggle = rowButton(label, disabled ? "enable" : "disable", user, (node) => setDisabled(user, !disabled, node));
  if (user.status !== "invited") return el("td", {}, toggle);
  const resend = rowButton(t("organisation.resend"), "resend", user, (node) => resendInvitation(user, node));
  return el("td", {}, [toggle, " ", resend]);
}

function userRow(user, index) {
  const status = hasText(`organisation.status.${user.status}`) ? t(`organisation.status.${user.status}`) : user.status || "";
  return el("tr", { "data-user-id": user.user_id, "data-status": user.status }, [
    el("td", {}, [nameOf(user), user.user_id === me.user_id ? ` (${t("organisation.you")})` : null]),
    el("td", {}, user.email || ""),
    roleCell(user, index),
    dutyCell(user, index),
    el("td", {}, status),
    actionCell(user),
  ]);
}

async function loadUsers() {
  const table = byId("org-users-table");
  const answer = await loadBusy(table, "org/users", byId("org-users-message"));
  if (!answer) return;
  byId("org-users-body").replaceChildren(...(answer.items || []).map(userRow));
}

async function resendInvitation(user, node) {
  setBusy(node, true, t("kit.saving"));
  const result = await api(userPath(user, "/invitation"), { method: "POST" });
  setBusy(node, false);
  if (!result.ok) return say(errorMessage(result), "error");
  say(t("organisation.invited", { email: user.email }));
  events.load(true);
}

async function changeRole(user, select) {
  const wanted = select.value;
  select.disabled = true;
  const result = await api(userPath(user), { method: "PATCH", body: { role: wanted } });
  select.disabled = false;
  if (!result.ok) {
    select.value = user.role; // not changed: show what is true
    return say(errorMessage(result), "error");
  }
  user.role = wanted;
  const duty = select.closest("tr").querySelector('[data-action="duty"]').closest("td");
  duty.replaceWith(dutyCell(user, select.id.replace("org-user-role-", ""))); // an admin always handles requests
  say(t("organisation.role_changed", { name: nameOf(user), role: roleName(wanted).toLowerCase() }));
  select.focus();
}

async function changeDuty(user, box) {
  const wanted = box.checked;
  box.disabled = true;
  const result = await api(userPath(user), { method: "PATCH", body: { handles_information_requests: wanted } });
  box.disabled = false;
  if (!result.ok) {
    box.checked = !wanted; // not changed: show what is true
    return say(errorMessage(result), "error");
  }
  user.handles_information_requests = wanted;
  say(t(wanted ? "organisation.duty.granted" : "organisation.duty.removed", { name: nameOf(user) }));
  box.focus();
  events.load(true);
}

async function setDisabled(user, disabled, node) {
  const row = node.closest("tr");
  setBusy(node, true, t("kit.saving"));
  const result = await api(userPath(user), { method: "PATCH", body: { disabled } });
  if (!result.ok) {
    setBusy(node, false);
    return say(errorMessage(result), "error");
  }
  const body = result.body || {};
  const updated = { ...user, ...body, status: body.status || (disabled ? "disabled" : "active") };
  const fresh = userRow(updated, [...row.parentNode.children].indexOf(row));
  row.replaceWith(fresh);
  say(t(disabled ? "organisation.user_disabled" : "organisation.user_enabled", { name: nameOf(user) }));
  fresh.querySelector("button")?.focus();
  events.load(true);
}

/** What an event's detail says, in the reader's words: never the code the log keeps. */
function eventDetail(item) {
  const detail = String(item.detail || "");
  if (!detail) return "";
  if (item.kind === "sessions_ended" && /^\d+$/.test(detail)) return t("organisation.detail.sessions_ended", { count: Number(detail) });
  if (item.kind === "role_changed") {
    const [from, to] = detail.split(" → ");
    return to ? t("organisation.detail.role_changed", { from: roleName(from), to: roleName(to) }) : "";
  }
  const key = `organisation.detail.${item.kind}.${detail}`;
  return hasText(key) ? t(key) : "";
}

function eventRow(item) {
  const kind = `organisation.event.${item.kind}`;
  return el("tr", { "data-kind": item.kind }, [
    el("td", {}, formatDateTime(item.at) || ""),
    el("td", {}, hasText(kind) ? t(kind) : t("organisation.event_other")),
    el("td", {}, item.actor || ""),
    el("td", {}, [item.subject, eventDetail(item)].filter(Boolean).join(" · ")),
  ]);
}

membersPage((member) => {
  me = member;
  events = pagedList({
    path: (cursor) => `org/security-events${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`,
    render: eventRow,
    body: byId("security-events-body"),
    more: byId("security-events-more"),
    status: byId("security-events-message"),
    empty: byId("security-events-empty"),
    announceMore: (count) => t("organisation.log.more_shown", { count }),
  });
  const form = byId("invite-form");
  bindForm(form, {
    status: byId("invite-message"),
    send: (data) => api("org/invitations", { method: "POST", body: data }),
    done: (_, __, data) => {
      form.reset();
      showMessage(byId("invite-message"), t("organisation.invited", { email: data.email }), "success");
      loadUsers();
      events.load(true);
    },
  });
  loadUsers();
  events.load(true);
});
