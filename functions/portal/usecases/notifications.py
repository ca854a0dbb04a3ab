"""E-mail notices by each person's own choice: sent at once, kept for the daily digest, or not sent.
`notify(user, kind, params)` is the one way to tell someone of something; each person's choices are
read and changed here. Mandatory e-mails (receipts, resets, invitations) go straight to mail.send.

`params` are what the message names, as text in no particular language: names, ISO dates (`due`),
a page's address in the portal (`path`), and for a text that has a version per language, both
(`course_nb` and `course_en` become `course` in the reader's language). They are rendered when the
e-mail is written, so a digest reads in the language its reader has when it is sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from aws_lambda_powertools import Logger

from portal.adapters import mail
from portal.domain import notifications as rules
from portal.domain import reference
from portal.errors import invalid, not_found
from portal.i18n import DEFAULT_LANGUAGE, Language, languages
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import notifications as notice_store
from portal.store.models import Link, User

DATES = ("due",)
NAMED = {"level": "link_levels"}  # codes that people read by their name


def language_of(user: User) -> Language:
    return user.language if user.language in languages() else DEFAULT_LANGUAGE


def _person(actor: Actor) -> rules.Person:
    return rules.Person(actor.role, actor.org_type, actor.is_staff)


# -- the person's choices ------------------------------------------------------------------------
def preferences(actor: Actor, language: Language) -> tuple[dict[str, str], Language]:
    """The kinds that can reach the person with their choice, and the language of their e-mails
    (until they choose, the language they read the portal in)."""
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise not_found()
    chosen = rules.choices(user.notifications, _person(actor))
    return chosen, (language_of(user) if user.language else language)


def save_preferences(
    actor: Actor, changes: Mapping[str, str], language: Language
) -> tuple[dict[str, str], Language]:
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise not_found()
    try:
        chosen = rules.merged(user.notifications, changes, _person(actor))
    except ValueError as error:
        raise invalid(**dict.fromkeys(error.args[0], "field.invalid_choice")) from None
    notice_store.save_choices(user, chosen, language)
    return rules.choices(chosen, _person(actor)), language


# -- telling -------------------------------------------------------------------------------------
def notify(user: User, kind: str, params: Mapping[str, str]) -> str:
    """Tell `user` of a `kind` of thing as they chose: "instant" (sent now), "digest" (queued for the
    daily digest) or "off" (dropped; also for someone who cannot log in). Never raises for an e-mail
    that could not be sent: what it tells of is done and shown in the portal."""
    if user.status != "active":
        return rules.OFF
    chosen = rules.choice(user.notifications, kind)
    try:
        if chosen == rules.DIGEST:
            notice_store.queue(user.user_id, kind, dict(params))
        elif chosen == rules.INSTANT:
            language = language_of(user)
            mail.notify(user.email, f"notice.{kind}", language, **values(params, language))
    except Exception:  # the queue's write failed: what it tells of is done, and shown in the portal
        Logger(child=True).exception("A notice was not queued", extra={"kind": kind})
    return chosen


def choices_of(user_ids: Iterable[str], kind: str) -> dict[str, str]:
    """Each person's choice for one kind ("off" for someone who cannot log in or is gone): one
    BatchGetItem per 100 people."""
    found = account_store.users_by_id(user_ids)
    return {
        user_id: rules.choice(user.notifications, kind) if user.status == "active" else rules.OFF
        for user_id, user in found.items()
    } | {user_id: rules.OFF for user_id in set(user_ids) - set(found)}


def queue(user_id: str, kind: str, params: Mapping[str, str]) -> None:
    """Keep a notice for the person's daily digest (logged, never raised, if it cannot be kept)."""
    try:
        notice_store.queue(user_id, kind, dict(params))
    except Exception:  # what it tells of is done, and shown in the portal
        Logger(child=True).exception("A notice was not queued", extra={"kind": kind})


def notify_all(users: Iterable[User], kind: str, params: Mapping[str, str]) -> None:
    for user in users:
        notify(user, kind, params)


def values(params: Mapping[str, str], language: Language) -> dict[str, str]:
    """What a message is filled in with, in one language (see the module's note on params)."""
    found: dict[str, str] = {}
    for name, value in params.items():
        base, _, suffix = name.rpartition("_")
        if base and suffix in ("nb", "en"):
            if suffix == language:
                found[base] = value
            continue
        found[name] = value
    for name in DATES:
        if name in found:
            found[name] = written_date(found[name], language)
    for name, listing in NAMED.items():
        if found.get(name):
            found[name] = reference.name_of(listing, found[name], language)
    if "path" in found:
        found["link"] = mail.link(found.pop("path"), language)
    return found


def written_date(iso: str, language: Language) -> str:
    """A date as each language writes it: 1.12.2026, 1 December 2026."""
    day = date.fromisoformat(iso[:10])
    if language == "en":
        return f"{day.day} {day.strftime('%B')} {day.year}"
    return f"{day.day}.{day.month}.{day.year}"


# -- who is told ---------------------------------------------------------------------------------
def admins(org_id: str) -> list[User]:
    """An organisation's active admins (one Query)."""
    return [u for u in account_store.org_users(org_id) if u.role == "admin" and u.status == "active"]


def who_asked(link: Link) -> list[User]:
    """The buyer's user who asked for this access, while they are an active user of the buyer; else
    (the producer granted it unasked, or they left) the buyer's admins."""
    if link.requested_by:
        user = account_store.user_by_id(link.requested_by)
        if user is not None and user.org_id == link.buyer_id and user.status == "active":
            return [user]
    return admins(link.buyer_id)


def staff() -> list[User]:
    return [u for u in account_store.staff_users() if u.status == "active"]
