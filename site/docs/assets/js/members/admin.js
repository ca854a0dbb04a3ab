/* IEH's staff: membership applications (listed by status or found by reference; approve or reject
 * each), the audit companies (members/audit-companies-admin.js), the courses (upcoming or past, each
 * leading to its own page), and publishing a course. */
import { api, pageUrl } from "../kit/api.js";
import { byId, el, focusOn, link, showMessage } from "../kit/dom.js";
import { describeFee } from "../kit/fee.js";
import { bindForm } from "../kit/form.js";
import { formatDateTime, formatNok, formatNumber } from "../kit/format.js";
import { hasText, lang, t } from "../kit/i18n.js";
import { loadBusy, pagedList } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { badge } from "../kit/view.js";
import { initAuditCompanies } from "./audit-companies-admin.js";
import { courseBody, courseProblems } from "./course-form.js";

const ORG_TYPES = ["buyer", "producer", "both"];
let cards = 0;

/** A text of a family for a code from the API, or the code itself when the catalogue lacks it. */
const named = (family, code) => (hasText(`${family}${code}`) ? t(`${family}${code}`) : code);

async function loadApplications() {
  const list = byId("applications-list");
  const filter = byId("applications-status").value || "received";
  const answer = await loadBusy(list, `admin/applications?status=${encodeURIComponent(filter)}`, byId("applications-message"));
  if (!answer) return;
  showApplications(answer.items || [], hasText(`admin.none.${filter}`) ? t(`admin.none.${filter}`) : "");
}

function showApplications(items, emptyText) {
  const empty = byId("applications-empty");
  empty.textContent = emptyText;
  empty.hidden = items.length > 0;
  byId("applications-list").replaceChildren(...items.map(card));
}

const number = (value) => (typeof value === "number" ? formatNumber(value) : null);

/** Everything the applicant gave (the message follows the list), each under its label and codes as
 * names, then what the portal recorded. */
function facts(application) {
  const fee = application.fee && typeof application.fee === "object" ? describeFee(application.fee) : null;
  return [
    ["reference", application.reference ? el("span", { class: "ieh-reference" }, application.reference) : null],
    ["organisation_number", application.organisation_number],
    ["category", application.category && named("admin.category.", application.category)],
    ["annual_turnover_nok", typeof application.annual_turnover_nok === "number" ? formatNok(application.annual_turnover_nok) : null],
    ["employees", number(application.employees)],
    ["inhabitants", number(application.inhabitants)],
    ["contact_name", application.contact_name],
    ["email", application.email ? link(`mailto:${application.email}`, application.email) : null],
    ["phone", application.phone],
    ["language", application.language && named("admin.language.", application.language)],
    ["consent", application.consent ? t("admin.consent.given") : null],
    ["received_at", formatDateTime(application.created_at)],
    ["fee", fee],
    ["status", application.status && named("admin.status.", application.status)],
  ]
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .flatMap(([term, value]) => [el("dt", {}, t(`admin.fact.${term}`)), el("dd", {}, value)]);
}

function card(application) {
  const n = ++cards;
  const headingId = `application-${n}-title`;
  const member = application.number_member;
  const taken = member && t("error.organisation_number_taken", { number: application.organisation_number, member: member.name });
  return el("li", { class: "ieh-card", "data-application-id": application.id }, [
    el("h3", { id: headingId, class: "ieh-card__title" }, application.organisation_name),
    // The number is a member's already: this is that member, or someone posing as it. The server
    // refuses to approve it as a new organisation, so only rejecting is offered.
    member ? el("p", { class: "ieh-message ieh-message--error", "data-number-member": member.id }, taken) : null,
    el("dl", { class: "ieh-facts" }, facts(application)),
    application.message ? el("p", { class: "ieh-card__label" }, t("admin.message_from_applicant")) : null,
    application.message ? el("blockquote", {}, application.message) : null,
    application.status === "received" && !member ? approveForm(application, n, headingId) : null,
    application.status === "received" ? rejectForm(application, n, headingId) : null,
  ]);
}

/** A decision on one application: a form with one field, sent to …/approve or …/reject. */
function decisionForm(application, { decision, label, field, problem, headingId, primary, announce, layout = "" }) {
  const form = el("form", { class: `ieh-form ${layout}`.trim(), "data-form": decision, novalidate: true }, [
    el("div", { class: "ieh-form__summary", role: "alert", tabindex: "-1", hidden: true }),
    el("div", { class: "ieh-field" }, field),
    el("button", {
      type: "submit",
      class: primary ? "md-button md-button--primary" : "md-button",
      "data-action": decision,
      "aria-describedby": headingId,
    }, label),
  ]);
  const name = form.querySelector("[name]").name;
  bindForm(form, {
    inline: true,
    busyLabel: t("kit.saving"),
    check: (data) => (data[name] ? {} : { [name]: problem }),
    send: (data) => api(`admin/applications/${encodeURIComponent(application.id)}/${decision}`, { method: "POST", body: data }),
    done: (body) => announce(body || {}),
  });
  return form;
}

