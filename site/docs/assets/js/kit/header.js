/* Who is logged in, on every page. The header shows the member's name and a log-out button; the
 * navigation shows only the pages this member may use (the build marks each members page's link with
 * who may use it, data-nav-for, from the page's own gate) and no "Log in"; the language switch keeps
 * the page's query and fragment (/members/site/?id=… stays that site in the other language).
 * The member is remembered in the browser (localStorage, every tab) from the last GET /me, for as
 * long as the session stays alive unused (30 minutes), so public pages know without asking the API;
 * logging out forgets it in every tab. */
import { api, errorMessage, pageUrl, setCsrfToken } from "./api.js";
import { t } from "./i18n.js";

const STORAGE_KEY = "ieh.member";
const REMEMBER_MS = 30 * 60 * 1000; // the session's idle timeout (portal.store.accounts.SESSION_IDLE)
const doc = globalThis.document;

/** The kinds of pages a member may use: every member's, and admin, staff, producer, buyer, auditor,
 * and requests (who handles the organisation's information requests: GET /me "duties"). */
export function memberKinds(me) {
  const type = (me && me.organisation && me.organisation.type) || "";
  return [
    "member",
    me.role === "admin" && "admin",
    me.is_staff && "staff",
    ["producer", "both"].includes(type) && "producer",
    ["buyer", "both"].includes(type) && "buyer",
    type === "audit_company" && "auditor",
    (me.duties || []).includes("information_requests") && "requests",
  ].filter(Boolean);
}

function remembered() {
  try {
    const member = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    return member && member.until > Date.now() ? member : null;
  } catch {
    return null;
  }
}

function store(member) {
  try {
    if (member) localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...member, until: Date.now() + REMEMBER_MS }));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage switched off: the header follows this page's GET /me only
  }
}

/** Show who is logged in (null: nobody) in the header and the navigation. */
function show(member) {
  const kinds = member ? member.kinds : [];
  if (member) doc.documentElement.dataset.iehMember = kinds.join(" ");
  else delete doc.documentElement.dataset.iehMember;
  for (const link of doc.querySelectorAll("[data-nav-for]")) {
    const item = link.closest("li");
    if (item) item.hidden = !link.dataset.navFor.split(" ").some((kind) => kinds.includes(kind));
  }
  const box = doc.querySelector(".ieh-member");
  if (!box) return;
  box.hidden = !member;
  doc.getElementById("ieh-member-name").textContent = member ? member.name : "";
}

/** After GET /me: remember the member for the tab and show them. */
export function rememberMember(me) {
  const member = { name: me.name || me.email || "", kinds: memberKinds(me) };
  store(member);
  show(member);
}

export function forgetMember() {
  store(null);
  show(null);
}

/** Log out and go to the login page; on failure the button comes back and the reason is returned. */
export async function logOut(button) {
  // the form kit only when someone logs out: public pages do without it (if it cannot load, the
  // button just does not say it is busy)
  const form = await import("./form.js").catch(() => null);
  const setBusy = (busy, label) => form && form.setBusy(button, busy, label);
  setBusy(true, t("kit.logging_out"));
  const result = await api("auth/logout", { method: "POST" });
  if (result.status === 0 || result.status >= 500) {
    setBusy(false);
    return errorMessage(result);
  }
  setCsrfToken(null);
  forgetMember();
  location.assign(`${pageUrl("login/")}?logged_out=1`);
  return null;
}

/** The other language's link goes to the same page with the same query and fragment (read when the
 * link is about to be followed: pages may change their address without an event, history.replaceState). */
function keepAddress(event) {
  const url = new URL(event.currentTarget.href);
  url.search = location.search;
  url.hash = location.hash;
  event.currentTarget.href = url.href;
}

if (doc) {
  show(remembered());
  for (const link of doc.querySelectorAll(".md-select__link[hreflang]")) {
    for (const type of ["pointerdown", "focus"]) link.addEventListener(type, keepAddress);
  }
  window.addEventListener("ieh:session-ended", forgetMember);
  window.addEventListener("storage", (event) => event.key === STORAGE_KEY && show(remembered())); // another tab logged in or out
  const button = doc.getElementById("logout-button");
  if (button && button.closest(".ieh-member")) {
    button.addEventListener("click", async () => {
      doc.getElementById("ieh-member-error").textContent = (await logOut(button)) || "";
    });
  }
}
