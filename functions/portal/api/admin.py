"""IEH staff routes: membership applications in, member organisations and their first user out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal, cast

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Query
from pydantic import BaseModel, StringConstraints

from portal.api.schemas import ERRORS
from portal.api.session import current_actor
from portal.policy import Actor

Status = Literal["received", "approved", "rejected"]


CurrentActor = Annotated[Actor, Depends(current_actor)]


class ApplicationRow(BaseModel):
    id: str
    organisation_name: str
    organisation_number: str
    category: str
    contact_name: str
    email: str
    phone: str | None
    message: str | None
    created_at: datetime
    status: str
    fee: dict[str, Any]


class ApplicationsOut(BaseModel):
    items: list[ApplicationRow]


class ApproveIn(BaseModel):
    org_type: Literal["buyer", "producer", "both"]


class ApprovedOut(BaseModel):
    organisation_id: str
    invited: str


class RejectIn(BaseModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]


class RejectedOut(BaseModel):
    id: str
    status: str


def make_router() -> Router:
    router = Router()

    @router.get("/admin/applications", summary="Membership applications by status, newest first")
    def applications(actor: CurrentActor, status: Annotated[Status, Query()] = "received") -> ApplicationsOut:
        from portal.store.models import MembershipApplication

        found = cast(
            "Iterable[MembershipApplication]",
            MembershipApplication.by_gsi1.query(
                f"APPLICATIONS#{status}", scan_index_forward=False, limit=200
            ),
        )
        return ApplicationsOut(
            items=[
                ApplicationRow(
                    id=a.application_id,
                    organisation_name=a.organisation_name,
                    organisation_number=a.organisation_number,
                    category=a.category,
                    contact_name=a.contact_name,
                    email=a.email,
                    phone=a.phone,
                    message=a.message,
                    created_at=a.created_at,
                    status=a.status,
                    fee=a.fee,
                )
                for a in found
            ]
        )

    @router.post(
        "/admin/applications/<application_id>/approve",
        summary="Approve: create the member, invite the contact",
        responses=ERRORS,
    )
    def approve(application_id: str, body: ApproveIn, actor: CurrentActor) -> ApprovedOut:
        from portal import membership_admin

        org_id, email = membership_admin.approve(application_id, body.org_type, actor)
        return ApprovedOut(organisation_id=org_id, invited=email)

    @router.post(
        "/admin/applications/<application_id>/reject",
        summary="Reject with a reason the applicant receives",
        responses=ERRORS,
    )
    def reject(application_id: str, body: RejectIn, actor: CurrentActor) -> RejectedOut:
        from portal import membership_admin

        membership_admin.reject(application_id, body.reason, actor)
        return RejectedOut(id=application_id, status="rejected")

    return router