function approveForm(application, n, headingId) {
  const id = `approve-type-${n}`;
  const types = ORG_TYPES.map((type) => el("option", { value: type }, t(`admin.org_type.${type}`)));
  const choices = [el("option", { value: "" }, t("admin.org_type.choose")), ...types];
  return decisionForm(application, {
    decision: "approve",
    label: t("admin.approve"),
    field: [el("label", { for: id }, t("admin.org_type")), el("select", { id, name: "org_type", required: true }, choices)],
    problem: t("admin.org_type.required"),
    headingId,
    primary: true,
    layout: "ieh-form--inline",
    announce: (body) => {
      const email = body.invited || application.email;
      announceApplication(t("admin.approved", { name: application.organisation_name, email }));
    },
  });
}

function rejectForm(application, n, headingId) {
  const id = `reject-reason-${n}`;
  const hint = el("span", { class: "ieh-field__hint" }, `(${t("admin.reason.hint")})`);
  return decisionForm(application, {
    decision: "reject",
    label: t("admin.reject"),
    field: [el("label", { for: id }, [t("admin.reason"), " ", hint]), el("textarea", { id, name: "reason", rows: "3", required: true })],
    problem: t("admin.reason.required"),
    headingId,
    announce: () => announceApplication(t("admin.rejected", { name: application.organisation_name })),
  });
}

async function announceApplication(text) {
  const status = byId("applications-message");
  showMessage(status, text, "success");
  await loadApplications();
  focusOn(status);
}

/** One application by the reference the applicant was given, whatever its status. */
function initFind() {
  const form = byId("applications-find-form");
  bindForm(form, {
    inline: true,
    busyLabel: t("kit.loading"),
    send: (data) => api(`admin/applications?reference=${encodeURIComponent(data.reference)}`),
    done: (body, _, data) => {
      showMessage(byId("applications-message"), "");
      showApplications((body && body.items) || [], t("admin.find.none", { reference: data.reference }));
    },
  });
}

function initApplications() {
  byId("applications-status").addEventListener("change", () => {
    showMessage(byId("applications-message"), "");
    byId("applications-reference").value = "";
    loadApplications();
  });
  byId("applications-filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadApplications();
  });
  loadApplications();
}

/** One course in staff's list: its page (edit, cancel, who is coming), seats taken of capacity, the
 * waiting list, and whether it is cancelled. */
function courseRow(course) {
  const title = lang === "en" ? course.title_en : course.title_nb;
  const href = pageUrl(`members/course/?id=${encodeURIComponent(course.id)}`);
  return el("tr", { "data-course-id": course.id }, [
    el("td", {}, [link(href, title), ...(course.cancelled_at ? [" ", badge(t("admin.courses.cancelled"), "warning")] : [])]),
    el("td", {}, formatDateTime(course.starts_at) || ""),
    el("td", {}, course.location || ""),
    el("td", { class: "ieh-number", "data-course-seats": "" }, t("admin.courses.seats_of", { taken: course.seats_taken, capacity: course.capacity })),
    el("td", { class: "ieh-number", "data-course-waiting": "" }, String(course.waiting)),
  ]);
}

let courses = null;

function initCourseList() {
  const when = byId("courses-when");
  const empty = byId("courses-empty");
  courses = pagedList({
    path: (cursor) => `admin/courses?when=${encodeURIComponent(when.value || "upcoming")}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    render: courseRow,
    body: byId("courses-table").tBodies[0],
    more: byId("courses-more"),
    status: byId("courses-message"),
    empty,
  });
  const show = () => {
    empty.textContent = t(when.value === "past" ? "admin.courses.none_past" : "admin.courses.none_upcoming");
    courses.load(true);
  };
  when.addEventListener("change", show);
  byId("courses-filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    show();
  });
  show();
}

/** The new course (members/course-form.js). */
function initCourseForm() {
  const form = byId("course-form");
  const status = byId("course-message");
  bindForm(form, {
    status,
    check: courseProblems,
    send: (data) => api("admin/courses", { method: "POST", body: courseBody(data) }),
    done: (_, __, data) => {
      form.reset();
      showMessage(status, t("admin.course.published", { title: lang === "en" ? data.title_en : data.title_nb }), "success");
      focusOn(status);
      courses.load(true);
    },
  });
}

membersPage(() => {
  initApplications();
  initFind();
  initCourseList();
  initCourseForm();
  initAuditCompanies();
});
