"""A producer's data at the edge: the codes a form may send (checked against the reference data),
request and response shapes, and the presenters that turn use-case results into responses. Shared
by the supply router (the producer's own view) and the sharing router (a customer's view)."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from aws_lambda_powertools.event_handler import Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from portal.clock import utcnow
from portal.domain import actions, saq
from portal.domain.reference import audit_type, codes, country_name, is_country, name_of, ratings_of
from portal.domain.risk import band
from portal.i18n import Language, text
from portal.routes.schemas import Schema, Text
from portal.usecases.notifications import written_date
from portal.usecases.supply import is_stale

Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


def _code(kind: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in codes(kind):
            raise PydanticCustomError("invalid_choice", "not one of the options")
        return value

    return check


def _country(value: str) -> str:
    value = value.strip().upper()
    if not is_country(value):
        raise PydanticCustomError("invalid_choice", "not a country")
    return value


Country = Annotated[str, AfterValidator(_country)]
Sector = Annotated[str, AfterValidator(_code("sectors"))]
Good = Annotated[str, AfterValidator(_code("goods"))]
AuditType = Annotated[str, AfterValidator(_code("audit_types"))]
Pillar = Annotated[str, AfterValidator(_code("pillars"))]
Grade = Annotated[str, AfterValidator(_code("grades"))]
ActionStatus = Annotated[str, AfterValidator(_code("action_statuses"))]
Announcement = Annotated[str, AfterValidator(_code("announcements"))]
Clause = Annotated[str, AfterValidator(_code("clauses"))]
MsRating = Annotated[str, AfterValidator(_code("ms_ratings"))]


def _not_in_future(value: date) -> date:
    # Today where it is already latest (UTC+14): an auditor in Asia may enter an audit of its own
    # today while it is still yesterday in Norway; nothing later than that has happened anywhere.
    if value > (utcnow() + timedelta(hours=14)).date():
        raise PydanticCustomError("audit_date_future", "the audit date is in the future")
    return value


AuditDate = Annotated[date, AfterValidator(_not_in_future)]


# -- shapes ------------------------------------------------------------------------------------------
class Address(Schema):
    model_config = ConfigDict(extra="forbid")
    street: Short = ""
    postal_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] = ""
    city: Short = ""


class CompanyAddress(Address):
    country: Country = "NO"


class Contact(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Short = ""
    email: Short = ""
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = ""


class ProfileIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text
    organisation_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] | None = None
    address: CompanyAddress
    contact: Contact
    sectors: Annotated[list[Sector], Field(max_length=20, default_factory=list)]
    products: Long = ""
    version: int


class ProfileOut(Schema):
    org_id: str
    name: str
    organisation_number: str | None
    address: dict[str, str]
    contact: dict[str, str]
    sectors: list[str]
    products: str
    confirmed_at: datetime | None
    stale: bool
    version: int


class Workforce(Schema):
    model_config = ConfigDict(extra="forbid")
    total: Count
    women: Count = 0
    migrant: Count = 0
    temporary: Count = 0
    agency: Count = 0


class SiteIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text
    address: Address
    country: Country
    sector: Sector
    workforce: Workforce
    certifications: Annotated[list[Short], Field(max_length=30, default_factory=list)]
    goods: Annotated[
        list[Good], Field(max_length=30, default_factory=list, description="What the site makes or grows")
    ]


class SiteUpdateIn(SiteIn):
    version: int


class SaqSummary(Schema):
    status: Literal["none", "draft", "submitted"]
    submitted_at: datetime | None
    versions: int
    completion: dict[str, int]


class SiteRiskSummary(Schema):
    score: float
    band: Literal["low", "medium", "high"]


class SiteOut(Schema):
    id: str
    name: str
    address: dict[str, str]
    country: str
    country_name: str
    sector: str | None
    workforce: dict[str, int]
    certifications: list[str]
    goods: list[str]
    confirmed_at: datetime | None
    stale: bool
    version: int
    saq: SaqSummary
    risk: SiteRiskSummary | None = None


class SitesOut(Schema):
    items: list[SiteOut]


class DraftIn(Schema):
    model_config = ConfigDict(extra="forbid")
    answers: Annotated[dict[str, Any], Field(max_length=500)]
    version: int | None = None


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int


class SaqVersionRow(Schema):
    number: int
    submitted_at: datetime
    submitted_by: str


class DraftOut(Schema):
    answers: dict[str, Any]
    version: int
    updated_at: datetime


class SaqOut(Schema):
    questionnaire_version: str
    draft: DraftOut | None
    completion: dict[str, dict[str, int]]
    complete: bool
    versions: list[SaqVersionRow]
    unchanged_since: int | None = Field(
        None, description="The submitted version whose answers these are: nothing new to submit"
    )
    from_site: dict[str, Any] = Field(
        default_factory=dict, description="Answers the site's own details give: the SAQ starts from them"
    )


class SubmittedOut(Schema):
    number: int
    submitted_at: datetime


class SaqVersionOut(SaqVersionRow):
    questionnaire_version: str
    answers: dict[str, Any]


class UploadIn(Schema):
    model_config = ConfigDict(extra="forbid")
    request_id: UUID
    file_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    size_bytes: Annotated[int, Field(ge=1, le=25 * 1024 * 1024)]


class AuditRecord(Schema):
    """What an audit's report states: the fields a producer enters, and may correct."""

    model_config = ConfigDict(extra="forbid")
    audit_type: AuditType
    reference: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="The audit company's reference of the report"
    )
    announcement: Announcement
    follows: Annotated[str, StringConstraints(max_length=40)] | None = Field(
        None, description="A follow-up: the id of the earlier audit of the same site it follows"
    )
    audit_date: AuditDate
    audit_company: Text
    lead_auditor: Text
    ms_rating: MsRating | None = Field(None, description="SMETA 7.0 only: the management-system rating")
    pillars: Annotated[list[Pillar], Field(min_length=1, max_length=4)]

    @model_validator(mode="after")
    def _rating_of_the_standard(self) -> "AuditRecord":
        if self.ms_rating is not None and self.ms_rating not in ratings_of(self.audit_type):
            raise PydanticCustomError(
                "rating_not_of_standard", "not a rating of this standard", {"field": "ms_rating"}
            )
        return self


