"""Verifying corrective actions: a producer alone brings an action only to "awaiting verification";
an audit company (follow-up audit, desk review) or a customer with audit-level access (its admin's
review, when the producer asks it) closes it or sends it back with a reason. Customers at audit
level also comment on actions. Knows nothing of HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from portal import policy
from portal.clock import utcnow
from portal.domain import actions
from portal.errors import PortalError, conflict, invalid, not_found
from portal.policy import Actor
from portal.store import accounts as account_store
from portal.store import links
from portal.store import producers as producer_store
from portal.store.models import ActionComment, Finding, Link
from portal.usecases import notifications, supply
from portal.usecases.members import actor_email

AWAITING = "awaiting_verification"


@dataclass(frozen=True)
class Verifier:
    """Who verifies: an audit company or a customer, its organisation, and the person."""

    by: str  # audit_company | customer
    org_id: str
    organisation: str
    person: str


def verify_action(
    org_id: str,
    audit_id: str,
    finding_id: str,
    verifier: Verifier,
    method: str,
    note: str | None,
    accepted: bool,
    reason: str | None,
) -> Finding:
    """Close the producer's (org_id's) action as verified, or send it back to in progress with the
    reason the producer reads: the action, its verification and the history entry in one
    transaction. The caller has decided that the verifier may see and verify this action."""
    item = producer_store.finding(org_id, audit_id, finding_id)
    site_id = producer_store.audit(org_id, audit_id).site_id
    return _decide(org_id, site_id, item, verifier, method, note, accepted, reason)


def _decide(
    org_id: str,
    site_id: str,
    item: Finding,
    verifier: Verifier,
    method: str,
    note: str | None,
    accepted: bool,
    reason: str | None,
) -> Finding:
    if verifier.by not in actions.VERIFIERS or actions.verifies_by(method) != verifier.by:
        raise invalid(method="field.invalid_choice")
    if not actions.has_action(item.grade):
        raise not_found()
    if item.status != AWAITING:
        raise conflict("not_awaiting_verification")
    reason = (reason or "").strip() or None
    if not accepted and reason is None:
        raise invalid(reason="field.reason_required")
    now = utcnow()
    if accepted:
        item.status = "closed"
        item.verification = {
            "by": verifier.by,
            "org_id": verifier.org_id,
            "organisation": verifier.organisation,
            "person": verifier.person,
            "method": method,
            "note": (note or "").strip() or None,
            "at": now.isoformat(),
        }
        item.closed_unverified = None
    else:
        item.status = "in_progress"
    item.verification_request = None
    event = {
        "verifier_kind": verifier.by,
        "verifier_org_id": verifier.org_id,
        "organisation": verifier.organisation,
        "reason": None if accepted else reason,
    }
    producer_store.change_action(item, int(item.version), verifier.person, AWAITING, event)
    supply.recount_open_ncs(org_id, site_id)
    params = {
        "organisation": verifier.organisation,
        "outcome": "accepted" if accepted else "sent_back",
        "action": item.action or item.description,
        "path": f"/members/audit/?id={item.audit_id}",
    }
    notifications.notify_all(notifications.admins(org_id), "verification_decision", params)
    return item


# -- the producer asks a customer ------------------------------------------------------------------
def request_verification(actor: Actor, audit_id: str, finding_id: str, buyer_id: str, version: int) -> None:
    """Ask a customer whose active audit-level link covers the audit's site to verify an action that
    awaits verification. One customer at a time: asking another replaces the request."""
    item = producer_store.finding(actor.org_id, audit_id, finding_id)
    if not actions.has_action(item.grade):
        raise not_found()
    if item.status != AWAITING:
        raise invalid(status="field.not_awaiting_verification")
    audit = producer_store.audit(actor.org_id, audit_id)
    granted = links.link(actor.org_id, buyer_id)
    if not policy.link_allows(granted, "audits", audit.site_id):
        raise invalid(buyer_id="field.invalid_choice")
    assert granted is not None
    by = actor_email(actor)
    item.verification_request = {
        "buyer_id": buyer_id,
        "organisation": granted.buyer_name,
        "by": by,
        "at": utcnow().isoformat(),
    }
    producer_store.change_action(item, version, by, item.status)
    params = {
        "producer": granted.producer_name,
        "action": item.action or item.description,
        "path": f"/members/supplier/?id={actor.org_id}",
    }
    notifications.notify_all(notifications.admins(buyer_id), "verification_request", params)


# -- customers -------------------------------------------------------------------------------------
def _granted(actor: Actor, producer_id: str, audit_id: str) -> tuple[Link, str]:
    """The buyer's active audit-level link covering the audit's site, and the site; or 404."""
    granted = links.link(producer_id, actor.org_id)
    policy.require_link(granted, "audits")
    audit = producer_store.audit(producer_id, audit_id)
    policy.require_link(granted, "audits", audit.site_id)
    assert granted is not None
    return granted, audit.site_id


def _person(actor: Actor) -> str:
    user = account_store.user_by_id(actor.user_id)
    if user is None:
        raise not_found()
    return user.name or user.email


def customer_decision(
    actor: Actor,
    producer_id: str,
    audit_id: str,
    finding_id: str,
    accepted: bool,
    note: str | None,
    reason: str | None,
) -> Finding:
    """A customer's admin accepts or sends back an action the producer asked it to verify; an
    action not awaiting this customer's verification is not found."""
    granted, site_id = _granted(actor, producer_id, audit_id)
    item = producer_store.finding(producer_id, audit_id, finding_id)
    if item.status != AWAITING or (item.verification_request or {}).get("buyer_id") != actor.org_id:
        raise not_found()
    verifier = Verifier("customer", actor.org_id, granted.buyer_name, _person(actor))
    return _decide(producer_id, site_id, item, verifier, "customer_review", note, accepted, reason)


