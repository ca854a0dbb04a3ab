/* A site's self-assessment as its producer fills it in (members/site/): the questionnaire as form
 * controls, conditions and completion, the draft saved while typing (never over another's work),
 * submitting a version, and the versions submitted before, read-only (kit/saq.js). */
import { api, errorMessage } from "../kit/api.js";
import { confirmDialog } from "../kit/dialog.js";
import { byId, el, fillTable, focusOn, row, showMessage } from "../kit/dom.js";
import { clearFieldErrors, conflictCurrent, setBusy, showApiError, showConflict, showFieldErrors } from "../kit/form.js";
import { formatDateTime } from "../kit/format.js";
import { locale, t } from "../kit/i18n.js";
import { answerText, sameAnswer, savedAnswers } from "../kit/saq.js";
import { contextButton, domId } from "../kit/view.js";
import { bodyOf, viewer } from "../kit/viewer.js";

const AUTOSAVE_AFTER_MS = 1500;
const RETRY_SAVE_AFTER_MS = 10000;
const RADIO_LIMIT = 5; // choice questions with more options than this get a select
const MAX_TEXT = 2000; // characters in a text answer, as the server keeps them

// ---------------------------------------------------------------- the questionnaire as controls

/** One question as form controls; the wrapper carries data-question-id and is hidden by its condition. */
function questionField(question) {
  const id = `saq-q-${domId(question.id)}`;
  const helpId = question.help ? `${id}-help` : null;
  const optional = question.required ? null : el("span", { class: "ieh-field__hint" }, ` ${t("kit.optional")}`);
  const help = question.help ? el("p", { class: "ieh-field__hint", id: helpId }, question.help) : null;
  const options = Array.isArray(question.options) ? question.options : [];
  const wrapper = el("div", { class: "ieh-saq__question", "data-question-id": question.id, "data-question-type": question.type, "data-required": String(Boolean(question.required)) });
  const yesNo = question.type === "yes_no";
  if (yesNo || (question.type === "choice" && options.length <= RADIO_LIMIT)) {
    const choices = yesNo ? [{ value: "yes", label: t("kit.yes") }, { value: "no", label: t("kit.no") }] : options;
    const radios = choices.map((choice, index) =>
      el("div", { class: "ieh-choice" }, [
        el("input", { type: "radio", id: `${id}-${index}`, name: question.id, value: String(choice.value), "data-error-label": question.text }),
        el("label", { for: `${id}-${index}` }, choice.label),
      ]),
    );
    wrapper.append(
      el("fieldset", { class: "ieh-field ieh-choices", "aria-describedby": helpId }, [
        el("legend", {}, [question.text, optional]),
        help,
        el("div", { class: yesNo ? "ieh-choices__row" : "ieh-choices__list" }, radios),
      ]),
    );
    return wrapper;
  }
  let control;
  if (question.type === "choice") {
    control = el("select", { id, name: question.id, "aria-describedby": helpId }, [
      el("option", { value: "" }, t("saq_form.choose")),
      ...options.map((choice) => el("option", { value: String(choice.value) }, choice.label)),
    ]);
  } else if (question.type === "number") {
    const unitId = question.unit ? `${id}-unit` : null;
    const number = (value) => (typeof value === "number" ? String(value) : null);
    const input = el("input", {
      type: "number",
      id,
      name: question.id,
      inputmode: "decimal",
      step: "any",
      min: number(question.min),
      max: number(question.max),
      "aria-describedby": [helpId, unitId].filter(Boolean).join(" ") || null,
    });
    control = question.unit ? el("div", { class: "ieh-input-unit" }, [input, el("span", { class: "ieh-input-unit__unit", id: unitId }, question.unit)]) : input;
  } else {
    control = el("textarea", { id, name: question.id, rows: "3", maxlength: String(MAX_TEXT), "aria-describedby": helpId });
  }
  wrapper.append(el("div", { class: "ieh-field" }, [el("label", { for: id }, [question.text, optional]), help, control]));
  return wrapper;
}

