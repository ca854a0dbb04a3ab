"""Account use cases: logging in and out, invitations, password reset and change, sessions, TOTP.

Orchestrates the password and throttle rules (domain) with the store; knows nothing of HTTP.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp

from portal.adapters import mail
from portal.clock import utcnow
from portal.domain import actions, attention, norwegian_time, passwords, throttle
from portal.errors import PortalError, invalid, not_found
from portal.i18n import Language
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import applications as application_store
from portal.store import links as link_store
from portal.store import organisations
from portal.store import producers as producer_store
from portal.store.models import Finding, Organisation, Session, User, new

INVITATION_LIFETIME = timedelta(days=7)
RESET_LIFETIME = timedelta(hours=1)
RECOVERY_CODES = 10
PLATFORM_LOG = "platform"  # security events that belong to no organisation (read by IEH operations)
DECOY_USER = "-"  # never a user id: read when an e-mail is unknown


@dataclass(frozen=True)
class Client:
    ip: str | None
    user_agent: str | None


@dataclass(frozen=True)
class Me:
    """Who is logged in and their organisation."""

    user: User
    organisation: Organisation
    mfa_setup_required: bool


@dataclass(frozen=True)
class Login:
    token: str
    session: Session
    user: User


def _refuse_login() -> PortalError:
    return PortalError(401, "invalid_credentials")


def _throttle_keys(email: str, client: Client) -> list[tuple[str, str]]:
    account = hashlib.sha256(account_store.normalise_email(email).encode()).hexdigest()
    return [("account", account), ("client", client.ip or "unknown")]


def _check_throttle(keys: list[tuple[str, str]], now: float) -> None:
    found = account_store.throttles(keys)
    wait = 0
    for (scope, subject), rule in zip(keys, (throttle.ACCOUNT, throttle.CLIENT), strict=True):
        item = found.get((scope, subject))
        if item is not None:
            wait = max(
                wait, throttle.wait_seconds(rule, int(item.failures), float(item.last_failure_at), now)
            )
    if wait:
        raise PortalError(429, "too_many_attempts", retry_after=wait, params={"seconds": wait})


def _fail(keys: list[tuple[str, str]], user: User | None, client: Client, reason: str) -> PortalError:
    now = utcnow()
    for (scope, subject), rule in zip(keys, (throttle.ACCOUNT, throttle.CLIENT), strict=True):
        account_store.record_failure(scope, subject, now, rule.window)
    if user is not None:
        account_store.log_event(user.org_id, "login_failed", actor=user.email, detail=reason, ip=client.ip)
    else:  # the same writes as for a known account; what was typed is not kept (it may be a password)
        account_store.log_event(
            PLATFORM_LOG, "login_failed", actor=None, detail="unknown_account", ip=client.ip
        )
    return _refuse_login()


def _verify_second_factor(user: User, totp_code: str | None, recovery_code: str | None) -> str | None:
    """None when the factor is good; else the error code to answer."""
    if recovery_code:
        hashed = hashlib.sha256(recovery_code.strip().replace("-", "").lower().encode()).hexdigest()
        codes = list(user.recovery_codes or [])
        if hashed not in codes:
            return "totp_invalid"
        codes.remove(hashed)
        user.recovery_codes = codes
        account_store.save_user(user)  # versioned: the same code cannot be used twice concurrently
        return None
    if not totp_code:
        return "totp_required"
    step = _totp_step(user.totp_secret, totp_code)
    if step is None or not account_store.accept_totp_step(user, step):  # a code already used is refused
        return "totp_invalid"
    return None


def _totp_step(secret: str, code: str) -> int | None:
    """The time step whose code this is (one step either way for clock drift), or None."""
    totp = pyotp.TOTP(secret)
    given = code.strip().encode()  # bytes: compare_digest refuses non-ASCII text (a wrong code, not a 500)
    current = int(time.time()) // totp.interval
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step).encode(), given):
            return step
    return None


def login(
    email: str,
    password: str,
    client: Client,
    *,
    totp_code: str | None = None,
    recovery_code: str | None = None,
) -> Login:
    keys = _throttle_keys(email, client)
    _check_throttle(keys, time.time())
    user = account_store.user_by_email(email)
    if user is None:
        account_store.user_by_id(DECOY_USER)  # the same reads as for a known e-mail: no timing hint
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not password_ok or user.status != "active":
        raise _fail(keys, user, client, "password")
    if user.totp_enabled:
        refusal = _verify_second_factor(user, totp_code, recovery_code)
        if refusal == "totp_invalid":
            _fail(keys, user, client, "second_factor")
            raise PortalError(401, "totp_invalid")
        if refusal:
            raise PortalError(401, refusal)
    if user.password_hash and passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        account_store.save_user(user)
    account_store.clear_throttle(*keys[0])
    token, session = account_store.start_session(
        user, mfa=user.totp_enabled, user_agent=client.user_agent, ip=client.ip
    )
    account_store.log_event(user.org_id, "login_succeeded", actor=user.email, ip=client.ip)
    return Login(token, session, user)


def logout(token: str | None) -> None:
    if token and (session := account_store.session_for(token)) is not None:
        account_store.end_session(session)


# -- invitations ---------------------------------------------------------------------------------
def invite(
    org_id: str, email: str, name: str | None, role: str, *, invited_by: str | None
) -> tuple[User, str]:
    """Create the invited user and a single-use, expiring invitation token for them."""
    user = _invited_user(org_id, email, name, role)
    account_store.create_user(user)
    token = account_store.issue_token("invitation", user, INVITATION_LIFETIME)
    account_store.log_event(org_id, "user_invited", actor=invited_by, subject=email)
    return user, token


def invite_colleague(
    org_id: str, email: str, name: str | None, role: str, *, invited_by: str
) -> tuple[User, str | None]:
    """An organisation's invitation, answered alike whether or not the address has a user: an
    admin must not learn who has an account (login and reset do not tell either).

    For an address with a user in another organisation the token is None and the user is a stand-in
    (listed, logged and re-sent like any invitation, but it can never join); the caller tells the
    owner of the address by e-mail instead. Only a colleague of the inviter's own organisation is
    refused, as the inviter's list shows them anyway."""
    existing = account_store.user_by_email(email)
    if existing is None:
        account_store.user_by_id(DECOY_USER)  # the same reads as for a known address
        try:
            return invite(org_id, email, name, role, invited_by=invited_by)
        except PortalError as error:
            if error.code != "email_taken":
                raise
            existing = account_store.user_by_email(email)  # taken in the meantime
    if existing is not None and existing.org_id == org_id:
        raise PortalError(409, "already_colleague", fields={"email": "field.already_colleague"})
    user = _invited_user(org_id, email, name, role)
    account_store.create_stand_in(user)
    account_store.log_event(org_id, "user_invited", actor=invited_by, subject=email)
    account_store.log_event(
        PLATFORM_LOG, "invitation_to_existing_user", actor=invited_by, subject=email, detail=org_id
    )
    return user, None


