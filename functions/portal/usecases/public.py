"""Public use cases: the live figures of the home page, the course dates of the courses page, and
membership applications from the form."""

from __future__ import annotations

from datetime import date, datetime

from portal.clock import utcnow
from portal.domain import membership
from portal.i18n import Language
from portal.store import applications, statistics
from portal.store import courses as course_store
from portal.store.models import Course, MembershipApplication, Statistics


def figures() -> Statistics:
    """The public counters: one GetItem, kept current by the writes that change them."""
    return statistics.read()


def course_dates(now: datetime | None = None) -> list[Course]:
    """The courses still ahead and not cancelled, soonest first: one Query, and nobody's name."""
    return [c for c in course_store.upcoming(now or utcnow()) if c.cancelled_at is None]


def apply(
    form: membership.ApplicationForm, language: Language, today: date
) -> tuple[MembershipApplication, bool]:
    """The application as received, and whether it is new (a retried submission is the same one)."""
    return applications.save(membership.prepare(form, language=language, today=today))
