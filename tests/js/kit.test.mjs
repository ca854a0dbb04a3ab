// Unit tests of the browser kit (site/docs/assets/js/kit): `node --test tests/js` (make fast runs them).
import assert from "node:assert/strict";
import { test } from "node:test";
import { answer, html, requests, tick } from "./setup.mjs";

const kit = "../../site/docs/assets/js/kit";
const { format, t, useTexts } = await import(`${kit}/i18n.js`);
const { bindForm, formValues, fillForm } = await import(`${kit}/form.js`);
const { formatBytes, formatNok, formatDate, formatNumber } = await import(`${kit}/format.js`);
const { answerText, savedAnswers } = await import(`${kit}/saq.js`);
const { allowedType, requestKeys, sizeProblem } = await import(`${kit}/upload.js`);
const { pagedList } = await import(`${kit}/list.js`);
const { renderFee } = await import(`${kit}/fee.js`);
const { remarkList, uploadedByText } = await import(`${kit}/audit-source.js`);
const { commentList, sentBackLine, statusText, verificationFacts } = await import(`${kit}/verification.js`);

useTexts(
  {
    "kit.fix_errors": "Skjemaet har feil.",
    "kit.required": "Fyll ut dette feltet.",
    "kit.sending": "Sender …",
    "kit.yes": "Ja",
    "kit.no": "Nei",
    "kit.nok": "kr {amount}",
    "kit.loading": "Henter …",
    "kit.more_shown": "{count, plural, one {# rad til vises.} other {# rader til vises.}}",
    "kit.generic_error": "Noe gikk galt.",
    "kit.unreachable": "Ingen kontakt.",
    "fee.annual": "Årskontingent: {amount}{basis, select, estimate { (anslag)} other {}}",
    "fee.source": "Kilde",
    "saq.other_answers": "Andre svar",
    "saq.other_questionnaire": "Besvart med spørreskjemaet {version}.",
    "saq.no_answers": "Egenvurderingen har ingen svar.",
    "audit_source.producer": "Lastet opp av produsenten",
    "audit_source.company": "Lastet opp av {company}, ledende revisor {auditor}",
    "audit_source.company_apsca": "Lastet opp av {company}, ledende revisor {auditor} (APSCA {apsca})",
    "audit_source.disputed": "Bestridt",
    "audit_source.commented": "Kommentar",
    "audit_source.by": "{name}, {organisation}, {when}",
    "upload.empty": "Filen er tom.",
    "verification.sent_back": "Sendt tilbake av {organisation} {date}:",
    "verification.comment_by": "{person}, {organisation}, {date}",
    "verification.verified_by": "Verifisert av",
    "verification.note": "Merknad",
    "upload.too_large_size": "Filen er {size}. Den kan være høyst 25 MB.",
  },
  "nb-NO",
);

test("ICU messages: arguments, plurals with # and exact matches, select, quoting", () => {
  const wait = "Vent {n, plural, one {# sekund} other {# sekunder}}.";
  assert.equal(format(wait, { n: 1 }, "nb-NO"), "Vent 1 sekund.");
  assert.equal(format(wait, { n: 1500 }, "nb-NO"), "Vent 1\u00a0500 sekunder.");
  assert.equal(format("{n, plural, =0 {ingen} other {#}}", { n: 0 }, "nb-NO"), "ingen");
  assert.equal(format("{kind, select, buyer {Innkjøper} other {Annen}}", { kind: "buyer" }), "Innkjøper");
  assert.equal(format("{kind, select, buyer {Innkjøper} other {Annen}}", { kind: "x" }), "Annen");
  assert.equal(format("It''s '{'literal'}' {who}", { who: "Kari" }, "en-GB"), "It's {literal} Kari");
  assert.equal(format("Hei {who}", {}), "Hei {who}");
  assert.equal(t("kit.more_shown", { count: 2 }), "2 rader til vises.");
  assert.equal(t("no.such.key"), "no.such.key");
});

test("a name that ends with a full stop ends the sentence: no second full stop", () => {
  assert.equal(format("Tilgangen for {name} er endret.", { name: "Frutas del Sur S.A." }), "Tilgangen for Frutas del Sur S.A. er endret.");
  assert.equal(format("Søknaden fra {name}.", { name: "Frutas del Sur S.A." }), "Søknaden fra Frutas del Sur S.A.");
  assert.equal(format("Søknaden fra {name}.", { name: "Nordlys AS" }), "Søknaden fra Nordlys AS.");
  assert.equal(format("Versjon {n, number}.", { n: 2 }, "nb-NO"), "Versjon 2.");
});

