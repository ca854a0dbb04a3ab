"""Producer data routes: company and site profiles, the SAQ, audits, findings, corrective actions,
evidence and document downloads. Every route works in the actor's own organisation."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from portal.errors import PortalError
from portal.i18n import Language
from portal.policy import Actor
from portal.routes.deps import RequestLanguage
from portal.routes.schemas import ERRORS, DownloadOut, Schema, Text, answers, download_response
from portal.routes.session import current_actor
from portal.usecases import supply

CurrentActor = Annotated[Actor, Depends(current_actor)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Long = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


def _code(kind: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        from portal.domain.reference import codes

        if value not in codes(kind):
            raise PydanticCustomError("invalid_choice", "not one of the options")
        return value

    return check


def _country(value: str) -> str:
    from portal.domain.reference import is_country

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


class AuditIn(UploadIn):
    site_id: Annotated[str, StringConstraints(max_length=40)]
    audit_type: AuditType
    audit_date: date
    audit_company: Text
    pillars: Annotated[list[Pillar], Field(min_length=1, max_length=4)]
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


class FindingOut(Schema):
    id: str
    grade: str
    pillar: str
    description: str
    action: ActionOut | None


class AuditOut(Schema):
    id: str
    site_id: str
    site_name: str
    audit_type: str
    audit_date: str
    audit_company: str
    pillars: list[str]
    document: DocumentOut | None
    findings: list[FindingOut] | None = None
    summary: dict[str, int]
    overdue_actions: int


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
    model_config = ConfigDict(extra="forbid")
    grade: Grade
    pillar: Pillar
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


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
    from portal.usecases.supply import is_stale

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
    from portal.domain.risk import band

    if not site.risk:
        return None
    score = site.risk["scores" if with_saq and site.risk["saq"] else "inherent"]["overall"]
    return SiteRiskSummary(score=score, band=band(score))


def site_out(site: Any, language: Language, with_saq: bool = True) -> SiteOut:
    from portal.domain.reference import country_name
    from portal.usecases.supply import is_stale

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
    from portal.domain import saq

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
    )


def document_out(item: Any, language: Language) -> DocumentOut:
    from portal.i18n import text

    return DocumentOut(
        id=item.document_id,
        file_name=item.file_name,
        size_bytes=int(item.size_bytes or item.declared_size),
        status=item.status,
        reason=text(item.reason, language) if item.reason else None,
        sha256=item.sha256,
    )


def audit_out(view: Any, language: Language, *, with_findings: bool) -> AuditOut:
    from portal.usecases.supply import NON_COMPLIANCES

    today = date.today().isoformat()
    findings, summary, overdue_total = (
        [],
        dict.fromkeys(("critical", "major", "minor", "observation", "good_example"), 0),
        0,
    )
    for f in view.findings:
        summary[f.grade] = summary.get(f.grade, 0) + 1
        action = None
        if f.grade in NON_COMPLIANCES:
            overdue = bool(
                f.due_date and f.due_date < today and f.status not in ("awaiting_verification", "closed")
            )
            overdue_total += overdue
            action = ActionOut(
                root_cause=f.root_cause,
                action=f.action,
                owner=f.owner,
                due_date=f.due_date,
                status=f.status or "open",
                completion_note=f.completion_note,
                overdue=overdue,
                evidence=[document_out(d, language) for d in view.evidence.get(f.finding_id, [])],
                history=[
                    {"at": e.created_at.isoformat(), "from": e.from_status, "to": e.to_status, "by": e.by}
                    for e in view.history.get(f.finding_id, [])
                ],
                version=int(f.version or 0),
            )
        findings.append(
            FindingOut(
                id=f.finding_id, grade=f.grade, pillar=f.pillar, description=f.description, action=action
            )
        )
    a = view.audit
    return AuditOut(
        id=a.audit_id,
        site_id=a.site_id,
        site_name=a.site_name,
        audit_type=a.audit_type,
        audit_date=a.audit_date,
        audit_company=a.audit_company,
        pillars=list(a.pillars),
        document=document_out(view.document, language) if view.document else None,
        findings=findings if with_findings else None,
        summary=summary,
        overdue_actions=overdue_total,
    )


@contextmanager
def current_on_conflict(current: Callable[[], BaseModel]) -> Iterator[None]:
    """A 409 carries what is stored now, so the page can show it instead of overwriting it."""
    try:
        yield
    except PortalError as error:
        if error.status == 409 and error.code == "conflict":
            error.current = current().model_dump(mode="json")
        raise


def created(body: BaseModel) -> Response[Any]:
    return Response(status_code=201, content_type="application/json", body=body)


# -- routes ------------------------------------------------------------------------------------------
def make_router() -> Router:
    router = Router()

    @router.get(
        "/reference",
        summary="Countries, sectors, audit types, pillars, grades and action statuses",
        responses=ERRORS,
    )
    def reference(actor: CurrentActor, language: RequestLanguage) -> dict[str, Any]:
        from portal.domain.reference import reference as data

        return data(language)

    @router.get("/producer/profile", summary="My company profile", responses=ERRORS)
    def get_profile(actor: CurrentActor) -> ProfileOut:

        return profile_out(supply.profile(actor))

    @router.put("/producer/profile", summary="Save (and confirm) my company profile", responses=ERRORS)
    def put_profile(body: ProfileIn, actor: CurrentActor) -> ProfileOut:

        changes = body.model_dump(exclude={"version"})
        with current_on_conflict(lambda: profile_out(supply.profile(actor))):
            return profile_out(supply.save_profile(actor, changes, body.version))

    @router.get("/producer/sites", summary="My sites", responses=ERRORS)
    def list_sites(actor: CurrentActor, language: RequestLanguage) -> SitesOut:

        return SitesOut(items=[site_out(s, language) for s in supply.sites(actor)])

    @router.post(
        "/producer/sites", summary="Add a site (it gets its public id)", responses=answers(201, "Added")
    )
    def add_site(body: SiteIn, actor: CurrentActor, language: RequestLanguage) -> Response[SiteOut]:

        return created(site_out(supply.create_site(actor, body.model_dump()), language))

    @router.get("/producer/sites/<site_id>", summary="One of my sites", responses=ERRORS)
    def get_site(site_id: str, actor: CurrentActor, language: RequestLanguage) -> SiteOut:

        return site_out(supply.site(actor, site_id), language)

    @router.put("/producer/sites/<site_id>", summary="Save (and confirm) a site", responses=ERRORS)
    def put_site(site_id: str, body: SiteUpdateIn, actor: CurrentActor, language: RequestLanguage) -> SiteOut:

        with current_on_conflict(lambda: site_out(supply.site(actor, site_id), language)):
            return site_out(
                supply.save_site(actor, site_id, body.model_dump(exclude={"version"}), body.version),
                language,
            )

    @router.get("/saq/questionnaire", summary="The current self-assessment questionnaire", responses=ERRORS)
    def questionnaire(actor: CurrentActor, language: RequestLanguage) -> dict[str, Any]:
        from portal.domain import saq

        return saq.localised(saq.questionnaire(), language)

    @router.get(
        "/producer/sites/<site_id>/saq",
        summary="A site's SAQ: the draft and the submitted versions",
        responses=ERRORS,
    )
    def get_saq(site_id: str, actor: CurrentActor) -> SaqOut:

        return saq_out(supply.saq_view(actor, site_id))

    @router.put("/producer/sites/<site_id>/saq/draft", summary="Save the SAQ draft", responses=ERRORS)
    def put_draft(site_id: str, body: DraftIn, actor: CurrentActor) -> SaqOut:

        with current_on_conflict(lambda: saq_out(supply.saq_view(actor, site_id))):
            return saq_out(supply.save_draft(actor, site_id, body.answers, body.version))

    @router.post(
        "/producer/sites/<site_id>/saq/submit",
        summary="Submit the SAQ: a dated, immutable version",
        responses=answers(201, "Submitted"),
    )
    def submit(site_id: str, body: SubmitIn, actor: CurrentActor) -> Response[SubmittedOut]:

        with current_on_conflict(lambda: saq_out(supply.saq_view(actor, site_id))):
            version = supply.submit_saq(actor, site_id, body.version)
        return created(SubmittedOut(number=int(version.number), submitted_at=version.submitted_at))

    @router.get(
        "/producer/sites/<site_id>/saq/versions/<number>", summary="A submitted SAQ version", responses=ERRORS
    )
    def get_version(site_id: str, number: int, actor: CurrentActor) -> SaqVersionOut:

        v = supply.saq_version(actor, site_id, number)
        return SaqVersionOut(
            number=int(v.number),
            submitted_at=v.submitted_at,
            submitted_by=v.submitted_by,
            questionnaire_version=v.questionnaire_version,
            answers=v.answers,
        )

    @router.get("/producer/audits", summary="My audits, newest first", responses=ERRORS)
    def list_audits(actor: CurrentActor, language: RequestLanguage) -> AuditsOut:

        return AuditsOut(items=[audit_out(v, language, with_findings=False) for v in supply.audits(actor)])

    @router.post(
        "/producer/audits",
        summary="Register an audit and get the upload form for its report",
        responses=answers(201, "Registered"),
    )
    def add_audit(body: AuditIn, actor: CurrentActor, language: RequestLanguage) -> Response[AuditCreatedOut]:

        fields = body.model_dump(exclude={"request_id"})
        view, upload = supply.create_audit(actor, str(body.request_id), fields)
        out = AuditCreatedOut(
            audit=audit_out(view, language, with_findings=True),
            upload=UploadOut.model_validate(upload) if upload else None,
        )
        return created(out)

    @router.get(
        "/producer/audits/<audit_id>", summary="One audit with its findings and actions", responses=ERRORS
    )
    def get_audit(audit_id: str, actor: CurrentActor, language: RequestLanguage) -> AuditOut:

        return audit_out(supply.audit(actor, audit_id), language, with_findings=True)

    @router.post(
        "/producer/audits/<audit_id>/findings", summary="Add a finding", responses=answers(201, "Added")
    )
    def add_finding(
        audit_id: str, body: FindingIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[FindingOut]:

        item = supply.add_finding(actor, audit_id, body.model_dump())
        view = supply.audit(actor, audit_id)
        [out] = [
            f for f in audit_out(view, language, with_findings=True).findings or [] if f.id == item.finding_id
        ]
        return created(out)

    @router.patch(
        "/producer/audits/<audit_id>/findings/<finding_id>/action",
        summary="Update a corrective action",
        responses=ERRORS,
    )
    def patch_action(
        audit_id: str, finding_id: str, body: ActionIn, actor: CurrentActor, language: RequestLanguage
    ) -> ActionOut:

        def action_of(view: Any) -> ActionOut:
            [found] = [
                f for f in audit_out(view, language, with_findings=True).findings or [] if f.id == finding_id
            ]
            assert found.action is not None
            return found.action

        changes = body.model_dump(exclude={"version"}, exclude_unset=True)
        with current_on_conflict(lambda: action_of(supply.audit(actor, audit_id))):
            return action_of(supply.change_action(actor, audit_id, finding_id, changes, body.version))

    @router.post(
        "/producer/audits/<audit_id>/findings/<finding_id>/evidence",
        summary="Add evidence of a completed improvement: the upload form",
        responses=answers(201, "Added"),
    )
    def add_evidence(
        audit_id: str, finding_id: str, body: EvidenceIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[EvidenceCreatedOut]:

        fields = body.model_dump(exclude={"request_id"})
        item, upload = supply.add_evidence(actor, audit_id, finding_id, str(body.request_id), fields)
        return created(
            EvidenceCreatedOut(
                document=document_out(item, language),
                upload=UploadOut.model_validate(upload) if upload else None,
            )
        )

    @router.post(
        "/producer/documents/<document_id>/download", summary="A short-lived download link", responses=ERRORS
    )
    def download(document_id: str, actor: CurrentActor) -> Response[DownloadOut]:

        return download_response(supply.download_link(actor, document_id))

    return router
