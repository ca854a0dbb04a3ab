"""Corrective actions: which findings get one, how long a producer has to fix it, when it is
overdue, and which statuses need a completion note and checked evidence. The one home of these
rules: the API applies them and hands them to the browser (GET /reference → corrective_actions)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import Any

from portal import data as packaged

DUE_DAYS: Mapping[str, int] = {"critical": 30, "major": 60, "minor": 90}  # default time to fix, by grade
NON_COMPLIANCES = frozenset(DUE_DAYS)  # only a non-compliance has a corrective action
GRADE_ORDER = ("critical", "major", "minor", "observation", "good_example")  # as SMETA reports them
# An action in one of these is done as far as the producer goes: it needs a completion note and
# checked evidence to get there, and it is never overdue.
NEEDS_EVIDENCE = ("awaiting_verification", "closed")
# What a producer may set by itself: closing needs a verification (an audit company's follow-up
# audit or desk review, or a customer's review), so the producer's last step is awaiting it.
PRODUCER_STATUSES = ("open", "in_progress", "awaiting_verification")
VERIFIERS = ("audit_company", "customer")


def has_action(grade: str) -> bool:
    return grade in NON_COMPLIANCES


def due_date(grade: str, audit_date: str) -> str:
    """The default deadline of a non-compliance: its grade's days after the audit (ISO dates)."""
    return (date.fromisoformat(audit_date) + timedelta(days=DUE_DAYS[grade])).isoformat()


def is_overdue(due: str | None, status: str | None, today: date) -> bool:
    return bool(due and due < today.isoformat() and status not in NEEDS_EVIDENCE)


def needs_evidence(status: str | None) -> bool:
    return status in NEEDS_EVIDENCE


@cache
def verifies_by(method: str) -> str | None:
    """Who may verify an action this way (reference data's verification_methods): an audit company
    by a follow-up audit or a desk review, a customer by its own review; None for no such method."""
    methods = packaged.load("reference.json")["verification_methods"]
    return next((m["by"] for m in methods if m["code"] == method), None)


def producer_may_set(before: str | None, after: str | None) -> bool:
    """A producer may move its action between its own statuses, and reopen a closed one (which
    ends the verification), but never close it."""
    return after == before or after in PRODUCER_STATUSES


def verification_state(status: str | None, verification: Any, closed_unverified: bool | None) -> str | None:
    """What a reader is told of an action's checking: "verified" (closed, with who verified it, how
    and when), "not_verified" (the producer closed it alone before closing needed verification),
    "awaiting" (the producer says it is done), or None while it is open or in progress."""
    if status == "closed" and verification:
        return "verified"
    if status in NEEDS_EVIDENCE:
        return "not_verified" if closed_unverified or status == "closed" else "awaiting"
    return None


def grade_rank(grade: str) -> int:
    """Where a finding sorts among an audit's findings (unknown grades last)."""
    return GRADE_ORDER.index(grade) if grade in GRADE_ORDER else len(GRADE_ORDER)


def rules() -> dict[str, Any]:
    """The rules as the browser reads them, so no page keeps its own copy."""
    return {
        "non_compliances": [g for g in GRADE_ORDER if g in NON_COMPLIANCES],
        "due_days": dict(DUE_DAYS),
        "needs_evidence": list(NEEDS_EVIDENCE),
        "producer_statuses": list(PRODUCER_STATUSES),
        "grade_order": list(GRADE_ORDER),
    }
