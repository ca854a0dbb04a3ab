/* The fields of a course (site/pages/_course.j2), in the admin page's "publish" form and the course
 * page's own: what the browser checks before sending, the body the API takes, and a stored course
 * back in the form. The start is typed in the browser's time zone (datetime-local) and sent as an
 * instant. */
import { fillForm } from "../kit/form.js";
import { t } from "../kit/i18n.js";

export function courseProblems(data) {
  const problems = {};
  if (data.starts_at && Number.isNaN(new Date(data.starts_at).getTime())) problems.starts_at = t("kit.required");
  const seats = data.capacity;
  if (seats !== undefined && (!Number.isSafeInteger(seats) || seats < 1)) problems.capacity = t("admin.course.whole_number");
  return problems;
}

export function courseBody(data) {
  return { ...data, starts_at: new Date(data.starts_at).toISOString() };
}

/** A stored course in the form, its start as the browser's local date and time. */
export function fillCourseForm(form, course) {
  const at = new Date(course.starts_at);
  const two = (n) => String(n).padStart(2, "0");
  const local = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  fillForm(form, { ...course, starts_at: local });
}
