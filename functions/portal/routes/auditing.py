"""Audit company routes: a producer invites audit companies to its sites (or asks IEH to add one),
ends an invitation, comments on their audits and disputes findings; an audit company answers its
invitations and its auditors upload audits, with findings, for the sites it is invited to."""

from datetime import datetime
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import ConfigDict, Field, StringConstraints, model_validator

from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.producer_shapes import (
    AuditCreatedOut,
    AuditIn,
    AuditOut,
    AuditsOut,
    FindingIn,
    FindingOut,
    RemarkOut,
    UploadOut,
    audit_out,
    created,
    remark_out,
)
from portal.routes.schemas import (
    ERRORS,
    ApscaNumber,
    DownloadOut,
    Email,
    Schema,
    Text,
    answers,
    download_response,
)
from portal.usecases import auditing

SiteId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Remark = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=4000)]


class AuditCompanyRow(Schema):
    id: str
    name: str
    accreditation: str | None
    country: str


class AuditCompaniesOut(Schema):
    items: list[AuditCompanyRow]


class InvitationOut(Schema):
    id: str
    site_id: str
    site_name: str
    site_country: str
    producer_name: str
    company_id: str
    company_name: str
    status: Literal["pending", "active", "declined", "ended"]
    updated_at: datetime


class InvitationsOut(Schema):
    items: list[InvitationOut]


class InviteIn(Schema):
    """An approved audit company (company_id), or one not in the portal yet (company_name and
    email: IEH is asked to add it)."""

    model_config = ConfigDict(extra="forbid")
    site_id: SiteId
    company_id: Annotated[str, StringConstraints(max_length=40)] | None = None
    company_name: Text | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def one_company(self) -> "InviteIn":
        if self.company_id is None and (self.company_name is None or self.email is None):
            raise ValueError("name an audit company, or give the name and e-mail of one not in the portal")
        return self


class AskedOut(Schema):
    asked: Literal["ieh"]
    company_name: str


class AuditorOut(Schema):
    id: str
    name: str
    apsca: str | None


class AuditorsOut(Schema):
    items: list[AuditorOut]


class AuditorIn(Schema):
    model_config = ConfigDict(extra="forbid")
    apsca_number: ApscaNumber | None = None


class AwaitingRow(Schema):
    """An action awaiting the company's verification, with where it is."""

    producer_name: str
    site_id: str
    site_name: str
    audit_id: str
    audit_type: str
    audit_date: str
    finding: FindingOut


class AwaitingOut(Schema):
    items: list[AwaitingRow]


class AuditorAuditIn(AuditIn):
    """The producer's audit form (AuditIn, whatever it asks for), with the site in the path, the
    audit company's name from the portal, and the lead auditor one of the company's auditors."""

    site_id: Annotated[str, StringConstraints(max_length=40)] | None = None  # type: ignore[assignment]
    audit_company: Text | None = None  # type: ignore[assignment]
    lead_auditor: Text | None = None  # type: ignore[assignment]  # the chosen auditor's name
    lead_auditor_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class AuditorVerificationIn(Schema):
    model_config = ConfigDict(extra="forbid")
    method: Literal["desk_review", "follow_up_audit"]
    accepted: bool = Field(
        description="True closes the action as verified by the company; false sends it back"
    )
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = Field(
        None, description="Why it is sent back: the producer reads it (needed when not accepted)"
    )


class RemarkIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: Remark


class RemarkCreatedOut(Schema):
    remark: RemarkOut
    audit: AuditOut


def invitation_out(item: Any) -> InvitationOut:
    return InvitationOut(
        id=auditing.invitation_id(item),
        site_id=item.site_id,
        site_name=item.site_name,
        site_country=item.site_country,
        producer_name=item.producer_name,
        company_id=item.company_id,
        company_name=item.company_name,
        status=item.status,
        updated_at=item.updated_at,
    )


def auditor_out(user: Any) -> AuditorOut:
    return AuditorOut(id=user.user_id, name=user.name or user.email, apsca=user.apsca_number)


