"""Public routes: health, live statistics, course dates, membership fee quotes and applications."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.request import Request

from portal.domain import fees, membership
from portal.i18n import Language, text
from portal.routes.app import AreaRouter
from portal.routes.catalogue import openapi_json
from portal.routes.deps import request_language, today
from portal.routes.request_shapes import (
    FurtherReasonsIn,
    OrganisationRef,
    PublicMessageOut,
    PublicRequestIn,
    ReceiptOut,
    RequesterCaseOut,
    RequestPageOut,
    model_dump_form,
)
from portal.routes.schemas import (
    ERRORS,
    ApplicationIn,
    ApplicationOut,
    Category,
    Employees,
    FeeOut,
    HealthOut,
    Inhabitants,
    Schema,
    StatsOut,
    Turnover,
    answers,
)
from portal.usecases import information_requests as requests

if TYPE_CHECKING:
    from portal.store.models import InformationRequest, Organisation
from portal.usecases import public


class CourseDateOut(Schema):
    title: str
    description: str
    starts_at: datetime
    location: str
    full: bool


class CourseDatesOut(Schema):
    items: list[CourseDateOut]


def _fee_out(quote: fees.FeeQuote, language: Language) -> FeeOut:
    note = text(f"fee.note.{quote.basis}", language, year=quote.year)
    return FeeOut.model_validate(membership.fee_view(quote, note))


def _requester_out(case: "InformationRequest", org: "Organisation") -> RequesterCaseOut:
    view = requests.requester_view(case, requests.today())
    return RequesterCaseOut(
        case_number=case.case_number,
        organisation=OrganisationRef(name=org.name, slug=org.slug or ""),
        received_on=case.received_on,  # type: ignore[arg-type]
        answer_due=case.due_on,  # type: ignore[arg-type]
        state=case.state,  # type: ignore[arg-type]
        messages=[
            PublicMessageOut(kind=m["kind"], sent_at=m["sent_at"], text=_public_text(m))
            for m in case.messages
        ],
        **view,
    )


def _public_text(message: dict) -> str:
    return "\n\n".join(p for p in (message["text"], message.get("legal_text")) if p)


def make_router() -> Router:
    router = AreaRouter()

    @router.get("/health", summary="Liveness")
    def health() -> HealthOut:
        return HealthOut(status="ok")

    @router.get("/stats", summary="Live figures for the home page", responses=ERRORS)
    def stats() -> StatsOut:
        counters = public.figures()
        return StatsOut(
            members=int(counters.members),
            producers=int(counters.producers),
            sites=int(counters.sites),
            countries=int(counters.countries),
            updated_at=counters.updated_at,
        )

    @router.get(
        "/course-dates", summary="Upcoming courses and seminars for the public courses page", responses=ERRORS
    )
    def course_dates(language: Annotated[Language, Depends(request_language)]) -> CourseDatesOut:
        return CourseDatesOut(
            items=[
                CourseDateOut(
                    title=c.title_en if language == "en" else c.title_nb,
                    description=c.description_en if language == "en" else c.description_nb,
                    starts_at=c.starts_at,
                    location=c.location,
                    full=int(c.seats_taken) >= int(c.capacity),
                )
                for c in public.course_dates()
            ]
        )

    @router.get("/membership-fee", summary="The fee an applicant would pay", responses=ERRORS)
    def membership_fee(
        category: Annotated[Category, Query()],
        language: Annotated[Language, Depends(request_language)],
        joined: Annotated[date, Depends(today)],
        annual_turnover_nok: Annotated[Turnover | None, Query()] = None,
        inhabitants: Annotated[Inhabitants | None, Query()] = None,
        employees: Annotated[Employees | None, Query()] = None,
    ) -> FeeOut:
        quote = fees.quote(
            category,
            annual_turnover_nok=annual_turnover_nok,
            inhabitants=inhabitants,
            employees=employees,
            joined=joined,
        )
        return _fee_out(quote, language)

    @router.post(
        "/membership-applications",
        summary="Apply for membership",
        responses={
            **answers(201, "Received"),
            200: {"description": "The same application was already received"},
        },
    )
    def apply(
        form: ApplicationIn,
        language: Annotated[Language, Depends(request_language)],
        joined: Annotated[date, Depends(today)],
    ) -> Response[ApplicationOut]:
        stored, created = public.apply(
            membership.ApplicationForm(**{**form.model_dump(), "submission_id": str(form.submission_id)}),
            language,
            joined,
        )
        out = ApplicationOut(
            id=stored.application_id,
            reference=stored.reference,
            status=stored.status,
            organisation_name=stored.organisation_name,
            created_at=stored.created_at,
            fee=_fee_out(fees.FeeQuote(**stored.fee), language),
        )
        return Response(status_code=201 if created else 200, content_type="application/json", body=out)

    # -- information requests (Transparency Act): the member's public request page ---------------
    @router.get("/request-pages/<slug>", summary="A member's public request page", responses=ERRORS)
    def request_page(slug: str) -> RequestPageOut:
        org = requests.request_page(slug)
        return RequestPageOut(organisation=OrganisationRef(name=org.name, slug=org.slug or slug))

    @router.post(
        "/request-pages/<slug>/requests",
        summary="Ask a member for information under the Transparency Act (a receipt is e-mailed)",
        responses={**answers(201, "Received"), 429: {"description": "Too many requests: see Retry-After"}},
    )
    def send_request(slug: str, body: PublicRequestIn, request: Request) -> Response[ReceiptOut]:
        ip = request.resolved_event.raw_event.get("requestContext", {}).get("http", {}).get("sourceIp")
        case = requests.submit(slug, requests.RequestForm(**model_dump_form(body)), ip)
        out = ReceiptOut(case_number=case.case_number, received_on=case.received_on, answer_due=case.due_on)  # type: ignore[arg-type]
        return Response(status_code=201, content_type="application/json", body=out)

    @router.get("/requests/<token>", summary="The requester's own case", responses=ERRORS)
    def requester_case(token: str) -> RequesterCaseOut:
        return _requester_out(*requests.by_token(token))

    @router.post(
        "/requests/<token>/further-reasons",
        summary="Ask for further reasons for a refusal (within three weeks)",
        responses=answers(201, "Asked: the case is reopened"),
    )
    def further_reasons(token: str, body: FurtherReasonsIn) -> Response[RequesterCaseOut]:
        requests.ask_further_reasons_online(token, body.text)
        out = _requester_out(*requests.by_token(token))
        return Response(status_code=201, content_type="application/json", body=out)

    @router.get("/openapi.json", summary="This API described in OpenAPI", include_in_schema=False)
    def openapi() -> Response[str]:
        return Response(status_code=200, content_type="application/json", body=openapi_json())

    return router