class AuditIn(UploadIn, AuditRecord):
    site_id: Annotated[str, StringConstraints(max_length=40)]
    content_type: Literal["application/pdf"]


class AuditCorrectionIn(AuditRecord):
    version: int
    note: Long | None = Field(
        None, description="Why it was corrected: required once a customer has seen the audit"
    )


class VersionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    version: int


class ReportIn(UploadIn):
    content_type: Literal["application/pdf"]


class EvidenceIn(UploadIn):
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]


class DocumentOut(Schema):
    id: str
    file_name: str
    size_bytes: int
    status: Literal["uploading", "available", "rejected"]
    reason: str | None
    sha256: str | None


class VerificationOut(Schema):
    by: Literal["audit_company", "customer"]
    organisation: str
    person: str
    method: str = Field(description="A code of the reference list verification_methods")
    method_name: str
    note: str | None
    at: datetime


class VerificationRequestOut(Schema):
    organisation: str = Field(description="The customer asked to verify the action")
    at: datetime


class SentBackOut(Schema):
    organisation: str
    reason: str
    at: datetime


class CommentOut(Schema):
    organisation: str
    person: str
    text: str
    at: datetime


class ActionOut(Schema):
    root_cause: str | None
    action: str | None
    owner: str | None
    due_date: str | None
    status: str
    completion_note: str | None
    overdue: bool
    evidence: list[DocumentOut]
    history: list[dict[str, Any]]
    version: int
    verification_state: Literal["verified", "awaiting", "not_verified"] | None = Field(
        None,
        description="verified: closed, with who verified it, how and when; awaiting: the producer says "
        "it is done; not_verified: the producer closed it alone before closing needed verification; "
        "None while open or in progress",
    )
    verification_text: str | None = Field(None, description="The verification state as readers are told it")
    verification: VerificationOut | None = None
    verification_requested: VerificationRequestOut | None = Field(
        None, description="To the producer: the customer it asked to verify the action"
    )
    awaiting_you: bool = Field(False, description="To a customer: the producer asked you to verify it")
    sent_back: SentBackOut | None = Field(None, description="The last time a verifier sent it back, and why")
    comments: list[CommentOut] = Field(default_factory=list)


