"""The demo world's producer data: company profiles, site details, submitted SAQs (and a draft),
audits with their reports, findings, corrective actions and evidence.

Written through the store functions the API uses; documents are generated (fpdf2, Pillow) and put
where the upload check would have put them, with their real size and SHA-256. All of it is demo
data about invented companies.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from pynamodb.exceptions import DoesNotExist

from infra.demo_world import DEMO_WORLD
from portal.domain import saq
from portal.domain.risk import controls_from_answers, red_flags_from_answers
from portal.store.models import (
    ActionEvent,
    Audit,
    Document,
    DocumentHash,
    Finding,
    Marker,
    Organisation,
    SaqDraft,
    SaqVersion,
    Site,
    new,
    utcnow,
)

MARKER = Marker.key("demo-producers-v1")
# Yes/no questions where "yes" is the worrying answer; every other one is answered "yes".
WORRYING_YES = {
    "site_profile.subcontracts_production",
    "labour.young_workers.employs_under_18",
    "labour.discrimination.pregnancy_testing",
    "labour.forced_labour.documents_withheld",
    "labour.forced_labour.recruitment_fees",
    "health_safety.lost_time_accidents",
    "business_ethics.legal_proceedings",
}


@dataclass(frozen=True)
class DemoSite:
    site_id: str
    street: str
    postal_code: str
    city: str
    sector: str
    workforce: dict[str, int]
    certifications: tuple[str, ...] = ()
    answers: dict[str, Any] = field(default_factory=dict)  # where this site differs from the defaults
    submitted: bool = True  # else the SAQ is a draft, half done
    goods: tuple[str, ...] = ()  # codes from the goods list the risk model reads


@dataclass(frozen=True)
class DemoFinding:
    grade: str
    pillar: str
    description: str
    root_cause: str | None = None
    action: str | None = None
    owner: str | None = None
    status: str | None = None
    completion_note: str | None = None
    evidence: bool = False
    # Closed after a verification: (verifier org id, its name, the person's name, days ago), by a
    # customer's review unless `verified_how` says otherwise (verifier kind, method, note).
    verified_by: tuple[str, str, str, int] | None = None
    verified_how: tuple[str, str, str] = (
        "customer",
        "customer_review",
        "Bildene og vedlikeholdsplanen er gjennomgått.",
    )
    clause: str | None = None  # the SMETA clause, for a SMETA audit's finding


@dataclass(frozen=True)
class DemoAudit:
    audit_id: str
    site_id: str
    audit_type: str
    days_ago: int
    audit_company: str
    pillars: tuple[str, ...]
    findings: tuple[DemoFinding, ...]
    reference: str | None = None  # the audit company's report reference
    announcement: str | None = None
    lead_auditor: str | None = None


@dataclass(frozen=True)
class DemoProducer:
    org_id: str
    street: str
    postal_code: str
    city: str
    contact: tuple[str, str, str]
    sectors: tuple[str, ...]
    products: str
    confirmed_days_ago: int | None
    sites: tuple[DemoSite, ...]
    audits: tuple[DemoAudit, ...] = ()


ALL_PILLARS = ("labour", "health_safety", "environment", "business_ethics")

DEMO_PRODUCERS: tuple[DemoProducer, ...] = (
    DemoProducer(
        "org-anatolia",
        "Organize Sanayi Bölgesi 12",
        "20330",
        "Denizli",
        ("Ayşe Anatolia", "ayse@anatolia.example", "+902580000000"),
        ("textiles_apparel",),
        "Strikkede plagg og hjemmetekstiler i bomull",
        30,
        (
            DemoSite(
                "ZS-4KQ7-TR1",
                "Organize Sanayi Bölgesi 12",
                "20330",
                "Denizli",
                "textiles_apparel",
                {"total": 420, "women": 250, "migrant": 35, "temporary": 20, "agency": 0},
                ("OEKO-TEX Standard 100", "GOTS"),
                {"site_profile.migrant_workers": True, "labour.hours.longest_week": 60},
                goods=("garments", "cotton"),
            ),
            DemoSite(
                "ZS-4KQ7-TR2",
                "Demirtaş OSB, Mavi Cd. 4",
                "16245",
                "Bursa",
                "textiles_apparel",
                {"total": 180, "women": 120, "migrant": 0, "temporary": 30, "agency": 15},
                (),
                {"site_profile.uses_agency_workers": True, "site_profile.agency_workers": 15},
                submitted=False,
                goods=("garments", "textiles"),
            ),
        ),
        (
            DemoAudit(
                "a1f00d0000000000000000000000a001",
                "ZS-4KQ7-TR1",
                "smeta_4",
                75,
                "Intertek",
                ALL_PILLARS,
                (
                    DemoFinding(
                        "major",
                        "health_safety",
                        "Nødutgangen i tilskjæringshallen var sperret av ruller med stoff.",
                        "For lite lagerplass ved tilskjæringen.",
                        "Nytt lagerrom; daglig kontroll av rømningsveier.",
                        "Fabrikksjef",
                        "awaiting_verification",
                        "Utgangen er ryddet og merket; skiftleder kontrollerer hver dag.",
                        evidence=True,
                        clause="smeta_3",
                    ),
                    DemoFinding(
                        "minor",
                        "labour",
                        "Lønnsslippene viste ikke overtidssatsen.",
                        "Malen i lønnssystemet manglet feltet.",
                        "Oppdatere malen for lønnsslipp.",
                        "Lønningsansvarlig",
                        "in_progress",
                        clause="smeta_5",
                    ),
                    DemoFinding(
                        "observation",
                        "environment",
                        "Kjemikalielageret mangler oppsamlingskant.",
                        clause="smeta_10c",
                    ),
                    DemoFinding(
                        "good_example",
                        "labour",
                        "Valgt arbeiderkomité møtes månedlig med ledelsen.",
                        clause="smeta_2",
                    ),
                    DemoFinding(
                        "major",
                        "health_safety",
                        "Brannslukkerne i ferdigvarelageret var ikke kontrollert på over ett år.",
                        "Kontrollen var ikke lagt inn i vedlikeholdsplanen.",
                        "Kontroll av alle slukkere; årlig kontroll i vedlikeholdsplanen.",
                        "Vedlikeholdsleder",
                        "closed",
                        "Alle slukkere er kontrollert og merket med dato.",
                        evidence=True,
                        verified_by=("org-nordlys", "Nordlys Dagligvare AS", "Kari Nordlys", 20),
                    ),
                    DemoFinding(
                        "minor",
                        "labour",
                        "Overtidsavtalen var ikke signert av alle ansatte i sømavdelingen.",
                        "Nyansatte fikk avtalen etter at runden var gjort.",
                        "Avtalen signeres ved ansettelse; HR kontrollerer hver måned.",
                        "HR-sjef",
                        "awaiting_verification",
                        "Alle i sømavdelingen har signert; sjekklisten for nyansatte er oppdatert.",
                        evidence=True,
                    ),
                    DemoFinding(
                        "minor",
                        "environment",
                        "Avfallsolje ble lagret uten merking.",
                        "Ingen faste rutiner for farlig avfall.",
                        "Merkede fat og avtale med godkjent mottak.",
                        "Miljøansvarlig",
                        # closed by the producer alone, as the portal allowed before closing needed a
                        # verifier: the migration makes it "not verified" at the first start
                        "closed",
                        "Fatene er merket, og mottaket henter hver måned.",
                        evidence=True,
                    ),
                ),
                reference="ITK-TR-2026-4417",
                announcement="semi_announced",
                lead_auditor="Elif Demir",
            ),
        ),
    ),
    DemoProducer(
        "org-dhaka",
        "Plot 7, BSCIC Industrial Estate",
        "1700",
        "Gazipur",
        ("Rahim Uddin", "rahim@dhaka-knitwear.example", "+8802000000000"),
        ("textiles_apparel",),
        "Strikkede gensere og T-skjorter",
        430,  # not confirmed for over a year: shown as out of date
        (
            DemoSite(
                "ZS-8M2P-BD1",
                "Plot 7, BSCIC Industrial Estate",
                "1700",
                "Gazipur",
                "textiles_apparel",
                {"total": 1350, "women": 900, "migrant": 0, "temporary": 100, "agency": 60},
                ("WRAP",),
                {
                    "labour.hours.longest_week": 72,
                    "labour.hours.overtime_voluntary": False,
                    "site_profile.uses_agency_workers": True,
                    "site_profile.agency_workers": 60,
                },
                goods=("garments", "textiles"),
            ),
        ),
        (
            DemoAudit(
                "a1f00d0000000000000000000000b001",
                "ZS-8M2P-BD1",
                "amfori_bsci",
                200,
                "Bureau Veritas",
                ("labour", "health_safety"),
                (
                    DemoFinding(
                        "critical",
                        "labour",
                        "Arbeidere jobbet opptil 72 timer i uken i høysesongen.",
                        "Ordrer med for kort leveringstid.",
                        "Produksjonsplan med tak på 60 timer; kapasitetsavtale med kunder.",
                        "Produksjonsdirektør",
                        "open",
                    ),
                ),
                reference="BV-BD-2026-0381",
                announcement="announced",
                lead_auditor="Rahim Chowdhury",
            ),
        ),
    ),
    DemoProducer(
        "org-mekong",
        "Khu công nghiệp Trà Nóc 2",
        "900000",
        "Cần Thơ",
        ("Nguyen Thi Lan", "lan@mekong-seafood.example", "+84292000000"),
        ("fishing_seafood", "food_processing"),
        "Frossen pangasius og reker",
        100,
        (
            DemoSite(
                "ZS-3T9W-VN1",
                "Khu công nghiệp Trà Nóc 2",
                "900000",
                "Cần Thơ",
                "food_processing",
                {"total": 800, "women": 560, "migrant": 200, "temporary": 150, "agency": 0},
                ("ASC", "BRCGS Food Safety"),
                {
                    "site_profile.migrant_workers": True,
                    "labour.forced_labour.recruitment_fees": True,
                    "labour.forced_labour.fees_repaid": False,
                    "labour.forced_labour.repayment_plan": "Tilbakebetales over seks måneder fra januar.",
                },
                goods=("fish",),
            ),
            DemoSite(
                "ZS-3T9W-VN2",
                "Khánh An, U Minh",
                "970000",
                "Cà Mau",
                "fishing_seafood",
                {"total": 260, "women": 90, "migrant": 40, "temporary": 60, "agency": 0},
                ("ASC",),
                goods=("shrimp", "fish"),
            ),
        ),
        (
            DemoAudit(
                "a1f00d0000000000000000000000c001",
                "ZS-3T9W-VN1",
                "smeta_2",
                40,
                "SGS",
                ("labour", "health_safety"),
                (
                    DemoFinding(
                        "major",
                        "labour",
                        "Migrantarbeidere hadde betalt rekrutteringsgebyr til byrå.",
                        "Byrået tok gebyr uten at virksomheten visste det.",
                        "Refundere gebyrene og bytte til byrå som ikke tar gebyr.",
                        "HR-sjef",
                        "in_progress",
                        clause="smeta_1",
                    ),
                ),
                reference="SGS-VN-2026-1190",
                announcement="unannounced",
                lead_auditor="Nguyễn Thị Lan",
            ),
        ),
    ),
    DemoProducer(
        "org-andes",
        "Panamericana Sur km 300",
        "11000",
        "Ica",
        ("Lucía Quispe", "lucia@frutasdelsur.example", "+5156000000"),
        ("agriculture",),
        "Druer og avokado",
        None,  # never confirmed
        (
            DemoSite(
                "ZS-6H1L-PE1",
                "Panamericana Sur km 300",
                "11000",
                "Ica",
                "agriculture",
                {"total": 600, "women": 280, "migrant": 120, "temporary": 400, "agency": 100},
                ("GLOBALG.A.P.", "GRASP"),
                {"site_profile.uses_agency_workers": True, "site_profile.agency_workers": 100},
                goods=("grapes",),
            ),
        ),
    ),
)


def sample_answers(overrides: dict[str, Any]) -> dict[str, Any]:
    """A whole SAQ: the site's own answers, and a plausible default for every other question shown."""
    questionnaire = saq.questionnaire()
    answers = dict(overrides)
    while missing := saq.missing(questionnaire, answers):
        for question in saq.visible(questionnaire, answers):
            if question.id not in missing:
                continue
            if question.type == "yes_no":
                answers[question.id] = question.id not in WORRYING_YES
            elif question.type == "number":
                answers[question.id] = question.min or 0 if "hours" not in question.id else 48
            elif question.type == "choice":
                answers[question.id] = question.options[0].value
            else:
                answers[question.id] = "Se håndboken for produksjonsstedet."
    cleaned, errors = saq.clean(questionnaire, answers)
    assert not errors, errors  # the demo data must be valid answers
    return cleaned


