"""Producer data routes: company and site profiles, the SAQ, audits, findings, corrective actions,
evidence and document downloads. Every route works in the actor's own organisation."""

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from portal.domain import actions, saq
from portal.domain.reference import reference as reference_lists
from portal.i18n import Language
from portal.routes.app import AreaRouter
from portal.routes.deps import CurrentActor, RequestLanguage
from portal.routes.producer_shapes import (
    ActionIn,
    ActionOut,
    AuditCorrectionIn,
    AuditCreatedOut,
    AuditIn,
    AuditOut,
    AuditsOut,
    DraftIn,
    EvidenceCreatedOut,
    EvidenceIn,
    FindingIn,
    FindingOut,
    ProfileIn,
    ProfileOut,
    ReportIn,
    SaqOut,
    SaqVersionOut,
    SiteIn,
    SiteOut,
    SitesOut,
    SiteUpdateIn,
    SubmitIn,
    SubmittedOut,
    UploadOut,
    VerificationRequestIn,
    VersionIn,
    audit_out,
    created,
    document_out,
    profile_out,
    saq_out,
    site_out,
)
from portal.routes.schemas import ERRORS, DownloadOut, answers, current_on_conflict, download_response
from portal.usecases import supply, verification


def _action_of(view: Any, finding_id: str, language: Language) -> ActionOut:
    [found] = [f for f in audit_out(view, language, with_findings=True).findings or [] if f.id == finding_id]
    assert found.action is not None
    return found.action