def awaiting_customer(actor: Actor, producer_id: str) -> list[tuple[supply.AuditView, Finding]]:
    """The supplier's actions that wait for this customer's verification, oldest audit first (the
    audits the link covers: one GetItem and one Query, logged as a look at the audits)."""
    from portal.usecases import sharing  # sharing's reads and access log; sharing never needs us

    found = [
        (view, item)
        for view in sharing.supplier_audits(actor, producer_id)
        for item in view.findings
        if item.status == AWAITING and (item.verification_request or {}).get("buyer_id") == actor.org_id
    ]
    return sorted(found, key=lambda pair: (pair[0].audit.audit_date, actions.grade_rank(pair[1].grade)))


def comment(actor: Actor, producer_id: str, audit_id: str, finding_id: str, text: str) -> ActionComment:
    """A customer's comment on an action: the producer and this customer see it, nobody else."""
    granted, _ = _granted(actor, producer_id, audit_id)
    item = producer_store.finding(producer_id, audit_id, finding_id)
    if not actions.has_action(item.grade):
        raise not_found()
    now = utcnow()
    found = ActionComment(
        *ActionComment.key(producer_id, audit_id, finding_id, actor.org_id, now),
        audit_id=audit_id,
        finding_id=finding_id,
        buyer_id=actor.org_id,
        organisation=granted.buyer_name,
        person=_person(actor),
        text=text,
        created_at=now,
    )
    producer_store.add_comment(found)
    return found


# -- the migration -----------------------------------------------------------------------------------
def migrate_unverified_closures() -> int:
    """Actions closed before closing needed verification go back to awaiting verification, marked
    closed by the producer alone, so nothing closed pretends to be verified. Idempotent: a migrated
    action is no longer closed. Returns how many it moved."""
    moved = 0
    for org_id, item in producer_store.closed_without_verification():
        item.status, item.closed_unverified = AWAITING, True
        try:
            producer_store.change_action(item, int(item.version), "migration", "closed")
        except PortalError as error:  # changed in between: the next run sees it again
            if error.status != 409:
                raise
            continue
        supply.recount_open_ncs(org_id, producer_store.audit(org_id, item.audit_id).site_id)
        moved += 1
    return moved
