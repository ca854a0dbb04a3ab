/* One course for IEH staff (members/course/?id=…): its facts, the edit form (a larger capacity moves
 * the waiting list up; a new time or place is e-mailed to everyone on the course), who is coming
 * with the export, and cancelling it. */
import { API, api, errorCode, errorMessage } from "../kit/api.js";
import { byId, el, fillTable, focusOn, link, showMessage } from "../kit/dom.js";
import { confirmDialog } from "../kit/dialog.js";
import { bindForm, formValues, offerStored, setBusy } from "../kit/form.js";
import { formatDate, formatDateTime } from "../kit/format.js";
import { lang, t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage, recordFromAddress } from "../kit/members.js";
import { courseBody, courseProblems, fillCourseForm } from "./course-form.js";

const pageTitle = document.title;
let revision = 0;

function show(course) {
  revision = course.revision;
  const title = lang === "en" ? course.title_en : course.title_nb;
  byId("course-heading").textContent = title;
  document.title = `${title} – ${pageTitle}`;
  byId("course-when").textContent = formatDateTime(course.starts_at) || "";
  byId("course-where").textContent = course.location || "";
  byId("course-seats").textContent = t("admin.courses.seats_of", { taken: course.seats_taken, capacity: course.capacity });
  byId("course-waiting").textContent = String(course.waiting);
  const cancelled = Boolean(course.cancelled_at);
  const notice = byId("course-cancelled");
  notice.hidden = !cancelled;
  notice.querySelector(".admonition-title").textContent = cancelled ? t("course_page.cancelled_title", { date: formatDate(course.cancelled_at) }) : "";
  byId("course-open").hidden = cancelled;
  byId("course-cancel-section").hidden = cancelled;
  for (const anchor of document.querySelectorAll('.md-nav--secondary a[href="#edit"], .md-nav--secondary a[href="#cancel"]')) {
    anchor.closest("li").hidden = cancelled; // the table of contents names only what the page shows
  }
  fillCourseForm(byId("course-edit-form"), course);
}

/** What saving did: the edit, who moved up from the waiting list, who was told of a new time or place. */
function savedText(saved) {
  return [t("course_page.saved"), saved.promoted ? t("course_page.promoted", { count: saved.promoted }) : "", saved.told ? t("course_page.told", { count: saved.told }) : ""]
    .filter(Boolean)
    .join(" ");
}

function initEditForm(path, loadParticipants) {
  const form = byId("course-edit-form");
  const status = byId("course-edit-message");
  const offer = offerStored(t("course_page.conflict"), status, async () => (await api(path)).body, show);
  bindForm(form, {
    status,
    busyLabel: t("kit.saving"),
    collect: (f) => ({ ...courseBody(formValues(f)), revision }),
    check: (data, f) => courseProblems(formValues(f)),
    send: (data) => api(path, { method: "PUT", body: data }),
    done: (saved) => {
      show(saved);
      showMessage(status, savedText(saved), "success");
      focusOn(status);
      if (saved.promoted) loadParticipants();
    },
    // Someone else saved meanwhile: offer theirs. Any other 409 (cancelled meanwhile) is the server's message.
    conflict: (result) => (errorCode(result) === "conflict" ? offer(result) : null),
  });
}

function participantRow(p) {
  const status = p.status === "waiting" ? t("admin.participant.waiting") : t("admin.participant.registered");
  return el("tr", { "data-status": p.status }, [
    el("td", {}, p.name || ""),
    el("td", {}, p.organisation || ""),
    el("td", {}, link(`mailto:${p.email}`, p.email)),
    el("td", {}, status),
    el("td", {}, formatDateTime(p.registered_at) || ""),
  ]);
}

function initParticipants(id) {
  const table = byId("participants-table");
  for (const anchor of document.querySelectorAll("#participants-export a[data-format]")) {
    anchor.href = `${API}/admin/courses/${encodeURIComponent(id)}/registrations/export?format=${anchor.dataset.format}&lang=${lang}`;
  }
  return async () => {
    const answer = await loadBusy(table, `admin/courses/${encodeURIComponent(id)}/registrations`, byId("participants-message"));
    if (answer) fillTable(table.tBodies[0], (answer.items || []).map(participantRow), byId("participants-empty"));
  };
}

function initCancel(path, loadParticipants) {
  const button = byId("course-cancel");
  const status = byId("course-cancel-message");
  button.addEventListener("click", async () => {
    const title = byId("course-heading").textContent;
    const sure = await confirmDialog({
      title: t("course_page.cancel_confirm_title", { title }),
      text: t("course_page.cancel_confirm_text"),
      confirm: t("course_page.cancel_button"),
      cancel: t("course_page.keep"),
    });
    if (!sure) return;
    setBusy(button, true, t("kit.saving"));
    const result = await api(`${path}/cancel`, { method: "POST" });
    setBusy(button, false);
    if (!result.ok) {
      showMessage(status, errorMessage(result), "error");
      return;
    }
    show(result.body);
    const region = byId("course-message");
    showMessage(region, t("course_page.cancelled", { title, count: result.body.told }), "success");
    focusOn(region);
    loadParticipants();
  });
}

membersPage(async () => {
  const found = await recordFromAddress((id) => `admin/courses/${encodeURIComponent(id)}`, {
    region: "course-message", content: "course-content", back: "members/admin/#courses", backText: "course_page.back_short",
    missing: "course_page.missing_id", notFound: "course_page.not_found",
  });
  if (!found) return;
  const loadParticipants = initParticipants(found.id);
  show(found.record);
  initEditForm(found.path, loadParticipants);
  initCancel(found.path, loadParticipants);
  await loadParticipants();
});
