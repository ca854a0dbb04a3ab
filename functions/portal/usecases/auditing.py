"""Audit companies at work: a producer invites one to a site, the company's admin accepts or
declines, the producer can end it; while it is active the company's auditors upload audits for that
site (with the producer's own audit functions, into the producer's partition, marked as theirs). The
producer comments on such an audit and disputes its findings. Knows nothing of HTTP."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from portal import policy
from portal.adapters import mail
from portal.clock import utcnow
from portal.errors import PortalError, conflict, invalid, not_found
from portal.i18n import Language
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import auditing as auditing_store
from portal.store import links
from portal.store import producers as producer_store
from portal.store.models import AuditInvitation, AuditRemark, Organisation, User, new
from portal.store.organisations import organisation
from portal.usecases import notifications, supply
from portal.usecases.members import actor_email

OPEN = ("pending", "active")  # an invitation that still counts: the producer may end it


def invitation_id(item: AuditInvitation) -> str:
    """The public id of an invitation: its company and site (neither alone says which)."""
    return f"{item.company_id}.{item.site_id}"


def _parts(invitation_id: str) -> tuple[str, str]:
    company_id, _, site_id = invitation_id.partition(".")
    if not company_id or not site_id:
        raise not_found()
    return company_id, site_id


def accreditation_text(org: Organisation) -> str | None:
    accreditation = org.accreditation or {}
    parts = [accreditation.get("body"), accreditation.get("number")]
    return ", ".join(p for p in parts if p) or None


# -- the producer's side ---------------------------------------------------------------------------
def companies() -> list[Organisation]:
    """The approved audit companies a producer may invite, by name."""
    return auditing_store.companies()


def producer_invitations(actor: Actor) -> list[AuditInvitation]:
    found = auditing_store.producer_invitations(actor.org_id)
    return sorted(found, key=lambda i: (i.status not in OPEN, i.site_name, i.company_name.casefold()))


def invite(actor: Actor, site_id: str, company_id: str, language: Language) -> AuditInvitation:
    """Invite an approved audit company to one of the producer's sites; its admins are told. An
    invitation already pending or active is answered as it is."""
    site = producer_store.site(actor.org_id, site_id)
    try:
        company = organisation(company_id)
    except PortalError:
        raise invalid(company_id="field.unknown_audit_company") from None
    if company.org_type != "audit_company":
        raise invalid(company_id="field.unknown_audit_company")
    existing = auditing_store.invitation(company_id, site_id)
    if existing is not None and existing.status in OPEN:
        return existing
    producer = producer_store.organisation(actor.org_id)
    now = utcnow()
    item = existing or new(
        AuditInvitation,
        AuditInvitation.key(company_id, site_id),
        company_id=company_id,
        site_id=site_id,
        producer_id=actor.org_id,
    )
    item.company_name, item.producer_name = company.name, producer.name
    item.site_name, item.site_country = site.name, site.country
    item.status, item.invited_by, item.decided_by, item.updated_at = "pending", actor_email(actor), None, now
    auditing_store.save_invitation(item, None if existing is None else int(existing.version))
    for admin in account_store.org_users(company_id):
        if admin.role == "admin" and admin.status == "active":
            mail.send(
                admin.email,
                "audit_invitation",
                _language(admin, language),
                producer=producer.name,
                site=f"{site.name} ({site.site_id})",
                link=mail.link("/members/auditor/", _language(admin, language)),
            )
    return item


def ask_ieh(actor: Actor, site_id: str, name: str, email: str, language: Language) -> None:
    """An audit company that is not in the portal yet: IEH's staff are asked to add it."""
    site = producer_store.site(actor.org_id, site_id)
    producer = producer_store.organisation(actor.org_id)
    for person in notifications.staff():
        mail.send(
            person.email,
            "audit_company_request",
            _language(person, "nb"),
            producer=producer.name,
            site=f"{site.name} ({site.site_id})",
            company=name,
            email=email,
            asked_by=actor_email(actor),
            link=mail.link("/members/admin/#audit-companies", _language(person, "nb")),
        )


def end(actor: Actor, invitation_id: str) -> AuditInvitation:
    """The producer ends (or withdraws) an invitation: from now on the company reaches nothing of
    the site. Its audits already uploaded stay the producer's."""
    item = _producers(actor, invitation_id)
    if item.status not in OPEN:
        raise conflict("invitation_not_open")
    return _decide(item, "ended", actor)