class FindingOut(Schema):
    id: str
    grade: str
    clause: str | None
    pillar: str
    description: str
    action: ActionOut | None


class LeadAuditorOut(Schema):
    name: str
    apsca: str | None = Field(description="APSCA membership number (digits), if the auditor has one")


class UploadedByOut(Schema):
    kind: Literal["producer", "audit_company"]
    organisation: str | None = Field(default=None, description="The audit company's name")
    accreditation: str | None = Field(
        default=None, description="The audit company's accreditation (body, number)"
    )
    lead_auditor: LeadAuditorOut | None = None


class RemarkOut(Schema):
    id: str
    kind: Literal["comment", "dispute"]
    finding_id: str | None = Field(description="The disputed finding")
    text: str
    by: str = Field(description="Who wrote it (the person's name)")
    organisation: str
    at: datetime


class FollowsOut(Schema):
    id: str
    audit_type: str
    audit_date: str


class StandardOut(Schema):
    owner: str | None
    version: str | None
    source: str | None


class CorrectionOut(Schema):
    number: int = Field(description="The version the correction made")
    corrected_at: datetime
    note: str
    changes: list[dict[str, Any]] = Field(description="What changed: field, before and after (codes)")


class AuditOut(Schema):
    id: str
    site_id: str
    site_name: str
    audit_type: str
    standard: StandardOut
    reference: str | None
    announcement: str | None
    follows: FollowsOut | None = Field(
        description="A follow-up audit: the audit it follows; null for an initial one"
    )
    audit_date: str
    audit_company: str
    lead_auditor: str | None
    ms_rating: str | None
    pillars: list[str]
    document: DocumentOut | None
    findings: list[FindingOut] | None = None
    summary: dict[str, int]
    overdue_actions: int
    uploaded_by: UploadedByOut
    remarks: list[RemarkOut] | None = Field(
        default=None, description="The producer's comments and disputes on an audit company's audit"
    )
    seen: bool = Field(description="A customer has seen it: no deletion, and a correction makes a version")
    revision: int = Field(description="The record's version as customers read it (1 as registered)")
    corrections: list[CorrectionOut]
    version: int


class AuditsOut(Schema):
    items: list[AuditOut]


class UploadOut(Schema):
    url: str
    fields: dict[str, str]


class AuditCreatedOut(Schema):
    audit: AuditOut
    upload: UploadOut | None


class EvidenceCreatedOut(Schema):
    document: DocumentOut
    upload: UploadOut | None


class FindingIn(Schema):
    """A finding of a standard with a clause list (SMETA) names its clause, whose pillar it is;
    one of another standard names its pillar."""

    model_config = ConfigDict(extra="forbid")
    grade: Grade
    clause: Clause | None = Field(
        None, description="The standard's clause (SMETA: the ETI Base Code's and SMETA's)"
    )
    pillar: Pillar | None = Field(None, description="For a standard without a clause list")
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class VerificationRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")
    buyer_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    version: int


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    root_cause: Long | None = None
    action: Long | None = None
    owner: Short | None = None
    due_date: date | None = None
    status: ActionStatus | None = None
    completion_note: Long | None = None
    version: int


# -- views -------------------------------------------------------------------------------------------
def profile_out(org: Any) -> ProfileOut:
    return ProfileOut(
        org_id=org.org_id,
        name=org.name,
        organisation_number=org.organisation_number,
        address=org.address or {"street": "", "postal_code": "", "city": "", "country": org.country},
        contact=org.contact or {"name": "", "email": "", "phone": ""},
        sectors=list(org.sectors or []),
        products=org.products or "",
        confirmed_at=org.confirmed_at,
        stale=is_stale(org.confirmed_at),
        version=int(org.version or 0),
    )


