"""Members-area routes: courses and seminars, members-only documents, and the organisation page
(colleagues, invitations, the security event log) for the organisation's administrators."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ConfigDict, Field

from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.schemas import ERRORS, DownloadOut, Email, Schema, Text, answers, download_response
from portal.usecases import members

if TYPE_CHECKING:  # the use cases hand users to the presenters; the router never reads the store
    from portal.store.models import User

Role = Literal["admin", "member"]


class CourseOut(Schema):
    id: str
    title: str
    description: str
    starts_at: datetime
    location: str
    capacity: int
    seats_taken: int
    waiting: int
    cancelled: bool = Field(description="IEH cancelled the course: registration is closed")
    my_status: Literal["registered", "waiting"] | None
    my_position: int | None = Field(None, description="Place in the waiting list, 1 = next in line")


class CoursesOut(Schema):
    items: list[CourseOut]


class RegistrationOut(Schema):
    course_id: str
    status: Literal["registered", "waiting"]
    position: int | None


class ResourceOut(Schema):
    id: str
    title: str
    description: str | None
    kind: str
    file_name: str
    size_bytes: int
    updated_at: datetime


class ResourcesOut(Schema):
    items: list[ResourceOut]


class OrgUserOut(Schema):
    user_id: str
    name: str | None
    email: str
    role: Role
    status: Literal["invited", "active", "disabled"]
    handles_information_requests: bool = Field(
        description="Has the duty to handle the organisation's information requests (admins always may)"
    )


class OrgUsersOut(Schema):
    items: list[OrgUserOut]


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text
    email: Email
    role: Role = "member"


class UserChangeIn(Schema):
    model_config = ConfigDict(extra="forbid")
    role: Role | None = None
    disabled: bool | None = None
    handles_information_requests: bool | None = None


class SecurityEventOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    subject: str | None
    detail: str | None
    ip: str | None


class SecurityEventsOut(Schema):
    items: list[SecurityEventOut]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next, older page")


def _user_out(user: "User") -> OrgUserOut:
    return OrgUserOut.model_validate(
        {
            "user_id": user.user_id,
            "name": user.name,
            "email": user.email,
            "role": user.role,
            "status": user.status,
            "handles_information_requests": "information_requests" in (user.duties or []),
        }
    )


def make_router() -> Router:
    router = AreaRouter()

    # -- courses and seminars -------------------------------------------------------------------
    @router.get("/courses", summary="Upcoming courses and seminars, with my registration", responses=ERRORS)
    def courses(actor: CurrentActor, language: RequestLanguage) -> CoursesOut:
        items = []
        for view in members.course_list(actor):
            course, mine = view.course, view.mine
            items.append(
                CourseOut(
                    id=course.course_id,
                    title=course.title_en if language == "en" else course.title_nb,
                    description=course.description_en if language == "en" else course.description_nb,
                    starts_at=course.starts_at,
                    location=course.location,
                    capacity=int(course.capacity),
                    seats_taken=int(course.seats_taken),
                    waiting=int(course.waiting),
                    cancelled=course.cancelled_at is not None,
                    my_status=mine.status if mine else None,  # type: ignore[arg-type]
                    my_position=view.position or None,
                )
            )
        return CoursesOut(items=items)

    @router.post(
        "/courses/<course_id>/registration",
        summary="Sign up: a seat if one is free, else the waiting list",
        responses={
            **answers(201, "Registered, or on the waiting list"),
            200: {"description": "Already registered or waiting: nothing changed"},
        },
    )
    def register(course_id: str, actor: CurrentActor, language: RequestLanguage) -> Response[RegistrationOut]:
        entry, position, created = members.register(actor, course_id, language)
        out = RegistrationOut(course_id=course_id, status=entry.status, position=position or None)  # type: ignore[arg-type]
        return Response(status_code=201 if created else 200, content_type="application/json", body=out)

    @router.delete(
        "/courses/<course_id>/registration",
        summary="Cancel my registration or leave the waiting list (the seat goes to the next in line)",
        responses=answers(204, "Cancelled", body=False),
    )
    def cancel(course_id: str, actor: CurrentActor) -> Response[None]:
        members.cancel(actor, course_id)
        return Response(status_code=204)

    # -- members-only documents -----------------------------------------------------------------
    @router.get("/resources", summary="Members-only guides and templates", responses=ERRORS)
    def resources(actor: CurrentActor, language: RequestLanguage) -> ResourcesOut:
        return ResourcesOut(
            items=[
                ResourceOut(
                    id=r.resource_id,
                    title=r.title_en if language == "en" else r.title_nb,
                    description=r.description_en if language == "en" else r.description_nb,
                    kind=r.resource_type,
                    file_name=r.file_name,
                    size_bytes=int(r.size_bytes),
                    updated_at=r.updated_at,
                )
                for r in members.resources()
            ]
        )

    @router.post(
        "/resources/<resource_id>/download",
        summary="A short-lived download link to one document",
        responses=ERRORS,
    )
    def download(resource_id: str, actor: CurrentActor) -> Response[DownloadOut]:
        url, _ = members.download_link(resource_id)
        return download_response(url)

    # -- the organisation (its administrators) ------------------------------------------------
    @router.get("/org/users", summary="My organisation's users", responses=ERRORS)
    def org_users(actor: CurrentActor) -> OrgUsersOut:
        return OrgUsersOut(items=[_user_out(u) for u in members.org_users(actor)])

    @router.post(
        "/org/invitations", summary="Invite a colleague by e-mail", responses=answers(201, "Invited")
    )
    def invite(body: InvitationIn, actor: CurrentActor, language: RequestLanguage) -> Response[OrgUserOut]:
        user = members.invite_colleague(actor, body.email, body.name, body.role, language)
        return Response(status_code=201, content_type="application/json", body=_user_out(user))

    @router.patch(
        "/org/users/<user_id>",
        summary="Change a colleague's role, or disable or enable them",
        responses=ERRORS,
    )
    def change_user(user_id: str, body: UserChangeIn, actor: CurrentActor) -> OrgUserOut:
        return _user_out(
            members.change_user(
                actor,
                user_id,
                role=body.role,
                disabled=body.disabled,
                handles_information_requests=body.handles_information_requests,
            )
        )

    @router.post(
        "/org/users/<user_id>/invitation",
        summary="Send a colleague who has not joined a new invitation link",
        responses=ERRORS,
    )
    def resend(user_id: str, actor: CurrentActor, language: RequestLanguage) -> OrgUserOut:
        return _user_out(members.resend_invitation(actor, user_id, language))

    @router.get(
        "/org/security-events",
        summary="My organisation's security event log, newest first",
        responses=ERRORS,
    )
    def security_events(
        actor: CurrentActor, cursor: Annotated[str | None, Query(max_length=200)] = None
    ) -> SecurityEventsOut:
        items, next_cursor = members.security_events(actor, cursor)
        return SecurityEventsOut(
            items=[
                SecurityEventOut(
                    at=e.created_at,
                    kind=e.event_kind,
                    actor=e.actor,
                    subject=e.subject,
                    detail=e.detail,
                    ip=e.ip,
                )
                for e in items
            ],
            next_cursor=next_cursor,
        )

    return router