def _latin1(text: str) -> str:
    """The PDF core fonts cover Latin-1: other letters lose their accents (ş → s, ầ → a)."""
    import unicodedata

    text = text.replace("–", "-").replace("’", "'")
    if all(ord(c) < 256 for c in text):
        return text
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if ord(c) < 256 and not unicodedata.combining(c))


def _pdf(title: str, lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 9, _latin1(title))
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.ln(2)
        pdf.multi_cell(0, 6, _latin1(line))
    return bytes(pdf.output())


def _png(label: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), (236, 240, 241))
    ImageDraw.Draw(image).text((20, 20), label, fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _store_document(org_id: str, item: Document, content: bytes, media_type: str) -> None:
    """Where the upload check would have put it: under documents/, available, its checksum claimed."""
    from portal.adapters.files import s3_client
    from portal.settings import current

    sha = hashlib.sha256(content).hexdigest()
    item.object_key = Document.checked_key(org_id, item.audit_id, item.document_id)
    written = s3_client().put_object(
        Bucket=current().reports_bucket, Key=item.object_key, Body=content, ContentType=media_type
    )
    item.object_version = written.get("VersionId")  # downloads name the version, as after a check
    item.status, item.sha256, item.size_bytes, item.media_type = "available", sha, len(content), media_type
    item.checked_at = utcnow()
    item.gsi1pk, item.gsi1sk = Document.id_index(item.document_id, org_id)
    item.save()
    DocumentHash(*DocumentHash.key(org_id, sha), document_id=item.document_id).save()


def _site(demo: DemoProducer, site: DemoSite, now: datetime) -> None:
    item = Site.get(*Site.key(demo.org_id, site.site_id))
    answers = sample_answers(site.answers)
    questionnaire = saq.questionnaire()
    if not site.submitted:  # half done: the first sections only
        answers = {k: v for k, v in answers.items() if k.startswith(("site_profile.", "labour."))}
    counts = saq.completion(questionnaire, answers)
    item.update(
        actions=[
            Site.address.set({"street": site.street, "postal_code": site.postal_code, "city": site.city}),
            Site.sector.set(site.sector),
            Site.workforce.set(site.workforce),
            Site.certifications.set(list(site.certifications)),
            Site.goods.set(list(site.goods)),
            Site.confirmed_at.set(now - timedelta(days=demo.confirmed_days_ago or 400)),
            Site.gsi1pk.set(Site.public_index(site.site_id)[0]),
            Site.gsi1sk.set(Site.public_index(site.site_id)[1]),
            Site.saq_answered.set(sum(a for a, _ in counts.values())),
            Site.saq_required.set(sum(r for _, r in counts.values())),
            Site.saq_draft.set(True),
            *(
                [
                    Site.saq_versions.set(1),
                    Site.saq_submitted_at.set(now - timedelta(days=20)),
                    Site.saq_controls.set(sorted(controls_from_answers(answers))),
                    Site.saq_flags.set(sorted(red_flags_from_answers(answers))),
                ]
                if site.submitted
                else []
            ),
        ]
    )
    new(
        SaqDraft,
        SaqDraft.key(demo.org_id, site.site_id),
        site_id=site.site_id,
        questionnaire_version=questionnaire.version,
        answers=answers,
        updated_at=now - timedelta(days=20),
        updated_by=demo.contact[1],
    ).save()
    if site.submitted:
        new(
            SaqVersion,
            SaqVersion.key(demo.org_id, site.site_id, 1),
            site_id=site.site_id,
            number=1,
            questionnaire_version=questionnaire.version,
            answers=answers,
            submitted_at=now - timedelta(days=20),
            submitted_by=demo.contact[1],
        ).save()


def _audit(demo: DemoProducer, audit: DemoAudit, today: date) -> None:
    from portal.domain.actions import DUE_DAYS

    site = Site.get(*Site.key(demo.org_id, audit.site_id))
    audit_date = today - timedelta(days=audit.days_ago)
    new(
        Audit,
        Audit.key(demo.org_id, audit.audit_id),
        audit_id=audit.audit_id,
        site_id=audit.site_id,
        site_name=site.name,
        audit_type=audit.audit_type,
        audit_date=audit_date.isoformat(),
        audit_company=audit.audit_company,
        reference=audit.reference,
        announcement=audit.announcement,
        lead_auditor=audit.lead_auditor,
        pillars=list(audit.pillars),
        document_id=audit.audit_id,
        request_hash="seed",
    ).save()
    report = new(
        Document,
        Document.key(demo.org_id, audit.audit_id, None, audit.audit_id),
        document_id=audit.audit_id,
        audit_id=audit.audit_id,
        purpose="audit_report",
        file_name=f"{audit.audit_type}-{audit.site_id}-{audit_date.isoformat()}.pdf",
        declared_size=0,
        declared_type="application/pdf",
        object_key="",
        request_hash="seed",
    )
    lines = [f"{site.name} ({audit.site_id}), {audit_date.isoformat()}, {audit.audit_company}. Demo."]
    lines += [f"{f.grade}: {f.description}" for f in audit.findings]
    content = _pdf(f"Revisjonsrapport {audit.audit_type}", lines)
    report.declared_size = len(content)
    _store_document(demo.org_id, report, content, "application/pdf")
    for number, demo_finding in enumerate(audit.findings, start=1):
        finding_id = f"{audit.audit_id[-4:]}f{number}"
        item = new(
            Finding,
            Finding.key(demo.org_id, audit.audit_id, finding_id),
            audit_id=audit.audit_id,
            finding_id=finding_id,
            grade=demo_finding.grade,
            pillar=demo_finding.pillar,
            clause=demo_finding.clause,
            description=demo_finding.description,
            root_cause=demo_finding.root_cause,
            action=demo_finding.action,
            owner=demo_finding.owner,
            status=demo_finding.status,
            completion_note=demo_finding.completion_note,
        )
        if demo_finding.verified_by:
            buyer_id, buyer_name, person, days_ago = demo_finding.verified_by
            kind, method, note = demo_finding.verified_how
            at = datetime.combine(today - timedelta(days=days_ago), datetime.min.time(), UTC)
            item.verification = {
                "by": kind,
                "org_id": buyer_id,
                "organisation": buyer_name,
                "person": person,
                "method": method,
                "note": note,
                "at": at.isoformat(),
            }
            new(
                ActionEvent,
                ActionEvent.key(demo.org_id, audit.audit_id, finding_id, at),
                audit_id=audit.audit_id,
                finding_id=finding_id,
                from_status="awaiting_verification",
                to_status="closed",
                by=person,
                verifier_kind=kind,
                verifier_org_id=buyer_id,
                organisation=buyer_name,
                created_at=at,
            ).save()
        if demo_finding.grade in DUE_DAYS:
            item.due_date = (audit_date + timedelta(days=DUE_DAYS[demo_finding.grade])).isoformat()
        item.save()
        if demo_finding.evidence:
            image = _png(f"{demo_finding.description[:40]} - utbedret")
            evidence_id = f"{audit.audit_id[:24]}{finding_id}e1"
            evidence = new(
                Document,
                Document.key(demo.org_id, audit.audit_id, finding_id, evidence_id),
                document_id=evidence_id,
                audit_id=audit.audit_id,
                finding_id=finding_id,
                purpose="evidence",
                file_name="utbedret.png",
                declared_size=len(image),
                declared_type="image/png",
                object_key="",
                request_hash="seed",
            )
            _store_document(demo.org_id, evidence, image, "image/png")


def seed_producers(now: datetime | None = None) -> int:
    """Write the producers' data once; returns how many producers it wrote (0 when already there)."""
    from portal.usecases.supply import recount_open_ncs

    try:
        Marker.get(*MARKER)
        return 0
    except DoesNotExist:
        pass
    now = now or utcnow()
    for demo in DEMO_PRODUCERS:
        org = Organisation.get(*Organisation.key(demo.org_id))
        org.address = {
            "street": demo.street,
            "postal_code": demo.postal_code,
            "city": demo.city,
            "country": org.country,
        }
        org.contact = {"name": demo.contact[0], "email": demo.contact[1], "phone": demo.contact[2]}
        org.sectors = list(demo.sectors)
        org.products = demo.products
        org.confirmed_at = (
            now - timedelta(days=demo.confirmed_days_ago) if demo.confirmed_days_ago is not None else None
        )
        org.save()
        for site in demo.sites:
            _site(demo, site, now)
        for audit in demo.audits:
            _audit(demo, audit, now.date())
        for site in demo.sites:
            recount_open_ncs(demo.org_id, site.site_id)  # as a finding's change counts them
    new(Marker, MARKER).save()
    return len(DEMO_PRODUCERS)


# -- links between buyers and producers ------------------------------------------------------------
LINKS_MARKER = Marker.key("demo-links-v1")
# (producer, buyer, status, level, sites or None for all)
DEMO_LINKS: tuple[tuple[str, str, str, str | None, tuple[str, ...] | None], ...] = (
    ("org-anatolia", "org-nordlys", "active", "audits", None),
    ("org-dhaka", "org-nordlys", "active", "saq", None),
    ("org-mekong", "org-nordlys", "pending", None, None),
    ("org-anatolia", "org-fjellsport", "active", "profile", ("ZS-4KQ7-TR1",)),
    ("org-dhaka", "org-fjellsport", "declined", None, None),
    ("org-andes", "org-fjellsport", "revoked", None, None),
    ("org-mekong", "org-norsk-fisk", "active", "audits", None),
    ("org-andes", "org-bergen-kommune", "active", "saq", None),
)


def seed_links() -> int:
    """Links at every level and in every state, written as the producers' decisions are."""
    from portal.usecases.sharing import decide_link, new_link, new_request

    try:
        Marker.get(*LINKS_MARKER)
        return 0
    except DoesNotExist:
        pass
    for producer_id, buyer_id, status, level, sites in DEMO_LINKS:
        item = new_link(
            Organisation.get(*Organisation.key(producer_id)), Organisation.get(*Organisation.key(buyer_id))
        )
        item.requested_at = utcnow() - timedelta(days=40)
        also = None
        if status in ("pending", "declined"):  # the buyer asked by a site id and sees only that
            [site_id, *_] = [s[0] for d in DEMO_WORLD if d.org_id == producer_id for s in d.sites]
            request = new_request(buyer_id, site_id, "site_id", producer_id, item.requested_at)
            item.requested_as = [site_id]
            also = partial(_save, request)
        decide_link(item, status, level, list(sites) if sites else None, "demo", None, also=also)
    new(Marker, LINKS_MARKER).save()
    return len(DEMO_LINKS)


def _save(item: Any, writes: Any) -> None:
    writes.save(item)
