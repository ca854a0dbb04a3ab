"""The self-assessment questionnaire: consistent data, follow-ups that appear when they should, drafts checked."""

import json
import math
import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain import saq
from portal.i18n import has_text

SAQ_DIR = resources.files("portal.data").joinpath("saq")
VERSIONS = sorted(
    entry.name.removesuffix(".json") for entry in SAQ_DIR.iterdir() if entry.name.endswith(".json")
)
Q = saq.questionnaire()


def raw(version: str) -> dict:
    return json.loads(SAQ_DIR.joinpath(f"{version}.json").read_text("utf-8"))


def raw_questions(version: str) -> list[dict]:
    return [question for section in raw(version)["sections"] for question in section["questions"]]


# -- the data ----------------------------------------------------------------------------------------
def test_current_version_is_a_file():
    assert saq.CURRENT_VERSION in VERSIONS
    assert Q.version == saq.CURRENT_VERSION


@pytest.mark.parametrize("version", VERSIONS)
def test_every_version_loads_and_names_itself(version):
    assert saq.questionnaire(version).version == version == raw(version)["version"]


@pytest.mark.parametrize("version", VERSIONS)
def test_question_ids_are_unique(version):
    ids = [question["id"] for question in raw_questions(version)]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", qid) for qid in ids)


def test_sections_follow_the_agreed_order():
    assert [section.id for section in Q.sections] == [
        "site_profile",
        "labour",
        "health_safety",
        "environment",
        "business_ethics",
        "management_systems",
    ]
    assert all(
        question.id.startswith(f"{section.id}.") for section in Q.sections for question in section.questions
    )


def _valid_for(question: dict, value: object) -> bool:
    match question["type"]:
        case "yes_no":
            return isinstance(value, bool)
        case "choice":
            return value in [option["value"] for option in question["options"]]
        case "number":
            return isinstance(value, int | float) and not isinstance(value, bool)
        case _:
            return isinstance(value, str) and value != ""


@pytest.mark.parametrize("version", VERSIONS)
def test_conditions_refer_to_an_earlier_question_and_an_answer_it_can_have(version):
    earlier: dict[str, dict] = {}
    for question in raw_questions(version):
        if "condition" in question:
            parent = earlier.get(question["condition"]["question"])
            assert parent is not None, question["id"]
            assert _valid_for(parent, question["condition"]["equals"]), question["id"]
        earlier[question["id"]] = question


@pytest.mark.parametrize("version", VERSIONS)
def test_every_text_is_in_norwegian_and_english(version):
    data = raw(version)
    texts = []
    for section in data["sections"]:
        texts += [section["title"], section.get("intro")]
        for question in section["questions"]:
            texts += [question["text"], question.get("help"), question.get("unit")]
            texts += [option["label"] for option in question.get("options", [])]
            assert question["text"]["nb"] != question["text"]["en"], question["id"]
    for text in filter(None, texts):
        assert set(text) == {"nb", "en"}, text
        assert all(isinstance(value, str) and value.strip() for value in text.values()), text


def test_every_question_type_has_its_fields():
    for question in raw_questions(saq.CURRENT_VERSION):
        assert question["type"] in {"yes_no", "number", "choice", "text"}
        assert isinstance(question["required"], bool)
        assert ("options" in question) == (question["type"] == "choice"), question["id"]
        if question["type"] != "number":
            assert not {"min", "max"} & set(question), question["id"]


def test_unknown_versions_are_refused():
    for version in ["1999-1", "latest", "../messages", "2026-1/../../messages", ""]:
        with pytest.raises(KeyError):
            saq.questionnaire(version)


def _first_section_with(change):
    base = raw(saq.CURRENT_VERSION)
    questions = [dict(question) for question in base["sections"][0]["questions"]]
    change(questions)
    return {**base, "sections": [{**base["sections"][0], "questions": questions}]}


def _depend_on_a_later_question(questions):
    questions[0]["condition"] = {"question": questions[2]["id"], "equals": 1}


def _depend_on_an_option_that_does_not_exist(questions):
    questions[1]["condition"] = {"question": questions[0]["id"], "equals": "mining"}


