"""Users, sessions, single-use tokens, login throttles and the security event log in the table."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from portal.errors import conflict, not_found
from portal.store.errors import is_condition_failure
from portal.store.models import (
    Organisation,
    SecurityEvent,
    Session,
    Throttle,
    Token,
    User,
    UserEmail,
    new,
    transaction,
    utcnow,
)

SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
SESSION_TOUCH_EVERY = timedelta(minutes=1)  # sliding expiry written at most once a minute
EVENT_RETENTION = timedelta(days=2 * 365)


def digest(secret: str) -> str:
    """Tokens are 256-bit random: a plain SHA-256 is enough to store them unreadably."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


# -- users -------------------------------------------------------------------------------------
def user_by_email(email: str) -> User | None:
    """Two GetItems: the e-mail's index item, then the user."""
    try:
        index = UserEmail.get(*UserEmail.key(normalise_email(email)))
        return User.get(*User.key(index.user_id))
    except DoesNotExist:
        return None


def user_by_id(user_id: str) -> User | None:
    try:
        return User.get(*User.key(user_id))
    except DoesNotExist:
        return None


def users_by_id(user_ids: Iterable[str]) -> dict[str, User]:
    """Several users by id: one BatchGetItem per 100 (none for no ids)."""
    keys = [User.key(user_id) for user_id in set(user_ids)]
    return {u.user_id: u for u in User.batch_get(keys)} if keys else {}


def create_user(user: User) -> None:
    """A new user and its e-mail index in one transaction: an e-mail belongs to one user."""
    user.gsi1pk, user.gsi1sk = User.org_index(user.org_id, normalise_email(user.email))
    if user.is_staff:
        user.gsi2pk, user.gsi2sk = User.staff_index(normalise_email(user.email))
    email = new(UserEmail, UserEmail.key(normalise_email(user.email)), user_id=user.user_id)
    try:
        with transaction() as writes:
            writes.save(email, condition=UserEmail.pk.does_not_exist())
            writes.save(user, condition=User.pk.does_not_exist())
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict("email_taken") from error
        raise


def create_stand_in(user: User) -> None:
    """An invitation for an address another user has: in the organisation's list, not in the
    e-mail index, so it can never be found by e-mail, log in or join."""
    user.email_elsewhere = True
    user.gsi1pk, user.gsi1sk = User.org_index(user.org_id, normalise_email(user.email))
    user.save(condition=User.pk.does_not_exist())


def org_users(org_id: str) -> list[User]:
    return list(User.by_gsi1.query(f"ORG#{org_id}#USERS"))  # type: ignore[arg-type]


def staff_users() -> list[User]:
    """IEH staff: one Query on their GSI2 partition."""
    return [u for u in User.by_gsi2.query(User.staff()) if isinstance(u, User)]


def save_user(user: User) -> None:
    """Save with the version check: a concurrent change answers 409, never a silent overwrite."""
    try:
        user.save()
    except PutError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


def accept_totp_step(user: User, step: int) -> bool:
    """Record a second-factor code's time step, only if it is newer than every step accepted
    before (RFC 6238 §5.2): one conditional write, so of two logins racing with one code exactly
    one passes. Conditioned on the step alone, not the user's version, so an unrelated change of
    the user cannot refuse a good code."""
    try:
        user.update(
            actions=[User.totp_last_step.set(step)],
            condition=User.totp_last_step.does_not_exist() | (User.totp_last_step < step),
            add_version_condition=False,
        )
    except UpdateError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


# -- sessions ----------------------------------------------------------------------------------
def start_session(user: User, *, mfa: bool, user_agent: str | None, ip: str | None) -> tuple[str, Session]:
    """A new 256-bit token for every login; only its SHA-256 is stored."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    org_type = Organisation.get(*Organisation.key(user.org_id)).org_type
    session = new(
        Session,
        Session.key(digest(token)),
        session_id=uuid.uuid4().hex,
        user_id=user.user_id,
        org_id=user.org_id,
        role=user.role,
        org_type=org_type,
        is_staff=user.is_staff,
        mfa=mfa,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        absolute_expires_at=now + SESSION_ABSOLUTE,
        user_agent=(user_agent or "")[:300] or None,
        ip=ip,
        duties=list(user.duties or []) or None,
        expires_at=now + SESSION_IDLE,
    )
    session.gsi1pk, session.gsi1sk = Session.user_index(user.user_id, now)
    session.save(condition=Session.pk.does_not_exist())
    return token, session


def session_for(token: str) -> Session | None:
    """The session check: one GetItem."""
    try:
        return Session.get(*Session.key(digest(token)))
    except DoesNotExist:
        return None


def touch(session: Session, now: datetime) -> None:
    """Slide the idle expiry, at most once a minute; never resurrect a session ended meanwhile."""
    if now - session.last_seen_at < SESSION_TOUCH_EVERY:
        return
    idle_end = min(now + SESSION_IDLE, session.absolute_expires_at)
    try:
        session.update(
            actions=[Session.last_seen_at.set(now), Session.expires_at.set(idle_end)],
            condition=Session.pk.exists(),
        )
    except UpdateError as error:
        if not is_condition_failure(error):
            raise


def mark_second_factor(session: Session) -> None:
    """The session's login has now shown the second factor."""
    session.update(actions=[Session.mfa.set(True)])


