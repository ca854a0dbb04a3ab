"""IEH staff routes: membership applications in, member organisations and their first user out;
courses published, listed, edited and cancelled, and who is coming (also as a spreadsheet)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from portal.clock import utcnow
from portal.domain.membership import reference_of
from portal.domain.reference import is_country
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.schemas import ERRORS, ApscaNumber, Email, Schema, Text, answers, current_on_conflict
from portal.routes.spreadsheets import SPREADSHEET, FileLanguage, Format, export
from portal.usecases import admin

Status = Literal["received", "approved", "rejected"]
When = Literal["upcoming", "past"]


def _reference(typed: str) -> str:
    reference = reference_of(typed)
    if reference is None:
        raise PydanticCustomError("reference", "not an application's reference")
    return reference


Reference = Annotated[str, StringConstraints(max_length=40), AfterValidator(_reference)]


class MemberRef(Schema):
    id: str
    name: str


class ApplicationRow(Schema):
    id: str
    reference: str | None = Field(description="The applicant's short reference (IEH-7KQ2MX)")
    organisation_name: str
    organisation_number: str
    number_member: MemberRef | None = Field(
        None, description="The member that already holds this organisation number: not a new organisation"
    )
    category: str
    annual_turnover_nok: int | None
    employees: int | None
    inhabitants: int | None
    contact_name: str
    email: str
    phone: str | None
    message: str | None
    consent: bool
    language: str = Field(description="The language the applicant wrote in and gets e-mail in")
    created_at: datetime
    status: str
    fee: dict[str, Any]


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


class ApplicationsOut(Schema):
    items: list[ApplicationRow]


class ApproveIn(Schema):
    org_type: Literal["buyer", "producer", "both"]


class ApprovedOut(Schema):
    organisation_id: str
    invited: str


class RejectIn(Schema):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class RejectedOut(Schema):
    id: str
    status: str


def _country(value: str) -> str:
    value = value.strip().upper()
    if not is_country(value):
        raise PydanticCustomError("invalid_choice", "not a country")
    return value


class AuditCompanyIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text
    accreditation_body: Text = Field(description="Who accredits it, or the scheme (e.g. APSCA, SAAS, UKAS)")
    accreditation_number: Text
    country: Annotated[str, AfterValidator(_country)]
    admin_name: Text = Field(description="Its first user, an admin: invited by e-mail")
    admin_email: Email
    admin_apsca: ApscaNumber | None = None


class AuditCompanyOut(Schema):
    id: str
    name: str
    accreditation_body: str
    accreditation_number: str
    country: str
    created_at: datetime


class AuditCompaniesOut(Schema):
    items: list[AuditCompanyOut]


def audit_company_out(org: Any) -> AuditCompanyOut:
    accreditation = org.accreditation or {}
    return AuditCompanyOut(
        id=org.org_id,
        name=org.name,
        accreditation_body=accreditation.get("body", ""),
        accreditation_number=accreditation.get("number", ""),
        country=org.country,
        created_at=org.created_at,
    )


def _in_future(value: datetime) -> datetime:
    if value <= utcnow():
        raise PydanticCustomError("future_date", "must be in the future")
    return value.astimezone(UTC)


Description = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class CourseIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title_nb: Text
    title_en: Text
    description_nb: Description
    description_en: Description
    starts_at: Annotated[AwareDatetime, AfterValidator(_in_future)]
    location: Text
    capacity: Annotated[int, Field(ge=1, le=10_000)]


class CourseEditIn(Schema):
    model_config = ConfigDict(extra="forbid")
    title_nb: Text
    title_en: Text
    description_nb: Description
    description_en: Description
    starts_at: Annotated[AwareDatetime, AfterValidator(lambda value: value.astimezone(UTC))]
    location: Text
    capacity: Annotated[int, Field(ge=1, le=10_000)]
    revision: Annotated[
        int, Field(ge=0, description="The revision the edit was made on (409 if it moved on)")
    ]


class StaffCourseOut(Schema):
    id: str
    title_nb: str
    title_en: str
    description_nb: str
    description_en: str
    starts_at: datetime
    location: str
    capacity: int
    seats_taken: int
    waiting: int
    cancelled_at: datetime | None
    revision: int


class StaffCoursesOut(Schema):
    items: list[StaffCourseOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page")


class CourseSavedOut(StaffCourseOut):
    promoted: int = Field(description="Moved up from the waiting list by a larger capacity, and told so")
    told: int = Field(description="Participants told by e-mail of a new time or place")


class CourseCancelledOut(StaffCourseOut):
    told: int = Field(description="Participants and waiting-list members told by e-mail")


def _course_out(course: Any) -> dict[str, Any]:
    return {
        "id": course.course_id,
        "title_nb": course.title_nb,
        "title_en": course.title_en,
        "description_nb": course.description_nb,
        "description_en": course.description_en,
        "starts_at": course.starts_at,
        "location": course.location,
        "capacity": int(course.capacity),
        "seats_taken": int(course.seats_taken),
        "waiting": int(course.waiting),
        "cancelled_at": course.cancelled_at,
        "revision": int(course.revision or 0),
    }


class CourseCreatedOut(Schema):
    id: str
    starts_at: datetime
    capacity: int


class ParticipantOut(Schema):
    name: str | None
    email: str
    org_id: str
    organisation: str | None = Field(description="The member organisation's name")
    status: Literal["registered", "waiting"]
    registered_at: datetime


class ParticipantsOut(Schema):
    items: list[ParticipantOut]


def make_router() -> Router:
    router = AreaRouter()

    @router.get(
        "/admin/applications",
        summary="Membership applications by status, newest first, or the one with a reference",
        responses=ERRORS,
    )
    def applications(
        actor: CurrentActor,
        status: Annotated[Status, Query()] = "received",
        reference: Annotated[
            Reference | None, Query(description="Any status; the status is then ignored")
        ] = None,
    ) -> ApplicationsOut:
        def member(org: Any) -> MemberRef | None:
            return MemberRef(id=org.org_id, name=org.name) if org is not None else None

        return ApplicationsOut(
            items=[
                ApplicationRow(
                    id=a.application_id,
                    reference=a.reference,
                    organisation_name=a.organisation_name,
                    organisation_number=a.organisation_number,
                    number_member=member(holder),
                    category=a.category,
                    annual_turnover_nok=_whole(a.annual_turnover_nok),
                    employees=_whole(a.employees),
                    inhabitants=_whole(a.inhabitants),
                    contact_name=a.contact_name,
                    email=a.email,
                    phone=a.phone,
                    message=a.message,
                    consent=a.consent,
                    language=a.language,
                    created_at=a.created_at,
                    status=a.status,
                    fee=a.fee,
                )
                for a, holder in admin.applications(status, reference)
            ]
        )

    @router.post(
        "/admin/applications/<application_id>/approve",
        summary="Approve: create the member, invite the contact",
        responses=ERRORS,
    )
    def approve(application_id: str, body: ApproveIn, actor: CurrentActor) -> ApprovedOut:

        org_id, email = admin.approve(application_id, body.org_type, actor)
        return ApprovedOut(organisation_id=org_id, invited=email)

    @router.post(
        "/admin/applications/<application_id>/reject",
        summary="Reject with a reason the applicant receives",
        responses=ERRORS,
    )
    def reject(application_id: str, body: RejectIn, actor: CurrentActor) -> RejectedOut:

        admin.reject(application_id, body.reason, actor)
        return RejectedOut(id=application_id, status="rejected")

    @router.post("/admin/courses", summary="Publish a course or seminar", responses=answers(201, "Published"))
    def publish_course(body: CourseIn, actor: CurrentActor) -> Response[CourseCreatedOut]:
        course_id = admin.publish_course(actor, body.model_dump()).course_id
        out = CourseCreatedOut(id=course_id, starts_at=body.starts_at, capacity=body.capacity)
        return Response(status_code=201, content_type="application/json", body=out)

    @router.get(
        "/admin/courses",
        summary="Courses, cancelled ones too: upcoming soonest first, or past most recent first",
        responses=ERRORS,
    )
    def courses(
        actor: CurrentActor,
        when: Annotated[When, Query()] = "upcoming",
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> StaffCoursesOut:
        found, next_cursor = admin.courses(when, cursor)
        return StaffCoursesOut(
            items=[StaffCourseOut.model_validate(_course_out(c)) for c in found], next_cursor=next_cursor
        )

    @router.get("/admin/courses/<course_id>", summary="One course, as staff edit it", responses=ERRORS)
    def course(course_id: str, actor: CurrentActor) -> StaffCourseOut:
        return StaffCourseOut.model_validate(_course_out(admin.course(course_id)))

    @router.put(
        "/admin/courses/<course_id>",
        summary="Edit a course: a larger capacity moves the waiting list up; a new time or place is told",
        responses=ERRORS,
    )
    def edit_course(course_id: str, body: CourseEditIn, actor: CurrentActor) -> CourseSavedOut:
        def current() -> StaffCourseOut:
            return StaffCourseOut.model_validate(_course_out(admin.course(course_id)))

        fields = body.model_dump(exclude={"revision"})
        with current_on_conflict(current):
            saved = admin.edit_course(actor, course_id, fields, body.revision)
        return CourseSavedOut.model_validate(
            {**_course_out(saved.course), "promoted": saved.promoted, "told": saved.told}
        )

    @router.post(
        "/admin/courses/<course_id>/cancel",
        summary="Cancel a course: registration closes, everyone registered or waiting is told",
        responses=ERRORS,
    )
    def cancel_course(course_id: str, actor: CurrentActor) -> CourseCancelledOut:
        cancelled, told = admin.cancel_course(actor, course_id)
        return CourseCancelledOut.model_validate({**_course_out(cancelled), "told": told})

    @router.get(
        "/admin/courses/<course_id>/registrations",
        summary="Who is registered and who is waiting, in order",
        responses=ERRORS,
    )
    def participants(course_id: str, actor: CurrentActor) -> ParticipantsOut:
        return ParticipantsOut(
            items=[
                ParticipantOut(
                    name=p.entry.name,
                    email=p.entry.email,
                    org_id=p.entry.org_id,
                    organisation=p.organisation,
                    status=p.entry.status,  # type: ignore[arg-type]
                    registered_at=p.entry.created_at,
                )
                for p in admin.participants(course_id)
            ]
        )

    @router.get(
        "/admin/courses/<course_id>/registrations/export",
        summary="Who is registered and who is waiting, as a spreadsheet",
        responses=SPREADSHEET,
    )
    def export_participants(
        course_id: str,
        actor: CurrentActor,
        language: RequestLanguage,
        format: Format = "xlsx",
        lang: FileLanguage = None,
    ) -> Response[str]:
        language = lang or language
        title, header, rows = admin.participant_rows(course_id, language)
        name = "pameldte" if language == "nb" else "participants"
        return export(f"{name}-{course_id}", format, header, rows, language, sheet_title=title)

    @router.get("/admin/audit-companies", summary="The audit companies in the portal", responses=ERRORS)
    def audit_companies(actor: CurrentActor) -> AuditCompaniesOut:
        return AuditCompaniesOut(items=[audit_company_out(o) for o in admin.audit_companies()])

    @router.post(
        "/admin/audit-companies",
        summary="Add an audit company and invite its first auditor",
        responses=answers(201, "Added"),
    )
    def add_audit_company(
        body: AuditCompanyIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[AuditCompanyOut]:
        org = admin.create_audit_company(actor, body.model_dump(), language)
        return Response(status_code=201, content_type="application/json", body=audit_company_out(org))

    return router
