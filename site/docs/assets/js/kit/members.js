/* The frame of every members page: GET /me, then the page opens only for whom it is for.
 * A page module starts with `membersPage((me, app) => …)`; its root is the #members-app element
 * (the page definition's gate() macro), whose data-requires says who may use the page. */
import { api, errorMessage, loginUrl, pageUrl } from "./api.js";
import { button, byId, focusOn, link, showMessage } from "./dom.js";
import { initPasswordToggles } from "./form.js";
import { memberKinds, rememberMember } from "./header.js";
import { t } from "./i18n.js";
import { loadReference } from "./reference.js";

let me = null;

/** The member who is logged in (GET /me), once the page has opened; null before. */
export function currentMember() {
  return me;
}

/** 401 on a members page: say so, with a link to the login page that brings the member back. */
window.addEventListener("ieh:session-ended", (event) => {
  const region = byId("members-message");
  if (!region) return;
  const { code, hadSession } = event.detail || {};
  const expired = code === "session_expired" || hadSession || me !== null;
  showMessage(region, [`${t(expired ? "kit.session_expired" : "kit.login_needed")} `, link(loginUrl(), t("kit.log_in"))], "error");
  region.scrollIntoView({ block: "center" });
  focusOn(region);
});

/**
 * Whether the member may use what a requirement names: one kind (admin, staff, producer, buyer)
 * or several separated by spaces, any of which will do ("producer buyer staff").
 */
export function allowed(requirement, member = me) {
  if (!member) return false;
  const kinds = String(requirement || "").trim().split(/\s+/).filter(Boolean);
  const own = memberKinds(member);
  return !kinds.length || kinds.some((kind) => own.includes(kind));
}

/** Load /me and open the page (everything after the #members-app frame) if it is for this member. */
async function open(app) {
  const region = byId("members-message");
  app.setAttribute("aria-busy", "true");
  showMessage(byId("members-loading"), t("kit.loading"), "info");
  const result = await api("me");
  showMessage(byId("members-loading"), "");
  app.setAttribute("aria-busy", "false");
  if (result.status === 401) return null; // the session-ended listener has said so
  if (result.status !== 200 || !result.body) {
    showMessage(region, [`${errorMessage(result)} `, button(t("kit.retry"), () => location.reload())], "error");
    return null;
  }
  me = result.body;
  rememberMember(me); // the header and the navigation (kit/header.js)
  for (const node of document.querySelectorAll("[data-requires]:not(#members-app)")) node.hidden = !allowed(node.dataset.requires);
  const requirement = app.dataset.requires;
  if (requirement && !allowed(requirement)) {
    const only = ["staff", "producer", "buyer", "admin", "requests"].includes(requirement) ? `kit.only.${requirement}` : "kit.only.other";
    showMessage(region, [`${t(only)} `, link(pageUrl("members/"), t("kit.back_to_dashboard"))], "error");
    return null;
  }
  app.classList.add("ieh-open"); // shows the rest of the page (see .ieh-gate in portal.css)
  return me;
}

/** Start a members page: `start(me, app)` runs once the member may see it. */
export async function membersPage(start) {
  const app = byId("members-app");
  if (!app) return;
  initPasswordToggles();
  const member = await open(app);
  if (member) await start(member, app);
}

/**
 * The record a page is about (?id=… in its address) with the reference lists: {id, path, record,
 * reference}, or null after saying why not in #<region> with a link back. path(id) is its API path;
 * texts: {missing, notFound (keys), back (a page), backText (key), notFoundKind}. The page's
 * #<content> element opens when the record has come.
 */
export async function recordFromAddress(path, { region, content, missing, notFound, back, backText, notFoundKind = "error" }) {
  const id = (new URLSearchParams(location.search).get("id") || "").trim();
  const [{ reference, result: failed }, result] = id ? await Promise.all([loadReference(), api(path(id))]) : [{}, { status: 400 }];
  if (result.status === 401 || (failed && failed.status === 401)) return null;
  if (!id || result.status === 404) {
    showMessage(byId(region), [t(id ? notFound : missing), " ", link(pageUrl(back), t(backText))], id ? notFoundKind : "error");
    return null;
  }
  if (!reference || result.status !== 200 || !result.body) {
    showMessage(byId(region), errorMessage(reference ? result : failed), "error");
    return null;
  }
  byId(content).classList.add("ieh-open"); // shows the rest of the page (.ieh-gate in portal.css)
  return { id, path: path(id), record: result.body, reference };
}
