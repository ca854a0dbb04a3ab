/* Files sent to storage through a presigned form: the check before sending, the upload itself, and
 * the key that keeps a retried create request from creating a second record. */
import { formatBytes } from "./format.js";
import { t } from "./i18n.js";

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024; // the server's limit; it checks again and is the authority
const UPLOAD_TIMEOUT_MS = 10 * 60 * 1000;

/** The content type of a chosen file if it is one of the allowed ones ({type: [endings]}): by its
 * type, or by its name when the browser gives no type. */
export function allowedType(file, allowed) {
  if (allowed[file.type]) return file.type;
  const name = file.name.toLowerCase();
  if (file.type) return null;
  return Object.keys(allowed).find((type) => allowed[type].some((ending) => name.endsWith(ending))) || null;
}

/** What is wrong with a file's size ("Filen er tom."), or null. */
export function sizeProblem(file) {
  if (file.size === 0) return t("upload.empty");
  return file.size > MAX_UPLOAD_BYTES ? t("upload.too_large_size", { size: formatBytes(file.size) }) : null;
}

/**
 * Send a file to a presigned upload ({url, fields}): every field first, then "file" last, as the
 * storage expects. Resolves to {ok, tooLarge}; never rejects.
 */
export async function uploadFile(upload, file) {
  let url = null;
  try {
    url = upload && typeof upload.url === "string" ? new URL(upload.url, location.href) : null;
  } catch (_) {
    url = null;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) return { ok: false };
  const body = new FormData();
  for (const [name, value] of Object.entries(upload.fields || {})) body.append(name, value);
  body.append("file", file);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), UPLOAD_TIMEOUT_MS);
  try {
    const response = await fetch(url.href, { method: "POST", body, credentials: "same-origin", signal: controller.signal });
    if (response.ok) return { ok: true };
    const text = await response.text().catch(() => "");
    return { ok: false, tooLarge: response.status === 413 || /EntityTooLarge/.test(text) };
  } catch (_) {
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Idempotency keys for a create request: the same request (same fingerprint) keeps its key until
 * forget(), so a retry after a lost answer never creates a second record; a changed request gets a
 * new key.
 */
export function requestKeys() {
  let request = null;
  let key = null;
  return {
    for(fingerprint) {
      if (fingerprint !== request) {
        request = fingerprint;
        key = crypto.randomUUID();
      }
      return key;
    },
    forget() {
      request = null;
      key = null;
    },
  };
}
