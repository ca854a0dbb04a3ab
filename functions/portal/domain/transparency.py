"""Information requests under the Transparency Act (åpenhetsloven §§ 6–7): the statutory clock and
the states of a case, as pure rules. The deadlines and the grounds are data
(data/transparency/requests.json, with the sections and the sources read)."""

from __future__ import annotations

import calendar
import re
import statistics
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any

from portal import data


@cache
def law() -> dict[str, Any]:
    loaded: dict[str, Any] = data.load("transparency", "requests.json")
    return loaded


_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ß": "ss", "ı": "i", "đ": "d", "ł": "l"})


def slug_of(name: str) -> str:
    """Lowercase ascii from the name: "Nordlys Dagligvare AS" -> "nordlys-dagligvare-as"."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    ascii_ = folded.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")[:60].strip("-") or "org"


def grounds() -> tuple[str, ...]:
    return tuple(law()["grounds"])


def _weeks(key: str) -> timedelta:
    return timedelta(weeks=int(law()["deadlines"][key]))


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day where it is shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answer_due(received: date) -> date:
    """§ 7: at the latest three weeks after the request was received."""
    return received + _weeks("answer_weeks")


def extension_notice_by(received: date) -> date:
    """§ 7: the notice of an extension must be sent within the three weeks."""
    return received + _weeks("extension_notice_weeks")


def latest_extended_due(received: date) -> date:
    """§ 7: an extended answer at the latest two months after receipt (month-end clamp)."""
    return add_months(received, int(law()["deadlines"]["extended_months"]))


def further_reasons_by(refused_on: date) -> date:
    """§ 7: further reasons may be asked for within three weeks of the refusal."""
    return refused_on + _weeks("further_reasons_request_weeks")


def further_reasons_due(asked_on: date) -> date:
    """§ 7: further reasons are given at the latest three weeks after they were asked for."""
    return asked_on + _weeks("further_reasons_answer_weeks")


def reminder_days(received: date, due: date) -> tuple[date, date]:
    """The handlers are reminded on day 14 after receipt and on the deadline day."""
    return received + timedelta(days=14), due


# -- states -----------------------------------------------------------------------------------------
OPEN = ("received", "in_progress", "further_reasons_requested")
CLOSED = ("answered", "partly_refused", "refused")
STATES = OPEN + CLOSED
REFUSALS = ("partial_refusal", "refusal")
KINDS = ("extension", "answer", "partial_refusal", "refusal", "further_reasons_answer")
CLOSING = {"answer": "answered", "partial_refusal": "partly_refused", "refusal": "refused"}


class TooLateError(Exception):
    """An extension notice after the three weeks."""


class WrongDateError(Exception):
    """An extension's expected date in the past or after the two months."""


class NotAllowedError(Exception):
    """A message or change the case's state does not allow."""


@dataclass(frozen=True)
class CaseClock:
    """What the rules need of a case."""

    state: str
    received_on: date
    due_on: date
    extended: bool
    refused_on: date | None  # the last (partial) refusal
    further_reasons_asked_on: date | None  # while further reasons are asked for


def is_open(state: str) -> bool:
    return state in OPEN


def actions(case: CaseClock, today: date) -> list[str]:
    """The message kinds (and "in_progress") the handler may send or do now."""
    if case.state == "further_reasons_requested":
        return ["further_reasons_answer"]
    if case.state in CLOSED:
        return []
    found = ["in_progress"] if case.state == "received" else []
    if not case.extended and today <= extension_notice_by(case.received_on):
        found.append("extension")
    return [*found, "answer", "partial_refusal", "refusal"]


def check_message(case: CaseClock, kind: str, today: date, expected_on: date | None) -> None:
    """Raise TooLateError or NotAllowedError unless `kind` may be sent now."""
    if kind == "extension":
        if case.state not in ("received", "in_progress") or case.extended:
            raise NotAllowedError
        if today > extension_notice_by(case.received_on):
            raise TooLateError
        if expected_on is None or expected_on > latest_extended_due(case.received_on) or expected_on < today:
            raise WrongDateError
        return
    if kind not in actions(case, today):
        raise NotAllowedError


def state_after(state: str, kind: str, previous_closing: str | None) -> str:
    """The state once `kind` is sent: an extension keeps it in progress; an answer closes it; the
    answer to further reasons closes it again as it was closed before."""
    if kind == "extension":
        return "in_progress"
    if kind == "further_reasons_answer":
        return previous_closing or "refused"
    return CLOSING[kind]


def can_ask_further_reasons(case: CaseClock, today: date) -> bool:
    return (
        case.state in ("partly_refused", "refused")
        and case.refused_on is not None
        and today <= further_reasons_by(case.refused_on)
    )


def days_left(due: date, today: date) -> int:
    return (due - today).days


# -- statistics -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Closed:
    """What the yearly statistics need of one case."""

    state: str
    received_on: date
    due_on: date
    answered_on: date | None
    extended: bool
    ground: str | None


def year_statistics(cases: Iterable[Closed]) -> dict[str, Any]:
    """Count, median days to answer, answered within the deadline, extended, refused by ground."""
    items = list(cases)
    answered = [c for c in items if c.answered_on is not None]
    days = [(c.answered_on - c.received_on).days for c in answered if c.answered_on]
    by_ground: dict[str, int] = {}
    for c in items:
        if c.state in ("refused", "partly_refused") and c.ground:
            by_ground[c.ground] = by_ground.get(c.ground, 0) + 1
    return {
        "count": len(items),
        "answered": len(answered),
        "median_days_to_answer": statistics.median(days) if days else None,
        "answered_within_deadline": sum(1 for c in answered if c.answered_on and c.answered_on <= c.due_on),
        "extended": sum(1 for c in items if c.extended),
        "refused": sum(1 for c in items if c.state == "refused"),
        "partly_refused": sum(1 for c in items if c.state == "partly_refused"),
        "refused_by_ground": by_ground,
        "open": sum(1 for c in items if is_open(c.state)),
    }
