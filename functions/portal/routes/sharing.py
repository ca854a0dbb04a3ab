"""Sharing routes: buyers ask for access and read their suppliers' data as far as each link allows;
producers decide on their customers' links and read their access log."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from portal import policy
from portal.domain.reference import country_name, name_of
from portal.i18n import Language
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.producer_shapes import (
    AuditOut,
    AuditsOut,
    CommentOut,
    FindingOut,
    SiteOut,
    audit_out,
    profile_out,
    site_out,
)
from portal.routes.schemas import (
    ERRORS,
    DownloadOut,
    Email,
    OrganisationNumber,
    Schema,
    Text,
    answers,
    current_on_conflict,
    download_response,
)
from portal.usecases import sharing, verification
from portal.usecases.sharing import is_request

Level = Literal["profile", "saq", "audits"]
SiteId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=40)]
Sites = Literal["all"] | Annotated[list[SiteId], Field(min_length=1, max_length=500)]


class LinkRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")
    site_id: SiteId | None = None
    organisation_number: OrganisationNumber | None = None

    @model_validator(mode="after")
    def one_of(self) -> "LinkRequestIn":
        if (self.site_id is None) == (self.organisation_number is None):
            raise PydanticCustomError(
                "one_of", "give a site id or an organisation number", {"field": "site_id"}
            )
        return self


class ProducerInvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    email: Email
    company_name: Text
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class SaqStatusOut(Schema):
    submitted: int = Field(description="Covered sites with a submitted SAQ")
    sites: int = Field(description="Covered sites")


class SupplierRow(Schema):
    producer_id: str | None = Field(description="None for a request the producer has not accepted")
    name: str | None
    country: str | None
    country_name: str | None
    request: str | None = Field(
        None,
        description="A request not yet accepted: the site id or organisation number the buyer gave. "
        "Nothing of the producer is shown before it accepts",
    )
    status: str
    level: str | None
    sites: Literal["all"] | list[str]
    requested_at: datetime
    updated_at: datetime
    profile_stale: bool | None = Field(
        None, description="Only for active links: the producer's profile is out of date"
    )
    risk_band: Literal["low", "medium", "high"] | None = Field(
        None, description="Only for active links: the highest risk band of the sites the link covers"
    )
    saq: SaqStatusOut | None = Field(None, description="Only at level saq or audits")
    open_ncs: int | None = Field(
        None, description="Only at level audits: non-conformities of the covered sites not closed"
    )


class RequestSent(Schema):
    site_id: str | None = None
    organisation_number: str | None = None
    status: Literal["sent"] = "sent"
    requested_at: datetime


class RequestOut(Schema):
    request: RequestSent


class CountryOut(Schema):
    code: str
    name: str


class SuppliersOut(Schema):
    items: list[SupplierRow]
    next_cursor: str | None
    countries: list[CountryOut] | None = Field(
        None, description="On the first page: the countries the buyer's suppliers are in, by name"
    )


class SharedSaqSummary(Schema):
    """What a customer whose link covers the SAQ sees of a site's: its submitted versions only (a
    draft, and how far it is, stays the producer's own until it is submitted)."""

    status: Literal["none", "submitted"]
    submitted_at: datetime | None
    versions: int


class SupplierSiteOut(SiteOut):
    """A supplier's site as a customer sees it: `saq` is there only where the link covers the SAQ
    (absent, not empty, so a profile-level customer learns nothing of it, not even that it is hidden)."""

    saq: SharedSaqSummary | None = Field(None, exclude_if=lambda value: value is None)  # type: ignore[assignment]


class SupplierOut(Schema):
    producer_id: str
    name: str
    organisation_number: str | None
    address: dict[str, str]
    contact: dict[str, str]
    sectors: list[str]
    products: str
    confirmed_at: datetime | None
    stale: bool
    level: str
    may_be_named: bool = Field(
        description="The producer allows you to name it in your public Transparency Act account"
    )
    sites: list[SupplierSiteOut]


class SaqShownOut(Schema):
    number: int
    submitted_at: datetime
    questionnaire_version: str
    answers: dict[str, Any]


class CustomerRow(Schema):
    buyer_id: str
    name: str
    country: str
    status: str
    level: str | None
    sites: Literal["all"] | list[str]
    requested: list[str] = Field(
        default_factory=list,
        description="While pending: what the buyer gave to find you (your site ids, or organisation number)",
    )
    may_be_named: bool = Field(
        description="You allow this customer to name you in its public Transparency Act account "
        "(off unless you chose it; only while active)"
    )
    requested_at: datetime
    updated_at: datetime
    version: int


