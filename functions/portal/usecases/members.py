"""Members-area use cases: courses and seminars, members-only documents, and an organisation's
administrators managing their colleagues. Knows nothing of HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from portal import cursors, policy
from portal.adapters import files, mail
from portal.clock import utcnow
from portal.domain import norwegian_time
from portal.domain import notifications as rules
from portal.errors import PortalError, conflict, invalid, not_found
from portal.i18n import Language, text
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import courses as course_store
from portal.store import organisations
from portal.store import resources as resource_store
from portal.store.models import Course, Registration, Resource, SecurityEvent, User
from portal.usecases import auth, notifications

EVENTS_PAGE = 25


def _user(user_id: str) -> User:
    user = account_store.user_by_id(user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    return user


def actor_email(actor: Actor) -> str:
    return _user(actor.user_id).email


# -- courses and seminars ------------------------------------------------------------------------
@dataclass(frozen=True)
class CourseView:
    course: Course
    mine: Registration | None
    position: int


def course_list(actor: Actor, now: datetime | None = None) -> list[CourseView]:
    """Upcoming courses with the member's own status: two Queries, plus one count per course
    whose waiting list the member is on."""
    upcoming = course_store.upcoming(now or utcnow())
    mine = course_store.registrations_of(actor.user_id)
    views = []
    for item in upcoming:
        entry = mine.get(item.course_id)
        position = course_store.waiting_position(entry) if entry is not None else 0
        views.append(CourseView(item, entry, position))
    return views


def register(actor: Actor, course_id: str, language: Language) -> tuple[Registration, int, bool]:
    outcome = course_store.register(course_id, _user(actor.user_id), language)
    return outcome.entry, course_store.waiting_position(outcome.entry), outcome.created


def cancel(actor: Actor, course_id: str) -> None:
    if course_store.course(course_id).cancelled_at is not None:
        raise conflict("course_cancelled")  # IEH cancelled it: the list of who was coming stays
    promoted = course_store.cancel(course_id, actor.user_id)
    if promoted is not None:
        tell_participants(course_store.course(course_id), "promoted", [promoted])


CourseNotice = Literal["promoted", "changed", "cancelled"]


def tell_participants(
    course: Course, kind: CourseNotice, people: Iterable[Registration] | None = None
) -> int:
    """Every e-mail about a course goes out here, each in the language the person registered in:
    "promoted" to `people` moved up from the waiting list, "changed" (a new time or place) and
    "cancelled" to everyone registered or waiting (or to `people`). A notice that cannot be sent is
    logged, not the caller's error (mail.notify). Returns how many were told."""
    everyone = list(course_store.participants(course.course_id) if people is None else people)
    # A seat that came free is the person's own registration: always told. A change or a cancellation
    # is a course change, told as each person chose (at once, in the daily digest, or not at all).
    chosen = (
        {} if kind == "promoted" else notifications.choices_of([e.user_id for e in everyone], "course_change")
    )
    told = 0
    for entry in everyone:
        choice = chosen.get(entry.user_id, rules.INSTANT)
        if choice == rules.OFF:
            continue
        if choice == rules.DIGEST:
            notifications.queue(entry.user_id, "course_change", {
                "course_nb": course.title_nb, "course_en": course.title_en, "change": kind,
                "path": "/members/courses/",
            })  # fmt: skip
            told += 1
            continue
        language: Language = "en" if entry.language == "en" else "nb"
        told += mail.notify(
            entry.email,
            f"course_{kind}",
            language,
            course=course.title_en if language == "en" else course.title_nb,
            when=course_time(course.starts_at, language),
            location=course.location,
            status=entry.status,
            link=mail.link("/members/courses/", language),
        )
    return told


def course_time(moment: datetime, language: Language) -> str:
    """'12. januar 2027 kl. 09.00' / '12 January 2027 at 09:00 (Norwegian time)'."""
    at = norwegian_time.local(moment)
    return text(
        "course.when",
        language,
        day=str(at.day),
        month=str(at.month),
        year=str(at.year),
        hours=f"{at.hour:02d}",
        minutes=f"{at.minute:02d}",
    )


# -- members-only documents ----------------------------------------------------------------------
def resources() -> list[Resource]:
    return sorted(resource_store.resources(), key=lambda r: r.title_nb.lower())


def download_link(resource_id: str) -> tuple[str, int]:
    """A short-lived link to one document; only the routes that admit members call this."""
    item = resource_store.resource(resource_id)
    if item is None:
        raise not_found()
    url = files.download_link(item.object_key, item.file_name, item.content_type)
    return url, files.DOWNLOAD_SECONDS


