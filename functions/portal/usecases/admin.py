"""IEH staff decide applications: approval creates the organisation and invites its first admin."""

from __future__ import annotations

import uuid

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portal.adapters import mail
from portal.errors import PortalError, conflict, not_found
from portal.i18n import Language
from portal.policy import Actor
from portal.store.errors import is_condition_failure
from portal.store.models import MembershipApplication, Organisation
from portal.store.organisations import new_organisation, organisation_by_number, register_organisation
from portal.usecases import auth


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
    try:
        application.update(actions=_decision(application, status))
    except UpdateError as error:
        if is_condition_failure(error):
            raise conflict("already_decided") from error
        raise


def _decision(application: MembershipApplication, status: str) -> list[Action]:
    gsi1pk, gsi1sk = MembershipApplication.status_index(status, application.created_at)
    return [
        MembershipApplication.status.set(status),
        MembershipApplication.gsi1pk.set(gsi1pk),
        MembershipApplication.gsi1sk.set(gsi1sk),
    ]


def _number_taken(application: MembershipApplication, member: Organisation) -> PortalError:
    return PortalError(
        409,
        "organisation_number_taken",
        params={"number": application.organisation_number, "member": member.name},
    )


def approve(application_id: str, org_type: str, actor: Actor) -> tuple[str, str]:
    """The decision, the organisation, its number's claim and the counters in one transaction: an
    application whose number a member already holds is refused (409) and stays undecided, and of
    two approvals claiming the same new number at once one wins and the other gets 409."""
    application = _received(application_id)
    member = organisation_by_number(application.organisation_number)
    if member is not None:
        raise _number_taken(application, member)
    org_id = f"org-{uuid.uuid4().hex[:12]}"
    org = new_organisation(
        org_id,
        application.organisation_name,
        org_type=org_type,
        country="NO",
        organisation_number=application.organisation_number,
    )

    def decided(writes: TransactWrite) -> None:
        writes.update(
            application,
            actions=_decision(application, "approved"),
            condition=MembershipApplication.status == "received",
        )

    try:
        register_organisation(org, also=decided)
    except TransactWriteError as error:
        if not is_condition_failure(error):
            raise
        _received(application_id)  # decided in between: already_decided
        member = organisation_by_number(application.organisation_number)
        if member is not None:
            raise _number_taken(application, member) from error
        raise conflict() from error
    _, token = auth.invite(org_id, application.email, application.contact_name, "admin", invited_by="IEH")
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