class CustomersOut(Schema):
    items: list[CustomerRow]


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    status: Literal["active", "declined", "revoked"]
    level: Level | None = None
    sites: Sites = "all"
    may_be_named: bool | None = Field(
        None,
        description="Allow the customer to name you in its public Transparency Act account; "
        "left out: as it was (a new grant starts with it off)",
    )
    version: int


class CustomerIn(Schema):
    model_config = ConfigDict(extra="forbid")
    organisation_number: OrganisationNumber
    level: Level
    sites: Sites = "all"


class CustomerVerificationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    accepted: bool = Field(description="True closes the action as verified; false sends it back")
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = Field(
        None, description="Why it is sent back: the producer reads it (needed when not accepted)"
    )


class CommentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class AwaitingRow(Schema):
    audit_id: str
    audit_type: str
    site_id: str
    site_name: str
    audit_date: str
    finding: FindingOut


class AwaitingOut(Schema):
    items: list[AwaitingRow]


class AccessRow(Schema):
    at: datetime
    buyer_name: str
    action: str
    subject: str | None = Field(description="A downloaded document's file name")
    site_id: str | None = None
    site_name: str | None = Field(None, description="The site's name when it was looked at")
    audit_type: str | None = Field(None, description="A code of the reference list audit_types")
    audit_type_name: str | None = Field(None, description="The audit type's name in the reader's language")
    audit_date: str | None = None


class AccessLogOut(Schema):
    items: list[AccessRow]
    next_cursor: str | None


def supplier_row(item: Any, language: Language) -> SupplierRow:
    if is_request(item):  # what the buyer asked for, not whom it reached
        return SupplierRow(
            producer_id=None,
            name=None,
            country=None,
            country_name=None,
            request=item.reference,
            status=item.status,
            level=None,
            sites="all",
            requested_at=item.requested_at,
            updated_at=item.updated_at,
            profile_stale=None,
            risk_band=None,
            saq=None,
            open_ncs=None,
        )
    summary = getattr(item, "summary", None)  # active links: usecases.sharing.SupplierSummary
    return SupplierRow(
        producer_id=item.producer_id,
        name=item.producer_name,
        country=item.producer_country,
        country_name=country_name(item.producer_country, language),
        status=item.status,
        level=item.level,
        sites=list(item.sites) if item.sites is not None else "all",
        requested_at=item.requested_at,
        updated_at=item.updated_at,
        profile_stale=getattr(item, "profile_stale", None),
        request=None,
        risk_band=summary.risk_band if summary else None,
        saq=SaqStatusOut(submitted=summary.saq_submitted, sites=summary.sites)
        if summary and summary.saq_submitted is not None
        else None,
        open_ncs=summary.open_ncs if summary else None,
    )


def customer_row(item: Any) -> CustomerRow:
    return CustomerRow(
        buyer_id=item.buyer_id,
        name=item.buyer_name,
        country=item.buyer_country,
        status=item.status,
        level=item.level,
        sites=list(item.sites) if item.sites is not None else "all",
        requested=list(item.requested_as or []) if item.status == "pending" else [],
        may_be_named=bool(item.may_be_named) and item.status == "active",
        requested_at=item.requested_at,
        updated_at=item.updated_at,
        version=int(item.version or 0),
    )


def supplier_site_out(site: Any, granted: Any, language: Language) -> SupplierSiteOut:
    """A site as far as the link shows it: the SAQ's status and the score with the SAQ only at a
    level that covers the SAQ for this site (portal.policy decides, as for the SAQ route itself)."""
    shows_saq = policy.link_allows(granted, "saq", site.site_id)
    shown = site_out(site, language, with_saq=shows_saq).model_dump()
    shown["saq"] = (
        SharedSaqSummary(
            status="submitted" if site.saq_versions else "none",
            submitted_at=site.saq_submitted_at,
            versions=int(site.saq_versions),
        )
        if shows_saq
        else None
    )
    return SupplierSiteOut.model_validate(shown)


def _sites(value: Any) -> list[str] | None:
    return None if value == "all" else list(value)