def _depend_on_a_number_for_yes(questions):
    questions[5]["condition"] = {"question": "site_profile.uses_agency_workers", "equals": 1}


def _depend_on_no_answer(questions):
    questions[5]["condition"] = {"question": "site_profile.uses_agency_workers", "equals": None}


def _repeat_an_id(questions):
    questions[1]["id"] = questions[0]["id"]


@pytest.mark.parametrize(
    "change",
    [
        _depend_on_a_later_question,
        _depend_on_an_option_that_does_not_exist,
        _depend_on_a_number_for_yes,
        _depend_on_no_answer,
        _repeat_an_id,
    ],
)
def test_inconsistent_data_is_refused(change):
    saq.from_dict(_first_section_with(lambda questions: None))  # the unchanged section loads
    with pytest.raises(ValueError, match="question"):
        saq.from_dict(_first_section_with(change))


# -- what is served ----------------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["nb", "en"])
def test_localised_serves_one_language_and_leaves_out_absent_keys(language):
    served = saq.localised(Q, language)
    json.dumps(served)  # the API can send it as it is
    assert served["version"] == saq.CURRENT_VERSION
    questions = {
        question["id"]: question for section in served["sections"] for question in section["questions"]
    }
    assert len(questions) == len(Q.questions)

    count = questions["labour.young_workers.count"]
    assert count == {
        "id": "labour.young_workers.count",
        "text": {
            "nb": "Hvor mange arbeidstakere under 18 år har produksjonsstedet?",
            "en": "How many workers under 18 does the site employ?",
        }[language],
        "type": "number",
        "required": True,
        "min": 1,
        "unit": {"nb": "personer", "en": "people"}[language],
        "condition": {"question": "labour.young_workers.employs_under_18", "equals": True},
    }
    activity = questions["site_profile.main_activity"]
    assert set(activity) == {"id", "text", "type", "required", "options"}
    assert {"value": "other", "label": {"nb": "Annet", "en": "Other"}[language]} in activity["options"]
    assert served["sections"][0]["title"] == {"nb": "Om produksjonsstedet", "en": "About the site"}[language]


# -- follow-ups --------------------------------------------------------------------------------------
YOUNG = ["labour.young_workers.count", "labour.young_workers.protected"]


def test_follow_ups_are_shown_and_required_only_when_their_condition_holds():
    for answers in ({}, {"labour.young_workers.employs_under_18": False}):
        assert not set(YOUNG) & {question.id for question in saq.visible(Q, answers)}
        assert not set(YOUNG) & set(saq.missing(Q, answers))

    answers = {"labour.young_workers.employs_under_18": True}
    assert set(YOUNG) <= {question.id for question in saq.visible(Q, answers)}
    assert set(YOUNG) <= set(saq.missing(Q, answers))
    answers |= {"labour.young_workers.count": 2, "labour.young_workers.protected": True}
    assert not set(YOUNG) & set(saq.missing(Q, answers))


def test_a_number_is_not_a_yes():
    # True == 1 in Python: a follow-up on "yes" must not appear for the number 1
    assert "labour.young_workers.count" not in {
        question.id for question in saq.visible(Q, {"labour.young_workers.employs_under_18": 1})
    }


def test_answers_to_hidden_questions_are_dropped_without_error():
    answers = {
        "labour.young_workers.employs_under_18": False,
        "labour.young_workers.count": 3,
        "labour.young_workers.protected": False,
    }
    assert saq.clean(Q, answers) == ({"labour.young_workers.employs_under_18": False}, {})


def test_a_hidden_question_hides_its_own_follow_ups():
    chain = {
        "labour.forced_labour.recruitment_fees": True,
        "labour.forced_labour.fees_repaid": False,
        "labour.forced_labour.repayment_plan": "Repaid with the March salary.",
    }
    assert saq.clean(Q, chain) == (chain, {})

    no_fees = {**chain, "labour.forced_labour.recruitment_fees": False}
    kept, errors = saq.clean(Q, no_fees)
    assert kept == {"labour.forced_labour.recruitment_fees": False}
    assert errors == {}
    assert "labour.forced_labour.repayment_plan" not in {question.id for question in saq.visible(Q, no_fees)}