test("formats amounts, sizes and dates the Norwegian way", () => {
  assert.equal(formatNok(12000), "kr 12\u00a0000");
  assert.equal(formatBytes(820), "820 B");
  assert.equal(formatBytes(1400000), "1,4 MB");
  assert.equal(formatDate("2026-03-12T09:00:00Z"), "12. mars 2026");
  assert.equal(formatDate("not a date"), null);
  assert.equal(formatNumber(1234.5), "1\u00a0234,5");
  assert.equal(formatNumber(7, 1), "7,0");
  assert.equal(formatNumber(0.25, 1), "0,3");
});

test("a form's values as the API's JSON: nested names, numbers, boxes, hidden groups left out", () => {
  const form = html(`<form>
    <input name="name" value="  Anatolia Tekstil  ">
    <input name="address.city" value="Izmir">
    <input type="number" name="workforce.total" value="120">
    <input type="number" name="workforce.women" value="">
    <input type="checkbox" name="sectors" value="textiles" checked>
    <input type="checkbox" name="sectors" value="food">
    <input type="checkbox" name="sectors" value="toys" checked>
    <input type="checkbox" name="consent" checked>
    <div hidden><input name="secret" value="x"></div>
    <input name="empty" value="">
  </form>`);
  assert.deepEqual(formValues(form), {
    name: "Anatolia Tekstil",
    address: { city: "Izmir" },
    workforce: { total: 120 },
    sectors: ["textiles", "toys"],
    consent: true,
  });
  fillForm(form, { name: "Ny", address: { city: "Bursa" }, sectors: ["food"], consent: false });
  assert.equal(form.elements.name.value, "Ny");
  assert.equal(form.elements["address.city"].value, "Bursa");
  assert.deepEqual(formValues(form).sectors, ["food"]);
  assert.equal(formValues(form).consent, false);
});

function profileForm() {
  return html(`<form id="f" novalidate>
    <div class="ieh-form__summary" role="alert" tabindex="-1" hidden></div>
    <div class="ieh-field"><label for="f-name">Navn</label><input id="f-name" name="name" required></div>
    <div class="ieh-field"><label for="f-email">E-post</label><input id="f-email" name="contact.email"></div>
    <button type="submit">Lagre</button>
  </form>`);
}

test("bindForm: an empty required field is said beside it and in the focused summary; nothing is sent", async () => {
  const form = profileForm();
  let sent = 0;
  bindForm(form, { send: () => sent++ });
  form.requestSubmit();
  await tick();
  assert.equal(sent, 0);
  assert.equal(document.getElementById("error-f-name").textContent, "Fyll ut dette feltet.");
  assert.equal(form.elements.name.getAttribute("aria-invalid"), "true");
  const summary = form.querySelector(".ieh-form__summary");
  assert.equal(summary.hidden, false);
  assert.equal(document.activeElement, summary);
  assert.match(summary.textContent, /Navn: Fyll ut dette feltet\./);
});

test("bindForm: one request at a time, a busy button, and done() with the answer", async () => {
  const { api } = await import(`${kit}/api.js`);
  const form = profileForm();
  form.elements.name.value = "Nordlys";
  let release;
  answer({ status: 200, body: { name: "Nordlys" }, wait: new Promise((resolve) => (release = resolve)) });
  const done = [];
  bindForm(form, { send: (data) => api("producer/profile", { method: "PUT", body: data }), done: (body) => done.push(body) });
  form.requestSubmit();
  form.requestSubmit(); // a double click
  await tick();
  const button = form.querySelector("button");
  assert.equal(button.textContent, "Sender …");
  assert.equal(button.disabled, true);
  release();
  await tick();
  await tick();
  assert.equal(requests.length, 1);
  assert.equal(requests[0].path, "/api/v1/producer/profile");
  assert.deepEqual(requests[0].body, { name: "Nordlys" });
  assert.equal(requests[0].headers["X-CSRF-Token"], "anonymous");
  assert.deepEqual(done, [{ name: "Nordlys" }]);
  assert.equal(button.textContent, "Lagre");
  assert.equal(button.disabled, false);
});

test("bindForm: the API's field errors go beside the fields they name, even by their last part", async () => {
  const { api } = await import(`${kit}/api.js`);
  const form = profileForm();
  form.elements.name.value = "Nordlys";
  answer({ status: 422, body: { error: { code: "validation_error", message: "Noen felt må rettes.", fields: { email: "Ugyldig e-post." } } } });
  bindForm(form, { send: (data) => api("x", { method: "POST", body: data }) });
  form.requestSubmit();
  await tick();
  await tick();
  assert.equal(document.getElementById("error-f-email").textContent, "Ugyldig e-post.");
  assert.match(form.querySelector(".ieh-form__summary").textContent, /^Noen felt må rettes\./);
});

