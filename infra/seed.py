"""The demo world that `make serve` starts with: member organisations, producers and their sites.

Written through the same store functions the API uses, so the public counters are right.
Later capabilities extend it (users, SAQs, audits, links).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from infra.demo_world import DEMO_WORLD
from infra.seed_auditing import seed_auditing
from infra.seed_producers import seed_links, seed_producers
from infra.seed_requests import seed_requests
from portal.errors import PortalError
from portal.store.models import Marker, Organisation, OrganisationNumberClaim, Site, new
from portal.store.organisations import create_organisation, register_site

SEED_VERSION = "1"


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
    apsca_number: str | None = None  # an auditor's


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
    DemoUser(
        "per@fjellsport.example", "Per Fjellsport", "org-fjellsport", "admin", "fjellsport-demo-innkjop-2026"
    ),
    DemoUser(
        "lucia@frutasdelsur.example", "Lucía Quispe", "org-andes", "admin", "frutas-demo-produsent-2026"
    ),
    DemoUser(
        "mehmet@anatolia.example", "Mehmet Anatolia", "org-anatolia", "member", "anatolia-demo-medlem-2026"
    ),
    # The audit company's auditors (infra/seed_auditing.py): its admin, with an APSCA number, and one without.
    DemoUser(
        "sofie@nordicaudit.example",
        "Sofie Lind",
        "org-nordic-audit",
        "admin",
        "nordic-demo-revisor-2026",
        apsca_number="21700123",
    ),
    DemoUser(
        "jonas@nordicaudit.example", "Jonas Berg", "org-nordic-audit", "member", "nordic-demo-revisjon-2026"
    ),
)
USERS_MARKER = Marker.key("demo-users-v4")  # v3: staff listed for the notices they get; v4: auditors


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
    from portal.store.accounts import user_by_email

    for demo in DEMO_USERS:
        existing = user_by_email(demo.email)
        if existing is not None:  # from an earlier version of the demo world
            if demo.is_staff and existing.gsi2pk is None:
                existing.gsi2pk, existing.gsi2sk = User.staff_index(existing.email)
                existing.save()
            continue
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
                apsca_number=demo.apsca_number,
            )
        )
    new(Marker, USERS_MARKER).save()
    return len(DEMO_USERS)


@dataclass(frozen=True)
class DemoCourse:
    course_id: str
    title_nb: str
    title_en: str
    description_nb: str
    description_en: str
    days_ahead: int
    location: str
    capacity: int
    registered: tuple[str, ...] = ()  # demo users' e-mails, registered at seeding


DEMO_COURSES: tuple[DemoCourse, ...] = (
    DemoCourse(
        "intro-aktsomhet",
        "Innføring i aktsomhetsvurderinger",
        "Introduction to human rights due diligence",
        "Hva aktsomhetsvurderinger er, og hvordan du kommer i gang i egen virksomhet.",
        "What due diligence is, and how to get started in your own business.",
        21,
        "Oslo",
        25,
    ),
    DemoCourse(
        "leverandoroppfolging",
        "Leverandøroppfølging i praksis",
        "Following up suppliers in practice",
        "Risikokartlegging, egenvurderinger, revisjoner og korrigerende tiltak – med øvelser.",
        "Risk mapping, self-assessments, audits and corrective actions – with exercises.",
        35,
        "Digitalt (Teams)",
        30,
    ),
    DemoCourse(
        "nettverk-tekstil",
        "Nettverksmøte: tekstil og sko",
        "Network meeting: textiles and footwear",
        "Medlemmer i tekstil- og skobransjen deler erfaringer. Få plasser.",
        "Members in textiles and footwear share experience. Few seats.",
        14,
        "Oslo",
        1,
        ("kari@nordlys.example",),
    ),
)


@dataclass(frozen=True)
class DemoDocument:
    resource_id: str
    resource_type: str
    file_name: str
    title_nb: str
    title_en: str
    description_nb: str
    description_en: str
    paragraphs: tuple[str, ...]  # the document's own text (Norwegian)


DEMO_DOCUMENTS: tuple[DemoDocument, ...] = (
    DemoDocument(
        "kom-i-gang-portalen",
        "guide",
        "kom-i-gang-med-portalen.pdf",
        "Veileder: kom i gang med portalen",
        "Guide: getting started with the portal",
        "For produsenter og innkjøpere: profil, egenvurdering, revisjoner og deling.",
        "For producers and buyers: profile, self-assessment, audits and sharing.",
        (
            "Produsenter legger inn selskap og produksjonssteder, fyller ut egenvurderingen (SAQ) "
            "og laster opp revisjonsrapporter og korrigerende tiltak.",
            "Produsenten bestemmer selv hvilke kunder som får se dataene, og kan trekke tilgangen "
            "tilbake når som helst.",
            "Innkjøpere ser bare sin egen leverandørkjede og risikoen i den, aldri andre innkjøperes.",
        ),
    ),
    DemoDocument(
        "sjekkliste-egenvurdering",
        "template",
        "sjekkliste-egenvurdering.pdf",
        "Mal: sjekkliste før egenvurderingen",
        "Template: checklist before the self-assessment",
        "Hva du bør ha klart før du fyller ut egenvurderingen for et produksjonssted.",
        "What to have ready before filling in the self-assessment for a site.",
        (
            "Arbeidsforhold: antall ansatte, kontrakter, arbeidstid og lønn.",
            "Helse og sikkerhet: risikovurderinger, opplæring, ulykker og tiltak.",
            "Miljø: tillatelser, avfall, utslipp og energi.",
            "Forretningsetikk: retningslinjer mot korrupsjon og varsling.",
        ),
    ),
)
MEMBERS_AREA_MARKER = Marker.key("demo-members-area-v1")


def _pdf(document: DemoDocument) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(document.title_nb)
    pdf.set_author("Etisk handel Norge (demo)")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, document.title_nb)
    pdf.set_font("Helvetica", size=11)
    for paragraph in (document.description_nb, *document.paragraphs):
        pdf.ln(3)
        pdf.multi_cell(0, 6, paragraph)
    return bytes(pdf.output())


def seed_members_area(now: datetime | None = None) -> int:
    """Courses (one already full, so the waiting list shows) and members-only documents in the
    reports bucket. Returns how many items it wrote (0 when already there)."""
    from portal.adapters.files import s3_client
    from portal.clock import utcnow
    from portal.settings import current
    from portal.store import accounts, courses
    from portal.store.models import Course, Resource

    try:
        Marker.get(*MEMBERS_AREA_MARKER)
        return 0
    except DoesNotExist:
        pass
    now = now or utcnow()
    start = now.replace(hour=9, minute=0, second=0, microsecond=0)
    for demo in DEMO_COURSES:
        with suppress(PortalError):  # there from an interrupted earlier run
            courses.publish(
                new(
                    Course,
                    Course.key(demo.course_id),
                    course_id=demo.course_id,
                    title_nb=demo.title_nb,
                    title_en=demo.title_en,
                    description_nb=demo.description_nb,
                    description_en=demo.description_en,
                    starts_at=start + timedelta(days=demo.days_ahead),
                    location=demo.location,
                    capacity=demo.capacity,
                )
            )
        for email in demo.registered:
            user = accounts.user_by_email(email)
            if user is not None:
                courses.register(demo.course_id, user, "nb", now)
    bucket = current().reports_bucket
    for document in DEMO_DOCUMENTS:
        body = _pdf(document)
        key = f"resources/{document.resource_id}/{document.file_name}"
        s3_client().put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/pdf")
        new(
            Resource,
            Resource.key(document.resource_id),
            resource_id=document.resource_id,
            title_nb=document.title_nb,
            title_en=document.title_en,
            description_nb=document.description_nb,
            description_en=document.description_en,
            resource_type=document.resource_type,
            file_name=document.file_name,
            object_key=key,
            content_type="application/pdf",
            size_bytes=len(body),
            updated_at=now,
        ).save()
    new(Marker, MEMBERS_AREA_MARKER).save()
    return len(DEMO_COURSES) + len(DEMO_DOCUMENTS)


def claim_numbers() -> int:
    """Every demo organisation's number claimed, as an approval claims it: a local world seeded
    before numbers were claimed gets its claims here (a number already claimed stays as it is)."""
    from pynamodb.exceptions import PutError

    from portal.store.organisations import number_claim

    claimed = 0
    ids = [Organisation.key(demo.org_id) for demo in DEMO_WORLD] + [Organisation.key(IEH_ORG)]
    for org in Organisation.batch_get(ids):
        if not org.organisation_number:
            continue
        with suppress(PutError):
            number_claim(org).save(condition=OrganisationNumberClaim.pk.does_not_exist())
            claimed += 1
    return claimed


def seed() -> int:
    """Write the demo world once; returns how many organisations it wrote (0 when already there)."""
    written = 0
    if not is_seeded():
        for demo in DEMO_WORLD:
            create_organisation(
                demo.org_id,
                demo.name,
                org_type=demo.org_type,
                country=demo.country,
                organisation_number=demo.organisation_number,
            )
            for site_id, name, country in demo.sites:
                site = new(
                    Site,
                    Site.key(demo.org_id, site_id),
                    site_id=site_id,
                    org_id=demo.org_id,
                    name=name,
                    country=country,
                )
                site.gsi1pk, site.gsi1sk = Site.public_index(site_id)
                register_site(site)
        new(Marker, MARKER).save()
        written = len(DEMO_WORLD)
    seed_users()
    claim_numbers()
    seed_members_area()
    seed_producers()
    seed_links()
    seed_auditing()
    seed_requests()
    from portal.usecases import risk_scores, verification

    # Nothing closed before closing needed a verifier pretends to be verified (idempotent: a stored
    # world is migrated once, at the first start with this code)
    verification.migrate_unverified_closures()

    risk_scores.recompute()  # scores, platform counts and customers' views for whatever is not yet scored
    return written