def _risk_summary(site: Any, with_saq: bool) -> SiteRiskSummary | None:
    """The site's headline risk; without the SAQ for a customer whose link does not include it."""
    if not site.risk:
        return None
    score = site.risk["scores" if with_saq and site.risk["saq"] else "inherent"]["overall"]
    return SiteRiskSummary(score=score, band=band(score))


def site_out(site: Any, language: Language, with_saq: bool = True) -> SiteOut:
    status: Literal["none", "draft", "submitted"] = (
        "submitted" if site.saq_versions else ("draft" if site.saq_draft else "none")
    )
    return SiteOut(
        id=site.site_id,
        name=site.name,
        address=site.address or {"street": "", "postal_code": "", "city": ""},
        country=site.country,
        country_name=country_name(site.country, language),
        sector=site.sector,
        workforce=site.workforce or {"total": 0, "women": 0, "migrant": 0, "temporary": 0, "agency": 0},
        certifications=list(site.certifications or []),
        goods=list(site.goods or []),
        confirmed_at=site.confirmed_at,
        stale=is_stale(site.confirmed_at),
        risk=_risk_summary(site, with_saq),
        version=int(site.revision),
        saq=SaqSummary(
            status=status,
            submitted_at=site.saq_submitted_at,
            versions=int(site.saq_versions),
            completion={"answered": int(site.saq_answered), "required": int(site.saq_required)},
        ),
    )


def saq_out(view: Any) -> SaqOut:
    draft = view.draft
    return SaqOut(
        questionnaire_version=draft.questionnaire_version if draft else saq.CURRENT_VERSION,
        draft=DraftOut(answers=draft.answers, version=int(draft.version), updated_at=draft.updated_at)
        if draft
        else None,
        completion={k: {"answered": a, "required": r} for k, (a, r) in view.completion.items()},
        complete=view.complete,
        versions=[
            SaqVersionRow(number=int(v.number), submitted_at=v.submitted_at, submitted_by=v.submitted_by)
            for v in view.versions
        ],
        unchanged_since=view.unchanged_since,
        from_site=view.from_site,
    )


def document_out(item: Any, language: Language) -> DocumentOut:
    return DocumentOut(
        id=item.document_id,
        file_name=item.file_name,
        size_bytes=int(item.size_bytes or item.declared_size),
        status=item.status,
        reason=text(item.reason, language) if item.reason else None,
        sha256=item.sha256,
    )


def _verification_text(
    state: str | None, verification: dict[str, Any] | None, language: Language
) -> str | None:
    if state == "verified" and verification:
        return text(
            "verification.closed_verified",
            language,
            organisation=verification["organisation"],
            method=name_of("verification_methods", verification["method"], language),
            date=written_date(verification["at"], language),
        )
    return text(f"verification.{state}", language) if state else None


def _history_entry(e: Any) -> dict[str, Any]:
    entry = {"at": e.created_at.isoformat(), "from": e.from_status, "to": e.to_status, "by": e.by}
    if e.organisation:
        entry["organisation"] = e.organisation
    if e.reason:
        entry["reason"] = e.reason
    return entry


def _sent_back(events: list[Any]) -> SentBackOut | None:
    back = [e for e in events if e.reason and e.to_status == "in_progress"]
    if not back:
        return None
    last = max(back, key=lambda e: e.created_at)
    return SentBackOut(organisation=last.organisation or last.by, reason=last.reason, at=last.created_at)


