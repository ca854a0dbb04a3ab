/* The reference lists (GET /reference: countries, sectors, levels …), loaded once per page. */
import { api, errorMessage } from "./api.js";
import { showMessage } from "./dom.js";

const LISTS = ["countries", "sectors", "audit_types", "announcements", "clauses", "ms_ratings", "pillars", "grades", "action_statuses", "verification_methods", "link_levels", "link_statuses", "goods"];
let reference = null;

/** {reference} (every list, [] where the answer lacks one, and the corrective-action rules as
 * reference.corrective_actions) or {result} (the failed call, said in `region` if one is given). */
export async function loadReference(region = null) {
  if (reference) return { reference };
  const result = await api("reference");
  if (result.status !== 200 || !result.body) {
    if (region && result.status !== 401) showMessage(region, errorMessage(result), "error");
    return { result };
  }
  reference = Object.fromEntries(LISTS.map((key) => [key, Array.isArray(result.body[key]) ? result.body[key] : []]));
  reference.corrective_actions = result.body.corrective_actions || {};
  return { reference };
}