function sectionFieldset(section) {
  const sid = domId(section.id);
  return el("fieldset", { class: "ieh-saq__section", id: `saq-section-${sid}`, "data-section-id": section.id }, [
    el("legend", { class: "ieh-saq__title" }, section.title),
    section.intro ? el("p", { class: "ieh-saq__intro" }, section.intro) : null,
    el("div", { class: "ieh-saq__completion", "data-completion": "" }, [
      el("progress", { max: "1", value: "0", "aria-labelledby": `saq-completion-${sid}` }),
      el("span", { id: `saq-completion-${sid}` }),
    ]),
    ...(section.questions || []).map(questionField),
  ]);
}

// ---------------------------------------------------------------- answers: reading, writing, checking

/** The answers in the form, read and written by question (questions: Map id → question). */
function answerControls(form, questions) {
  const inputsOf = (question) => Array.from(form.querySelectorAll(`[name="${CSS.escape(question.id)}"]`));
  const optionFor = (question, raw) => (question.options || []).find((choice) => String(choice.value) === raw);

  function read(question) {
    const inputs = inputsOf(question);
    if (!inputs.length) return undefined;
    let raw = inputs[0].value.trim();
    if (inputs[0].type === "radio") {
      const checked = inputs.find((input) => input.checked);
      if (!checked) return undefined;
      if (question.type === "yes_no") return checked.value === "yes";
      raw = checked.value;
    }
    if (raw === "") return undefined;
    if (question.type === "number") return Number.isFinite(Number(raw)) ? Number(raw) : undefined;
    if (question.type === "choice") return optionFor(question, raw)?.value ?? raw;
    return raw;
  }

  function write(question, value) {
    const inputs = inputsOf(question);
    if (inputs[0] && inputs[0].type === "radio") for (const input of inputs) input.checked = sameAnswer(value, input.value);
    else if (inputs[0]) inputs[0].value = value === undefined || value === null ? "" : String(value);
  }

  /** Whether an answer is one the server keeps: of the question's type, within its limits. */
  function isValid(question, value) {
    if (value === undefined || value === null || !question) return false;
    if (question.type === "yes_no") return typeof value === "boolean";
    if (question.type === "choice") return (question.options || []).some((choice) => choice.value === value);
    if (question.type === "number") {
      const below = typeof question.min === "number" && value < question.min;
      const above = typeof question.max === "number" && value > question.max;
      return typeof value === "number" && Number.isFinite(value) && !below && !above;
    }
    return typeof value === "string" && value.length <= MAX_TEXT;
  }

  const all = () => Object.fromEntries(Array.from(questions.values(), (q) => [q.id, read(q)]).filter(([, value]) => value !== undefined));
  const valid = (answers) => Object.fromEntries(Object.entries(answers).filter(([id, value]) => isValid(questions.get(id), value)));

  /** Which questions are shown: those without a condition, and those whose condition holds for the
   * (valid) answer of a question that is itself shown. */
  function visibility(answers) {
    const shown = new Map();
    function isShown(question) {
      if (shown.has(question.id)) return shown.get(question.id);
      const condition = question.condition;
      if (!condition || !condition.question) return shown.set(question.id, true).get(question.id);
      shown.set(question.id, false); // guards against a condition that refers back to itself
      const parent = questions.get(condition.question);
      return shown.set(question.id, Boolean(parent) && isShown(parent) && sameAnswer(answers[condition.question], condition.equals)).get(question.id);
    }
    for (const question of questions.values()) isShown(question);
    return shown;
  }

  /** A stored answer and an expected one disagree (a percentage by more than its rounding). */
  const differs = (question, value, expected) =>
    typeof expected === "number" && typeof value === "number" ? Math.abs(value - expected) > (question.unit === "%" ? 1 : 0) : !sameAnswer(value, expected);

  return {
    fill: (answers) => questions.forEach((question) => write(question, (answers || {})[question.id])),
    /** Answer the shown, unanswered questions that `expected` answers ({id: answer}); the ids filled. */
    fillMissing(expected) {
      const filled = [];
      for (const question of questions.values()) {
        const shown = visibility(valid(all())).get(question.id);
        if (shown && expected[question.id] !== undefined && read(question) === undefined) {
          write(question, expected[question.id]);
          filled.push(question.id);
        }
      }
      return filled;
    },
    /** The shown questions whose valid answer differs from what `expected` says. */
    contradictions(expected) {
      const answers = valid(all());
      const shown = visibility(answers);
      return Object.keys(expected).filter((id) => shown.get(id) && answers[id] !== undefined && differs(questions.get(id), answers[id], expected[id]));
    },
    valid: () => valid(all()),
    visibility,
    /** The answers to send: those of the questions shown, invalid ones too, so the server says what is wrong. */
    payload() {
      const answers = all();
      const shown = visibility(valid(answers));
      return Object.fromEntries(Object.entries(answers).filter(([id]) => shown.get(id)));
    },
    /** The required questions shown and not (validly) answered, as {id: message}, in the questionnaire's order. */
    missing() {
      const answers = valid(all());
      const shown = visibility(answers);
      const needed = Array.from(questions.values()).filter((q) => q.required && shown.get(q.id) && answers[q.id] === undefined);
      return Object.fromEntries(needed.map((q) => [q.id, t("saq_form.answer_this")]));
    },
  };
}

