/* Courses for members: the coming courses, signing up and off, the waiting list, and the courses
 * IEH has cancelled (shown as such, with registration closed). */
import { api, errorMessage } from "../kit/api.js";
import { button, byId, el, showMessage } from "../kit/dom.js";
import { setBusy } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { loadBusy } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { badge } from "../kit/view.js";

const seatsLeft = (course) => Math.max(0, (Number(course.capacity) || 0) - (Number(course.seats_taken) || 0));

function seats(course) {
  const left = seatsLeft(course);
  if (left > 0) return t("courses.seats_left", { left, capacity: Number(course.capacity) || 0 });
  return t("courses.full", { waiting: Number(course.waiting) || 0 });
}

/** What the member's button says: sign up (or join the waiting list), or leave what they are in. */
function actionLabel(course) {
  if (course.my_status === "waiting") return t("courses.leave_waiting_list");
  if (course.my_status) return t("courses.cancel");
  return seatsLeft(course) > 0 ? t("courses.register") : t("courses.join_waiting_list");
}

/** A course IEH has cancelled: what it was, that it is off, and no button. */
function cancelledCard(course, index) {
  const headingId = `course-${index}-title`;
  const facts = [
    ["courses.when", formatDateTime(course.starts_at) || ""],
    ["courses.where", course.location || ""],
  ].flatMap(([term, value]) => [el("dt", {}, t(term)), el("dd", {}, value)]);
  return el("li", { class: "ieh-card", "data-course-id": course.id, "data-cancelled": "" }, [
    el("h2", { id: headingId, class: "ieh-card__title" }, [course.title, " ", badge(t("courses.cancelled"), "warning")]),
    el("dl", { class: "ieh-facts" }, facts),
    el("p", { class: "ieh-course__status", "data-course-status": "cancelled" }, t("courses.cancelled_text", { status: course.my_status || "none" })),
  ]);
}

function card(course, index) {
  if (course.cancelled) return cancelledCard(course, index);
  const headingId = `course-${index}-title`;
  const action = course.my_status ? "cancel" : "register";
  const position = course.my_position || 0;
  const mine = { registered: t("courses.registered"), waiting: t("courses.waiting_at", { position }) }[course.my_status] || "";
  const facts = [
    ["courses.when", formatDateTime(course.starts_at) || ""],
    ["courses.where", course.location || ""],
    ["courses.seats", seats(course), { "data-course-seats": "" }],
  ].flatMap(([term, value, attributes]) => [el("dt", {}, t(term)), el("dd", attributes || {}, value)]);
  const act = button(actionLabel(course), (node) => courseAction(course, action, node), {
    class: `md-button${action === "register" ? " md-button--primary" : ""}`,
    "data-action": action,
    "aria-describedby": headingId,
  });
  return el("li", { class: "ieh-card", "data-course-id": course.id }, [
    el("h2", { id: headingId, class: "ieh-card__title" }, course.title),
    course.description ? el("p", {}, course.description) : null,
    el("dl", { class: "ieh-facts" }, facts),
    el("p", { class: "ieh-course__status", "data-course-status": course.my_status || "none", hidden: !mine }, mine),
    el("div", { class: "ieh-actions" }, act),
  ]);
}

async function loadCourses(focusCourseId = null) {
  const list = byId("courses-list");
  const answer = await loadBusy(list, "courses", byId("courses-message"));
  if (!answer) return;
  const courses = answer.items || [];
  byId("courses-empty").hidden = courses.length > 0;
  list.replaceChildren(...courses.map(card));
  if (focusCourseId === null) return;
  const again = list.querySelector(`[data-course-id="${CSS.escape(String(focusCourseId))}"] button`);
  if (again) again.focus();
}

async function courseAction(course, action, node) {
  const status = byId("courses-message");
  setBusy(node, true, t("kit.saving"));
  const result = await api(`courses/${encodeURIComponent(course.id)}/registration`, { method: action === "register" ? "POST" : "DELETE" });
  if (result.ok) {
    const waiting = action === "register" && result.body && result.body.status === "waiting";
    const said = action === "cancel" ? "courses.cancelled_for" : waiting ? "courses.waiting_for" : "courses.registered_for";
    showMessage(status, t(said, { title: course.title, position: (result.body && result.body.position) || 0 }), "success");
    await loadCourses(course.id);
    return;
  }
  setBusy(node, false);
  showMessage(status, errorMessage(result), "error");
  if (result.status === 409) await loadCourses(course.id); // the course changed meanwhile
}

membersPage(() => loadCourses());