def _invited_user(org_id: str, email: str, name: str | None, role: str) -> User:
    user_id = uuid.uuid4().hex
    return new(User, User.key(user_id), user_id=user_id, email=email, name=name, org_id=org_id, role=role)


def invitation(token: str) -> User:
    user = account_store.token_user("invitation", token)
    if user.status != "invited" or user.email_elsewhere:
        raise not_found()
    return user


def accept_invitation(token: str, name: str, password: str, client: Client) -> Login:
    user = invitation(token)
    passwords.check_policy(password, context=(user.email, name))
    account_store.use_token("invitation", token)
    user.name = name
    user.status = "active"
    _set_password(user, password, keep_session=None)
    account_store.log_event(user.org_id, "invitation_accepted", actor=user.email, ip=client.ip)
    token_value, session = account_store.start_session(
        user, mfa=False, user_agent=client.user_agent, ip=client.ip
    )
    return Login(token_value, session, user)


# -- passwords -----------------------------------------------------------------------------------
def request_reset(email: str) -> tuple[User, str] | None:
    """The reset token, or None for an unknown or disabled e-mail (the caller answers the same)."""
    user = account_store.user_by_email(email)
    if user is None or user.status != "active":
        return None
    token = account_store.issue_token("password_reset", user, RESET_LIFETIME)
    account_store.log_event(user.org_id, "password_reset_requested", actor=user.email)
    return user, token