def make_router() -> Router:
    router = AreaRouter()

    # -- buyers ------------------------------------------------------------------------------------
    @router.post(
        "/buyer/links",
        summary="Ask a producer for access (by public site id or organisation number)",
        description="The same answer whatever the id or number names (a producer, another member or "
        "nothing): the buyer learns who the producer is only when it accepts.",
        responses=answers(202, "The request is sent"),
    )
    def request_access(body: LinkRequestIn, actor: CurrentActor) -> Response[RequestOut]:
        sent = sharing.request_access(
            actor, site_id=body.site_id, organisation_number=body.organisation_number
        )
        out = RequestOut(
            request=RequestSent(
                site_id=body.site_id,
                organisation_number=body.organisation_number,
                requested_at=sent.requested_at,
            )
        )
        return Response(status_code=202, content_type="application/json", body=out)

    @router.post(
        "/buyer/invitations",
        summary="Invite a producer that is not a member to apply",
        responses=answers(202, "The invitation is sent", body=False),
    )
    def invite_producer(
        body: ProducerInvitationIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[None]:
        sharing.invite_producer(actor, body.email, body.company_name, body.message, language)
        return Response(status_code=202)

    @router.get("/buyer/suppliers", summary="My suppliers, one page at a time", responses=ERRORS)
    def suppliers(
        actor: CurrentActor,
        language: RequestLanguage,
        sort: Annotated[Literal["name", "updated"], Query()] = "name",
        status: Annotated[Literal["pending", "active", "declined", "revoked"] | None, Query()] = None,
        level: Annotated[Level | None, Query()] = None,
        country: Annotated[str | None, Query(max_length=2)] = None,
        cursor: Annotated[str | None, Query(max_length=1000)] = None,
    ) -> SuppliersOut:
        items, next_cursor, countries = sharing.suppliers(
            actor, sort=sort, status=status, level=level, country=country, cursor=cursor
        )
        return SuppliersOut(
            items=[supplier_row(i, language) for i in items],
            next_cursor=next_cursor,
            countries=None
            if countries is None
            else sorted(
                (CountryOut(code=c, name=country_name(c, language)) for c in countries),
                key=lambda c: c.name.casefold(),
            ),
        )

    @router.get(
        "/buyer/suppliers/<producer_id>",
        summary="A supplier's profile and sites, as far as the link allows",
        responses=ERRORS,
    )
    def supplier(producer_id: str, actor: CurrentActor, language: RequestLanguage) -> SupplierOut:
        granted, producer, sites = sharing.supplier(actor, producer_id)
        profile = profile_out(producer)
        return SupplierOut(
            producer_id=producer.org_id,
            name=profile.name,
            organisation_number=profile.organisation_number,
            address=profile.address,
            contact=profile.contact,
            sectors=profile.sectors,
            products=profile.products,
            confirmed_at=profile.confirmed_at,
            stale=profile.stale,
            level=granted.level or "profile",
            may_be_named=bool(granted.may_be_named),
            sites=[supplier_site_out(s, granted, language) for s in sites],
        )

    @router.get(
        "/buyer/suppliers/<producer_id>/sites/<site_id>/saq",
        summary="A supplier site's newest submitted SAQ (level saq or audits)",
        responses=ERRORS,
    )
    def supplier_saq(producer_id: str, site_id: str, actor: CurrentActor) -> SaqShownOut:
        v = sharing.supplier_saq(actor, producer_id, site_id)
        return SaqShownOut(
            number=int(v.number),
            submitted_at=v.submitted_at,
            questionnaire_version=v.questionnaire_version,
            answers=v.answers,
        )

    @router.get(
        "/buyer/suppliers/<producer_id>/audits",
        summary="A supplier's audits (level audits)",
        responses=ERRORS,
    )
    def supplier_audits(producer_id: str, actor: CurrentActor, language: RequestLanguage) -> AuditsOut:
        views = sharing.supplier_audits(actor, producer_id)
        return AuditsOut(items=[audit_out(v, language, with_findings=False) for v in views])

    @router.get(
        "/buyer/suppliers/<producer_id>/audits/<audit_id>",
        summary="One audit with findings and corrective actions (level audits)",
        responses=ERRORS,
    )
    def supplier_audit(
        producer_id: str, audit_id: str, actor: CurrentActor, language: RequestLanguage
    ) -> AuditOut:
        [view] = sharing.supplier_audits(actor, producer_id, audit_id)
        return audit_out(view, language, with_findings=True, viewer=actor.org_id)

    @router.post(
        "/buyer/suppliers/<producer_id>/documents/<document_id>/download",
        summary="A short-lived link to a supplier's document (level audits)",
        responses=ERRORS,
    )
    def supplier_download(producer_id: str, document_id: str, actor: CurrentActor) -> Response[DownloadOut]:
        return download_response(sharing.supplier_download(actor, producer_id, document_id))

    def finding_of(view: Any, finding_id: str, actor: Any, language: Language) -> FindingOut:
        shown = audit_out(view, language, with_findings=True, viewer=actor.org_id)
        [found] = [f for f in shown.findings or [] if f.id == finding_id]
        return found

    @router.get(
        "/buyer/suppliers/<producer_id>/verifications",
        summary="The supplier's corrective actions awaiting my verification (level audits)",
        responses=ERRORS,
    )
    def awaiting(producer_id: str, actor: CurrentActor, language: RequestLanguage) -> AwaitingOut:
        return AwaitingOut(
            items=[
                AwaitingRow(
                    audit_id=view.audit.audit_id,
                    audit_type=view.audit.audit_type,
                    site_id=view.audit.site_id,
                    site_name=view.audit.site_name,
                    audit_date=view.audit.audit_date,
                    finding=finding_of(view, item.finding_id, actor, language),
                )
                for view, item in verification.awaiting_customer(actor, producer_id)
            ]
        )

    @router.post(
        "/buyer/suppliers/<producer_id>/audits/<audit_id>/findings/<finding_id>/verification",
        summary="Accept (close as verified) or send back an action the supplier asked me to verify",
        description="Only an organisation admin, and only for an action awaiting this customer's "
        "verification; anything else is 404.",
        responses=ERRORS,
    )
    def decide_verification(
        producer_id: str,
        audit_id: str,
        finding_id: str,
        body: CustomerVerificationIn,
        actor: CurrentActor,
        language: RequestLanguage,
    ) -> FindingOut:
        verification.customer_decision(
            actor, producer_id, audit_id, finding_id, body.accepted, body.note, body.reason
        )
        [view] = sharing.supplier_audits(actor, producer_id, audit_id)
        return finding_of(view, finding_id, actor, language)

    @router.post(
        "/buyer/suppliers/<producer_id>/audits/<audit_id>/findings/<finding_id>/comments",
        summary="Comment on a supplier's corrective action (the supplier and my organisation see it)",
        responses=answers(201, "Added"),
    )
    def add_comment(
        producer_id: str, audit_id: str, finding_id: str, body: CommentIn, actor: CurrentActor
    ) -> Response[CommentOut]:
        item = verification.comment(actor, producer_id, audit_id, finding_id, body.text)
        out = CommentOut(
            organisation=item.organisation, person=item.person, text=item.text, at=item.created_at
        )
        return Response(status_code=201, content_type="application/json", body=out)

    # -- producers ---------------------------------------------------------------------------------
    @router.get("/producer/customers", summary="My customers and their access", responses=ERRORS)
    def customers(actor: CurrentActor) -> CustomersOut:
        return CustomersOut(items=[customer_row(i) for i in sharing.customers(actor)])

    @router.put(
        "/producer/customers/<buyer_id>",
        summary="Accept at a level, decline, change the level or revoke",
        responses=ERRORS,
    )
    def decide(buyer_id: str, body: DecisionIn, actor: CurrentActor) -> CustomerRow:
        def current() -> CustomerRow:
            found = sharing.link(actor.org_id, buyer_id)
            assert found is not None
            return customer_row(found)

        with current_on_conflict(current):
            item = sharing.decide(
                actor,
                buyer_id,
                body.status,
                body.level,
                _sites(body.sites),
                body.version,
                body.may_be_named,
            )
        return customer_row(item)

    @router.post(
        "/producer/customers",
        summary="Give a member buyer access myself",
        responses=answers(201, "The customer has access"),
    )
    def add_customer(body: CustomerIn, actor: CurrentActor) -> Response[CustomerRow]:
        item = sharing.add_customer(actor, body.organisation_number, body.level, _sites(body.sites))
        return Response(status_code=201, content_type="application/json", body=customer_row(item))

    @router.get(
        "/producer/access-log",
        summary="Which customer looked at or downloaded what, newest first",
        responses=ERRORS,
    )
    def access_log(
        actor: CurrentActor,
        language: RequestLanguage,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> AccessLogOut:
        items, next_cursor = sharing.access_log(actor, cursor)
        return AccessLogOut(
            items=[
                AccessRow(
                    at=e.created_at,
                    buyer_name=e.buyer_name,
                    action=e.action,
                    subject=e.subject,
                    site_id=e.site_id,
                    site_name=e.site_name,
                    audit_type=e.audit_type,
                    audit_type_name=name_of("audit_types", e.audit_type, language) if e.audit_type else None,
                    audit_date=e.audit_date,
                )
                for e in items
            ],
            next_cursor=next_cursor,
        )

    return router
