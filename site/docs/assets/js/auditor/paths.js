/* The audit company's pages and API paths, shared by its page modules. */
import { pageUrl } from "../kit/api.js";

export const siteUrl = (siteId) => pageUrl(`members/auditor-site/?id=${encodeURIComponent(siteId)}`);
export const auditPath = (siteId, auditId) => `auditor/sites/${encodeURIComponent(siteId)}/audits/${encodeURIComponent(auditId)}`;
export const auditUrl = (siteId, auditId) => pageUrl(`members/auditor-audit/?site=${encodeURIComponent(siteId)}&id=${encodeURIComponent(auditId)}`);
