/* The portal's JSON API on the same origin, and links between the site's pages. */
import { DEFAULT_LANGUAGE, lang, t } from "./i18n.js";

export const API = "/api/v1";
const REQUEST_TIMEOUT_MS = 15000;
// The site root, from this module's own address (…/assets/js/kit/api.js): the site works from any
// host or path prefix, so links between pages are never written as absolute paths.
const SITE_ROOT = new URL("../../../", import.meta.url);
const LANGUAGE_ROOT = lang === DEFAULT_LANGUAGE ? SITE_ROOT : new URL(`${lang}/`, SITE_ROOT);
const CSRF_STORAGE_KEY = "ieh.csrf";
const SAFE_METHODS = ["GET", "HEAD", "OPTIONS"];
const SESSION_ENDED_CODES = ["not_authenticated", "session_expired"];

// The anti-CSRF token of the current session. The session itself is an HttpOnly cookie that
// scripts never see; this token only proves that a request comes from the portal's own pages.
// Kept for the tab's lifetime in sessionStorage (never localStorage), so a reload keeps it.
let csrfToken = readCsrfToken();

function readCsrfToken() {
  try {
    return sessionStorage.getItem(CSRF_STORAGE_KEY);
  } catch (_) {
    return null;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
  try {
    if (csrfToken) sessionStorage.setItem(CSRF_STORAGE_KEY, csrfToken);
    else sessionStorage.removeItem(CSRF_STORAGE_KEY);
  } catch (_) {
    /* storage switched off: the variable still serves this page */
  }
}

/** Whether this tab has been logged in (it holds a session's anti-CSRF token). */
export function hasSession() {
  return Boolean(csrfToken);
}

/** The error code of an answer's body ({error: {code}}), or null. */
export function errorCode(result) {
  const body = result && "body" in result ? result.body : result;
  return body && body.error && typeof body.error.code === "string" ? body.error.code : null;
}

async function send(path, options, method) {
  const headers = { Accept: "application/json", "Accept-Language": lang, ...(options.headers || {}) };
  if (!SAFE_METHODS.includes(method)) headers["X-CSRF-Token"] = csrfToken || "anonymous";
  const init = { method, headers, credentials: "same-origin" };
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeout || REQUEST_TIMEOUT_MS);
  init.signal = controller.signal;
  try {
    const response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, init);
    const text = await response.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (_) {
      body = null;
    }
    return { status: response.status, body, headers: response.headers, ok: response.ok };
  } catch (_) {
    return { status: 0, body: null, headers: new Headers(), ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Call the portal's JSON API: `path` is absolute ("/api/v1/me") or relative to /api/v1 ("me").
 * Resolves to {status, ok, body, headers}: body is the parsed JSON or null. Never rejects: HTTP
 * errors come back with their status, and network failures or timeouts come back as status 0.
 * options: {method, body (object, sent as JSON), headers, timeout (ms)}.
 *
 * Every request that changes something carries the X-CSRF-Token header: the session's token
 * (taken from any answer that holds a `csrf_token`: GET /me, the login, an accepted invitation),
 * or "anonymous" when logged out. If the server refuses the token (the session changed in
 * another tab), the helper asks /me for the current one and tries once more.
 * When the server says the session is gone (401 not_authenticated / session_expired), the token
 * is forgotten and an "ieh:session-ended" event is dispatched on window (detail: {code}).
 */
export async function api(path, options = {}) {
  const method = (options.method || "GET").toUpperCase();
  let result = await send(path, options, method);
  const code = errorCode(result);
  if (result.status === 403 && code && /csrf/i.test(code) && !SAFE_METHODS.includes(method)) {
    const me = await send(`${API}/me`, {}, "GET");
    setCsrfToken(me.status === 200 && me.body ? me.body.csrf_token : null);
    result = await send(path, options, method);
  }
  remember(path, method, result);
  return result;
}

function remember(path, method, result) {
  const { status, body } = result;
  const code = errorCode(result);
  if (status === 200 && body && typeof body.csrf_token === "string") {
    setCsrfToken(body.csrf_token);
  } else if (status === 401 && SESSION_ENDED_CODES.includes(code)) {
    const hadSession = hasSession();
    setCsrfToken(null);
    window.dispatchEvent(new CustomEvent("ieh:session-ended", { detail: { code, hadSession } }));
  } else if (method === "POST" && /\/auth\/logout$/.test(path) && status < 500 && status !== 0) {
    setCsrfToken(null);
  }
}

/** The message to show for a failed call: the server's own (already in the page's language) or ours. */
export function errorMessage(result) {
  if (!result || result.status === 0 || result.status >= 500) return t("kit.unreachable");
  const error = (result.body && result.body.error) || {};
  return error.message || t("kit.generic_error");
}

// ---------------------------------------------------------------- links between pages

/** The address of a page of the site in the page's own language (or another), e.g. pageUrl("members/"). */
export function pageUrl(path = "", language = lang) {
  return new URL(path, language === lang ? LANGUAGE_ROOT : language === DEFAULT_LANGUAGE ? SITE_ROOT : new URL(`${language}/`, SITE_ROOT)).href;
}

/** A same-site path to return to after logging in, or null: never another origin. */
export function safeNext(value) {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) {
    return null;
  }
  let url;
  try {
    url = new URL(value, location.origin);
  } catch (_) {
    return null;
  }
  if (url.origin !== location.origin) return null;
  return url.pathname + url.search + url.hash;
}

/** The login page, with ?next= pointing back at this page. */
export function loginUrl(next = location.pathname + location.search + location.hash) {
  const url = new URL("login/", LANGUAGE_ROOT);
  if (safeNext(next)) url.searchParams.set("next", next);
  return url.href;
}

/** A link or path from the server, made safe to put in an href: same origin only, else null. */
export function sameOriginHref(value) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value, location.href);
    return url.origin === location.origin ? url.href : null;
  } catch (_) {
    return null;
  }
}
