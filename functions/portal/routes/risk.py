"""Risk routes: a producer's own sites, a buyer's supply chain as its links allow, IEH staff's
platform-wide picture with nobody named; each overview exports as CSV or XLSX."""

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from portal.domain.risk import model
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.schemas import ERRORS, Schema
from portal.routes.spreadsheets import SPREADSHEET, FileLanguage, Format, export
from portal.usecases import risk

BandName = Literal["low", "medium", "high"]
PillarName = Literal["labour", "health_safety", "environment", "business_ethics"]
CountryFilter = Annotated[str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")]
SectorFilter = Annotated[str | None, Query(min_length=2, max_length=40)]
PillarFilter = Annotated[PillarName | None, Query(description="Read every score as this pillar's")]


class FactorOut(Schema):
    pillar: PillarName
    code: str
    label: str
    points: float
    source: str | None
    limit: bool = Field(
        False,
        description="A limit on a sum (its points keep the factors adding up to the score): shown as "
        "what it is, with no signed figure",
    )


class PillarRiskOut(Schema):
    pillar: PillarName
    name: str
    score: float
    band: BandName
    factors: list[FactorOut]
    improvements: list[FactorOut]


class ExplanationOut(Schema):
    score: float
    band: BandName
    saq_applied: bool
    pillars: list[PillarRiskOut]


class SourceOut(Schema):
    id: str
    title: str
    publisher: str
    year: int
    url: str | None
    licence: str | None = Field(description="None for a standard that is cited, not reproduced")


class ProducerSiteRiskOut(ExplanationOut):
    site_id: str
    name: str
    country: str
    country_name: str
    sector: str | None
    sector_name: str
    computed_at: str
    saq_submitted: bool


class ProducerRiskOut(Schema):
    sites: list[ProducerSiteRiskOut]
    bands: dict[str, float]
    sources: list[SourceOut]


class Summary(Schema):
    sites: int | None = Field(description="None when suppressed")
    average: float | None
    bands: dict[BandName, int] | None = Field(description="None when suppressed")
    suppressed: bool = Field(
        False,
        description="IEH staff: over fewer than min_sites sites, or one that another figure could be "
        "subtracted from to describe fewer, so no figure of it is shown",
    )


class PillarSummary(Summary):
    pillar: PillarName
    name: str


class GroupSummary(Summary):
    code: str
    name: str


class Option(Schema):
    code: str
    name: str


class Options(Schema):
    countries: list[Option]
    sectors: list[Option]


class OverviewBase(Schema):
    filters: dict[str, str | None]
    total: Summary
    by_pillar: list[PillarSummary]
    by_country: list[GroupSummary]
    by_sector: list[GroupSummary]
    options: Options
    bands: dict[str, float]
    sources: list[SourceOut]


class SupplySiteOut(Schema):
    site_id: str
    site_name: str
    producer_id: str
    producer_name: str
    country: str
    country_name: str
    sector: str
    sector_name: str
    score: float
    band: BandName
    scores: dict[PillarName, float]
    saq_applied: bool
    explanation: ExplanationOut | None = None


class BuyerOverviewOut(OverviewBase):
    suppliers: int
    sites: list[SupplySiteOut]
    next_cursor: str | None


class HotspotOut(Summary):
    country: str
    country_name: str
    sector: str
    sector_name: str


class StaffOverviewOut(OverviewBase):
    hotspots: list[HotspotOut]
    min_sites: int


def make_router() -> Router:
    router = AreaRouter()

    @router.get(
        "/producer/risk",
        summary="The risk of each of my sites, why, and what would lower it",
        responses=ERRORS,
    )
    def producer_risk(actor: CurrentActor, language: RequestLanguage) -> ProducerRiskOut:
        return ProducerRiskOut.model_validate(
            {
                "sites": risk.producer_risk(actor, language),
                "bands": model()["bands"],
                "sources": risk.sources(language),
            }
        )

    @router.get(
        "/risk/overview",
        summary="My supply chain's risk, from the suppliers and data my links allow",
        responses=ERRORS,
    )
    def overview(
        actor: CurrentActor,
        language: RequestLanguage,
        country: CountryFilter = None,
        sector: SectorFilter = None,
        pillar: PillarFilter = None,
        cursor: Annotated[str | None, Query(max_length=200)] = None,
    ) -> BuyerOverviewOut:
        filters = risk.check_filters(country, sector, pillar)
        return BuyerOverviewOut.model_validate(risk.buyer_overview(actor, filters, cursor, language))

    @router.get("/risk/export", summary="My supply chain's risk as a spreadsheet", responses=SPREADSHEET)
    def export_overview(
        actor: CurrentActor,
        language: RequestLanguage,
        format: Format = "xlsx",
        country: CountryFilter = None,
        sector: SectorFilter = None,
        pillar: PillarFilter = None,
        lang: FileLanguage = None,
    ) -> Response[str]:
        language = lang or language
        filters = risk.check_filters(country, sector, pillar)
        header, rows = risk.buyer_rows(actor, filters, language)
        return export("risiko" if language == "nb" else "risk", format, header, rows, language)

    @router.get(
        "/admin/risk/overview",
        summary="Risk over all members' sites, with no producer or buyer named",
        responses=ERRORS,
    )
    def staff_overview(
        actor: CurrentActor,
        language: RequestLanguage,
        country: CountryFilter = None,
        sector: SectorFilter = None,
        pillar: PillarFilter = None,
    ) -> StaffOverviewOut:
        filters = risk.check_filters(country, sector, pillar)
        overview = risk.staff_overview(filters, language)
        return StaffOverviewOut.model_validate({**overview, "hotspots": overview["hotspots"][: risk.PAGE]})

    @router.get(
        "/admin/risk/export", summary="Risk over all members' sites as a spreadsheet", responses=SPREADSHEET
    )
    def staff_export(
        actor: CurrentActor,
        language: RequestLanguage,
        format: Format = "xlsx",
        country: CountryFilter = None,
        sector: SectorFilter = None,
        pillar: PillarFilter = None,
        lang: FileLanguage = None,
    ) -> Response[str]:
        language = lang or language
        filters = risk.check_filters(country, sector, pillar)
        header, rows = risk.staff_rows(filters, language)
        return export("risiko-alle" if language == "nb" else "risk-all", format, header, rows, language)

    return router