def send_reset(email: str, language: Language) -> None:
    """A reset link by e-mail to a known, active user; nothing (and the same answer) otherwise."""
    found = request_reset(email)
    if found is not None:
        user, token = found
        mail.send(
            user.email,
            "password_reset",
            language,
            link=mail.link(f"/reset-password/#token={token}", language),
        )


def complete_reset(token: str, password: str) -> None:
    user = account_store.token_user("password_reset", token)
    if user.status != "active":
        raise not_found()
    passwords.check_policy(password, context=(user.email, user.name or ""))
    account_store.use_token("password_reset", token)
    _set_password(user, password, keep_session=None)
    account_store.log_event(user.org_id, "password_changed", actor=user.email, detail="reset")


def change_password(user_id: str, current: str, new_password: str, keep_session: str) -> None:
    user = _user(user_id)
    if not passwords.verify_password(user.password_hash, current):
        raise invalid(current_password="field.password_wrong")  # noqa: S106 - a message key
    passwords.check_policy(new_password, field="new_password", context=(user.email, user.name or ""))
    _set_password(user, new_password, keep_session=keep_session)
    account_store.log_event(user.org_id, "password_changed", actor=user.email)


def _set_password(user: User, password: str, keep_session: str | None) -> None:
    """The new password ends the user's other sessions and every reset or invitation link issued
    before it (versioned: of two links used at once, one sets the password, the other gets 409)."""
    user.password_hash = passwords.hash_password(password)
    user.token_generation += 1
    account_store.save_user(user)
    account_store.end_sessions(
        s for s in account_store.user_sessions(user.user_id) if s.session_id != keep_session
    )


def _user(user_id: str) -> User:
    user = account_store.user_by_id(user_id)
    if user is None:
        raise not_found()
    return user


# -- sessions ------------------------------------------------------------------------------------
def end_session(user_id: str, session_id: str) -> None:
    for session in account_store.user_sessions(user_id):
        if session.session_id == session_id:
            account_store.end_session(session)
            return
    raise not_found()


def end_other_sessions(user_id: str, keep_session: str, org_id: str, actor: str) -> int:
    ended = account_store.end_sessions(
        s for s in account_store.user_sessions(user_id) if s.session_id != keep_session
    )
    account_store.log_event(org_id, "sessions_ended", actor=actor, detail=str(ended))
    return ended


# -- TOTP ----------------------------------------------------------------------------------------
def start_totp(user_id: str) -> tuple[str, str]:
    user = _user(user_id)
    secret = pyotp.random_base32()
    user.totp_pending_secret = secret
    account_store.save_user(user)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Etisk handel Norge")
    return secret, uri


def confirm_totp(user_id: str, code: str, session: Session | None) -> list[str]:
    user = _user(user_id)
    step = _totp_step(user.totp_pending_secret, code) if user.totp_pending_secret else None
    if step is None:
        raise invalid(code="field.totp_invalid")
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_last_step = step  # the confirming code is used: it cannot log in as well
    user.recovery_codes = [hashlib.sha256(c.encode()).hexdigest() for c in codes]
    account_store.save_user(user)
    if session is not None:  # this login has now shown the second factor
        account_store.mark_second_factor(session)
    account_store.log_event(user.org_id, "totp_enabled", actor=user.email)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def disable_totp(user_id: str, password: str) -> None:
    user = _user(user_id)
    if user.is_staff:
        raise PortalError(403, "totp_required_for_staff")
    if not passwords.verify_password(user.password_hash, password):
        raise invalid(password="field.password_wrong")  # noqa: S106 - a message key
    user.totp_secret, user.recovery_codes, user.totp_last_step = None, None, None
    account_store.save_user(user)
    account_store.log_event(user.org_id, "totp_disabled", actor=user.email)


# -- who is logged in ------------------------------------------------------------------------------
SESSION_SECONDS = int(
    account_store.SESSION_ABSOLUTE.total_seconds()
)  # the cookie lives as long as the session


