"""Auth and account routes: login, logout, who am I, invitations, password reset and change,
sessions, and the TOTP second factor."""

from typing import Annotated, Literal

import segno
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.request import Request
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from portal.domain.notifications import CHOICES, KINDS
from portal.i18n import Language, languages, text
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.schemas import ERRORS, Schema, Text, answers
from portal.routes.session import expired_cookie, session_cookie, session_token
from portal.usecases import auth, notifications

Password = Annotated[str, StringConstraints(min_length=1, max_length=1024)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=6, max_length=20)]


class LoginIn(Schema):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]
    password: Password
    totp_code: Code | None = None
    recovery_code: Code | None = None


class OrganisationOut(Schema):
    id: str
    name: str
    type: str
    slug: str | None = Field(None, description="A member's public request page: /innsyn/<slug>/")


class AttentionOut(Schema):
    kind: str
    message: str
    link: str | None = None


class MeOut(Schema):
    user_id: str
    email: str
    name: str | None
    role: Literal["admin", "member"]
    is_staff: bool
    organisation: OrganisationOut
    csrf_token: str
    totp_enabled: bool
    mfa_setup_required: bool
    duties: list[Literal["information_requests"]] = Field(
        default_factory=list, description="What the user handles (org admins of members: implied)"
    )


class AttentionListOut(Schema):
    items: list[AttentionOut] = Field(description="Most urgent first")


class ResetIn(Schema):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=254)]


class ResetCompleteIn(Schema):
    token: Annotated[str, StringConstraints(min_length=16, max_length=200)]
    password: Password


class InvitationOut(Schema):
    email: str
    organisation_name: str
    name: str | None


class AcceptIn(Schema):
    token: Annotated[str, StringConstraints(min_length=16, max_length=200)]
    name: Text
    password: Password


class PasswordChangeIn(Schema):
    current_password: Password
    new_password: Password


class SessionOut(Schema):
    id: str
    created_at: str
    last_seen_at: str
    user_agent: str | None
    ip: str | None
    current: bool


class SessionsOut(Schema):
    items: list[SessionOut]


class EndedOut(Schema):
    ended: int


class TotpSetupOut(Schema):
    secret: str
    otpauth_uri: str
    qr_svg: str


class TotpConfirmIn(Schema):
    code: Code


class TotpDisableIn(Schema):
    password: Password


class RecoveryCodesOut(Schema):
    recovery_codes: list[str] = Field(description="Shown once; each works once instead of a TOTP code")


def _language(value: str) -> str:
    if value not in languages():
        raise PydanticCustomError("language", "not a language of the portal")
    return value


NoticeKind = Literal[KINDS]  # type: ignore[valid-type]
NoticeChoice = Literal[CHOICES]  # type: ignore[valid-type]
MailLanguage = Annotated[str, StringConstraints(max_length=8), AfterValidator(_language)]


class NotificationsIn(Schema):
    language: MailLanguage = Field(description="The language of the person's e-mails")
    choices: dict[NoticeKind, NoticeChoice] = Field(
        description="Per kind of notice: sent at once, in the daily digest, or not at all"
    )


class NotificationChoiceOut(Schema):
    kind: NoticeKind
    choice: NoticeChoice


class NotificationsOut(Schema):
    language: str
    items: list[NotificationChoiceOut] = Field(description="Only the kinds that can reach this person")


def _notifications_out(chosen: dict[str, str], language: str) -> NotificationsOut:
    return NotificationsOut(
        language=language, items=[NotificationChoiceOut(kind=k, choice=c) for k, c in chosen.items()]
    )


def client(request: Request) -> auth.Client:
    context = request.resolved_event.raw_event.get("requestContext", {}).get("http", {})
    return auth.Client(ip=context.get("sourceIp"), user_agent=context.get("userAgent"))


ClientInfo = Annotated[auth.Client, Depends(client)]


def me_view(user_id: str, actor_session: tuple[str, bool] | None, language: Language) -> MeOut:
    csrf, mfa = actor_session or ("", False)
    found = auth.me(user_id, mfa)
    user, org = found.user, found.organisation
    return MeOut(
        user_id=user.user_id,
        email=user.email,
        name=user.name,
        role="admin" if user.role == "admin" else "member",
        is_staff=bool(user.is_staff),
        organisation=OrganisationOut(id=org.org_id, name=org.name, type=org.org_type, slug=org.slug),
        csrf_token=csrf,
        totp_enabled=user.totp_enabled,
        mfa_setup_required=found.mfa_setup_required,
        duties=["information_requests"]
        if org.org_type in ("buyer", "producer", "both")
        and (user.role == "admin" or "information_requests" in (user.duties or []))
        and not user.is_staff
        else [],
    )


def _logged_in(login: auth.Login, language: Language) -> Response[MeOut]:
    me = me_view(login.user.user_id, (login.session.csrf_token, bool(login.session.mfa)), language)
    cookie = session_cookie(login.token, auth.SESSION_SECONDS)
    return Response(status_code=200, content_type="application/json", body=me, cookies=[cookie])


