"""Information requests (Transparency Act) for the organisation's request handlers: the case list,
cases entered by hand, one case with its deadlines and messages, the statistics per year."""

from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.request import Request

from portal.domain import transparency as law
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor
from portal.routes.request_shapes import (
    CaseItemOut,
    CaseListOut,
    CaseMessageOut,
    CaseOut,
    DeadlinesOut,
    FurtherReasonsByHandIn,
    ManualRequestIn,
    MessageIn,
    RequesterOut,
    StateIn,
    StatisticsOut,
    SummaryOut,
    model_dump_form,
)
from portal.routes.schemas import ERRORS, answers
from portal.usecases import information_requests as requests

if TYPE_CHECKING:  # the use cases hand cases to the presenters; the router never reads the store
    from portal.store.models import InformationRequest


def _ip(request: Request) -> str | None:
    ip: str | None = (
        request.resolved_event.raw_event.get("requestContext", {}).get("http", {}).get("sourceIp")
    )
    return ip


def case_out(case: "InformationRequest", today: date) -> CaseOut:
    clock = requests.clock(case)
    received = clock.received_on
    return CaseOut.model_validate(
        {
            "case_id": case.case_id,
            "case_number": case.case_number,
            "state": case.state,
            "language": case.language,
            "requester": RequesterOut(**case.requester) if case.requester else None,
            "question": case.question,
            "concerns": case.concerns,
            "received_on": case.received_on,
            "due_on": case.due_on,
            "extended": bool(case.extended),
            "deadlines": DeadlinesOut(
                answer_due=law.answer_due(received),
                extension_notice_by=law.extension_notice_by(received),
                latest_extended_due=law.latest_extended_due(received),
                further_reasons_by=law.further_reasons_by(clock.refused_on) if clock.refused_on else None,
                further_reasons_due=law.further_reasons_due(clock.further_reasons_asked_on)
                if clock.further_reasons_asked_on
                else None,
            ),
            "messages": [CaseMessageOut.model_validate(m) for m in case.messages],
            "actions": law.actions(clock, today),
            "entered_by_hand": bool(case.entered_by_hand),
            "closed_at": case.closed_at,
        }
    )


def _created(case: "InformationRequest") -> Response[CaseOut]:
    return Response(status_code=201, content_type="application/json", body=case_out(case, requests.today()))


def make_router() -> Router:
    router = AreaRouter()

    @router.get(
        "/information-requests",
        summary="My organisation's information requests, open first by due date",
        responses=ERRORS,
    )
    def case_list(
        actor: CurrentActor,
        view: Annotated[Literal["open", "closed", "all"], Query()] = "open",
        cursor: Annotated[str | None, Query(max_length=300)] = None,
    ) -> CaseListOut:
        today = requests.today()
        items, next_cursor, summary = requests.list_cases(actor, view, cursor, today)
        return CaseListOut(
            items=[
                CaseItemOut(
                    case_id=c.case_id,
                    case_number=c.case_number,
                    requester_name=(c.requester or {}).get("name"),
                    received_on=c.received_on,  # type: ignore[arg-type]
                    due_on=c.due_on,  # type: ignore[arg-type]
                    days_left=law.days_left(date.fromisoformat(c.due_on), today),
                    state=c.state,  # type: ignore[arg-type]
                    extended=bool(c.extended),
                    overdue=law.is_open(c.state) and date.fromisoformat(c.due_on) < today,
                    language="en" if c.language == "en" else "nb",
                )
                for c in items
            ],
            next_cursor=next_cursor,
            summary=SummaryOut(**summary),
        )

    @router.post(
        "/information-requests",
        summary="Enter a request that arrived by letter or e-mail, with its real date of receipt",
        responses=answers(201, "Entered"),
    )
    def enter(body: ManualRequestIn, actor: CurrentActor) -> Response[CaseOut]:
        return _created(
            requests.enter_by_hand(actor, requests.RequestForm(**model_dump_form(body)), body.received_on)
        )

    @router.get(
        "/information-requests/<case_id>",
        summary="One case (the view is in the security log)",
        responses=ERRORS,
    )
    def one(case_id: str, actor: CurrentActor, request: Request) -> CaseOut:
        return case_out(requests.view_case(actor, case_id, _ip(request)), requests.today())

    @router.post(
        "/information-requests/<case_id>/state", summary="Mark the case as in progress", responses=ERRORS
    )
    def state(case_id: str, body: StateIn, actor: CurrentActor) -> CaseOut:
        return case_out(requests.start(actor, case_id), requests.today())

    @router.post(
        "/information-requests/<case_id>/messages",
        summary="Send the requester a message (extension, answer, refusal …): e-mailed, stored, never edited",
        responses=answers(201, "Sent"),
    )
    def message(case_id: str, body: MessageIn, actor: CurrentActor) -> Response[CaseOut]:
        return _created(
            requests.send_message(actor, case_id, body.kind, body.text, body.ground, body.expected_on)
        )

    @router.post(
        "/information-requests/<case_id>/further-reasons",
        summary="The requester asked for further reasons by letter or e-mail: reopen the case",
        responses=answers(201, "Reopened"),
    )
    def further(case_id: str, body: FurtherReasonsByHandIn, actor: CurrentActor) -> Response[CaseOut]:
        return _created(requests.further_reasons_by_hand(actor, case_id, body.received_on, body.text))

    @router.delete(
        "/information-requests/<case_id>/requester",
        summary="Erase the requester's name, addresses and link now",
        responses=answers(204, "Erased", body=False),
    )
    def erase(case_id: str, actor: CurrentActor) -> Response[None]:
        requests.erase_requester(actor, case_id)
        return Response(status_code=204)

    @router.get(
        "/information-request-statistics",
        summary="My organisation's information requests in a year",
        responses=ERRORS,
    )
    def stats(actor: CurrentActor, year: Annotated[int, Query(ge=2022, le=2100)]) -> StatisticsOut:
        return StatisticsOut(**requests.statistics(actor, year))

    return router
