"""A small world for a use-case test to arrange: member organisations with an admin each (and the
actor that admin is in a session), and the fields of a site."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store.models import User, new
from portal.store.organisations import create_organisation

_ids = itertools.count(1)


@dataclass(frozen=True)
class Member:
    """An organisation with one admin user, and the actor that user is in a session."""

    org_id: str
    name: str
    organisation_number: str
    actor: Actor


def member(org_type: str, name: str, country: str = "NO") -> Member:
    """A member organisation of `org_type` (buyer, producer, both) and its first admin, logged in."""
    n = next(_ids)
    org_id, number = f"org-{org_type}-{n}", f"9{n:08d}"
    create_organisation(org_id, name, org_type=org_type, country=country, organisation_number=number)
    user_id = f"user-{n}"
    email = f"admin{n}@{org_type}.test"
    account_store.create_user(
        new(
            User,
            User.key(user_id),
            user_id=user_id,
            email=email,
            org_id=org_id,
            role="admin",
            status="active",
        )
    )
    actor = Actor(
        user_id=user_id,
        org_id=org_id,
        role="admin",
        org_type=org_type,
        is_staff=False,
        mfa=False,
        session_id=f"session-{n}",
        csrf_token="csrf",
    )
    return Member(org_id, name, number, actor)


SITE_FIELDS = {
    "name": "Denizli weaving",
    "address": {"street": "Organize Sanayi 4", "postal_code": "20330", "city": "Denizli"},
    "country": "TR",
    "sector": "textiles_apparel",
    "workforce": {"total": 420, "women": 180, "migrant": 40, "temporary": 30, "agency": 10},
    "certifications": [],
    "goods": ["garments", "cotton"],
}
