/* Downloads through short-lived links: the API answers {url} to a POST, the browser follows it. */
import { api, errorMessage } from "./api.js";
import { el, showMessage } from "./dom.js";
import { setBusy } from "./form.js";
import { formatBytes } from "./format.js";
import { t } from "./i18n.js";
import { contextButton, documentStatus } from "./view.js";

/** Ask `path` for a link and follow it now; a failure is said in `status`.
 * options: notFound (said for a 404 instead of the server's message). */
export async function download(path, button, status, options = {}) {
  showMessage(status, "");
  setBusy(button, true, t("kit.downloading"));
  const result = await api(path, { method: "POST" });
  setBusy(button, false);
  let url = null;
  try {
    url = result.status === 200 && result.body ? new URL(result.body.url, location.href) : null;
  } catch (_) {
    url = null;
  }
  if (url && (url.protocol === "https:" || url.protocol === "http:")) {
    location.assign(url.href); // a short-lived link: follow it now
    return true;
  }
  if (result.status === 404 && options.notFound) showMessage(status, options.notFound, "info");
  else if (result.status !== 401) showMessage(status, errorMessage(result.status === 200 ? { status: 500 } : result), "error");
  return false;
}

/** A document's name, size and state, with a download button once it is available: the link comes
 * from `${base}/documents/<id>/download`; a failure is said in `region` (options as for download). */
export function documentLine(base, doc, region, label, options = {}) {
  const parts = [
    el("strong", {}, doc.file_name || ""),
    doc.size_bytes ? ` (${formatBytes(doc.size_bytes)})` : "",
    " – ",
    el("span", { "data-document-status": doc.status || "" }, documentStatus(doc)),
  ];
  if (doc.status !== "available" || !doc.id) return parts;
  const path = `${base}/documents/${encodeURIComponent(doc.id)}/download`;
  const get = (button) => download(path, button, region, options);
  return [...parts, " ", contextButton(label, doc.file_name ? ` (${doc.file_name})` : "", get, { "data-action": "download", "data-document-id": doc.id })];
}

/** An action's evidence under its label, each available piece with a download button (from
 * `${base}/documents/<id>/download`), or the line that none is uploaded; failures are said in `region`. */
export function evidenceLines(base, action, region, options = {}) {
  const evidence = Array.isArray(action.evidence) ? action.evidence : [];
  const item = (doc) => el("li", { "data-evidence-id": doc.id, "data-evidence-status": doc.status || "" }, documentLine(base, doc, region, t("kit.download"), options));
  return [
    el("p", { class: "ieh-card__label" }, t("supplier.action.evidence")),
    evidence.length ? el("ul", { class: "ieh-evidence", "data-evidence-list": "" }, evidence.map(item)) : el("p", { class: "ieh-muted" }, t("supplier.action.no_evidence")),
  ];
}