test("bindForm: a 409 offers what the page gives, and the offer's button runs it", async () => {
  const { api } = await import(`${kit}/api.js`);
  const form = profileForm();
  form.elements.name.value = "Nordlys";
  answer({ status: 409, body: { error: { code: "conflict", message: "Endret.", current: { name: "Deres" } } } });
  let loaded = null;
  bindForm(form, {
    send: (data) => api("x", { method: "PUT", body: data }),
    conflict: (result) => ({ message: "Noen andre har lagret.", buttons: [{ label: "Hent deres", name: "load-current", run: () => (loaded = result.body.error.current) }] }),
  });
  form.requestSubmit();
  await tick();
  await tick();
  const summary = form.querySelector(".ieh-form__summary");
  assert.match(summary.textContent, /Noen andre har lagret\./);
  summary.querySelector('[data-action="load-current"]').click();
  assert.deepEqual(loaded, { name: "Deres" });
  assert.equal(summary.hidden, true);
});

test("SAQ answers read as words, not stored values", () => {
  assert.equal(answerText({ type: "yes_no" }, "yes"), "Ja");
  assert.equal(answerText({ type: "yes_no" }, false), "Nei");
  assert.equal(answerText({ type: "choice", options: [{ value: "weekly", label: "Hver uke" }] }, "weekly"), "Hver uke");
  assert.equal(answerText({ type: "number", unit: "timer" }, 48), "48 timer");
});

test("pagedList: the first page, then more rows on request, until there is no cursor", async () => {
  html(`<div><div class="ieh-table-wrap"><table><tbody id="b"></tbody></table></div>
    <button id="more" hidden>Vis flere</button><p id="s" role="status"></p><p id="e" hidden>Ingen</p></div>`);
  const body = document.getElementById("b");
  const more = document.getElementById("more");
  const list = pagedList({
    path: (cursor) => `events${cursor ? `?cursor=${cursor}` : ""}`,
    render: (item) => Object.assign(document.createElement("tr"), { textContent: item.id }),
    body,
    more,
    status: document.getElementById("s"),
    empty: document.getElementById("e"),
  });
  answer({ status: 200, body: { items: [{ id: "a" }, { id: "b" }], next_cursor: "c1" } }, { status: 200, body: { items: [{ id: "c" }], next_cursor: null } });
  await list.load(true);
  assert.equal(body.children.length, 2);
  assert.equal(more.hidden, false);
  more.click();
  await tick();
  await tick();
  assert.equal(requests[1].path, "/api/v1/events?cursor=c1");
  assert.deepEqual(Array.from(body.children, (row) => row.textContent), ["a", "b", "c"]);
  assert.equal(more.hidden, true);
  assert.equal(document.getElementById("s").textContent, "1 rad til vises.");
  assert.equal(document.activeElement, body.children[2]); // the first row that came: the button is gone
});

test("a busy button keeps what it says to screen readers after its visible label", async () => {
  const { setBusy } = await import(`${kit}/form.js`);
  const { button, el } = await import(`${kit}/dom.js`);
  const node = button(["Last ned", el("span", { class: "ieh-sr-only" }, " Veileder")]);
  setBusy(node, true, "Henter …");
  assert.equal(node.textContent, "Henter … Veileder");
  assert.equal(node.disabled, true);
  setBusy(node, false);
  assert.equal(node.textContent, "Last ned Veileder");
});

test("a stored self-assessment reads section by section; answers the questionnaire lacks come last", () => {
  const questionnaire = {
    version: "2026-1",
    sections: [
      { title: "Arbeidstid", questions: [{ id: "hours", text: "Timer per uke", type: "number", unit: "timer" }, { id: "unasked", text: "Ubesvart", type: "text" }] },
      { title: "Miljø", questions: [{ id: "permit", text: "Utslippstillatelse", type: "yes_no" }] },
    ],
  };
  const parts = savedAnswers({ questionnaire_version: "2025-2", answers: { permit: true, hours: 48, gone: "x" } }, questionnaire);
  const text = parts.map((part) => part.textContent);
  assert.deepEqual(text, ["Besvart med spørreskjemaet 2025-2.", "Arbeidstid", "Timer per uke48 timer", "Miljø", "UtslippstillatelseJa", "Andre svar", "gonex"]);
  assert.deepEqual(savedAnswers({ questionnaire_version: "2026-1", answers: {} }, questionnaire).map((part) => part.textContent), ["Egenvurderingen har ingen svar."]);
});