# -- routes ------------------------------------------------------------------------------------------
def make_router() -> Router:
    router = AreaRouter()

    @router.get(
        "/reference",
        summary="Countries, sectors, audit types, pillars, grades and action statuses",
        responses=ERRORS,
    )
    def reference(actor: CurrentActor, language: RequestLanguage) -> dict[str, Any]:
        # The corrective-action rules ride along (the schema is a free-form object): the pages
        # read them here instead of keeping a copy.
        return {**reference_lists(language), "corrective_actions": actions.rules()}

    @router.get("/producer/profile", summary="My company profile", responses=ERRORS)
    def get_profile(actor: CurrentActor) -> ProfileOut:

        return profile_out(supply.profile(actor))

    @router.put("/producer/profile", summary="Save (and confirm) my company profile", responses=ERRORS)
    def put_profile(body: ProfileIn, actor: CurrentActor) -> ProfileOut:

        changes = body.model_dump(exclude={"version"})
        with current_on_conflict(lambda: profile_out(supply.profile(actor))):
            return profile_out(supply.save_profile(actor, changes, body.version))

    @router.get("/producer/sites", summary="My sites", responses=ERRORS)
    def list_sites(actor: CurrentActor, language: RequestLanguage) -> SitesOut:

        return SitesOut(items=[site_out(s, language) for s in supply.sites(actor)])

    @router.post(
        "/producer/sites", summary="Add a site (it gets its public id)", responses=answers(201, "Added")
    )
    def add_site(body: SiteIn, actor: CurrentActor, language: RequestLanguage) -> Response[SiteOut]:

        return created(site_out(supply.create_site(actor, body.model_dump()), language))

    @router.get("/producer/sites/<site_id>", summary="One of my sites", responses=ERRORS)
    def get_site(site_id: str, actor: CurrentActor, language: RequestLanguage) -> SiteOut:

        return site_out(supply.site(actor, site_id), language)

    @router.put("/producer/sites/<site_id>", summary="Save (and confirm) a site", responses=ERRORS)
    def put_site(site_id: str, body: SiteUpdateIn, actor: CurrentActor, language: RequestLanguage) -> SiteOut:

        with current_on_conflict(lambda: site_out(supply.site(actor, site_id), language)):
            return site_out(
                supply.save_site(actor, site_id, body.model_dump(exclude={"version"}), body.version),
                language,
            )

    @router.get("/saq/questionnaire", summary="The current self-assessment questionnaire", responses=ERRORS)
    def questionnaire(actor: CurrentActor, language: RequestLanguage) -> dict[str, Any]:
        return saq.localised(saq.questionnaire(), language)

    @router.get(
        "/producer/sites/<site_id>/saq",
        summary="A site's SAQ: the draft and the submitted versions",
        responses=ERRORS,
    )
    def get_saq(site_id: str, actor: CurrentActor) -> SaqOut:

        return saq_out(supply.saq_view(actor, site_id))

    @router.put("/producer/sites/<site_id>/saq/draft", summary="Save the SAQ draft", responses=ERRORS)
    def put_draft(site_id: str, body: DraftIn, actor: CurrentActor) -> SaqOut:

        with current_on_conflict(lambda: saq_out(supply.saq_view(actor, site_id))):
            return saq_out(supply.save_draft(actor, site_id, body.answers, body.version))

    @router.post(
        "/producer/sites/<site_id>/saq/submit",
        summary="Submit the SAQ: a dated, immutable version",
        responses=answers(201, "Submitted"),
    )
    def submit(site_id: str, body: SubmitIn, actor: CurrentActor) -> Response[SubmittedOut]:

        with current_on_conflict(lambda: saq_out(supply.saq_view(actor, site_id))):
            version = supply.submit_saq(actor, site_id, body.version)
        return created(SubmittedOut(number=int(version.number), submitted_at=version.submitted_at))

    @router.get(
        "/producer/sites/<site_id>/saq/versions/<number>", summary="A submitted SAQ version", responses=ERRORS
    )
    def get_version(site_id: str, number: int, actor: CurrentActor) -> SaqVersionOut:

        v = supply.saq_version(actor, site_id, number)
        return SaqVersionOut(
            number=int(v.number),
            submitted_at=v.submitted_at,
            submitted_by=v.submitted_by,
            questionnaire_version=v.questionnaire_version,
            answers=v.answers,
        )

    @router.get("/producer/audits", summary="My audits, newest first", responses=ERRORS)
    def list_audits(actor: CurrentActor, language: RequestLanguage) -> AuditsOut:

        return AuditsOut(items=[audit_out(v, language, with_findings=False) for v in supply.audits(actor)])

    @router.post(
        "/producer/audits",
        summary="Register an audit and get the upload form for its report",
        responses=answers(201, "Registered"),
    )
    def add_audit(body: AuditIn, actor: CurrentActor, language: RequestLanguage) -> Response[AuditCreatedOut]:

        fields = body.model_dump(exclude={"request_id"})
        view, upload = supply.create_audit(actor, str(body.request_id), fields)
        out = AuditCreatedOut(
            audit=audit_out(view, language, with_findings=True),
            upload=UploadOut.model_validate(upload) if upload else None,
        )
        return created(out)

    @router.get(
        "/producer/audits/<audit_id>", summary="One audit with its findings and actions", responses=ERRORS
    )
    def get_audit(audit_id: str, actor: CurrentActor, language: RequestLanguage) -> AuditOut:

        return audit_out(supply.audit(actor, audit_id), language, with_findings=True)

    @router.put(
        "/producer/audits/<audit_id>",
        summary="Correct an audit's record: in place until a customer has seen it, then as a new version",
        responses=ERRORS,
    )
    def put_audit(
        audit_id: str, body: AuditCorrectionIn, actor: CurrentActor, language: RequestLanguage
    ) -> AuditOut:

        fields = body.model_dump(exclude={"version", "note"})
        with current_on_conflict(
            lambda: audit_out(supply.audit(actor, audit_id), language, with_findings=True)
        ):
            view = supply.correct_audit(actor, audit_id, fields, body.version, body.note)
        return audit_out(view, language, with_findings=True)

    @router.delete(
        "/producer/audits/<audit_id>",
        summary="Delete an audit no customer has seen",
        responses=answers(204, "Deleted", body=False),
    )
    def delete_audit(audit_id: str, body: VersionIn, actor: CurrentActor) -> Response[None]:

        supply.delete_audit(actor, audit_id, body.version)
        return Response(status_code=204)

    @router.post(
        "/producer/audits/<audit_id>/report",
        summary="Replace a rejected report: the upload form for the new file",
        responses=answers(201, "Added"),
    )
    def replace_report(
        audit_id: str, body: ReportIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[EvidenceCreatedOut]:

        fields = body.model_dump(exclude={"request_id"})
        item, upload = supply.replace_report(actor, audit_id, str(body.request_id), fields)
        return created(
            EvidenceCreatedOut(
                document=document_out(item, language),
                upload=UploadOut.model_validate(upload) if upload else None,
            )
        )

    @router.post(
        "/producer/audits/<audit_id>/findings", summary="Add a finding", responses=answers(201, "Added")
    )
    def add_finding(
        audit_id: str, body: FindingIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[FindingOut]:

        item = supply.add_finding(actor, audit_id, body.model_dump())
        view = supply.audit(actor, audit_id)
        [out] = [
            f for f in audit_out(view, language, with_findings=True).findings or [] if f.id == item.finding_id
        ]
        return created(out)

    @router.patch(
        "/producer/audits/<audit_id>/findings/<finding_id>/action",
        summary="Update a corrective action",
        responses=ERRORS,
    )
    def patch_action(
        audit_id: str, finding_id: str, body: ActionIn, actor: CurrentActor, language: RequestLanguage
    ) -> ActionOut:

        def action_of(view: Any) -> ActionOut:
            return _action_of(view, finding_id, language)

        changes = body.model_dump(exclude={"version"}, exclude_unset=True)
        with current_on_conflict(lambda: action_of(supply.audit(actor, audit_id))):
            return action_of(supply.change_action(actor, audit_id, finding_id, changes, body.version))

    @router.post(
        "/producer/audits/<audit_id>/findings/<finding_id>/verification-request",
        summary="Ask a customer with audit-level access to the site to verify an action awaiting it",
        responses=ERRORS,
    )
    def request_verification(
        audit_id: str,
        finding_id: str,
        body: VerificationRequestIn,
        actor: CurrentActor,
        language: RequestLanguage,
    ) -> ActionOut:

        def action_of(view: Any) -> ActionOut:
            return _action_of(view, finding_id, language)

        with current_on_conflict(lambda: action_of(supply.audit(actor, audit_id))):
            verification.request_verification(actor, audit_id, finding_id, body.buyer_id, body.version)
        return action_of(supply.audit(actor, audit_id))

    @router.post(
        "/producer/audits/<audit_id>/findings/<finding_id>/evidence",
        summary="Add evidence of a completed improvement: the upload form",
        responses=answers(201, "Added"),
    )
    def add_evidence(
        audit_id: str, finding_id: str, body: EvidenceIn, actor: CurrentActor, language: RequestLanguage
    ) -> Response[EvidenceCreatedOut]:

        fields = body.model_dump(exclude={"request_id"})
        item, upload = supply.add_evidence(actor, audit_id, finding_id, str(body.request_id), fields)
        return created(
            EvidenceCreatedOut(
                document=document_out(item, language),
                upload=UploadOut.model_validate(upload) if upload else None,
            )
        )

    @router.post(
        "/producer/documents/<document_id>/download", summary="A short-lived download link", responses=ERRORS
    )
    def download(document_id: str, actor: CurrentActor) -> Response[DownloadOut]:

        return download_response(supply.download_link(actor, document_id))

    return router