def _producers(actor: Actor, invitation_id: str) -> AuditInvitation:
    item = auditing_store.invitation(*_parts(invitation_id))
    if item is None or item.producer_id != actor.org_id:
        raise not_found()
    return item


def _decide(item: AuditInvitation, status: str, actor: Actor) -> AuditInvitation:
    version = int(item.version)
    item.status, item.decided_by, item.updated_at = status, actor_email(actor), utcnow()
    auditing_store.save_invitation(item, version)
    return item


# -- the audit company's side ----------------------------------------------------------------------
def company_invitations(actor: Actor) -> list[AuditInvitation]:
    found = auditing_store.company_invitations(actor.org_id)
    order = {"pending": 0, "active": 1}
    return sorted(found, key=lambda i: (order.get(i.status, 2), i.producer_name.casefold(), i.site_name))


@dataclass(frozen=True)
class Awaiting:
    """A corrective action of one of the company's audits that its producer says is done."""

    invitation: AuditInvitation
    view: supply.AuditView
    finding: Any


def awaiting(actor: Actor, invitations: list[AuditInvitation] | None = None) -> list[Awaiting]:
    """The actions awaiting the company's verification on every site it is actively invited to,
    longest waiting first: one Query per producer (its audit tree), none per site."""
    from portal.domain import actions

    active = [i for i in (invitations or company_invitations(actor)) if i.status == "active"]
    found: list[Awaiting] = []
    for producer_id in sorted({i.producer_id for i in active}):
        sites = {i.site_id: i for i in active if i.producer_id == producer_id}
        for view in supply.audit_views(producer_store.audit_tree(producer_id)):
            invitation = sites.get(view.audit.site_id)
            if invitation is None or (view.audit.uploaded_by or {}).get("org_id") != actor.org_id:
                continue
            found += [
                Awaiting(invitation, view, item)
                for item in view.findings
                if item.status == "awaiting_verification"
            ]
    return sorted(
        found,
        key=lambda a: (
            a.finding.due_date or "9999",
            actions.grade_rank(a.finding.grade),
            a.view.audit.audit_date,
        ),
    )


def answer(actor: Actor, invitation_id: str, accept: bool) -> AuditInvitation:
    """The company's admin accepts or declines a pending invitation."""
    company_id, site_id = _parts(invitation_id)
    item = auditing_store.invitation(company_id, site_id) if company_id == actor.org_id else None
    if item is None:
        raise not_found()
    if item.status != "pending":
        raise conflict("invitation_not_pending")
    return _decide(item, "active" if accept else "declined", actor)


def _active(actor: Actor, site_id: str) -> AuditInvitation:
    item = auditing_store.invitation(actor.org_id, site_id)
    policy.require_active_invitation(item)
    assert item is not None
    return item


def auditors(actor: Actor) -> list[User]:
    """The company's auditors who have joined, by name (the lead auditor is one of them)."""
    found = [u for u in account_store.org_users(actor.org_id) if u.status == "active"]
    return sorted(found, key=lambda u: (u.name or u.email).casefold())


def set_apsca(actor: Actor, number: str | None) -> User:
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    user.apsca_number = number
    account_store.save_user(user)
    return user


def _uploaded_by(actor: Actor, lead_auditor_id: str) -> dict[str, Any]:
    lead = account_store.user_by_id(lead_auditor_id)
    if lead is None or lead.org_id != actor.org_id or lead.status != "active":
        raise invalid(lead_auditor_id="field.unknown_auditor")
    company = organisation(actor.org_id)
    return {
        "kind": "audit_company",
        "org_id": company.org_id,
        "org_name": company.name,
        "accreditation": accreditation_text(company),
        "lead_auditor": {
            "user_id": lead.user_id,
            "name": lead.name or lead.email,
            "apsca": lead.apsca_number,
        },
        "by": actor.user_id,
    }


def create_audit(
    actor: Actor, site_id: str, request_id: str, fields: dict[str, Any], lead_auditor_id: str
) -> tuple[supply.AuditView, dict[str, Any] | None]:
    """An audit of an invited site, in the producer's partition, marked as the company's."""
    item = _active(actor, site_id)
    uploaded_by = _uploaded_by(actor, lead_auditor_id)
    fields = {
        **fields,
        "site_id": site_id,
        "audit_company": uploaded_by["org_name"],
        "lead_auditor": uploaded_by["lead_auditor"]["name"],
    }
    return supply.create_audit(actor, request_id, fields, owner=item.producer_id, uploaded_by=uploaded_by)