test("a file to upload: its type by the browser's word or else its name, its size, one key per request", () => {
  const pdf = { "application/pdf": [".pdf"] };
  assert.equal(allowedType({ type: "application/pdf", name: "r.PDF" }, pdf), "application/pdf");
  assert.equal(allowedType({ type: "", name: "rapport.PDF" }, pdf), "application/pdf");
  assert.equal(allowedType({ type: "text/csv", name: "timer.pdf" }, pdf), null); // the browser knows better than the name
  assert.equal(sizeProblem({ size: 0 }), "Filen er tom.");
  assert.equal(sizeProblem({ size: 30 * 1000 * 1000 }), "Filen er 30 MB. Den kan være høyst 25 MB.");
  assert.equal(sizeProblem({ size: 1000 }), null);
  const keys = requestKeys();
  const first = keys.for("a");
  assert.equal(keys.for("a"), first); // a retry keeps its key
  assert.notEqual(keys.for("b"), first); // another request gets another
  keys.forget();
  assert.notEqual(keys.for("b"), first);
});

test("a fee quote names the year of its rates once: the note the API sends says it", () => {
  const container = html("<div></div>");
  renderFee(container, {
    basis: "exact",
    annual_fee_nok: 37300,
    min_nok: 7700,
    max_nok: 137800,
    first_year_share: 1,
    year: 2023,
    note: "Kontingent etter IEHs satser for 2023.",
    source: "https://etiskhandel.no/hvor-mye-koster-det-meg/",
  });
  assert.equal(container.textContent, "Årskontingent: kr 37\u00a0300Kontingent etter IEHs satser for 2023. Kilde");
  assert.equal(container.textContent.match(/2023/g).length, 1);
});

test("an audit says who uploaded it, with the lead auditor's APSCA number when there is one", () => {
  assert.equal(uploadedByText(null), "Lastet opp av produsenten");
  assert.equal(uploadedByText({ kind: "producer" }), "Lastet opp av produsenten");
  const company = { kind: "audit_company", organisation: "Nordic Audit AS", lead_auditor: { name: "Sofie Lind", apsca: "21700123" } };
  assert.equal(uploadedByText(company), "Lastet opp av Nordic Audit AS, ledende revisor Sofie Lind (APSCA 21700123)");
  assert.equal(uploadedByText({ ...company, lead_auditor: { name: "Jonas Berg", apsca: null } }), "Lastet opp av Nordic Audit AS, ledende revisor Jonas Berg");
});

test("a finding's disputes are listed under it, the audit's comments on their own", () => {
  const remarks = [
    { id: "1", kind: "dispute", finding_id: "f1", text: "Feil grad", by: "Ayşe", organisation: "Anatolia", at: "2026-11-02T10:00:00Z" },
    { id: "2", kind: "comment", finding_id: null, text: "Takk", by: "Ayşe", organisation: "Anatolia", at: "2026-11-02T11:00:00Z" },
  ];
  const disputes = remarkList(remarks, "f1");
  assert.equal(disputes.querySelectorAll("li").length, 1);
  assert.match(disputes.textContent, /^Bestridt Ayşe, Anatolia, .*Feil grad$/);
  assert.match(remarkList(remarks).textContent, /^Kommentar .*Takk$/);
  assert.equal(remarkList(remarks, "f2"), null);
});

test("an action's status says who verified it, or that nobody has: never a bare closed", () => {
  const statuses = [{ code: "closed", name: "Lukket" }, { code: "in_progress", name: "Under arbeid" }];
  const verified = {
    status: "closed",
    verification_state: "verified",
    verification_text: "Lukket – verifisert av Nordlys Dagligvare AS, kundens gjennomgang, 3.12.2026",
    verification: { person: "Kari Nordlys", organisation: "Nordlys Dagligvare AS", note: "Bildene er sett." },
  };
  assert.equal(statusText(verified, statuses), verified.verification_text);
  assert.equal(statusText({ status: "in_progress" }, statuses), "Under arbeid");
  const facts = verificationFacts(verified).map((node) => node.textContent);
  assert.deepEqual(facts, ["Verifisert av", "Kari Nordlys, Nordlys Dagligvare AS", "Merknad", "Bildene er sett."]);
  assert.deepEqual(verificationFacts({ status: "awaiting_verification" }), []);
});

test("a reason for sending back shows while the action is back in progress; comments list oldest first", () => {
  const back = { organisation: "Nordlys Dagligvare AS", reason: "Mangler bilde.", at: "2026-12-03T10:00:00+00:00" };
  const line = sentBackLine({ status: "in_progress", sent_back: back });
  assert.match(line.textContent, /^Sendt tilbake av Nordlys Dagligvare AS .*: Mangler bilde\.$/);
  assert.equal(sentBackLine({ status: "awaiting_verification", sent_back: back }), null); // done again since
  const list = commentList([{ person: "Kari", organisation: "Nordlys", text: "Hei", at: back.at }]);
  assert.equal(list.querySelectorAll("[data-comment]").length, 1);
  assert.equal(list.hidden, false);
  assert.equal(commentList([]).hidden, true);
});