def make_router() -> Router:
    router = AreaRouter()

    # -- the producer ------------------------------------------------------------------------------
    @router.get(
        "/producer/audit-companies", summary="The audit companies I can invite to a site", responses=ERRORS
    )
    def audit_companies(actor: CurrentActor) -> AuditCompaniesOut:
        return AuditCompaniesOut(
            items=[
                AuditCompanyRow(
                    id=o.org_id, name=o.name, accreditation=auditing.accreditation_text(o), country=o.country
                )
                for o in auditing.companies()
            ]
        )

    @router.get("/producer/audit-invitations", summary="My invitations to audit companies", responses=ERRORS)
    def producer_invitations(actor: CurrentActor) -> InvitationsOut:
        return InvitationsOut(items=[invitation_out(i) for i in auditing.producer_invitations(actor)])

    @router.post(
        "/producer/audit-invitations",
        summary="Invite an audit company to a site (or ask IEH to add one that is not in the portal)",
        responses={**answers(201, "Invited"), 202: {"description": "IEH is asked to add the company"}},
    )
    def invite(body: InviteIn, actor: CurrentActor, language: RequestLanguage) -> Response[Any]:
        if body.company_id is None:
            assert body.company_name is not None
            assert body.email is not None
            auditing.ask_ieh(actor, body.site_id, body.company_name, body.email, language)
            return Response(
                status_code=202,
                content_type="application/json",
                body=AskedOut(asked="ieh", company_name=body.company_name),
            )
        return created(invitation_out(auditing.invite(actor, body.site_id, body.company_id, language)))

    @router.post(
        "/producer/audit-invitations/<invitation_id>/end",
        summary="End (or withdraw) an invitation: the company reaches the site no more",
        responses=ERRORS,
    )
    def end(invitation_id: str, actor: CurrentActor) -> InvitationOut:
        return invitation_out(auditing.end(actor, invitation_id))

    @router.post(
        "/producer/audits/<audit_id>/comments",
        summary="Comment on an audit company's audit",
        responses=answers(201, "Added"),
    )
    def comment(
        audit_id: str, body: RemarkIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[RemarkCreatedOut]:
        done = auditing.remark(actor, audit_id, body.text)
        return created(
            RemarkCreatedOut(
                remark=remark_out(done.remark), audit=audit_out(done.view, language, with_findings=True)
            )
        )

    @router.post(
        "/producer/audits/<audit_id>/findings/<finding_id>/dispute",
        summary="Dispute a finding of an audit company's audit",
        responses=answers(201, "Added"),
    )
    def dispute(
        audit_id: str, finding_id: str, body: RemarkIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[RemarkCreatedOut]:
        done = auditing.remark(actor, audit_id, body.text, finding_id)
        return created(
            RemarkCreatedOut(
                remark=remark_out(done.remark), audit=audit_out(done.view, language, with_findings=True)
            )
        )

    # -- the audit company -------------------------------------------------------------------------
    @router.get("/auditor/invitations", summary="My company's invitations to sites", responses=ERRORS)
    def company_invitations(actor: CurrentActor) -> InvitationsOut:
        return InvitationsOut(items=[invitation_out(i) for i in auditing.company_invitations(actor)])

    @router.post(
        "/auditor/invitations/<invitation_id>/accept", summary="Accept an invitation", responses=ERRORS
    )
    def accept(invitation_id: str, actor: CurrentActor) -> InvitationOut:
        return invitation_out(auditing.answer(actor, invitation_id, accept=True))

    @router.post(
        "/auditor/invitations/<invitation_id>/decline", summary="Decline an invitation", responses=ERRORS
    )
    def decline(invitation_id: str, actor: CurrentActor) -> InvitationOut:
        return invitation_out(auditing.answer(actor, invitation_id, accept=False))

    @router.get(
        "/auditor/verifications",
        summary="The actions awaiting my company's verification on its invited sites, earliest due first",
        responses=ERRORS,
    )
    def awaiting(actor: CurrentActor, language: RequestLanguage) -> AwaitingOut:
        rows, shown_audits = [], {}  # each audit shaped once, however many of its actions wait
        for found in auditing.awaiting(actor):
            audit_id = found.view.audit.audit_id
            if audit_id not in shown_audits:
                shown_audits[audit_id] = audit_out(found.view, language, with_findings=True)
            shown = shown_audits[audit_id]
            [finding] = [f for f in shown.findings or [] if f.id == found.finding.finding_id]
            rows.append(
                AwaitingRow(
                    producer_name=found.invitation.producer_name,
                    site_id=found.view.audit.site_id,
                    site_name=found.view.audit.site_name,
                    audit_id=found.view.audit.audit_id,
                    audit_type=found.view.audit.audit_type,
                    audit_date=found.view.audit.audit_date,
                    finding=finding,
                )
            )
        return AwaitingOut(items=rows)

    @router.get("/auditor/auditors", summary="My company's auditors", responses=ERRORS)
    def auditors(actor: CurrentActor) -> AuditorsOut:
        return AuditorsOut(items=[auditor_out(u) for u in auditing.auditors(actor)])

    @router.put("/auditor/me", summary="My APSCA number (none: I have none)", responses=ERRORS)
    def set_apsca(body: AuditorIn, actor: CurrentActor) -> AuditorOut:
        return auditor_out(auditing.set_apsca(actor, body.apsca_number))

    @router.get(
        "/auditor/sites/<site_id>/audits", summary="My company's audits of an invited site", responses=ERRORS
    )
    def site_audits(site_id: str, actor: CurrentActor, language: RequestLanguage) -> AuditsOut:
        return AuditsOut(
            items=[audit_out(v, language, with_findings=False) for v in auditing.audits(actor, site_id)]
        )

    @router.post(
        "/auditor/sites/<site_id>/audits",
        summary="Upload an audit of an invited site: the audit and its report's upload form",
        responses=answers(201, "Registered"),
    )
    def add_audit(
        site_id: str, body: AuditorAuditIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[AuditCreatedOut]:
        fields = body.model_dump(
            exclude={"request_id", "lead_auditor_id", "site_id", "audit_company", "lead_auditor"}
        )
        view, upload = auditing.create_audit(
            actor, site_id, str(body.request_id), fields, body.lead_auditor_id
        )
        return created(
            AuditCreatedOut(
                audit=audit_out(view, language, with_findings=True),
                upload=UploadOut.model_validate(upload) if upload else None,
            )
        )

    @router.get(
        "/auditor/sites/<site_id>/audits/<audit_id>",
        summary="One of my company's audits, with its findings and the producer's remarks",
        responses=ERRORS,
    )
    def get_audit(site_id: str, audit_id: str, actor: CurrentActor, language: RequestLanguage) -> AuditOut:
        return audit_out(auditing.audit(actor, site_id, audit_id), language, with_findings=True)

    @router.post(
        "/auditor/sites/<site_id>/documents/<document_id>/download",
        summary="A short-lived link to a report or evidence of my company's audit of the site",
        responses=ERRORS,
    )
    def download(site_id: str, document_id: str, actor: CurrentActor) -> Response[DownloadOut]:
        return download_response(auditing.download(actor, site_id, document_id))

    @router.post(
        "/auditor/sites/<site_id>/audits/<audit_id>/findings",
        summary="Add a finding to my company's audit",
        responses=answers(201, "Added"),
    )
    def add_finding(
        site_id: str, audit_id: str, body: FindingIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[AuditOut]:
        view = auditing.add_finding(actor, site_id, audit_id, body.model_dump())
        return created(audit_out(view, language, with_findings=True))

    @router.post(
        "/auditor/sites/<site_id>/audits/<audit_id>/findings/<finding_id>/verification",
        summary="Verify a corrective action of my company's audit (desk review or follow-up audit)",
        responses=ERRORS,
    )
    def verify(
        site_id: str,
        audit_id: str,
        finding_id: str,
        body: AuditorVerificationIn,
        actor: CurrentActor,
        language: RequestLanguage,
    ) -> AuditOut:
        view = auditing.verify(
            actor,
            site_id,
            audit_id,
            finding_id,
            method=body.method,
            accepted=body.accepted,
            note=body.note,
            reason=body.reason,
        )
        return audit_out(view, language, with_findings=True)

    return router