# -- the organisation's users (its administrators) ----------------------------------------------
def org_users(actor: Actor) -> list[User]:
    return sorted(account_store.org_users(actor.org_id), key=lambda u: (u.name or u.email).lower())


def invite_colleague(actor: Actor, email: str, name: str, role: str, language: Language) -> User:
    """Answers alike whether or not the address has a user (see accounts.invite_colleague)."""
    inviter = actor_email(actor)
    user, token = auth.invite_colleague(actor.org_id, email, name, role, invited_by=inviter)
    _send_invitation(actor, user, token, inviter, language)
    return user


def resend_invitation(actor: Actor, user_id: str, language: Language) -> User:
    """A fresh invitation link for a colleague who has not joined yet (links expire after 7 days);
    it ends the earlier link."""
    target = account_store.user_by_id(user_id)
    if target is None:
        raise not_found()
    policy.authorize_user_change(actor, target.org_id, target.user_id)
    if target.status != "invited":
        raise PortalError(409, "already_joined")
    token = (
        None
        if target.email_elsewhere
        else account_store.issue_token("invitation", target, auth.INVITATION_LIFETIME)
    )
    inviter = actor_email(actor)
    _send_invitation(actor, target, token, inviter, language)
    account_store.log_event(actor.org_id, "user_invited", actor=inviter, subject=target.email, detail="again")
    return target


def _send_invitation(actor: Actor, user: User, token: str | None, inviter: str, language: Language) -> None:
    """The invitation link; or, with no token (the address has a user elsewhere), a note to the
    owner of the address that someone tried, which lets no one join or take anything over."""
    organisation = organisations.organisation(actor.org_id)
    if token is None:
        mail.send(
            user.email,
            "colleague_invitation_existing",
            language,
            organisation=organisation.name,
            inviter=inviter,
            login=mail.link("/login/", language),
            reset=mail.link("/login/#forgot-password", language),
        )
        return
    mail.send(
        user.email,
        "colleague_invitation",
        language,
        organisation=organisation.name,
        inviter=inviter,
        link=mail.link(f"/invitation/#token={token}", language),
    )


def change_user(
    actor: Actor,
    user_id: str,
    *,
    role: str | None,
    disabled: bool | None,
    handles_information_requests: bool | None = None,
) -> User:
    """Role, duties and access of a colleague. Disabling ends their sessions at once; a new role or
    duty applies to their open sessions at once."""
    target = account_store.user_by_id(user_id)
    if target is None:
        raise not_found()
    policy.authorize_user_change(actor, target.org_id, target.user_id)
    me = actor_email(actor)
    events: list[tuple[str, str | None]] = []
    if role is not None and role != target.role:
        events.append(("role_changed", f"{target.role} → {role}"))
        target.role = role
    if disabled is not None:
        wanted = "disabled" if disabled else ("active" if target.password_hash else "invited")
        if wanted != target.status:
            events.append(("user_disabled" if disabled else "user_enabled", None))
            target.status = wanted
    if handles_information_requests is not None:
        duties = [d for d in (target.duties or []) if d != "information_requests"]
        if handles_information_requests:
            duties.append("information_requests")
        if sorted(duties) != sorted(target.duties or []):
            events.append(("duty_granted" if handles_information_requests else "duty_removed", None))
            target.duties = duties or None
    if not events:
        return target
    account_store.save_user(target)
    sessions = account_store.user_sessions(target.user_id)
    if target.status == "disabled":
        account_store.end_sessions(sessions)
    else:
        account_store.set_sessions_role(sessions, target.role, list(target.duties or []))
    for kind, detail in events:
        account_store.log_event(actor.org_id, kind, actor=me, subject=target.email, detail=detail)
    return target


# -- the security event log ----------------------------------------------------------------------
def _decode_cursor(cursor: str | None) -> str | None:
    """A cursor carries only the sort key; the store reads it in the actor's own organisation's
    log, so no cursor can lead into another organisation's."""
    if not cursor:
        return None
    sort_key = cursors.decode(cursor)
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.+]+#[0-9a-f]{8}", sort_key):
        raise invalid(cursor="field.invalid")
    return sort_key


def security_events(actor: Actor, cursor: str | None) -> tuple[list[SecurityEvent], str | None]:
    after = _decode_cursor(cursor)
    items, _ = account_store.events(actor.org_id, limit=EVENTS_PAGE + 1, after=after)
    return cursors.page(items, EVENTS_PAGE)