def test_a_follow_up_on_a_choice():
    shown = {question.id for question in saq.visible(Q, {"site_profile.main_activity": "other"})}
    assert "site_profile.main_activity_other" in shown
    shown = {question.id for question in saq.visible(Q, {"site_profile.main_activity": "services"})}
    assert "site_profile.main_activity_other" not in shown


# -- checking a draft --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question_id", "value", "key"),
    [
        ("no.such.question", True, "field.not_expected"),
        ("site_profile.main_activity", "mining", "field.invalid_choice"),
        ("site_profile.main_activity", 3, "field.invalid_choice"),
        ("site_profile.workers_total", "12", "field.not_a_number"),
        ("site_profile.workers_total", True, "field.not_a_number"),
        ("site_profile.workers_total", math.nan, "field.not_a_number"),
        ("site_profile.workers_total", math.inf, "field.not_a_number"),
        ("site_profile.workers_total", -1, "field.too_small"),
        ("site_profile.women_share", 100.5, "field.too_large"),
        ("labour.wages.payslips", "yes", "field.invalid"),
        ("labour.wages.payslips", 1, "field.invalid"),
        ("management_systems.certifications", 14001, "field.invalid"),
        ("management_systems.certifications", "x" * (saq.MAX_TEXT_LENGTH + 1), "field.too_long"),
    ],
)
def test_each_wrong_answer_gets_its_message_key(question_id, value, key):
    kept, errors = saq.clean(Q, {question_id: value})
    assert errors == {question_id: key}
    assert kept == {}
    assert has_text(key)


@pytest.mark.parametrize(
    ("question_id", "value"),
    [
        ("site_profile.workers_total", 0),
        ("site_profile.women_share", 100),
        ("site_profile.women_share", 37.5),
        ("labour.wages.payslips", False),
        ("site_profile.main_activity", "services"),
        ("management_systems.certifications", "x" * saq.MAX_TEXT_LENGTH),
    ],
)
def test_right_answers_are_kept_as_given(question_id, value):
    assert saq.clean(Q, {question_id: value}) == ({question_id: value}, {})


@pytest.mark.parametrize("value", [None, "", "   "])
def test_blank_means_unanswered(value):
    assert saq.clean(
        Q, {"site_profile.workers_total": value, "management_systems.certifications": value}
    ) == (
        {},
        {},
    )


def test_text_is_kept_trimmed():
    kept, _ = saq.clean(Q, {"management_systems.certifications": "  ISO 14001\n"})
    assert kept == {"management_systems.certifications": "ISO 14001"}


def test_a_wrong_answer_does_not_count_and_does_not_open_follow_ups():
    answers = {"labour.young_workers.employs_under_18": "yes", "labour.young_workers.count": 4}
    assert saq.clean(Q, answers) == ({}, {"labour.young_workers.employs_under_18": "field.invalid"})
    assert "labour.young_workers.employs_under_18" in saq.missing(Q, answers)


# -- progress ----------------------------------------------------------------------------------------
def test_completion_counts_visible_required_questions_per_section():
    empty = saq.completion(Q, {})
    assert list(empty) == [section.id for section in Q.sections]
    for section in Q.sections:
        unconditional = [q for q in section.questions if q.required and q.condition is None]
        assert empty[section.id] == (0, len(unconditional))

    base = empty["labour"][1]
    yes = {"labour.young_workers.employs_under_18": True}
    assert saq.completion(Q, yes)["labour"] == (1, base + 2)
    assert saq.completion(Q, yes | {"labour.young_workers.count": 2})["labour"] == (2, base + 2)
    assert saq.completion(Q, yes | {"labour.young_workers.count": 0})["labour"] == (1, base + 2)  # below min
    # energy use is asked after "yes" but is optional: it changes nothing
    energy = {"environment.energy_measured": True, "environment.energy_use": 120}
    assert saq.completion(Q, energy)["environment"] == (1, empty["environment"][1])


