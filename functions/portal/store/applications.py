"""Membership applications in the table."""

from __future__ import annotations

from dataclasses import asdict

from pynamodb.exceptions import PutError

from portal.domain.membership import Application
from portal.errors import conflict
from portal.store.errors import as_portal_error, is_condition_failure
from portal.store.models import MembershipApplication, new, utcnow


def save(application: Application) -> tuple[MembershipApplication, bool]:
    """Store the application once. Returns the stored item and whether this call created it.

    A repeat with the same content (double click, retried request) returns the stored one;
    the same submission id with other content is refused rather than overwriting.
    """
    form = application.form
    created_at = utcnow()
    item = new(
        MembershipApplication,
        MembershipApplication.key(form.submission_id),
        application_id=form.submission_id,
        organisation_name=form.organisation_name,
        organisation_number=form.organisation_number,
        category=form.category,
        annual_turnover_nok=form.annual_turnover_nok,
        inhabitants=form.inhabitants,
        contact_name=form.contact_name,
        email=form.email,
        phone=form.phone,
        message=form.message,
        consent=form.consent,
        language=application.language,
        fee=asdict(application.fee),
        content_hash=application.content_hash,
        created_at=created_at,
    )
    item.gsi1pk, item.gsi1sk = MembershipApplication.status_index("received", created_at)
    try:
        item.save(condition=MembershipApplication.pk.does_not_exist())
        return item, True
    except PutError as error:
        if not is_condition_failure(error):
            raise as_portal_error(error) from error
    existing = MembershipApplication.get(*MembershipApplication.key(form.submission_id), consistent_read=True)
    if existing.content_hash != application.content_hash:
        raise conflict("duplicate_submission")
    return existing, False
