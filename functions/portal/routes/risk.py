"""Risk routes: a producer's own sites, a buyer's supply chain as its links allow, IEH staff's
platform-wide picture with nobody named; each overview exports as CSV or XLSX."""

import base64
import csv
import io
from datetime import date
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import Field

from portal.adapters.files import content_disposition
from portal.domain.risk import model
from portal.i18n import Language, decimal_mark, number
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.schemas import ERRORS, FAILURES, Schema
from portal.usecases import risk

BandName = Literal["low", "medium", "high"]
PillarName = Literal["labour", "health_safety", "environment", "business_ethics"]
CountryFilter = Annotated[str | None, Query(min_length=2, max_length=2, description="ISO 3166-1 alpha-2")]
SectorFilter = Annotated[str | None, Query(min_length=2, max_length=40)]
PillarFilter = Annotated[PillarName | None, Query(description="Read every score as this pillar's")]
Format = Annotated[Literal["csv", "xlsx"], Query()]
# A download link cannot set Accept-Language: the page says which language the file is in.
FileLanguage = Annotated[
    Literal["nb", "en"] | None, Query(description="The file's language (default: Accept-Language)")
]


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


class FileResponse(Response[str]):
    """A file as the body: base64 text, marked so that API Gateway sends the bytes. (Powertools
    validates a route's body against its return type; a bytes body would be read as UTF-8.)"""

    def __init__(self, content: bytes, content_type: str, filename: str) -> None:
        super().__init__(
            status_code=200,
            content_type=content_type,
            body=base64.b64encode(content).decode("ascii"),
            headers={
                "Content-Disposition": content_disposition(filename),
                "Cache-Control": "no-store",
            },
        )
        self.base64_encoded = True


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET = {
    **FAILURES,
    200: {
        "description": "The spreadsheet as an attachment (`format`: csv or xlsx)",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX: {"schema": {"type": "string", "format": "binary"}},
        },
    },
}


def csv_file(header: list[str], rows: list[list[Any]], language: Language) -> bytes:
    """CSV the way the language's spreadsheet programs open it: UTF-8 with a byte-order mark (so
    they read æ, ø and å), numbers with the language's decimal mark, and where that mark is a comma
    (Norwegian), a semicolon between the fields, as Excel expects with a Norwegian locale."""
    mark = decimal_mark(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if mark == "," else ",")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            "" if v is None else number(v, language, grouping=False) if isinstance(v, float) else v
            for v in row
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_file(header: list[str], rows: list[list[Any]], language: Language) -> bytes:
    """An XLSX workbook (openpyxl, imported only here): numbers as numeric cells, scores shown with
    one decimal, a bold header that stays in view and filters on every column."""
    # openpyxl costs 85 ms at import (python -X importtime): only an .xlsx export pays for it
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = "Risiko" if language == "nb" else "Risk"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
            elif isinstance(cell.value, str) and len(cell.value) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(
    name: str, fmt: str, header: list[str], rows: list[list[Any]], language: Language
) -> Response[str]:
    """A spreadsheet of the rows as a download: CSV or XLSX, in the file's language."""
    filename = f"{name}-{date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        return FileResponse(csv_file(header, rows, language), "text/csv; charset=utf-8", filename)
    return FileResponse(xlsx_file(header, rows, language), XLSX, filename)


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