// ---------------------------------------------------------------- the editor

/** "14:32", in the reader's time zone. */
function clock(iso) {
  const date = iso ? new Date(iso) : new Date();
  return (Number.isNaN(date.getTime()) ? new Date() : date).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
}

const isToday = (iso) => new Date(iso).toDateString() === new Date().toDateString();
const personName = (who) => (who && typeof who === "object" ? who.name || who.email || "" : String(who || ""));

/** The draft in an answer: the draft itself ({answers, version}) or the SAQ view that holds it. */
function draftOf(body) {
  if (!body || typeof body !== "object") return null;
  return "answers" in body && "version" in body ? body : body.draft || null;
}

/** Start the self-assessment of the site whose SAQ lives at `base` (producer/sites/<id>/saq). */
export async function initSaq(base) {
  const form = byId("saq-form");
  const message = byId("saq-message");
  const saveStatus = byId("saq-save-status");
  const submit = byId("saq-submit");
  const hint = byId("saq-submit-hint");

  const [questionnaireResult, stateResult] = await Promise.all([api("saq/questionnaire"), api(base)]);
  if (questionnaireResult.status === 401 || stateResult.status === 401) return;
  if (questionnaireResult.status !== 200 || !questionnaireResult.body || stateResult.status !== 200 || !stateResult.body) {
    const failed = questionnaireResult.status !== 200 ? questionnaireResult : stateResult;
    showMessage(message, [t("saq_form.unavailable"), " ", errorMessage(failed)], "error");
    return;
  }
  const questionnaire = questionnaireResult.body;
  const sections = Array.isArray(questionnaire.sections) ? questionnaire.sections : [];
  const questions = new Map(sections.flatMap((section) => (section.questions || []).map((question) => [question.id, question])));
  byId("saq-sections").replaceChildren(...sections.map(sectionFieldset));
  const answers = answerControls(form, questions);

  let version = null; // the stored draft's version; null until the first save
  let savedSnapshot = null; // the answers last stored, as JSON
  let dirty = false;
  let timer = null;
  let inFlight = null;
  let conflict = null; // {known, draft} after a 409, until the member chooses
  let submitting = false;
  let draftErrorsShown = false;
  let unchangedSince = null; // the submitted version these answers are (nothing new to submit), or null
  let fromSite = stateResult.body.from_site || {}; // what the site's own details answer

  const conflictOf = (result) => ({ known: conflictCurrent(result) !== null, draft: draftOf(conflictCurrent(result)) });

  // -- what the page shows: conditions, completion, the submit button

  function refresh() {
    const valid = answers.valid();
    const shown = answers.visibility(valid);
    let answeredAll = 0;
    let requiredAll = 0;
    for (const fieldset of form.querySelectorAll("[data-section-id]")) {
      let answered = 0;
      let required = 0;
      for (const wrapper of fieldset.querySelectorAll("[data-question-id]")) {
        const id = wrapper.dataset.questionId;
        wrapper.hidden = !shown.get(id);
        if (shown.get(id) && questions.get(id).required) {
          required += 1;
          if (valid[id] !== undefined) answered += 1;
        }
      }
      const box = fieldset.querySelector("[data-completion]");
      const bar = box.querySelector("progress");
      Object.assign(box.dataset, { completion: `${answered}/${required}`, answered: String(answered), required: String(required) });
      bar.max = Math.max(required, 1);
      bar.value = required ? answered : 1;
      bar.hidden = required === 0;
      box.querySelector("span").textContent = required ? t("saq_form.completion", { answered, required }) : t("saq_form.no_required");
      fieldset.dataset.complete = String(answered === required);
      answeredAll += answered;
      requiredAll += required;
    }
    const contradicting = new Set(answers.contradictions(fromSite));
    for (const wrapper of form.querySelectorAll("[data-question-id]")) {
      const id = wrapper.dataset.questionId;
      const note = wrapper.querySelector("[data-contradiction]");
      if (note) note.hidden = !contradicting.has(id);
      if (!contradicting.has(id) || note) continue;
      const expected = answerText(questions.get(id), fromSite[id]);
      wrapper.append(el("p", { class: "ieh-saq__contradiction", "data-contradiction": "" }, t("saq_form.contradiction", { value: expected })));
    }
    const total = byId("saq-total");
    total.textContent = t("saq_form.total", { answered: answeredAll, required: requiredAll });
    total.dataset.completion = `${answeredAll}/${requiredAll}`;
    updateSubmit(requiredAll - answeredAll);
  }

  /** The button stays usable (a keyboard reaches it, and submitting says what is missing); its hint says where things stand. */
  function updateSubmit(left = Object.keys(answers.missing()).length) {
    submit.disabled = submitting;
    submit.setAttribute("aria-disabled", String(unchangedSince !== null));
    if (conflict) hint.textContent = t("saq_form.submit_blocked");
    else if (unchangedSince !== null) hint.textContent = t("saq_form.unchanged", { number: unchangedSince });
    else hint.textContent = left === 0 ? t("saq_form.submit_ready") : t("saq_form.submit_not_ready", { left });
  }

  function setSaveStatus(text, state) {
    if (saveStatus.textContent !== text) saveStatus.textContent = text;
    saveStatus.dataset.state = state;
  }

  function showSavedAt(iso) {
    if (!iso || isToday(iso)) setSaveStatus(t("saq_form.saved_at", { time: clock(iso) }), "saved");
    else setSaveStatus(t("saq_form.saved_on", { date: formatDateTime(iso) || "" }), "saved");
  }

  // -- saving the draft: debounced while typing, one request at a time, never over another's work

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      save();
    }, delay);
  }

  /** Store the answers if they changed. Resolves to true when the stored draft matches the form. */
  async function save({ force = false, focus = false } = {}) {
    clearTimeout(timer);
    timer = null;
    while (inFlight) await inFlight;
    if (conflict) return false;
    const payload = answers.payload();
    const snapshot = JSON.stringify(payload);
    dirty = false;
    if (snapshot === savedSnapshot && !(force && version === null)) return true;
    inFlight = putDraft(payload, snapshot, focus);
    const ok = await inFlight;
    inFlight = null;
    if (ok && dirty) {
      // typed while it was saving: not "saved" yet, the newer answers follow
      setSaveStatus(t("kit.saving"), "saving");
      if (!timer) schedule(AUTOSAVE_AFTER_MS);
    }
    return ok;
  }

  async function putDraft(payload, snapshot, focus) {
    setSaveStatus(t("kit.saving"), "saving");
    const result = await api(`${base}/draft`, { method: "PUT", body: { answers: payload, version } });
    if (result.status === 200 && result.body) {
      const stored = draftOf(result.body) || result.body;
      unchangedSince = result.body.unchanged_since ?? null;
      updateSubmit();
      version = stored.version;
      savedSnapshot = snapshot;
      if (draftErrorsShown) clearFieldErrors(form);
      draftErrorsShown = false;
      showSavedAt(stored.updated_at);
      return true;
    }
    dirty = true; // what the form holds is still not stored
    if (result.status === 409) {
      conflict = conflictOf(result);
      setSaveStatus(t("saq_form.not_saved_conflict"), "conflict");
      showDraftConflict(focus);
    } else if (result.status === 422) {
      showFieldErrors(form, (result.body && result.body.error && result.body.error.fields) || {}, { message: t("saq_form.draft_invalid"), focus });
      draftErrorsShown = true;
      setSaveStatus(t("saq_form.not_saved_invalid"), "invalid");
    } else if (result.status === 0 || result.status === 429 || result.status >= 500) {
      setSaveStatus(t("saq_form.save_failed"), "failed");
      schedule(RETRY_SAVE_AFTER_MS);
    } else {
      setSaveStatus(t("saq_form.not_saved", { reason: errorMessage(result) }), "failed");
    }
    return false;
  }

  function showDraftConflict(focus) {
    const buttons = [
      { label: t("saq_form.load_draft"), name: "load-draft", run: loadStoredDraft },
      { label: t("saq_form.keep_mine"), name: "keep-mine", run: keepMine },
    ];
    showConflict(form, t("saq_form.draft_conflict"), buttons, focus);
    updateSubmit();
  }

  /** The stored draft after a conflict: the one the 409 carried, or asked for. Undefined if that failed. */
  async function storedDraft() {
    if (conflict && conflict.known) return conflict.draft;
    const result = await api(base);
    if (result.status === 200 && result.body) return result.body.draft || null;
    if (result.status !== 401) showMessage(message, errorMessage(result), "error");
    showDraftConflict(true);
    return undefined;
  }

  async function loadStoredDraft() {
    const draft = await storedDraft();
    if (draft === undefined) return;
    conflict = null;
    applyDraft(draft);
    showMessage(message, t("saq_form.draft_loaded"), "info");
    focusOn(message);
  }

  async function keepMine() {
    const draft = await storedDraft();
    if (draft === undefined) return;
    version = draft ? draft.version : null;
    conflict = null;
    savedSnapshot = null;
    updateSubmit();
    await save({ force: true, focus: true });
    if (!conflict) focusOn(saveStatus);
  }

  function applyDraft(draft) {
    clearTimeout(timer);
    timer = null;
    dirty = false;
    answers.fill(draft ? draft.answers : {});
    version = draft ? draft.version : null;
    refresh();
    savedSnapshot = JSON.stringify(answers.payload());
    if (draft && draft.updated_at) showSavedAt(draft.updated_at);
    else setSaveStatus("", "idle");
  }

  function onEdit(event) {
    if (!questions.has(event.target && event.target.name)) return;
    unchangedSince = null; // until the saved draft says whether it is still the version's answers
    refresh();
    dirty = true;
    if (!conflict) schedule(AUTOSAVE_AFTER_MS);
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  byId("saq-save").addEventListener("click", () => (conflict ? showDraftConflict(true) : save({ force: true, focus: true })));
  window.addEventListener("beforeunload", (event) => {
    if (!dirty && !inFlight) return;
    event.preventDefault();
    event.returnValue = t("saq_form.leave_unsaved");
  });

  // -- submitting a version

  async function send() {
    const saved = await save({ force: true, focus: true });
    if (!saved || version === null) return null; // saving has said why
    return api(`${base}/submit`, { method: "POST", body: { version } });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (submitting) return;
    if (conflict) {
      showDraftConflict(true);
      return;
    }
    clearFieldErrors(form);
    draftErrorsShown = false;
    showMessage(message, "");
    const missing = answers.missing();
    if (Object.keys(missing).length) {
      showFieldErrors(form, missing, { message: t("saq_form.incomplete") }); // each with a link to its question
      return;
    }
    if (unchangedSince !== null) {
      showFieldErrors(form, {}, { message: t("saq_form.unchanged", { number: unchangedSince }) });
      return;
    }
    const differing = answers.contradictions(fromSite).length;
    const text = [differing ? t("saq_form.confirm_contradictions", { count: differing }) : "", t("saq_form.confirm_text")].filter(Boolean).join(" ");
    const confirmed = await confirmDialog({ title: t("saq_form.confirm_title"), text, confirm: t("saq_form.confirm") });
    if (!confirmed) return;
    submitting = true;
    setBusy(submit, true, t("saq_form.submitting"));
    const result = await send();
    submitting = false;
    setBusy(submit, false);
    updateSubmit();
    if (!result || result.status === 401) return;
    if ((result.status === 201 || result.status === 200) && result.body) {
      await reload();
      showMessage(message, t("saq_form.submitted", { number: result.body.number }), "success");
      focusOn(message);
    } else if (result.status === 409) {
      conflict = conflictOf(result);
      showDraftConflict(true);
    } else {
      showApiError(form, result, result.status === 422 ? { message: t("saq_form.incomplete") } : {});
    }
  });

  // -- the versions submitted before, read-only

  const view = viewer(byId("saq-version-view"), "version", "versionNumber");

  async function openVersion(number, opener) {
    const status = byId("saq-versions-message");
    showMessage(status, "");
    setBusy(opener, true, t("kit.loading"));
    const result = await api(`${base}/versions/${encodeURIComponent(number)}`);
    setBusy(opener, false);
    const stored = bodyOf(result, status);
    if (!stored) return;
    const who = personName(stored.submitted_by);
    const title = t("saq_form.version_title", { number: stored.number, date: formatDateTime(stored.submitted_at) || "" });
    view.show(opener, String(stored.number), title, [who ? el("p", { class: "ieh-muted" }, t("saq_form.version_by", { name: who })) : null, ...savedAnswers(stored, questionnaire)].filter(Boolean));
  }

  function renderVersions(items) {
    const rows = items.map((item) => {
      const label = t("saq_form.version_number", { number: item.number });
      const attributes = { "data-version-number": String(item.number), "aria-controls": "saq-version-view", "aria-expanded": "false" };
      const show = contextButton(t("saq_form.show"), ` ${label}`, (opener) => openVersion(item.number, opener), attributes);
      return row([label, formatDateTime(item.submitted_at) || "", personName(item.submitted_by), show], { "data-version-number": String(item.number) });
    });
    fillTable(byId("saq-versions").tBodies[0], rows, byId("saq-versions-empty"));
  }

  // -- loading the draft and the versions

  async function startFromVersion(number) {
    const result = await api(`${base}/versions/${encodeURIComponent(number)}`);
    if (result.status !== 200 || !result.body || dirty || version !== null) return; // or the member has started meanwhile
    answers.fill(result.body.answers || {});
    refresh();
    savedSnapshot = null; // not stored as a draft yet: the first change (or submitting) stores it
    setSaveStatus(t("saq_form.from_version", { number }), "from-version");
  }

  async function applyState(state) {
    const versions = Array.isArray(state.versions) ? state.versions : [];
    unchangedSince = state.unchanged_since ?? null;
    fromSite = state.from_site || {};
    renderVersions(versions);
    applyDraft(state.draft || null);
    if (!state.draft && versions.length) await startFromVersion(versions[0].number);
    prefill();
  }

  /** Answer from the site's details what is still unanswered, say so at each, and save it as the draft. */
  function prefill() {
    const filled = answers.fillMissing(fromSite);
    for (const id of filled) {
      const wrapper = form.querySelector(`[data-question-id="${CSS.escape(id)}"]`);
      wrapper.append(el("p", { class: "ieh-field__hint", "data-prefilled": "" }, t("saq_form.prefilled")));
    }
    if (!filled.length) return;
    unchangedSince = null;
    refresh();
    dirty = true;
    if (!conflict) schedule(AUTOSAVE_AFTER_MS);
  }

  async function reload() {
    const result = await api(base);
    if (result.status === 200 && result.body) await applyState(result.body);
  }

  form.hidden = false;
  await applyState(stateResult.body);
  /** After the site's details are saved: what they answer now. */
  return async function siteChanged() {
    const result = await api(base);
    if (result.status !== 200 || !result.body) return;
    fromSite = result.body.from_site || {};
    prefill();
    refresh();
  };
}
