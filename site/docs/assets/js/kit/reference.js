/* The reference lists (GET /reference: countries, sectors, levels …), loaded once per page. */
import { api } from "./api.js";

const LISTS = ["countries", "sectors", "audit_types", "pillars", "grades", "action_statuses", "link_levels", "link_statuses"];
let reference = null;

/** {reference} (every list, [] where the answer lacks one) or {result} (the failed call). */
export async function loadReference() {
  if (reference) return { reference };
  const result = await api("reference");
  if (result.status !== 200 || !result.body) return { result };
  reference = Object.fromEntries(LISTS.map((key) => [key, Array.isArray(result.body[key]) ? result.body[key] : []]));
  return { reference };
}
