"""Public use cases: the live figures of the home page, the course dates of the courses page, and
membership applications from the form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import membership
from portal.i18n import Language, text
from portal.store import applications, statistics
from portal.store import courses as course_store
from portal.store.models import Course, MembershipApplication, Statistics
from portal.usecases import notifications


def figures() -> Statistics:
    """The public counters: one GetItem, kept current by the writes that change them."""
    return statistics.read()


def course_dates(now: datetime | None = None) -> list[Course]:
    """The courses still ahead and not cancelled, soonest first: one Query, and nobody's name."""
    return [c for c in course_store.upcoming(now or utcnow()) if c.cancelled_at is None]


def apply(
    form: membership.ApplicationForm, language: Language, today: date
) -> tuple[MembershipApplication, bool]:
    """The application as received, and whether it is new (a retried submission is the same one).
    A new one is confirmed to the applicant by e-mail with its reference, once, and IEH staff are
    told of it (not of a retry)."""
    stored, created = applications.save(membership.prepare(form, language=language, today=today))
    if created:
        mail.notify(
            stored.email,
            "application_received",
            language,
            organisation=stored.organisation_name,
            reference=stored.reference,
            fee=_annual_fee(stored.fee, language),
        )
        params = {
            "organisation": stored.organisation_name,
            "contact": stored.contact_name,
            "path": "/members/admin/",
        }
        notifications.notify_all(notifications.staff(), "new_application", params)
    return stored, created


def _annual_fee(fee: dict[str, Any], language: Language) -> str:
    return text(
        "mail.application_received.fee",
        language,
        basis=fee["basis"],
        amount=fee["annual_fee_nok"] or 0,
        low=fee["min_nok"],
        high=fee["max_nok"],
    )
