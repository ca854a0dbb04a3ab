/* Correcting or deleting one of the producer's audits (members/audit/): in place while no customer
 * has seen it; after that a correction makes a new version with a note, and deletion is refused. */
import { api, errorMessage, pageUrl } from "../kit/api.js";
import { byId, fillSelect, showMessage } from "../kit/dom.js";
import { confirmDialog } from "../kit/dialog.js";
import { bindForm, checkedValues, fillForm, formValues, offerStored, setBusy } from "../kit/form.js";
import { t } from "../kit/i18n.js";
import { fillCheckboxes, offerEarlier, offerRating } from "./common.js";

const RECORD = ["audit_type", "reference", "announcement", "follows", "audit_date", "audit_company", "lead_auditor", "ms_rating"];

/** The page's parts that say whether a customer has seen the audit: the intro, the note, delete. */
function showSeen(audit) {
  byId("audit-correct-intro").textContent = t(audit.seen ? "audit.correct_seen" : "audit.correct_unseen");
  byId("correct-note-field").hidden = !audit.seen;
  byId("audit-delete-text").textContent = audit.seen ? t("error.audit_seen") : t("audit.delete_unseen");
  byId("audit-delete-button").hidden = Boolean(audit.seen);
}

/**
 * Start the correction form and the delete button. `audits`: the producer's audits (a follow-up
 * is chosen from them); `shown(audit)` redraws the page after a correction.
 */
export function initRecord(start, ref, audits, shown) {
  const form = byId("correct-form");
  const status = byId("correct-message");
  let audit = start;
  fillSelect(form.elements.audit_type, ref.audit_types, t("audits.choose_type"));
  fillSelect(form.elements.announcement, ref.announcements, t("audits.choose_announcement"));
  fillCheckboxes(byId("correct-pillars"), ref.pillars, "pillars", "correct-pillar");
  const rating = () => offerRating(form.elements.ms_rating, byId("correct-ms-rating-field"), form.elements.audit_type.value, ref);
  form.elements.audit_type.addEventListener("change", rating);
  const now = new Date();
  form.elements.audit_date.max = new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);

  function fill() {
    offerEarlier(form.elements.follows, byId("correct-follows-field"), audits, audit.site_id, ref, audit.id);
    form.elements.audit_type.value = audit.audit_type;
    rating();
    fillForm(form, { ...Object.fromEntries(RECORD.map((name) => [name, audit[name] || ""])), follows: audit.follows ? audit.follows.id : "", note: "" });
    for (const box of form.querySelectorAll('input[name="pillars"]')) box.checked = (audit.pillars || []).includes(box.value);
    showSeen(audit);
  }

  const adopt = (stored) => {
    audit = stored;
    fill();
    shown(stored);
  };

  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: () => ({ ...formValues(form), pillars: checkedValues(form, "pillars"), version: audit.version }),
    check: (data) => (data.pillars.length ? {} : { pillars: t("audits.choose_pillars") }),
    send: (data) => api(`producer/audits/${encodeURIComponent(audit.id)}`, { method: "PUT", body: { follows: null, ms_rating: null, ...data } }),
    done: (stored) => {
      const versioned = stored.revision > audit.revision;
      adopt(stored);
      showMessage(status, versioned ? t("audit.corrected_version", { number: stored.revision }) : t("audit.corrected"), "success");
    },
    failed: (result) => {
      // A customer saw the audit after this page was opened: the correction needs its note now.
      const fields = (result.body && result.body.error && result.body.error.fields) || {};
      if (result.status === 422 && fields.note && !audit.seen) {
        audit = { ...audit, seen: true };
        showSeen(audit);
      }
      return false;
    },
    conflict: offerStored(t("audit.correct_conflict"), status, async () => {
      const result = await api(`producer/audits/${encodeURIComponent(audit.id)}`);
      return result.status === 200 ? result.body : null;
    }, adopt),
  });

  const remove = byId("audit-delete-button");
  const region = byId("audit-delete-message");
  remove.addEventListener("click", async () => {
    const sure = await confirmDialog({ title: t("audit.delete_title"), text: t("audit.delete_text"), confirm: t("audit.delete_button") });
    if (!sure) return;
    setBusy(remove, true, t("kit.saving"));
    const result = await api(`producer/audits/${encodeURIComponent(audit.id)}`, { method: "DELETE", body: { version: audit.version } });
    setBusy(remove, false);
    if (result.status === 204) {
      window.location.assign(pageUrl("members/audits/"));
      return;
    }
    if (result.status === 409 && result.body && result.body.error && result.body.error.code === "audit_seen") {
      audit = { ...audit, seen: true };
      showSeen(audit);
    }
    if (result.status !== 401) showMessage(region, errorMessage(result), "error");
  });

  fill();
}
