/* The organisation's information requests (members/requests/): how many are overdue and due this
 * week, the cases with their deadlines in words, a request that came by letter or e-mail entered
 * with its real date of receipt, the year's statistics, and the public request page's address. */
import { api, pageUrl } from "../kit/api.js";
import { byId, el, focusOn, link, showMessage } from "../kit/dom.js";
import { bindForm } from "../kit/form.js";
import { formatNumber } from "../kit/format.js";
import { t } from "../kit/i18n.js";
import { daysLeftText, groundName, isOpen, norwegianToday, stateName } from "../kit/information-requests.js";
import { loadBusy, pagedList } from "../kit/list.js";
import { membersPage } from "../kit/members.js";
import { badge, formatDay } from "../kit/view.js";

const FIRST_YEAR = 2022; // the Act came into force on 1 July 2022

export const caseUrl = (caseId) => pageUrl(`members/request/?id=${encodeURIComponent(caseId)}`);

/** One case in the list: its number (the link), who asked, the dates, the days left, the state. */
export function caseRow(item) {
  const open = isOpen(item.state);
  const days = open ? daysLeftText(item.days_left) : t("requests.closed");
  const state = [stateName(item.state), item.extended ? [" ", badge(t("requests.extended"))] : null];
  return el("tr", { "data-case-id": item.case_id, "data-state": item.state, "data-overdue": item.overdue ? "true" : null }, [
    el("th", { scope: "row" }, link(caseUrl(item.case_id), item.case_number, { class: "ieh-case-number" })),
    el("td", {}, item.requester_name || t("requests.erased")),
    el("td", {}, formatDay(item.received_on)),
    el("td", {}, formatDay(item.due_on)),
    el("td", {}, item.overdue ? badge(days, "warning") : days),
    el("td", {}, state.flat()),
  ]);
}

/** The figures at the top: overdue, due within a week, open. */
export function showSummary(summary) {
  for (const name of ["overdue", "due_this_week", "open"]) {
    const item = byId(`requests-summary-${name}`);
    const value = Number((summary || {})[name] || 0);
    item.querySelector("dd").textContent = formatNumber(value);
    item.dataset.count = String(value);
    item.classList.toggle("ieh-stats__item--warning", name === "overdue" && value > 0);
  }
}

/** A year's statistics: the figures, and the refusals by ground by name. */
export function showStatistics(stats) {
  const figure = (name, value) => (byId(`requests-statistics-${name}`).querySelector("dd").textContent = value);
  figure("count", formatNumber(stats.count));
  figure("median_days_to_answer", stats.median_days_to_answer === null ? "–" : t("requests.statistics.days", { count: stats.median_days_to_answer, days: formatNumber(stats.median_days_to_answer) }));
  figure("answered_within_deadline", t("requests.statistics.of", { count: formatNumber(stats.answered_within_deadline), total: formatNumber(stats.answered) }));
  for (const name of ["extended", "partly_refused", "refused"]) figure(name, formatNumber(stats[name]));
  const grounds = Object.entries(stats.refused_by_ground || {}).filter(([, count]) => count > 0);
  byId("requests-grounds-body").replaceChildren(
    ...grounds.map(([ground, count]) => el("tr", { "data-ground": ground }, [el("td", {}, groundName(ground)), el("td", { class: "ieh-number" }, formatNumber(count))])),
  );
  byId("requests-grounds-wrap").hidden = grounds.length === 0;
  byId("requests-grounds-empty").hidden = grounds.length > 0;
}

async function loadStatistics(year) {
  const stats = await loadBusy(byId("requests-statistics"), `information-request-statistics?year=${year}`, byId("requests-statistics-message"));
  if (stats) showStatistics(stats);
}

function offerYears(select, thisYear) {
  const years = Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => String(thisYear - i));
  select.replaceChildren(...years.map((year) => el("option", { value: year }, year)));
  select.value = String(thisYear);
}

/** The public request page's addresses (both languages), each with a copy button. */
function showPageAddresses(slug) {
  const region = byId("requests-page-message");
  for (const language of ["nb", "en"]) {
    const address = slug ? pageUrl(`innsyn/${encodeURIComponent(slug)}/`, language) : "";
    byId(`requests-page-${language}`).textContent = address;
    const copy = byId(`requests-page-${language}-copy`);
    copy.hidden = !address;
    copy.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(address);
        showMessage(region, t("requests.page.copied", { address }), "success");
      } catch {
        showMessage(region, t("requests.page.copy_failed"), "error");
      }
    });
  }
  if (!slug) showMessage(region, t("requests.page.missing"), "info");
}

membersPage(async (me) => {
  const view = byId("requests-view");
  const empty = byId("requests-empty");
  const list = pagedList({
    path: (cursor) => `information-requests?view=${encodeURIComponent(view.value)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    render: caseRow,
    body: byId("requests-body"),
    more: byId("requests-more"),
    status: byId("requests-message"),
    empty,
    loaded: (body, fromStart) => {
      if (!fromStart) return;
      showSummary(body.summary);
      empty.textContent = t(`requests.list.empty.${view.value}`);
    },
  });
  view.addEventListener("change", () => list.load(true));

  const today = norwegianToday();
  const form = byId("requests-enter-form");
  const status = byId("requests-enter-message");
  form.elements.received_on.max = today;
  bindForm(form, {
    status,
    check: (data) => (data.received_on > today ? { received_on: t("requests.enter.not_in_future") } : {}),
    send: (data) => api("information-requests", { method: "POST", body: data }),
    done: (created) => {
      form.reset();
      showMessage(status, [t("requests.enter.done", { number: created.case_number, date: formatDay(created.due_on) }), " ", link(caseUrl(created.case_id), t("requests.enter.open"))], "success");
      focusOn(status);
      list.load(true);
    },
  });

  const year = byId("requests-year");
  offerYears(year, Number(today.slice(0, 4)));
  year.addEventListener("change", () => loadStatistics(year.value));

  showPageAddresses((me.organisation || {}).slug);
  await Promise.all([list.load(true), loadStatistics(year.value)]);
});
