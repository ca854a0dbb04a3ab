"""Shapes at the edge: what requests must look like and what responses promise (they make openapi.json)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError


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
    from stdnum.no import orgnr

    compact = re.sub(r"\s", "", value)
    if not orgnr.is_valid(compact):
        raise PydanticCustomError("organisation_number", "not a valid Norwegian organisation number")
    return compact


def _phone(value: str) -> str:
    compact = re.sub(r"[\s\-().]", "", value)
    if not re.fullmatch(r"\+?\d{8,15}", compact):
        raise PydanticCustomError("phone", "not a valid phone number")
    return compact


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
Category = Literal["company", "organisation", "municipality", "county_council"]
Turnover = Annotated[int, Field(ge=0, le=10**13)]
Inhabitants = Annotated[int, Field(ge=1, le=10**7)]


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


ERRORS: dict[int, Any] = {
    status: {
        "description": description,
        "content": {"application/json": {"schema": ErrorOut.model_json_schema()}},
    }
    for status, description in {
        400: "The request could not be understood",
        422: "A field is invalid; `fields` says which and why, in the request's language",
        503: "Temporarily unavailable; retry after Retry-After seconds",
    }.items()
}


class HealthOut(BaseModel):
    status: Literal["ok"]


class StatsOut(BaseModel):
    members: int
    producers: int
    sites: int
    countries: int
    updated_at: datetime | None


class FeeOut(BaseModel):
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


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    submission_id: UUID = Field(
        description="Made once per form by the browser: a repeat stores one application"
    )
    organisation_name: Text
    organisation_number: OrganisationNumber
    category: Category
    annual_turnover_nok: Turnover | None = None
    inhabitants: Inhabitants | None = None
    contact_name: Text
    email: Email
    phone: Phone | None = None
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    consent: bool


class ApplicationOut(BaseModel):
    id: str
    status: str
    organisation_name: str
    created_at: datetime
    fee: FeeOut


class DownloadOut(BaseModel):
    url: str
    expires_in: int = Field(description="Seconds the link works")


def download_response(url: str) -> Any:
    """A short-lived download link: never cached (it is a bearer credential for a minute)."""
    from aws_lambda_powertools.event_handler import Response

    from portal.files import DOWNLOAD_SECONDS

    return Response(
        status_code=200,
        content_type="application/json",
        body=DownloadOut(url=url, expires_in=DOWNLOAD_SECONDS),
        headers={"Cache-Control": "no-store"},
    )
