"""Corrective actions: which findings get one, how long a producer has to fix it, when it is
overdue, and which statuses need a completion note and checked evidence. The one home of these
rules: the API applies them and hands them to the browser (GET /reference → corrective_actions)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

DUE_DAYS: Mapping[str, int] = {"critical": 30, "major": 60, "minor": 90}  # default time to fix, by grade
NON_COMPLIANCES = frozenset(DUE_DAYS)  # only a non-compliance has a corrective action
GRADE_ORDER = ("critical", "major", "minor", "observation", "good_example")  # as SMETA reports them
# An action in one of these is done as far as the producer goes: it needs a completion note and
# checked evidence to get there, and it is never overdue.
NEEDS_EVIDENCE = ("awaiting_verification", "closed")


def has_action(grade: str) -> bool:
    return grade in NON_COMPLIANCES


def due_date(grade: str, audit_date: str) -> str:
    """The default deadline of a non-compliance: its grade's days after the audit (ISO dates)."""
    return (date.fromisoformat(audit_date) + timedelta(days=DUE_DAYS[grade])).isoformat()


def is_overdue(due: str | None, status: str | None, today: date) -> bool:
    return bool(due and due < today.isoformat() and status not in NEEDS_EVIDENCE)


def needs_evidence(status: str | None) -> bool:
    return status in NEEDS_EVIDENCE


def grade_rank(grade: str) -> int:
    """Where a finding sorts among an audit's findings (unknown grades last)."""
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


def rules() -> dict[str, Any]:
    """The rules as the browser reads them, so no page keeps its own copy."""
    return {
        "non_compliances": [g for g in GRADE_ORDER if g in NON_COMPLIANCES],
        "due_days": dict(DUE_DAYS),
        "needs_evidence": list(NEEDS_EVIDENCE),
        "grade_order": list(GRADE_ORDER),
    }
