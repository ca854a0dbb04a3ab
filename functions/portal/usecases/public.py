"""Public use cases: the live figures of the home page and membership applications from the form."""

from __future__ import annotations

from datetime import date

from portal.domain import membership
from portal.i18n import Language
from portal.store import applications, statistics
from portal.store.models import MembershipApplication, Statistics
from portal.usecases import notifications


def figures() -> Statistics:
    """The public counters: one GetItem, kept current by the writes that change them."""
    return statistics.read()


def apply(
    form: membership.ApplicationForm, language: Language, today: date
) -> tuple[MembershipApplication, bool]:
    """The application as received, and whether it is new (a retried submission is the same one).
    IEH staff are told of a new one (once: not of a retry)."""
    stored, created = applications.save(membership.prepare(form, language=language, today=today))
    if created:
        params = {
            "organisation": stored.organisation_name,
            "contact": stored.contact_name,
            "path": "/members/admin/",
        }
        notifications.notify_all(notifications.staff(), "new_application", params)
    return stored, created
