"""IEH staff decide applications (approval creates the organisation and invites its first admin),
add audit companies (and invite their first auditor) and run the courses: publish, list, edit,
cancel, and see and export who is coming."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError

from portal import cursors
from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import norwegian_time
from portal.errors import PortalError, conflict, invalid
from portal.i18n import Language, text
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import applications as application_store
from portal.store import auditing as auditing_store
from portal.store import courses as course_store
from portal.store.errors import is_condition_failure
from portal.store.models import Course, MembershipApplication, Organisation, Registration, new
from portal.store.organisations import (
    members_by_number,
    new_organisation,
    organisation_by_number,
    organisations,
    register_organisation,
)
from portal.usecases import auth, members

APPLICATIONS_PAGE = 200
COURSES_PAGE = 25


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


def courses(when: str, cursor: str | None, now: datetime | None = None) -> tuple[list[Course], str | None]:
    """The upcoming courses, soonest first, or the past ones, most recent first: a page each."""
    after = None
    if cursor:
        after = cursors.decode(cursor)
        if not re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.+]+#[0-9A-Za-z_-]{1,64}", after):
            raise invalid(cursor="field.invalid")
    found = course_store.calendar(now or utcnow(), past=when == "past", limit=COURSES_PAGE + 1, after=after)
    if len(found) <= COURSES_PAGE:
        return found, None
    last = found[COURSES_PAGE - 1]
    return found[:COURSES_PAGE], cursors.encode(Course.calendar_index(last.starts_at, last.course_id)[1])


def course(course_id: str) -> Course:
    return course_store.course(course_id)


@dataclass(frozen=True)
class CourseSaved:
    course: Course
    promoted: int  # moved up from the waiting list (and told so)
    told: int  # participants told of a new time or place


def edit_course(actor: Actor, course_id: str, fields: dict[str, Any], revision: int) -> CourseSaved:
    """Save staff's edit. A new start must lie ahead; everyone on the course hears of a new time or
    place, and whoever a larger capacity moves up hears that they have a seat."""

    def new_start_ahead(stored: Course) -> None:
        if fields["starts_at"] != stored.starts_at and fields["starts_at"] <= utcnow():
            raise invalid(starts_at="field.future_date")

    edited = course_store.edit(course_id, fields, revision, check=new_start_ahead)
    before, after = edited.before, edited.course
    told = 0
    if after.starts_at != before.starts_at or after.location != before.location:
        # Whoever just got a seat hears it once: their notice names the new time and place.
        moved_up = {p.user_id for p in edited.promoted}
        others = [p for p in course_store.participants(course_id) if p.user_id not in moved_up]
        told = members.tell_participants(after, "changed", others)
    if edited.promoted:
        members.tell_participants(after, "promoted", edited.promoted)
    return CourseSaved(after, len(edited.promoted), told)


def cancel_course(actor: Actor, course_id: str) -> tuple[Course, int]:
    """Cancel the course: registration closes and everyone registered or waiting is told."""
    cancelled = course_store.cancel_course(course_id, utcnow())
    return cancelled, members.tell_participants(cancelled, "cancelled")


@dataclass(frozen=True)
class Participant:
    entry: Registration
    organisation: str | None  # the member organisation's name


def participants(course_id: str) -> list[Participant]:
    """Who is registered, then who waits, in the order they came; 404 for an unknown course.
    The course, its registrations and their organisations' names: GetItem, Query, BatchGetItem."""
    course_store.course(course_id)
    return _people(course_id)


def _people(course_id: str) -> list[Participant]:
    found = sorted(
        course_store.participants(course_id), key=lambda r: (r.status != "registered", r.created_at)
    )
    names = {org_id: org.name for org_id, org in organisations(r.org_id for r in found).items()}
    return [Participant(r, names.get(r.org_id)) for r in found]


def participant_rows(course_id: str, language: Language) -> tuple[str, list[str], list[list[Any]]]:
    """The course's title and its participants as a spreadsheet's header and rows, in `language`:
    name, organisation, e-mail, status, registered at (Norwegian time)."""
    item = course_store.course(course_id)
    header = [
        text(f"admin.export.{column}", language)
        for column in ("name", "organisation", "email", "status", "registered_at")
    ]
    rows: list[list[Any]] = [
        [
            p.entry.name or "",
            p.organisation or "",
            p.entry.email,
            text(f"admin.participant.{p.entry.status}", language),
            norwegian_time.local(p.entry.created_at),
        ]
        for p in _people(course_id)
    ]
    return item.title_en if language == "en" else item.title_nb, header, rows


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


# -- audit companies -------------------------------------------------------------------------------
def audit_companies() -> list[Organisation]:
    return auditing_store.companies()


def create_audit_company(actor: Actor, fields: dict[str, Any], language: Language) -> Organisation:
    """Staff add an audit company (not a member: nothing is counted) and invite its first admin,
    an auditor; producers can invite it to their sites from then on."""
    if account_store.user_by_email(fields["admin_email"]) is not None:
        raise PortalError(409, "email_taken", fields={"admin_email": "field.email_taken"})
    org_id = f"org-{uuid.uuid4().hex[:12]}"
    org = new_organisation(
        org_id, fields["name"], org_type="audit_company", country=fields["country"], organisation_number=None
    )
    org.accreditation = {"body": fields["accreditation_body"], "number": fields["accreditation_number"]}
    auditing_store.create_company(org)
    user, token = auth.invite(org_id, fields["admin_email"], fields["admin_name"], "admin", invited_by="IEH")
    if fields.get("admin_apsca"):
        user.apsca_number = fields["admin_apsca"]
        account_store.save_user(user)
    mail.send(
        fields["admin_email"],
        "audit_company_invitation",
        language,
        organisation=org.name,
        link=mail.link(f"/invitation/#token={token}", language),
    )
    return org