def test_missing_lists_ids_in_questionnaire_order_until_complete():
    order = [question.id for question in Q.questions]
    gaps = saq.missing(Q, {})
    assert gaps == sorted(gaps, key=order.index)
    assert gaps[0] == "site_profile.main_activity"
    assert "management_systems.certifications" not in gaps  # optional
    assert "environment.energy_use" not in saq.missing(Q, {"environment.energy_measured": True})  # optional
    assert not saq.is_complete(Q, {})

    answers: dict[str, object] = {}
    for _ in Q.questions:  # each round answers what is missing, and "yes" opens follow-ups for the next
        if not (gaps := saq.missing(Q, answers)):
            break
        answers |= {qid: _an_answer(Q.questions[order.index(qid)]) for qid in gaps}
    assert saq.missing(Q, answers) == []
    assert saq.is_complete(Q, answers)
    assert all(answered == required for answered, required in saq.completion(Q, answers).values())
    assert "labour.young_workers.count" in answers  # follow-ups were asked for, and answered


def _an_answer(question: saq.Question) -> object:
    if question.type == "choice":
        return question.options[-1].value
    return {"yes_no": True, "number": question.min or 0, "text": "Ja."}[question.type]


# -- properties --------------------------------------------------------------------------------------
def _values_for(question: saq.Question) -> st.SearchStrategy[object]:
    specific = {
        "yes_no": st.booleans(),
        "number": st.one_of(st.integers(-5, 200), st.floats(allow_nan=True, allow_infinity=True)),
        "choice": st.sampled_from([option.value for option in question.options]),
        "text": st.text(max_size=30),
    }[question.type]
    anything = st.one_of(st.none(), st.just(""), st.booleans(), st.integers(), st.text(max_size=5))
    return st.one_of(specific, specific, anything)


drafts = st.fixed_dictionaries(
    {},
    optional={question.id: _values_for(question) for question in Q.questions}
    | {"no.such.question": st.integers(), "labour.unknown": st.booleans()},
)


@given(drafts)
def test_clean_keeps_only_valid_answers_to_shown_questions_and_is_idempotent(answers):
    kept, errors = saq.clean(Q, answers)
    shown = {question.id for question in saq.visible(Q, answers)}
    assert set(kept) <= shown
    assert not set(kept) & set(errors)
    assert set(kept) | set(errors) <= set(answers)
    assert {"no.such.question", "labour.unknown"} & set(answers) <= set(errors)
    assert all(has_text(key) for key in errors.values())
    assert saq.clean(Q, kept) == (kept, {})
    # what is shown, missing and counted depends only on the answers kept
    assert saq.visible(Q, kept) == saq.visible(Q, answers)
    assert saq.missing(Q, kept) == saq.missing(Q, answers)
    assert saq.completion(Q, kept) == saq.completion(Q, answers)


@given(drafts)
def test_every_shown_question_has_its_condition_met(answers):
    kept, _ = saq.clean(Q, answers)
    shown = saq.visible(Q, answers)
    shown_ids = {question.id for question in shown}
    for question in shown:
        if question.condition is not None:
            assert question.condition.question in shown_ids
            parent_answer = kept[question.condition.question]
            assert parent_answer == question.condition.equals
            assert type(parent_answer) is type(question.condition.equals) or not isinstance(
                parent_answer, bool
            )


def test_the_questionnaire_calls_the_site_produksjonssted_as_every_page_does():
    """One term per concept: the Norwegian questionnaire never says "anlegg" (but "renseanlegg" is a word)."""
    text = json.dumps(saq.localised(Q, "nb"), ensure_ascii=False)
    assert not re.search(r"\banlegg", text, re.IGNORECASE)


def test_a_sites_details_answer_the_questions_about_its_workforce():
    answers = saq.from_site({"total": 420, "women": 250, "migrant": 12, "temporary": 0, "agency": 0})
    assert answers == {
        "site_profile.workers_total": 420,
        "site_profile.women_share": 60,  # 59.5 % as the whole percentage the question asks for
        "site_profile.uses_agency_workers": False,
        "site_profile.migrant_workers": True,
    }
    assert (
        saq.from_site({"total": 10, "women": 0, "migrant": 0, "agency": 3})["site_profile.agency_workers"]
        == 3
    )
    assert saq.from_site(None) == saq.from_site({"total": 0}) == {}
    questions = {q.id: q for q in Q.questions}
    for qid, answer in answers.items():  # every answer is one the question takes
        assert not saq.clean(Q, {qid: answer})[1], qid
        assert qid in questions
