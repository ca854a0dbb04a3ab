"""The demo world's audit company: Nordic Audit AS with two auditors (infra/seed.py DEMO_USERS), an
active invitation for Anatolia's Denizli site, and one audit it uploaded there: one action it has
verified by desk review, one awaiting its verification."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from pynamodb.exceptions import DoesNotExist

from infra.seed_producers import ALL_PILLARS, DEMO_PRODUCERS, DemoAudit, DemoFinding, _audit
from portal.clock import utcnow
from portal.store import auditing as auditing_store
from portal.store.models import Audit, AuditInvitation, Marker, Organisation, Site, new

MARKER = Marker.key("demo-auditing-v1")
COMPANY_ID = "org-nordic-audit"
COMPANY_NAME = "Nordic Audit AS"
ACCREDITATION = {"body": "APSCA", "number": "10000123"}  # its APSCA member firm number
PRODUCER_ID = "org-anatolia"
INVITED_SITE = "ZS-4KQ7-TR1"
LEAD_AUDITOR = ("user-sofie-nordic-audit", "Sofie Lind", "21700123")  # infra.seed DEMO_USERS
AUDIT = DemoAudit(
    "a1f00d0000000000000000000000n001",
    INVITED_SITE,
    "smeta_2",
    20,
    COMPANY_NAME,
    ALL_PILLARS[:2],
    (
        DemoFinding(
            "minor",
            "labour",
            "Tre av tjue personalmapper manglet signert arbeidskontrakt på et språk arbeideren forstår.",
            "Kontraktene ble bare skrevet på tyrkisk.",
            "Kontrakter på arbeiderens eget språk; HR kontrollerer mappene hvert kvartal.",
            "HR-leder",
            "awaiting_verification",  # done, with evidence: for Nordic Audit to verify by desk review
            "Kontraktene er oversatt og signert på nytt; HR har kontrollert alle tjue mappene.",
            True,
            clause="smeta_8",
        ),
        DemoFinding(
            "major",
            "health_safety",
            "Vernebriller manglet ved to av seks slipemaskiner.",
            "Utstyret ble ikke etterfylt etter skiftbytte.",
            "Faste stativ ved hver maskin; skiftleder kontrollerer ved skiftstart.",
            "Produksjonssjef",
            "closed",  # verified by the company's desk review of the photos
            "Stativ er montert ved alle seks maskinene, med briller i to størrelser.",
            True,
            verified_by=(COMPANY_ID, COMPANY_NAME, LEAD_AUDITOR[1], 6),
            verified_how=(
                "audit_company",
                "desk_review",
                "Bildene av stativene og skiftlistene er gjennomgått.",
            ),
            clause="smeta_3",
        ),
        DemoFinding(
            "observation",
            "health_safety",
            "Førstehjelpsskrinet i pakkeavdelingen var komplett, men ikke merket med kontrolldato.",
        ),
    ),
)


def seed_auditing(now: datetime | None = None) -> int:
    """Write the audit company's part of the demo world once (0 when already there)."""
    from portal.usecases.supply import recount_open_ncs

    try:
        Marker.get(*MARKER)
        return 0
    except DoesNotExist:
        pass
    now = now or utcnow()
    try:
        Organisation.get(*Organisation.key(COMPANY_ID))
    except DoesNotExist:
        company = new(
            Organisation,
            Organisation.key(COMPANY_ID),
            org_id=COMPANY_ID,
            name=COMPANY_NAME,
            org_type="audit_company",
            country="NO",
            accreditation=ACCREDITATION,
            created_at=now,
        )
        auditing_store.create_company(company)
    site = Site.get(*Site.key(PRODUCER_ID, INVITED_SITE))
    producer = Organisation.get(*Organisation.key(PRODUCER_ID))
    invitation = new(
        AuditInvitation,
        AuditInvitation.key(COMPANY_ID, INVITED_SITE),
        company_id=COMPANY_ID,
        company_name=COMPANY_NAME,
        producer_id=PRODUCER_ID,
        producer_name=producer.name,
        site_id=INVITED_SITE,
        site_name=site.name,
        site_country=site.country,
        status="active",
        invited_by="ayse@anatolia.example",
        decided_by="sofie@nordicaudit.example",
        updated_at=now - timedelta(days=30),
        created_at=now - timedelta(days=31),
    )
    auditing_store.save_invitation(invitation, None)
    [anatolia] = [p for p in DEMO_PRODUCERS if p.org_id == PRODUCER_ID]
    _audit(replace(anatolia, audits=()), AUDIT, now.date())
    audit = Audit.get(*Audit.key(PRODUCER_ID, AUDIT.audit_id))
    user_id, name, apsca = LEAD_AUDITOR
    audit.uploaded_by = {
        "kind": "audit_company",
        "org_id": COMPANY_ID,
        "org_name": COMPANY_NAME,
        "accreditation": ", ".join(ACCREDITATION.values()),
        "lead_auditor": {"user_id": user_id, "name": name, "apsca": apsca},
        "by": user_id,
    }
    audit.save()
    recount_open_ncs(PRODUCER_ID, INVITED_SITE)
    new(Marker, MARKER).save()
    return 1