def action_out(view: Any, f: Any, language: Language, viewer: str | None, today: date) -> ActionOut:
    """A finding's corrective action; to a customer (`viewer`, its org id) without the producer's
    requests to other customers."""
    state = actions.verification_state(f.status, f.verification, f.closed_unverified)
    verification = f.verification if state == "verified" else None
    request = f.verification_request
    events = view.history.get(f.finding_id, [])
    return ActionOut(
        root_cause=f.root_cause,
        action=f.action,
        owner=f.owner,
        due_date=f.due_date,
        status=f.status or "open",
        completion_note=f.completion_note,
        overdue=actions.is_overdue(f.due_date, f.status, today),
        evidence=[document_out(d, language) for d in view.evidence.get(f.finding_id, [])],
        history=[_history_entry(e) for e in events],
        version=int(f.version or 0),
        verification_state=state,  # type: ignore[arg-type]
        verification_text=_verification_text(state, verification, language),
        verification=VerificationOut(
            by=verification["by"],
            organisation=verification["organisation"],
            person=verification["person"],
            method=verification["method"],
            method_name=name_of("verification_methods", verification["method"], language),
            note=verification.get("note"),
            at=datetime.fromisoformat(verification["at"]),
        )
        if verification
        else None,
        verification_requested=VerificationRequestOut(
            organisation=request["organisation"], at=datetime.fromisoformat(request["at"])
        )
        if request and viewer is None
        else None,
        awaiting_you=bool(request and viewer is not None and request.get("buyer_id") == viewer),
        sent_back=_sent_back(events),
        comments=[
            CommentOut(organisation=c.organisation, person=c.person, text=c.text, at=c.created_at)
            for c in view.comments.get(f.finding_id, [])
        ],
    )


def audit_out(view: Any, language: Language, *, with_findings: bool, viewer: str | None = None) -> AuditOut:
    today = date.today()
    findings, summary, overdue_total = [], dict.fromkeys(actions.GRADE_ORDER, 0), 0
    for f in view.findings:
        summary[f.grade] = summary.get(f.grade, 0) + 1
        action = None
        if actions.has_action(f.grade):
            action = action_out(view, f, language, viewer, today)
            overdue_total += action.overdue
        findings.append(
            FindingOut(
                id=f.finding_id,
                grade=f.grade,
                clause=f.clause,
                pillar=f.pillar,
                description=f.description,
                action=action,
            )
        )
    a = view.audit
    return AuditOut(
        id=a.audit_id,
        site_id=a.site_id,
        site_name=a.site_name,
        audit_type=a.audit_type,
        standard=StandardOut(**{k: audit_type(a.audit_type).get(k) for k in ("owner", "version", "source")}),
        reference=a.reference,
        announcement=a.announcement,
        follows=FollowsOut(
            id=a.follows["audit_id"], audit_type=a.follows["audit_type"], audit_date=a.follows["audit_date"]
        )
        if a.follows
        else None,
        audit_date=a.audit_date,
        audit_company=a.audit_company,
        lead_auditor=a.lead_auditor,
        ms_rating=a.ms_rating,
        pillars=list(a.pillars),
        document=document_out(view.document, language) if view.document else None,
        findings=findings if with_findings else None,
        summary=summary,
        overdue_actions=overdue_total,
        seen=view.seen,
        revision=int(a.revision or 1),
        corrections=[
            CorrectionOut(number=int(c.number), corrected_at=c.created_at, note=c.note, changes=c.changes)
            for c in view.corrections
        ],
        version=int(a.version or 0),
        uploaded_by=uploaded_by_out(a.uploaded_by),
        remarks=[remark_out(r) for r in view.remarks] if with_findings else None,
    )


def uploaded_by_out(uploaded_by: dict[str, Any] | None) -> UploadedByOut:
    if not uploaded_by:
        return UploadedByOut(kind="producer")
    lead = uploaded_by.get("lead_auditor") or {}
    return UploadedByOut(
        kind="audit_company",
        organisation=uploaded_by.get("org_name"),
        accreditation=uploaded_by.get("accreditation"),
        lead_auditor=LeadAuditorOut(name=lead.get("name") or "", apsca=lead.get("apsca")) if lead else None,
    )


def remark_out(remark: Any) -> RemarkOut:
    return RemarkOut(
        id=remark.remark_id,
        kind=remark.remark_kind,
        finding_id=remark.finding_id,
        text=remark.text,
        by=remark.by_name or remark.by,
        organisation=remark.org_name,
        at=remark.created_at,
    )


def created(body: BaseModel) -> Response[Any]:
    return Response(status_code=201, content_type="application/json", body=body)