def me(user_id: str, mfa: bool) -> Me:
    """The user of a session (401 once the user is gone) and their organisation: two GetItems,
    on every members page."""
    user = account_store.user_by_id(user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    org = organisations.organisation(user.org_id)
    return Me(user, org, bool(user.is_staff) and not mfa)


WAITING_SHOWN = 100  # staff are told "100 applications" at most: the list shows them all


def needs_attention(actor: Actor) -> list[attention.Attention]:
    """What this person should act on, most urgent first (the home page only): one Query per kind
    of duty the person has, a BatchGetItem per 100 suppliers for a buyer."""
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    kinds = actor.kinds
    found = attention.second_factor(is_staff=actor.is_staff, mfa=actor.mfa, totp_enabled=user.totp_enabled)
    if actor.mfa_setup_required:
        return found  # until then, setting up the second factor is all staff can do
    now = utcnow()
    if "staff" in kinds:
        waiting = application_store.by_status("received", limit=WAITING_SHOWN)
        found += attention.staff(len(waiting))
    if "producer" in kinds:
        org = organisations.organisation(actor.org_id)
        sites = [
            attention.SiteState(s.site_id, s.name, s.confirmed_at, bool(s.saq_versions))
            for s in producer_store.sites(actor.org_id)
        ]
        found += attention.producer(org.confirmed_at, sites, now)
        today = now.date()
        late = sum(
            1
            for item in producer_store.audit_tree(actor.org_id)
            if isinstance(item, Finding) and actions.is_overdue(item.due_date, item.status, today)
        )
        found += attention.overdue_actions(late)
        if "producer_admin" in kinds:
            pending = sum(1 for link in link_store.producer_links(actor.org_id) if link.status == "pending")
            found += attention.customer_requests(pending)
    if "buyer" in kinds:
        found += _buyer_attention(actor.org_id, now)
    if "request_handler" in kinds:
        from portal.store import information_requests as request_store

        found += attention.information_requests(
            *request_store.due_soon(actor.org_id, norwegian_time.local(now).date())
        )
    return attention.ranked(found)


def _buyer_attention(buyer_id: str, now: datetime) -> list[attention.Attention]:
    from portal.domain import risk  # the risk model's data: only a buyer's home page needs it
    from portal.store import risk as risk_store

    views = risk_store.views(buyer_id)
    high = sum(1 for view in views if risk.band(float(view.scores["overall"])) == "high")
    suppliers = organisations.organisations({view.producer_id for view in views})
    stale = [org.name for org in suppliers.values() if attention.is_stale(org.confirmed_at, now)]
    unanswered = len(link_store.open_requests(buyer_id))
    return attention.buyer(high_risk=high, sites=len(views), stale_suppliers=stale, unanswered=unanswered)


def invitation_for(token: str) -> tuple[User, Organisation]:
    """What an invitation is for: the invited user and the organisation it joins."""
    user = invitation(token)
    return user, organisations.organisation(user.org_id)


def sessions(user_id: str) -> list[Session]:
    return account_store.user_sessions(user_id)


def end_others(user_id: str, keep_session: str, org_id: str) -> int:
    user = account_store.user_by_id(user_id)
    return end_other_sessions(user_id, keep_session, org_id, user.email if user else "")


def confirm_totp_for(user_id: str, code: str, token: str | None) -> list[str]:
    """Confirm the second factor from the session the token names (it counts as a second-factor login)."""
    return confirm_totp(user_id, code, account_store.session_for(token) if token else None)


def actor_for(token: str | None, now: datetime) -> Actor | None:
    """The actor of a session token: None without a token, 401 for an unknown or ended session or
    one past its idle or absolute limit; a live session is touched (at most once a minute)."""
    if not token:
        return None
    session = account_store.session_for(token)
    if session is None:
        raise PortalError(401, "not_authenticated")
    if now >= session.absolute_expires_at or now >= session.last_seen_at + account_store.SESSION_IDLE:
        raise PortalError(401, "session_expired")
    account_store.touch(session, now)
    return Actor(
        user_id=session.user_id,
        org_id=session.org_id,
        role=session.role,
        org_type=session.org_type or "",
        is_staff=bool(session.is_staff),
        mfa=bool(session.mfa),
        session_id=session.session_id,
        csrf_token=session.csrf_token,
        duties=tuple(session.duties or ()),
    )
