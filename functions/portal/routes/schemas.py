"""Shapes at the edge: what requests must look like and what responses promise (they make openapi.json)."""

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from aws_lambda_powertools.event_handler import Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from portal.adapters.files import DOWNLOAD_SECONDS
from portal.errors import PortalError


def _email(value: str) -> str:
    from email_validator import (  # only the routes that take e-mail pay for it
        EmailNotValidError,
        validate_email,
    )

    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise PydanticCustomError("email", "not a valid e-mail address") from error


def _organisation_number(value: str) -> str:
    from stdnum.no import orgnr  # 10 ms at import (python -X importtime): only the routes that take one pay

    compact = re.sub(r"\s", "", value)
    if not orgnr.is_valid(compact):
        raise PydanticCustomError("organisation_number", "not a valid Norwegian organisation number")
    return compact


def _phone(value: str) -> str:
    compact = re.sub(r"[\s\-().]", "", value)
    if not re.fullmatch(r"\+?\d{8,15}", compact):
        raise PydanticCustomError("phone", "not a valid phone number")
    return compact


def _apsca(value: str) -> str:
    from portal.domain.auditors import apsca_number

    number = apsca_number(value)
    if number is None:
        raise PydanticCustomError("apsca_number", "not an APSCA number (eight digits)")
    return number


class Schema(BaseModel):
    """Every request and response shape. Its validator is built on first use (`defer_build`), so a
    cold start builds only the shapes of the route it answers, not all of its function's."""

    model_config = ConfigDict(defer_build=True)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=254),
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": 254}),
]
OrganisationNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
    AfterValidator(_organisation_number),
    WithJsonSchema({"type": "string", "pattern": r"^\d{9}$", "description": "Norwegian organisation number"}),
]
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=30), AfterValidator(_phone)
]
ApscaNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=30),
    AfterValidator(_apsca),
    WithJsonSchema(
        {"type": "string", "description": "APSCA membership number: 'APSCA 21700001' or eight digits"}
    ),
]
Category = Literal["company", "organisation", "municipality", "county_council"]
Turnover = Annotated[int, Field(ge=0, le=10**13)]
Inhabitants = Annotated[int, Field(ge=1, le=10**7)]
Employees = Annotated[int, Field(ge=0, le=10**6)]


class ErrorBody(Schema):
    code: str
    message: str
    fields: dict[str, str] | None = None
    current: dict[str, Any] | None = Field(
        default=None, description="With a 409 conflict: what is stored now, to show instead of overwriting it"
    )


class ErrorOut(Schema):
    error: ErrorBody


# ErrorOut.model_json_schema(), written out: generating it for every failure of every route cost a
# cold start 40 ms (tests/unit/test_schemas.py keeps the two the same).
ERROR_SCHEMA: dict[str, Any] = {
    "$defs": {
        "ErrorBody": {
            "properties": {
                "code": {"title": "Code", "type": "string"},
                "message": {"title": "Message", "type": "string"},
                "fields": {
                    "anyOf": [
                        {"additionalProperties": {"type": "string"}, "type": "object"},
                        {"type": "null"},
                    ],
                    "default": None,
                    "title": "Fields",
                },
                "current": {
                    "anyOf": [{"additionalProperties": True, "type": "object"}, {"type": "null"}],
                    "default": None,
                    "description": ErrorBody.model_fields["current"].description,
                    "title": "Current",
                },
            },
            "required": ["code", "message"],
            "title": "ErrorBody",
            "type": "object",
        }
    },
    "properties": {"error": {"$ref": "#/$defs/ErrorBody"}},
    "required": ["error"],
    "title": "ErrorOut",
    "type": "object",
}
FAILURES: dict[int, Any] = {
    status: {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}
    for status, description in {
        400: "The request could not be understood",
        401: "Not logged in, or the session has ended",
        403: "The anti-CSRF header is missing or wrong, or the second factor must be set up first",
        404: "Not found, or not the caller's to see (a denied read says no more than that)",
        409: "Changed meanwhile (`current` is what is stored now), or not possible in this state",
        422: "A field is invalid; `fields` says which and why, in the request's language",
        429: "Too many attempts; retry after Retry-After seconds",
        503: "Temporarily unavailable; retry after Retry-After seconds",
    }.items()
}
# Given `responses`, Powertools documents a route's return type only under a response that has no
# content of its own: ERRORS names the plain 200, so each route's document says what it answers.
ERRORS: dict[int, Any] = {200: {"description": "Success"}, **FAILURES}


def answers(status: int, description: str, *, body: bool = True) -> dict[int, Any]:
    """FAILURES and a success other than a plain 200: with the route's return type as its body
    (201) or with no body (202, 204)."""
    return {
        **FAILURES,
        status: {"description": description} if body else {"description": description, "content": {}},
    }


class HealthOut(Schema):
    status: Literal["ok"]


class StatsOut(Schema):
    members: int
    producers: int
    sites: int
    countries: int
    updated_at: datetime | None


class FeeOut(Schema):
    category: Category
    basis: Literal["exact", "estimate", "range"]
    annual_fee_nok: int | None
    min_nok: int
    max_nok: int
    first_year_share: float
    first_year_fee_nok: int | None
    year: int
    note: str
    source: str
    group: int | None = Field(None, description="An organisation's group, once IEH has confirmed the limits")


class ApplicationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    submission_id: UUID = Field(
        description="Made once per form by the browser: a repeat stores one application"
    )
    organisation_name: Text
    organisation_number: OrganisationNumber
    category: Category
    annual_turnover_nok: Turnover | None = None
    inhabitants: Inhabitants | None = None
    employees: Employees | None = Field(None, description="An organisation's number of employees")
    contact_name: Text
    email: Email
    phone: Phone | None = None
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    consent: bool


class ApplicationOut(Schema):
    id: str
    reference: str | None = Field(description="The applicant's short reference, as in the receipt e-mail")
    status: str
    organisation_name: str
    created_at: datetime
    fee: FeeOut


class DownloadOut(Schema):
    url: str
    expires_in: int = Field(description="Seconds the link works")


def download_response(url: str) -> Any:
    """A short-lived download link: never cached (it is a bearer credential for a minute)."""
    return Response(
        status_code=200,
        content_type="application/json",
        body=DownloadOut(url=url, expires_in=DOWNLOAD_SECONDS),
        headers={"Cache-Control": "no-store"},
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
