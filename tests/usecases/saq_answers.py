"""SAQ answers a producer could submit, found as a producer would: answer, see what appears."""

from __future__ import annotations

from typing import Any

from portal.domain import saq


def complete_answers(**chosen: Any) -> dict[str, Any]:
    """An answer to every question shown: `chosen` ones as given, the rest "no", the least, the first."""
    questionnaire = saq.questionnaire()
    answers: dict[str, Any] = dict(chosen)
    while missing := saq.missing(questionnaire, answers):
        for question in saq.visible(questionnaire, answers):
            if question.id in missing:
                answers[question.id] = {
                    "yes_no": False,
                    "number": question.min or 0,
                    "choice": question.options[0].value if question.options else "",
                    "text": "Beskrevet i håndboken.",
                }[question.type]
    return answers