def _own_audit(
    actor: Actor, site_id: str, audit_id: str, item: AuditInvitation | None = None
) -> tuple[AuditInvitation, supply.AuditView]:
    item = item or _active(actor, site_id)
    view = supply.audit_of(item.producer_id, audit_id)
    if view.audit.site_id != site_id or (view.audit.uploaded_by or {}).get("org_id") != actor.org_id:
        raise not_found()
    return item, view


def audit(actor: Actor, site_id: str, audit_id: str) -> supply.AuditView:
    return _own_audit(actor, site_id, audit_id)[1]


def audits(actor: Actor, site_id: str) -> list[supply.AuditView]:
    """The company's own audits of the site (never the producer's or another company's)."""
    item = _active(actor, site_id)
    views = supply.audit_views(producer_store.audit_tree(item.producer_id))
    return [
        v
        for v in views
        if v.audit.site_id == site_id and (v.audit.uploaded_by or {}).get("org_id") == actor.org_id
    ]


def download(actor: Actor, site_id: str, document_id: str) -> str:
    """A short-lived link to a report or a piece of evidence of the company's own audit of the site
    (what a desk review reads), written in the producer's access log under the company's name."""
    from portal.adapters import files

    item = _active(actor, site_id)
    doc = producer_store.document_by_id(item.producer_id, document_id)
    if doc is None or doc.status != "available" or not doc.audit_id:
        raise not_found()
    _own_audit(actor, site_id, doc.audit_id, item)
    links.log_access(
        item.producer_id, actor.org_id, item.company_name, "downloaded", doc.file_name, audit_id=doc.audit_id
    )
    return files.download_link(
        doc.object_key, doc.file_name, doc.media_type or doc.declared_type, doc.object_version
    )


def add_finding(actor: Actor, site_id: str, audit_id: str, fields: dict[str, Any]) -> supply.AuditView:
    item, _ = _own_audit(actor, site_id, audit_id)
    supply.add_finding(actor, audit_id, fields, owner=item.producer_id)
    return supply.audit_of(item.producer_id, audit_id)


def verify(
    actor: Actor,
    site_id: str,
    audit_id: str,
    finding_id: str,
    *,
    method: str,
    accepted: bool,
    note: str | None,
    reason: str | None,
) -> supply.AuditView:
    """An auditor verifies a corrective action of its company's own audit (a desk review of the
    evidence, or a follow-up audit): closed as verified by the company, or sent back with a reason."""
    from portal.usecases import verification

    item, _ = _own_audit(actor, site_id, audit_id)
    person = account_store.user_by_id(actor.user_id)
    name = (person.name or person.email) if person else actor.user_id
    verifier = verification.Verifier("audit_company", actor.org_id, item.company_name, name)
    verification.verify_action(
        item.producer_id, audit_id, finding_id, verifier, method, note, accepted, reason
    )
    return supply.audit_of(item.producer_id, audit_id)


# -- the producer's remarks ------------------------------------------------------------------------
@dataclass(frozen=True)
class Remarked:
    remark: AuditRemark
    view: supply.AuditView


def remark(actor: Actor, audit_id: str, text: str, finding_id: str | None = None) -> Remarked:
    """The producer comments on an audit company's audit, or disputes one of its findings: written
    once, with who and when, and shown to the company and to customers who see the audit."""
    view = supply.audit(actor, audit_id)
    if not view.audit.uploaded_by:
        raise not_found()  # the producer's own audit: it changes it instead
    if finding_id is not None and not any(f.finding_id == finding_id for f in view.findings):
        raise not_found()
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise PortalError(401, "not_authenticated")
    now = utcnow()
    remark_id = uuid.uuid4().hex[:12]
    item = new(
        AuditRemark,
        AuditRemark.key(actor.org_id, audit_id, now, remark_id),
        audit_id=audit_id,
        remark_id=remark_id,
        remark_kind="dispute" if finding_id else "comment",
        finding_id=finding_id,
        text=text,
        by=user.email,
        by_name=user.name,
        org_name=producer_store.organisation(actor.org_id).name,
        created_at=now,
    )
    auditing_store.add_remark(item)
    view.remarks.append(item)
    return Remarked(item, view)


def _language(user: User, fallback: Language) -> Language:
    return "en" if (user.language or fallback) == "en" else "nb"
