/* The public courses page: the upcoming course dates from GET /course-dates (no login, nobody's
 * name), or a clear word that none are planned, or that the list cannot be shown now. */
import { api } from "../kit/api.js";
import { el } from "../kit/dom.js";
import { formatDateTime } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { badge } from "../kit/view.js";

function card(course) {
  const facts = [
    [t("public_courses.when"), formatDateTime(course.starts_at) || ""],
    [t("public_courses.where"), course.location || ""],
  ].flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]);
  return el("li", { class: "ieh-card", "data-course-date": "" }, [
    el("h3", { class: "ieh-card__title" }, [course.title, ...(course.full ? [" ", badge(t("public_courses.full"))] : [])]),
    course.description ? el("p", {}, course.description) : null,
    el("dl", { class: "ieh-facts" }, facts),
  ]);
}

async function showCourses(box) {
  const { status, body } = await api("course-dates");
  const items = status === 200 && body && Array.isArray(body.items) ? body.items : null;
  box.querySelector("[data-course-dates]").replaceChildren(...(items || []).map(card));
  const line = box.querySelector("[data-course-dates-status]");
  line.textContent = items === null ? t("public_courses.unavailable") : items.length ? "" : t("public_courses.none");
  line.hidden = Boolean(items && items.length);
  box.setAttribute("aria-busy", "false");
}

const box = document.getElementById("course-dates");
if (box) showCourses(box);