def make_router() -> Router:
    router = AreaRouter()

    @router.post(
        "/auth/login",
        summary="Log in with e-mail and password (and a TOTP code when enabled)",
        responses=ERRORS,
    )
    def login(body: LoginIn, language: RequestLanguage, who: ClientInfo) -> Response[MeOut]:

        done = auth.login(
            body.email,
            body.password,
            who,
            totp_code=body.totp_code,
            recovery_code=body.recovery_code,
        )
        return _logged_in(done, language)

    @router.post("/auth/logout", summary="End this session", responses=answers(204, "Logged out", body=False))
    def logout(request: Request) -> Response[None]:

        auth.logout(session_token(request.resolved_event.raw_event))
        return Response(status_code=204, cookies=[expired_cookie()])

    @router.get("/me", summary="Who is logged in", responses=ERRORS)
    def me(actor: CurrentActor, language: RequestLanguage) -> MeOut:
        return me_view(actor.user_id, (actor.csrf_token, actor.mfa), language)

    @router.get("/me/attention", summary="What needs my attention, most urgent first", responses=ERRORS)
    def needs_attention(actor: CurrentActor, language: RequestLanguage) -> AttentionListOut:
        return AttentionListOut(
            items=[
                AttentionOut(
                    kind=a.kind, message=text(f"attention.{a.kind}", language, **a.params), link=a.link
                )
                for a in auth.needs_attention(actor)
            ]
        )

    @router.post(
        "/auth/password-reset",
        summary="Send a reset link (same answer for unknown e-mails)",
        responses=answers(202, "A link is sent if the e-mail is known", body=False),
    )
    def request_reset(body: ResetIn, language: RequestLanguage) -> Response[None]:
        auth.send_reset(body.email, language)
        return Response(status_code=202)

    @router.post(
        "/auth/password-reset/complete",
        summary="Set a new password with a reset token",
        responses=answers(204, "The new password is set", body=False),
    )
    def complete_reset(body: ResetCompleteIn) -> Response[None]:

        auth.complete_reset(body.token, body.password)
        return Response(status_code=204)

    @router.get("/auth/invitations/<token>", summary="What an invitation is for", responses=ERRORS)
    def invitation(token: str) -> InvitationOut:
        user, org = auth.invitation_for(token)
        return InvitationOut(email=user.email, organisation_name=org.name, name=user.name)

    @router.post(
        "/auth/invitations/accept",
        summary="Accept an invitation: set name and password, log in",
        responses=ERRORS,
    )
    def accept(body: AcceptIn, language: RequestLanguage, who: ClientInfo) -> Response[MeOut]:

        return _logged_in(auth.accept_invitation(body.token, body.name, body.password, who), language)

    @router.post(
        "/account/password",
        summary="Change password; other sessions end",
        responses=answers(204, "Changed", body=False),
    )
    def change_password(body: PasswordChangeIn, actor: CurrentActor) -> Response[None]:

        auth.change_password(actor.user_id, body.current_password, body.new_password, actor.session_id)
        return Response(status_code=204)

    @router.get("/account/sessions", summary="My active sessions", responses=ERRORS)
    def sessions(actor: CurrentActor) -> SessionsOut:
        return SessionsOut(
            items=[
                SessionOut(
                    id=s.session_id,
                    created_at=s.created_at.isoformat(),
                    last_seen_at=s.last_seen_at.isoformat(),
                    user_agent=s.user_agent,
                    ip=s.ip,
                    current=s.session_id == actor.session_id,
                )
                for s in auth.sessions(actor.user_id)
            ]
        )

    @router.delete(
        "/account/sessions/<session_id>",
        summary="End one of my sessions",
        responses=answers(204, "Ended", body=False),
    )
    def end_session(session_id: str, actor: CurrentActor) -> Response[None]:

        auth.end_session(actor.user_id, session_id)
        return Response(status_code=204)

    @router.post("/account/sessions/end-others", summary="Log out everywhere else", responses=ERRORS)
    def end_others(actor: CurrentActor) -> EndedOut:
        return EndedOut(ended=auth.end_others(actor.user_id, actor.session_id, actor.org_id))

    @router.get("/account/notifications", summary="My choices of e-mail notices", responses=ERRORS)
    def my_notifications(actor: CurrentActor, language: RequestLanguage) -> NotificationsOut:
        return _notifications_out(*notifications.preferences(actor, language))

    @router.put("/account/notifications", summary="Change my choices of e-mail notices", responses=ERRORS)
    def change_notifications(body: NotificationsIn, actor: CurrentActor) -> NotificationsOut:
        return _notifications_out(*notifications.save_preferences(actor, body.choices, body.language))

    @router.post("/account/totp", summary="Start setting up a TOTP second factor", responses=ERRORS)
    def start_totp(actor: CurrentActor) -> TotpSetupOut:
        secret, uri = auth.start_totp(actor.user_id)
        svg = segno.make(uri, error="m").svg_inline(scale=4, dark="#1b1b1b", light="#ffffff")
        return TotpSetupOut(secret=secret, otpauth_uri=uri, qr_svg=svg)

    @router.post(
        "/account/totp/confirm", summary="Confirm TOTP with a code; returns recovery codes", responses=ERRORS
    )
    def confirm_totp(body: TotpConfirmIn, request: Request, actor: CurrentActor) -> RecoveryCodesOut:
        token = session_token(request.resolved_event.raw_event)
        return RecoveryCodesOut(recovery_codes=auth.confirm_totp_for(actor.user_id, body.code, token))

    @router.delete(
        "/account/totp",
        summary="Turn the second factor off (not for IEH staff)",
        responses=answers(204, "Turned off", body=False),
    )
    def disable_totp(body: TotpDisableIn, actor: CurrentActor) -> Response[None]:

        auth.disable_totp(actor.user_id, body.password)
        return Response(status_code=204)

    return router
