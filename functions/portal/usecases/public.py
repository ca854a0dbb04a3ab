"""Public use cases: the live figures of the home page and membership applications from the form."""

from __future__ import annotations

from datetime import date

from portal.domain import membership
from portal.i18n import Language
from portal.store import applications, statistics
from portal.store.models import MembershipApplication, Statistics


def figures() -> Statistics:
    """The public counters: one GetItem, kept current by the writes that change them."""
    return statistics.read()


def apply(
    form: membership.ApplicationForm, language: Language, today: date
) -> tuple[MembershipApplication, bool]:
    """The application as received, and whether it is new (a retried submission is the same one)."""
    return applications.save(membership.prepare(form, language=language, today=today))