def user_sessions(user_id: str) -> list[Session]:
    return list(Session.by_gsi1.query(f"USER#{user_id}#SESSIONS", scan_index_forward=False))  # type: ignore[arg-type]


def end_session(session: Session) -> None:
    try:
        session.delete()
    except DeleteError as error:
        if not is_condition_failure(error):
            raise


def end_sessions(sessions: Iterable[Session]) -> int:
    ended = 0
    with Session.batch_write() as batch:
        for session in sessions:
            batch.delete(session)
            ended += 1
    return ended


def set_sessions_role(sessions: Iterable[Session], role: str, duties: list[str] | None = None) -> None:
    """A new role (and duties) applies to the user's open sessions at once (never resurrecting an
    ended one)."""
    for session in sessions:
        actions: list[Action] = [Session.role.set(role)]
        actions.append(Session.duties.set(duties) if duties else Session.duties.remove())
        try:
            session.update(actions=actions, condition=Session.pk.exists())
        except UpdateError as error:
            if not is_condition_failure(error):
                raise


# -- single-use tokens -------------------------------------------------------------------------
def issue_token(purpose: str, user: User, lifetime: timedelta) -> str:
    """A new link for the user; it ends every earlier one (reset or invitation) of that user.

    The generation moves on in one update that no other change of the user can make fail (only
    the number is conditioned on, by being added to): a request for a link always gets one."""
    user.update(actions=[User.token_generation.add(1)], add_version_condition=False)
    token = secrets.token_urlsafe(32)
    new(
        Token,
        Token.key(digest(token)),
        purpose=purpose,
        user_id=user.user_id,
        org_id=user.org_id,
        email=user.email,
        generation=user.token_generation,
        expires_at=utcnow() + lifetime,
    ).save()
    return token


def peek_token(purpose: str, token: str) -> Token:
    try:
        found = Token.get(*Token.key(digest(token)), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None
    if found.purpose != purpose or found.expires_at <= utcnow():  # TTL deletion can lag by hours
        raise not_found()
    return found


def token_user(purpose: str, token: str) -> User:
    """The user a link is for, while it is that user's newest link and no password was set since;
    else 404 (two GetItems, as before the check)."""
    found = peek_token(purpose, token)
    user = user_by_id(found.user_id)
    if user is None or found.generation != user.token_generation:
        raise not_found()
    return user


def use_token(purpose: str, token: str) -> Token:
    """Read and delete in one step: a token works once, even when two requests race for it."""
    found = peek_token(purpose, token)
    try:
        found.delete(condition=Token.pk.exists())
    except DeleteError as error:
        if is_condition_failure(error):
            raise not_found() from error
        raise
    return found


# -- login throttles ---------------------------------------------------------------------------
def throttles(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Throttle]:
    """All throttles of one login attempt in one BatchGetItem."""
    found = Throttle.batch_get([Throttle.key(scope, subject) for scope, subject in keys])
    return {(t.pk.split("#", 2)[1], t.pk.split("#", 2)[2]): t for t in found}


def record_failure(scope: str, subject: str, now: datetime, window: int) -> None:
    item = Throttle(*Throttle.key(scope, subject))
    item.update(
        actions=[
            Throttle.failures.add(1),
            Throttle.last_failure_at.set(now.timestamp()),
            Throttle.expires_at.set(now + timedelta(seconds=window)),
            Throttle.kind.set(Throttle),  # an upsert: the new item needs its kind,
        ]
    )


def clear_throttle(scope: str, subject: str) -> None:
    Throttle(*Throttle.key(scope, subject)).delete()


# -- security events ---------------------------------------------------------------------------
def log_event(
    org_id: str,
    kind: str,
    *,
    actor: str | None,
    subject: str | None = None,
    detail: str | None = None,
    ip: str | None = None,
) -> None:
    now = utcnow()
    new(
        SecurityEvent,
        SecurityEvent.key(org_id, now, uuid.uuid4().hex[:8]),
        event_kind=kind,
        actor=actor,
        subject=subject,
        detail=detail,
        ip=ip,
        created_at=now,
        expires_at=now + EVENT_RETENTION,
    ).save()


def events(org_id: str, *, limit: int, after: str | None) -> tuple[list[SecurityEvent], dict | None]:
    """The organisation's log, newest first, from the sort key `after` (a page cursor's) on: the
    partition is always the organisation's own, so no cursor leads into another's log."""
    partition = SecurityEvent.log(org_id)
    start = {"PK": {"S": partition}, "SK": {"S": after}} if after else None
    result = SecurityEvent.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
    items = list(result)
    return items, result.last_evaluated_key
