"""Membership applications in the table."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portal.clock import utcnow
from portal.domain.membership import Application, new_reference
from portal.errors import conflict, not_found, unavailable
from portal.store.errors import as_portal_error, is_condition_failure
from portal.store.models import ApplicationReference, MembershipApplication, new, transaction

# A new reference collides with one of n given with probability n / 32⁶: a second try is rare already.
REFERENCE_ATTEMPTS = 4


def save(application: Application) -> tuple[MembershipApplication, bool]:
    """Store the application once, with a short reference claimed in the same transaction. Returns
    the stored item and whether this call created it.

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
        employees=form.employees,
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
    for _ in range(REFERENCE_ATTEMPTS):
        item.reference = new_reference()
        claim = new(
            ApplicationReference,
            ApplicationReference.key(item.reference),
            reference=item.reference,
            application_id=item.application_id,
            created_at=created_at,
        )
        try:
            with transaction() as writes:
                writes.save(item, condition=MembershipApplication.pk.does_not_exist())
                writes.save(claim, condition=ApplicationReference.pk.does_not_exist())
            return item, True
        except TransactWriteError as error:
            existing = _stored(form.submission_id)
            if existing is not None:  # a repeat: the first one stored it (and its reference)
                if existing.content_hash != application.content_hash:
                    raise conflict("duplicate_submission") from error
                return existing, False
            if not is_condition_failure(error):
                raise as_portal_error(error) from error
            # the reference was another application's: draw another
    raise unavailable()


def _stored(application_id: str) -> MembershipApplication | None:
    try:
        return MembershipApplication.get(*MembershipApplication.key(application_id), consistent_read=True)
    except DoesNotExist:
        return None


def by_reference(reference: str) -> MembershipApplication | None:
    """The application with this reference, in any status: the claim, then the application (two
    GetItems)."""
    try:
        claim = ApplicationReference.get(*ApplicationReference.key(reference), consistent_read=True)
    except DoesNotExist:
        return None
    return _stored(claim.application_id)


def by_status(status: str, limit: int) -> list[MembershipApplication]:
    """Applications in one status, newest first: one Query on GSI1."""
    found = MembershipApplication.by_gsi1.query(
        MembershipApplication.with_status(status), scan_index_forward=False, limit=limit
    )
    return [item for item in found if isinstance(item, MembershipApplication)]


def application(application_id: str) -> MembershipApplication:
    """One application (a consistent GetItem: staff decide on what is there now), or 404."""
    try:
        return MembershipApplication.get(*MembershipApplication.key(application_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def _decision(application: MembershipApplication, status: str) -> list[Action]:
    gsi1pk, gsi1sk = MembershipApplication.status_index(status, application.created_at)
    return [
        MembershipApplication.status.set(status),
        MembershipApplication.gsi1pk.set(gsi1pk),
        MembershipApplication.gsi1sk.set(gsi1sk),
    ]


def decide(application: MembershipApplication, status: str) -> None:
    """Versioned: two staff deciding at once end with one decision and a 409 for the other."""
    try:
        application.update(actions=_decision(application, status))
    except UpdateError as error:
        if is_condition_failure(error):
            raise conflict("already_decided") from error
        raise


def decision(application: MembershipApplication, status: str) -> Callable[[TransactWrite], None]:
    """The decision as a write in another transaction (the approval's): only while still received."""

    def write(writes: TransactWrite) -> None:
        writes.update(
            application,
            actions=_decision(application, status),
            condition=MembershipApplication.status == "received",
        )

    return write
