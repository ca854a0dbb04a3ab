"""The self-assessment questionnaire (SAQ): versioned questions, what is shown, and which answers count."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, get_args

from portal import data as packaged
from portal.i18n import Language

CURRENT_VERSION = "2026-1"
MAX_TEXT_LENGTH = 2000

QuestionType = Literal["yes_no", "number", "choice", "text"]
Answer = bool | int | float | str

_VERSION = re.compile(r"[0-9]{4}-[0-9]{1,3}")  # also keeps a version from the URL from naming another file


@dataclass(frozen=True)
class Text:
    nb: str
    en: str

    def in_language(self, language: Language) -> str:
        return self.nb if language == "nb" else self.en


@dataclass(frozen=True)
class Option:
    value: str
    label: Text


@dataclass(frozen=True)
class Condition:
    """Show a question only when an earlier question's answer equals `equals`."""

    question: str
    equals: Answer


@dataclass(frozen=True)
class Question:
    id: str
    text: Text
    type: QuestionType
    required: bool
    help: Text | None = None
    options: tuple[Option, ...] = ()
    min: int | float | None = None
    max: int | float | None = None
    unit: Text | None = None
    condition: Condition | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    questions: tuple[Question, ...]
    intro: Text | None = None


@dataclass(frozen=True)
class Questionnaire:
    version: str
    about: str
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order people meet them."""
        return tuple(question for section in self.sections for question in section.questions)


@cache
def questionnaire(version: str = CURRENT_VERSION) -> Questionnaire:
    """The questionnaire of one version; KeyError when there is no such version."""
    if not _VERSION.fullmatch(version) or not packaged.exists("saq", f"{version}.json"):
        raise KeyError(version)
    return from_dict(packaged.load("saq", f"{version}.json"))


def from_dict(data: Mapping[str, Any]) -> Questionnaire:
    """A questionnaire from its JSON shape; ValueError when the data contradicts itself."""
    earlier: dict[str, Question] = {}
    sections = []
    for raw_section in data["sections"]:
        questions = []
        for raw in raw_section["questions"]:
            question = _question(raw)
            if question.id in earlier:
                raise ValueError(f"question {question.id} appears twice")
            if question.condition is not None:
                _check_condition(question.id, question.condition, earlier)
            earlier[question.id] = question
            questions.append(question)
        sections.append(
            Section(
                id=raw_section["id"],
                title=_text(raw_section["title"]),
                intro=_optional_text(raw_section.get("intro")),
                questions=tuple(questions),
            )
        )
    if len({section.id for section in sections}) != len(sections):
        raise ValueError("section ids must be unique")
    return Questionnaire(version=data["version"], about=data["about"], sections=tuple(sections))


def _text(raw: Mapping[str, Any]) -> Text:
    text = Text(nb=raw["nb"], en=raw["en"])
    if not (isinstance(text.nb, str) and isinstance(text.en, str) and text.nb.strip() and text.en.strip()):
        raise ValueError(f"text needs Norwegian and English: {raw}")
    return text


def _optional_text(raw: Mapping[str, Any] | None) -> Text | None:
    return None if raw is None else _text(raw)


def _question(raw: Mapping[str, Any]) -> Question:
    kind = raw["type"]
    if kind not in get_args(QuestionType):
        raise ValueError(f"question {raw['id']} has unknown type {kind!r}")
    options = tuple(Option(value=o["value"], label=_text(o["label"])) for o in raw.get("options", ()))
    if (kind == "choice") != bool(options) or len({o.value for o in options}) != len(options):
        raise ValueError(f"question {raw['id']}: choices, and only choices, have distinct options")
    limits = [raw[key] for key in ("min", "max") if key in raw]
    if limits and (
        kind != "number" or any(isinstance(x, bool) or not isinstance(x, int | float) for x in limits)
    ):
        raise ValueError(f"question {raw['id']}: only numbers have limits, and limits are numbers")
    if not isinstance(raw["required"], bool):
        raise ValueError(f"question {raw['id']}: required is true or false")
    condition = raw.get("condition")
    return Question(
        id=raw["id"],
        text=_text(raw["text"]),
        type=kind,
        required=raw["required"],
        help=_optional_text(raw.get("help")),
        options=options,
        min=raw.get("min"),
        max=raw.get("max"),
        unit=_optional_text(raw.get("unit")),
        condition=None if condition is None else Condition(condition["question"], condition["equals"]),
    )


def _check_condition(question_id: str, condition: Condition, earlier: Mapping[str, Question]) -> None:
    parent = earlier.get(condition.question)
    if parent is None:
        raise ValueError(f"question {question_id} depends on {condition.question}, not an earlier question")
    value, error = _checked(parent, condition.equals)
    if value is None or error is not None or value != condition.equals:
        raise ValueError(f"question {question_id} depends on an answer {parent.id} cannot have")


def localised(q: Questionnaire, language: Language) -> dict[str, Any]:
    """The questionnaire as the API serves it: texts in one language, absent optional keys left out."""
    return {
        "version": q.version,
        "sections": [
            {
                "id": section.id,
                "title": section.title.in_language(language),
                **({"intro": section.intro.in_language(language)} if section.intro else {}),
                "questions": [_localised_question(question, language) for question in section.questions],
            }
            for section in q.sections
        ],
    }


def _localised_question(question: Question, language: Language) -> dict[str, Any]:
    out: dict[str, Any] = {"id": question.id, "text": question.text.in_language(language)}
    if question.help:
        out["help"] = question.help.in_language(language)
    out["type"] = question.type
    out["required"] = question.required
    if question.options:
        out["options"] = [
            {"value": o.value, "label": o.label.in_language(language)} for o in question.options
        ]
    if question.min is not None:
        out["min"] = question.min
    if question.max is not None:
        out["max"] = question.max
    if question.unit:
        out["unit"] = question.unit.in_language(language)
    if question.condition:
        out["condition"] = {"question": question.condition.question, "equals": question.condition.equals}
    return out


@dataclass(frozen=True)
class _Shown:
    section: Section
    question: Question
    answer: Answer | None  # the valid answer, if any
    error: str | None


def _walk(q: Questionnaire, answers: Mapping[str, object]) -> Iterator[_Shown]:
    """The questions shown, in order, each with its checked answer.

    A condition looks at the valid answer to its (earlier) question, so a question that is hidden or
    wrongly answered hides its follow-ups too. Valid answers have their question's type, which is also
    the type of the condition's value, so `==` cannot take 1 for True.
    """
    kept: dict[str, Answer] = {}
    for section in q.sections:
        for question in section.questions:
            condition = question.condition
            if condition is not None and (
                condition.question not in kept or kept[condition.question] != condition.equals
            ):
                continue
            answer, error = _checked(question, answers.get(question.id))
            if answer is not None:
                kept[question.id] = answer
            yield _Shown(section, question, answer, error)


def _checked(question: Question, raw: object) -> tuple[Answer | None, str | None]:
    """(the answer as kept, None) or (None, a message key); (None, None) when unanswered."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if question.type == "yes_no":
        return (raw, None) if isinstance(raw, bool) else (None, "field.invalid")
    if question.type == "choice":
        if isinstance(raw, str) and raw in {o.value for o in question.options}:
            return raw, None
        return None, "field.invalid_choice"
    if question.type == "number":
        return _checked_number(question, raw)
    if not isinstance(raw, str):
        return None, "field.invalid"
    text = raw.strip()
    return (text, None) if len(text) <= MAX_TEXT_LENGTH else (None, "field.too_long")


