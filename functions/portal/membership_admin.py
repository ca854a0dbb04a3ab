"""IEH staff decide applications: approval creates the organisation and invites its first admin."""

from __future__ import annotations

import uuid

from pynamodb.exceptions import DoesNotExist, UpdateError

from portal import accounts, mail
from portal.errors import conflict, not_found
from portal.i18n import Language
from portal.policy import Actor
from portal.store.errors import is_condition_failure
from portal.store.models import MembershipApplication
from portal.store.organisations import create_organisation


def _received(application_id: str) -> MembershipApplication:
    try:
        application = MembershipApplication.get(
            *MembershipApplication.key(application_id), consistent_read=True
        )
    except DoesNotExist:
        raise not_found() from None
    if application.status != "received":
        raise conflict("already_decided")
    return application


def _decide(application: MembershipApplication, status: str) -> None:
    """Versioned: two staff deciding at once end with one decision and a 409 for the other."""
    gsi1pk, gsi1sk = MembershipApplication.status_index(status, application.created_at)
    try:
        application.update(
            actions=[
                MembershipApplication.status.set(status),
                MembershipApplication.gsi1pk.set(gsi1pk),
                MembershipApplication.gsi1sk.set(gsi1sk),
            ]
        )
    except UpdateError as error:
        if is_condition_failure(error):
            raise conflict("already_decided") from error
        raise


def approve(application_id: str, org_type: str, actor: Actor) -> tuple[str, str]:
    application = _received(application_id)
    _decide(application, "approved")
    org_id = f"org-{uuid.uuid4().hex[:12]}"
    create_organisation(
        org_id,
        application.organisation_name,
        org_type=org_type,
        country="NO",
        organisation_number=application.organisation_number,
    )
    _, token = accounts.invite(org_id, application.email, application.contact_name, "admin", invited_by="IEH")
    language: Language = "en" if application.language == "en" else "nb"
    mail.send(
        application.email,
        "invitation",
        language,
        organisation=application.organisation_name,
        link=mail.link(f"/invitation/#token={token}", language),
    )
    return org_id, application.email


def reject(application_id: str, reason: str, actor: Actor) -> None:
    application = _received(application_id)
    _decide(application, "rejected")
    language: Language = "en" if application.language == "en" else "nb"
    mail.send(
        application.email, "rejection", language, organisation=application.organisation_name, reason=reason
    )
