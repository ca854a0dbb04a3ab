"""IEH staff decide applications: approval creates the organisation and invites its first admin."""

from __future__ import annotations

import uuid
from typing import Any

from pynamodb.exceptions import TransactWriteError

from portal.adapters import mail
from portal.errors import PortalError, conflict
from portal.i18n import Language
from portal.policy import Actor
from portal.store import applications as application_store
from portal.store import courses as course_store
from portal.store.errors import is_condition_failure
from portal.store.models import Course, MembershipApplication, Organisation, Registration, new
from portal.store.organisations import (
    members_by_number,
    new_organisation,
    organisation_by_number,
    register_organisation,
)
from portal.usecases import auth

APPLICATIONS_PAGE = 200


def applications(
    status: str, reference: str | None = None
) -> list[tuple[MembershipApplication, Organisation | None]]:
    """Applications in one status, newest first (or the one with `reference`, in any status), each
    with the member that already holds its organisation number: that member, or someone posing as
    it, so staff see which before they decide."""
    if reference is not None:
        one = application_store.by_reference(reference)
        found = [one] if one is not None else []
    else:
        found = application_store.by_status(status, limit=APPLICATIONS_PAGE)
    members = members_by_number(a.organisation_number for a in found)
    return [(a, members.get(a.organisation_number)) for a in found]


def publish_course(actor: Actor, fields: dict[str, Any]) -> Course:
    course_id = uuid.uuid4().hex[:12]
    item: Course = new(Course, Course.key(course_id), course_id=course_id, created_by=actor.user_id, **fields)
    course_store.publish(item)
    return item


def participants(course_id: str) -> list[Registration]:
    """Who is registered, then who waits, in the order they came; 404 for an unknown course."""
    course_store.course(course_id)
    found = course_store.participants(course_id)
    return sorted(found, key=lambda r: (r.status != "registered", r.created_at))


def _received(application_id: str) -> MembershipApplication:
    """The application, still undecided: 404 for an unknown id, 409 once decided."""
    application = application_store.application(application_id)
    if application.status != "received":
        raise conflict("already_decided")
    return application


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

    try:
        register_organisation(org, also=application_store.decision(application, "approved"))
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
    application_store.decide(application, "rejected")
    language: Language = "en" if application.language == "en" else "nb"
    mail.send(
        application.email, "rejection", language, organisation=application.organisation_name, reason=reason
    )