def _checked_number(question: Question, raw: object) -> tuple[Answer | None, str | None]:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        return None, "field.not_a_number"
    if question.min is not None and raw < question.min:
        return None, "field.too_small"
    if question.max is not None and raw > question.max:
        return None, "field.too_large"
    return raw, None


def visible(q: Questionnaire, answers: Mapping[str, object]) -> list[Question]:
    """The questions shown, given the answers so far, in questionnaire order."""
    return [shown.question for shown in _walk(q, answers)]


def clean(q: Questionnaire, answers: Mapping[str, object]) -> tuple[dict[str, object], dict[str, str]]:
    """Check a draft: (the answers kept, message keys by question id for the refused ones).

    None and blank strings are unanswered and dropped; answers to hidden questions are dropped
    silently, since changing an earlier answer may hide a question already answered.
    """
    known = {question.id for question in q.questions}
    errors = {key: "field.not_expected" for key in answers if key not in known}
    kept: dict[str, object] = {}
    for shown in _walk(q, answers):
        if shown.error is not None:
            errors[shown.question.id] = shown.error
        elif shown.answer is not None:
            kept[shown.question.id] = shown.answer
    return kept, errors


def completion(q: Questionnaire, answers: Mapping[str, object]) -> dict[str, tuple[int, int]]:
    """Per section id: (required questions validly answered, required questions shown)."""
    counts = {section.id: [0, 0] for section in q.sections}
    for shown in _walk(q, answers):
        if shown.question.required:
            counts[shown.section.id][0] += shown.answer is not None
            counts[shown.section.id][1] += 1
    return {section_id: (answered, required) for section_id, (answered, required) in counts.items()}


def missing(q: Questionnaire, answers: Mapping[str, object]) -> list[str]:
    """Ids of the required questions shown but not (validly) answered, in questionnaire order."""
    return [s.question.id for s in _walk(q, answers) if s.question.required and s.answer is None]


def is_complete(q: Questionnaire, answers: Mapping[str, object]) -> bool:
    return not missing(q, answers)


def from_site(workforce: Mapping[str, int] | None) -> dict[str, Answer]:
    """What the site's own details already answer ({question id: answer}): the SAQ starts from these,
    and an answer that differs from one is pointed out before submitting. The women's share is a
    whole percentage, as the question asks for it."""
    counts = workforce or {}
    total = counts.get("total")
    if not isinstance(total, int) or total <= 0:
        return {}
    agency = int(counts.get("agency") or 0)
    answers: dict[str, Answer] = {
        "site_profile.workers_total": total,
        "site_profile.women_share": round(100 * int(counts.get("women") or 0) / total),
        "site_profile.uses_agency_workers": agency > 0,
        "site_profile.migrant_workers": int(counts.get("migrant") or 0) > 0,
    }
    if agency:
        answers["site_profile.agency_workers"] = agency
    return answers
