"""What a person may be told by e-mail, and how: the kinds of notice, who each is for, and each
person's choice per kind ("at once", "daily digest" or "off"), with the defaults for no choice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

INSTANT, DIGEST, OFF = "instant", "digest", "off"
CHOICES = (INSTANT, DIGEST, OFF)

# In the order the settings page lists them. The defaults: what someone must act on soon (a customer
# waiting for an answer, one's own access) comes at once, the rest once a day.
DEFAULTS: Mapping[str, str] = {
    "access_request": INSTANT,  # a buyer asks for access: to the producer's admins
    "access_decision": INSTANT,  # granted, changed or revoked: to the buyer who asked
    "verification_request": INSTANT,  # a supplier asks for an action to be verified: the customer's admins
    "verification_decision": INSTANT,  # a verifier closed or sent back an action: the producer's admins
    "company_verification_request": INSTANT,  # an action of a company's audit is done: its auditors
    "action_overdue": DIGEST,  # a corrective action passed its due date: producer's admins, audit-level buyers' admins
    "profile_stale": DIGEST,  # a company or site profile is out of date: to the producer's admins
    "course_change": INSTANT,  # a new time or place, or cancelled: to its participants (it cannot wait a day)
    "new_application": DIGEST,  # a membership application came in: to IEH staff
}
KINDS = tuple(DEFAULTS)


@dataclass(frozen=True)
class Person:
    """What decides which notices can reach someone: their role, their organisation's type."""

    role: str  # admin | member
    org_type: str  # buyer | producer | both | ieh
    is_staff: bool


def kinds_for(person: Person) -> tuple[str, ...]:
    """The kinds that can reach this person (the settings page shows only these)."""
    if person.is_staff:
        return ("new_application",)
    producer = person.org_type in ("producer", "both")
    buyer = person.org_type in ("buyer", "both")
    admin = person.role == "admin"
    if person.org_type == "audit_company":
        return ("company_verification_request", "course_change")
    applies = {
        "access_request": producer and admin,
        "access_decision": buyer,
        "verification_request": buyer and admin,
        "verification_decision": producer and admin,
        "company_verification_request": False,
        "action_overdue": admin and (producer or buyer),
        "profile_stale": producer and admin,
        "course_change": True,
        "new_application": False,
    }
    return tuple(kind for kind in KINDS if applies[kind])


def choice(chosen: Mapping[str, str] | None, kind: str) -> str:
    """The person's choice for a kind: what they chose, else the kind's default."""
    value = (chosen or {}).get(kind)
    return value if value in CHOICES else DEFAULTS[kind]


def choices(chosen: Mapping[str, str] | None, person: Person) -> dict[str, str]:
    """Every kind that applies to the person, with their choice."""
    return {kind: choice(chosen, kind) for kind in kinds_for(person)}


def merged(stored: Mapping[str, str] | None, changes: Mapping[str, str], person: Person) -> dict[str, str]:
    """The stored choices with the changes: only kinds that apply to the person, only known choices.
    Kinds that no longer apply (a role changed) keep what was stored, for when they apply again."""
    allowed = set(kinds_for(person))
    wrong = sorted(kind for kind, value in changes.items() if kind not in allowed or value not in CHOICES)
    if wrong:
        raise ValueError(wrong)
    return {**dict(stored or {}), **changes}
