"""Shapes of the information request routes (Transparency Act): the public form, the requester's
page and the handlers' case detail and list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from portal.errors import invalid
from portal.routes.schemas import Email, Schema, Text

Ground = Literal["unclear", "unreasonable", "personal", "business_secret", "security_act", "copyright"]
State = Literal[
    "received", "in_progress", "further_reasons_requested", "answered", "partly_refused", "refused"
]
MessageKind = Literal["extension", "answer", "partial_refusal", "refusal", "further_reasons_answer"]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=10000)]
Concerns = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Postal = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Body = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
Reasons = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]


class RequestBase(Schema):
    model_config = ConfigDict(extra="forbid")
    name: Text
    email: Email | None = None
    postal_address: Postal | None = None
    question: Question
    concerns: Concerns | None = None
    language: Literal["nb", "en"] = "nb"

    @model_validator(mode="after")
    def _reply_address(self) -> RequestBase:
        if not self.email and not self.postal_address:
            raise invalid(email="information_requests.address_required")
        return self


class PublicRequestIn(RequestBase):
    website: Annotated[str, StringConstraints(max_length=200)] = Field(
        "", description="Leave empty (a field people do not see: filled in only by robots)"
    )

    @model_validator(mode="after")
    def _honeypot(self) -> PublicRequestIn:
        if self.website.strip():
            raise invalid(website="information_requests.honeypot")
        return self


class ManualRequestIn(RequestBase):
    received_on: date


class OrganisationRef(Schema):
    name: str
    slug: str


class RequestPageOut(Schema):
    organisation: OrganisationRef


class ReceiptOut(Schema):
    case_number: str
    received_on: date
    answer_due: date


class PublicMessageOut(Schema):
    kind: str
    sent_at: datetime
    text: str


class RequesterCaseOut(Schema):
    case_number: str
    organisation: OrganisationRef
    received_on: date
    answer_due: date
    state: State
    messages: list[PublicMessageOut]
    can_ask_further_reasons: bool
    further_reasons_by: date | None


class FurtherReasonsIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: Reasons


class FurtherReasonsByHandIn(Schema):
    model_config = ConfigDict(extra="forbid")
    received_on: date
    text: Reasons


class StateIn(Schema):
    model_config = ConfigDict(extra="forbid")
    state: Literal["in_progress"]


class MessageIn(Schema):
    model_config = ConfigDict(extra="forbid")
    kind: MessageKind
    text: Body
    ground: Ground | None = None
    expected_on: date | None = None

    @model_validator(mode="after")
    def _needs(self) -> MessageIn:
        if self.kind in ("refusal", "partial_refusal") and self.ground is None:
            raise invalid(ground="field.required")
        if self.kind == "extension" and self.expected_on is None:
            raise invalid(expected_on="field.required")
        return self


class CaseItemOut(Schema):
    case_id: str
    case_number: str
    requester_name: str | None
    received_on: date
    due_on: date
    days_left: int = Field(description="Negative when overdue")
    state: State
    extended: bool
    overdue: bool
    language: Literal["nb", "en"]


class SummaryOut(Schema):
    open: int
    overdue: int
    due_this_week: int


class CaseListOut(Schema):
    items: list[CaseItemOut]
    next_cursor: str | None
    summary: SummaryOut


class RequesterOut(Schema):
    name: str | None
    email: str | None
    postal_address: str | None


class DeadlinesOut(Schema):
    answer_due: date
    extension_notice_by: date
    latest_extended_due: date
    further_reasons_by: date | None
    further_reasons_due: date | None


class CaseMessageOut(Schema):
    message_id: str
    kind: str
    sent_at: datetime
    sent_by: str
    text: str
    ground: Ground | None
    legal_text: str | None
    expected_on: date | None = None


class CaseOut(Schema):
    case_id: str
    case_number: str
    state: State
    language: Literal["nb", "en"]
    requester: RequesterOut | None = Field(description="null once erased")
    question: str
    concerns: str | None
    received_on: date
    due_on: date
    extended: bool
    deadlines: DeadlinesOut
    messages: list[CaseMessageOut]
    actions: list[str] = Field(description="What the handler may do now: in_progress and the message kinds")
    entered_by_hand: bool
    closed_at: datetime | None


class StatisticsOut(Schema):
    year: int
    count: int
    answered: int
    median_days_to_answer: float | None
    answered_within_deadline: int
    extended: int
    refused: int
    partly_refused: int
    refused_by_ground: dict[str, int]
    open: int


def model_dump_form(body: Any) -> dict[str, Any]:
    return {
        k: getattr(body, k) for k in ("name", "email", "postal_address", "question", "concerns", "language")
    }
