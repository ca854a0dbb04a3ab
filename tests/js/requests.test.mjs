// The information request pages' parts (kit/information-requests.js, members/requests.js, members/request.js)
// with the real Norwegian catalogue: what a handler reads in the list, the statistics and a case's messages.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { answer, html, requests, tick } from "./setup.mjs";

const js = "../../site/docs/assets/js";
const { useTexts } = await import(`${js}/kit/i18n.js`);
useTexts(JSON.parse(readFileSync(new URL("../../functions/portal/locales/nb.json", import.meta.url), "utf-8")), "nb-NO");
const { addDays, daysBetween, daysLeftText, norwegianToday } = await import(`${js}/kit/information-requests.js`);
const { bindForm } = await import(`${js}/kit/form.js`);
const { caseRow, showStatistics, showSummary } = await import(`${js}/members/requests.js`);
const { messageItem } = await import(`${js}/members/request.js`);

const text = (node) => (node.children.length && ["LI", "TR"].includes(node.tagName) ? [...node.children].map((child) => child.textContent).join(" ") : node.textContent).replace(/\s+/g, " ").trim();

test("days left in words: left, today, over the deadline", () => {
  assert.equal(daysLeftText(3), "3 dager igjen");
  assert.equal(daysLeftText(1), "1 dag igjen");
  assert.equal(daysLeftText(0), "Frist i dag");
  assert.equal(daysLeftText(-2), "2 dager over fristen");
  assert.equal(daysLeftText(-1), "1 dag over fristen");
});

test("calendar days: three weeks across a month end, and Norway's date late in the evening UTC", () => {
  assert.equal(addDays("2026-01-23", 21), "2026-02-13");
  assert.equal(daysBetween("2026-03-30", "2026-03-27"), -3);
  assert.equal(daysBetween("2026-03-28", "2026-03-30"), 2); // the clocks go forward on 29 March
  assert.equal(norwegianToday(new Date("2026-06-30T22:30:00Z")), "2026-07-01");
});

test("a case in the list: its number leads to the case, who asked, the deadline in words, the state by name", () => {
  html('<table><tbody id="b"></tbody></table>');
  const row = caseRow({
    case_id: "c1", case_number: "IR-2026-0042", requester_name: "Jonas Journalist", received_on: "2026-03-02",
    due_on: "2026-04-20", days_left: -2, state: "in_progress", extended: true, overdue: true, language: "nb",
  });
  const cells = [...row.children].map(text);
  assert.deepEqual(cells, ["IR-2026-0042", "Jonas Journalist", "2. mars 2026", "20. april 2026", "2 dager over fristen", "Under behandling forlenget"]);
  assert.match(row.querySelector("a").href, /members\/request\/\?id=c1$/);
  assert.ok(row.querySelector(".ieh-badge--warning"), "overdue stands out");
  const closed = caseRow({ case_id: "c2", case_number: "IR-2026-0001", requester_name: null, received_on: "2026-01-05", due_on: "2026-01-26", days_left: -60, state: "partly_refused", extended: false, overdue: false, language: "en" });
  assert.deepEqual([...closed.children].map(text).slice(1), ["(personopplysningene er slettet)", "5. januar 2026", "26. januar 2026", "Avsluttet", "Delvis avslått"]);
});

test("the figures at the top and the year's statistics, refusals by ground by name", () => {
  const item = (id) => `<div id="${id}"><dt></dt><dd></dd></div>`;
  html(
    `<div>${["overdue", "due_this_week", "open"].map((n) => item(`requests-summary-${n}`)).join("")}` +
      `${["count", "median_days_to_answer", "answered_within_deadline", "extended", "partly_refused", "refused"].map((n) => item(`requests-statistics-${n}`)).join("")}` +
      '<div id="requests-grounds-wrap"><table><tbody id="requests-grounds-body"></tbody></table></div><p id="requests-grounds-empty"></p></div>',
  );
  showSummary({ open: 7, overdue: 2, due_this_week: 3 });
  assert.equal(text(document.querySelector("#requests-summary-overdue dd")), "2");
  assert.ok(document.getElementById("requests-summary-overdue").classList.contains("ieh-stats__item--warning"));
  showStatistics({ year: 2026, count: 12, answered: 9, median_days_to_answer: 13.5, answered_within_deadline: 8, extended: 2, refused: 1, partly_refused: 2, refused_by_ground: { business_secret: 2, unclear: 1 }, open: 3 });
  assert.equal(text(document.querySelector("#requests-statistics-median_days_to_answer dd")), "13,5 dager");
  assert.equal(text(document.querySelector("#requests-statistics-answered_within_deadline dd")), "8 av 9");
  assert.deepEqual([...document.querySelectorAll("#requests-grounds-body tr")].map(text), ["Forretningshemmelighet (konkurransehensyn) 2", "For uklart til å se hva kravet gjelder 1"]);
  assert.equal(document.getElementById("requests-grounds-empty").hidden, true);
  showStatistics({ year: 2025, count: 0, answered: 0, median_days_to_answer: null, answered_within_deadline: 0, extended: 0, refused: 0, partly_refused: 0, refused_by_ground: {}, open: 0 });
  assert.equal(text(document.querySelector("#requests-statistics-median_days_to_answer dd")), "–");
  assert.equal(document.getElementById("requests-grounds-wrap").hidden, true);
});

test("a sent refusal reads with its ground by name and the legal text the requester got", () => {
  const item = messageItem({
    message_id: "m1", kind: "partial_refusal", sent_at: "2026-03-10T09:15:00+00:00", sent_by: "Ola Nordlys",
    text: "Vi svarer om tiltakene, men ikke om prisene.", ground: "business_secret", legal_text: "Grunnlaget for avslaget er åpenhetsloven …",
  });
  assert.equal(item.querySelector("h3").textContent, "Delvis avslag");
  assert.match(text(item), /Sendt 10\. mars 2026 .* av Ola Nordlys/);
  assert.match(text(item), /Grunnlag: Forretningshemmelighet \(konkurransehensyn\)/);
  assert.equal(item.querySelector("[data-legal]").textContent, "Grunnlaget for avslaget er åpenhetsloven …");
  const asked = messageItem({ message_id: "m2", kind: "further_reasons_request", sent_at: "2026-03-12T10:00:00+00:00", sent_by: "Jonas", text: "Hvorfor?", ground: null, legal_text: null });
  assert.match(text(asked), /^Krav om nærmere begrunnelse Mottatt .* fra Jonas Hvorfor\?$/);
});

test("bindForm asks first when told to: nothing is sent on Cancel, the message goes on Send", async () => {
  const form = html('<form><div class="ieh-form__summary" hidden></div><textarea name="text">Svar</textarea><button type="submit">Send</button></form>');
  let sure = false;
  const asked = [];
  const sent = [];
  const bound = bindForm(form, {
    confirm: async (data) => (asked.push(data.text), sure),
    send: (data) => import(`${js}/kit/api.js`).then(({ api }) => api("information-requests/c1/messages", { method: "POST", body: data })),
    done: (body) => sent.push(body),
  });
  answer({ status: 201, body: { case_id: "c1" } });
  await bound.submit();
  await tick();
  assert.deepEqual([asked.length, requests.length, sent.length], [1, 0, 0]);
  sure = true;
  await bound.submit();
  await tick();
  assert.deepEqual([asked.length, requests.length, sent.length], [2, 1, 1]);
  assert.deepEqual(requests[0].body, { text: "Svar" });
});
