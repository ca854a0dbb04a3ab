"""The demo world that `make serve` starts with: member organisations, producers and their sites.

Written through the same store functions the API uses, so the public counters are right.
Later capabilities extend it (users, SAQs, audits, links).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist

from portal.store.models import Marker, Organisation, Site, new
from portal.store.organisations import register_organisation, register_site

SEED_VERSION = "1"


@dataclass(frozen=True)
class DemoOrganisation:
    org_id: str
    name: str
    organisation_number: str | None
    org_type: str
    country: str
    sites: tuple[tuple[str, str, str], ...] = ()  # (site id, name, ISO country)


DEMO_WORLD: tuple[DemoOrganisation, ...] = (
    DemoOrganisation("org-nordlys", "Nordlys Dagligvare AS", "923609016", "buyer", "NO"),
    DemoOrganisation("org-fjellsport", "Fjellsport Norge AS", "914778271", "buyer", "NO"),
    DemoOrganisation("org-bergen-kommune", "Bergen kommune", "964338531", "buyer", "NO"),
    DemoOrganisation(
        "org-anatolia",
        "Anatolia Tekstil A.Ş.",
        None,
        "producer",
        "TR",
        (
            ("ZS-4KQ7-TR1", "Anatolia Tekstil – Denizli", "TR"),
            ("ZS-4KQ7-TR2", "Anatolia Tekstil – Bursa", "TR"),
        ),
    ),
    DemoOrganisation(
        "org-dhaka",
        "Dhaka Knitwear Ltd.",
        None,
        "producer",
        "BD",
        (("ZS-8M2P-BD1", "Dhaka Knitwear – Gazipur", "BD"),),
    ),
    DemoOrganisation(
        "org-mekong",
        "Mekong Seafood JSC",
        None,
        "producer",
        "VN",
        (("ZS-3T9W-VN1", "Mekong Seafood – Can Tho", "VN"), ("ZS-3T9W-VN2", "Mekong Seafood – Ca Mau", "VN")),
    ),
    DemoOrganisation(
        "org-andes",
        "Frutas del Sur S.A.",
        None,
        "producer",
        "PE",
        (("ZS-6H1L-PE1", "Frutas del Sur – Ica", "PE"),),
    ),
    DemoOrganisation(
        "org-norsk-fisk",
        "Norsk Fiskeforedling AS",
        "987217866",
        "both",
        "NO",
        (
            ("ZS-2N5F-NO1", "Norsk Fiskeforedling – Ålesund", "NO"),
            ("ZS-2N5F-CN1", "Qingdao partner plant", "CN"),
        ),
    ),
)


MARKER = Marker.key(f"demo-world-v{SEED_VERSION}")


def is_seeded() -> bool:
    try:
        Marker.get(*MARKER)
        return True
    except DoesNotExist:
        return False


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    org_id: str
    role: str
    password: str
    is_staff: bool = False
    totp_secret: str | None = None


IEH_ORG = "org-ieh"
# Demo logins (README.md lists them). IEH staff must use a second factor: the secret is public
# here on purpose, so the demo can be tried with any authenticator app or `pyotp`.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "admin@etiskhandel.example",
        "Ingrid IEH",
        IEH_ORG,
        "admin",
        "ieh-demo-stab-2026",
        True,
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    ),
    DemoUser("kari@nordlys.example", "Kari Nordlys", "org-nordlys", "admin", "nordlys-demo-innkjop-2026"),
    DemoUser("ola@nordlys.example", "Ola Nordlys", "org-nordlys", "member", "nordlys-demo-medlem-2026"),
    DemoUser("ayse@anatolia.example", "Ayşe Anatolia", "org-anatolia", "admin", "anatolia-demo-tekstil-2026"),
)
USERS_MARKER = Marker.key("demo-users-v1")


def seed_users() -> int:
    """Demo users, with the IEH staff organisation (not a member, so not counted)."""
    from pynamodb.exceptions import PutError

    from portal.domain.passwords import hash_password
    from portal.store.accounts import create_user
    from portal.store.models import User

    try:
        Marker.get(*USERS_MARKER)
        return 0
    except DoesNotExist:
        pass
    with suppress(PutError):  # there from an earlier run
        new(
            Organisation,
            Organisation.key(IEH_ORG),
            org_id=IEH_ORG,
            name="Etisk handel Norge (IEH)",
            organisation_number="984590288",
            org_type="ieh",
            country="NO",
        ).save(condition=Organisation.pk.does_not_exist())
    for demo in DEMO_USERS:
        user_id = f"user-{demo.email.split('@')[0]}-{demo.org_id.removeprefix('org-')}"
        create_user(
            new(
                User,
                User.key(user_id),
                user_id=user_id,
                email=demo.email,
                name=demo.name,
                org_id=demo.org_id,
                role=demo.role,
                is_staff=demo.is_staff,
                status="active",
                password_hash=hash_password(demo.password),
                totp_secret=demo.totp_secret,
            )
        )
    new(Marker, USERS_MARKER).save()
    return len(DEMO_USERS)


def seed() -> int:
    """Write the demo world once; returns how many organisations it wrote (0 when already there)."""
    if is_seeded():
        return seed_users() and 0
    for demo in DEMO_WORLD:
        register_organisation(
            new(
                Organisation,
                Organisation.key(demo.org_id),
                org_id=demo.org_id,
                name=demo.name,
                organisation_number=demo.organisation_number,
                org_type=demo.org_type,
                country=demo.country,
            )
        )
        for site_id, name, country in demo.sites:
            register_site(
                new(
                    Site,
                    Site.key(demo.org_id, site_id),
                    site_id=site_id,
                    org_id=demo.org_id,
                    name=name,
                    country=country,
                )
            )
    new(Marker, MARKER).save()
    seed_users()
    return len(DEMO_WORLD)
