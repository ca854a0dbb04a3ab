"""Verification of corrective actions: a producer alone reaches "awaiting verification"; an audit
company or a customer it asks closes the action or sends it back with a reason; customers' comments
and reasons stay between the producer and that customer; old unverified closures are migrated."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from portal.errors import PortalError
from portal.store.models import Finding, Site
from portal.usecases import sharing, supply, verification
from portal.usecases.verification import Verifier
from tests.usecases.world import SITE_FIELDS, Member, member

AUDITOR = Verifier("audit_company", "org-intertek", "Intertek", "Leyla Auditor")


def awaiting(producer: Member) -> tuple[str, str, str]:
    """A site, an audit and a major finding whose action the producer says is done."""
    site = supply.create_site(producer.actor, SITE_FIELDS)
    view, _ = supply.create_audit(
        producer.actor,
        str(uuid.uuid4()),
        {
            "site_id": site.site_id,
            "audit_type": "smeta_4",
            "audit_date": date.today() - timedelta(days=30),
            "audit_company": "Intertek",
            "pillars": ["health_safety"],
            "file_name": "smeta.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    audit_id = view.audit.audit_id
    found = supply.add_finding(
        producer.actor,
        audit_id,
        {"grade": "major", "clause": "smeta_3", "description": "Exit blocked."},
    )
    # as change_action leaves it once the note and checked evidence are there
    found.update(
        actions=[Finding.status.set("awaiting_verification"), Finding.completion_note.set("Exit cleared.")]
    )
    return site.site_id, audit_id, found.finding_id


def stored(producer: Member, audit_id: str, finding_id: str) -> Finding:
    return Finding.get(*Finding.key(producer.org_id, audit_id, finding_id))


def open_ncs(producer: Member, site_id: str) -> int:
    return int(Site.get(*Site.key(producer.org_id, site_id)).open_ncs)


def test_a_producer_alone_cannot_close_an_action(producer: Member):
    _, audit_id, finding_id = awaiting(producer)
    item = stored(producer, audit_id, finding_id)
    with pytest.raises(PortalError) as refused:
        supply.change_action(producer.actor, audit_id, finding_id, {"status": "closed"}, item.version)
    assert (refused.value.status, refused.value.fields) == (
        422,
        {"status": "field.closing_needs_verification"},
    )
    assert stored(producer, audit_id, finding_id).status == "awaiting_verification"


def test_an_audit_company_closes_an_action_by_desk_review_and_the_history_says_who(producer: Member):
    site_id, audit_id, finding_id = awaiting(producer)
    supply.recount_open_ncs(producer.org_id, site_id)
    assert open_ncs(producer, site_id) == 1
    with pytest.raises(PortalError) as wrong_method:  # a customer's review is not an auditor's to give
        verification.verify_action(
            producer.org_id, audit_id, finding_id, AUDITOR, "customer_review", None, True, None
        )
    assert wrong_method.value.fields == {"method": "field.invalid_choice"}
    verification.verify_action(
        producer.org_id, audit_id, finding_id, AUDITOR, "desk_review", "Photos checked.", True, None
    )
    item = stored(producer, audit_id, finding_id)
    assert item.status == "closed"
    assert {k: item.verification[k] for k in ("by", "organisation", "person", "method", "note")} == {
        "by": "audit_company",
        "organisation": "Intertek",
        "person": "Leyla Auditor",
        "method": "desk_review",
        "note": "Photos checked.",
    }
    assert open_ncs(producer, site_id) == 0
    [event] = supply.audit(producer.actor, audit_id).history[finding_id]
    assert (event.from_status, event.to_status, event.by, event.organisation) == (
        "awaiting_verification",
        "closed",
        "Leyla Auditor",
        "Intertek",
    )
    with pytest.raises(PortalError) as again:  # closed already: nothing to verify
        verification.verify_action(
            producer.org_id, audit_id, finding_id, AUDITOR, "desk_review", None, True, None
        )
    assert again.value.status == 409


def test_an_action_sent_back_needs_a_reason_and_goes_back_to_in_progress(producer: Member):
    _, audit_id, finding_id = awaiting(producer)
    with pytest.raises(PortalError) as no_reason:
        verification.verify_action(
            producer.org_id, audit_id, finding_id, AUDITOR, "desk_review", None, False, " "
        )
    assert no_reason.value.fields == {"reason": "field.reason_required"}
    verification.verify_action(
        producer.org_id, audit_id, finding_id, AUDITOR, "follow_up_audit", None, False, "Exit blocked again."
    )
    item = stored(producer, audit_id, finding_id)
    assert (item.status, item.verification) == ("in_progress", None)
    [event] = supply.audit(producer.actor, audit_id).history[finding_id]
    assert (event.to_status, event.reason) == ("in_progress", "Exit blocked again.")


def test_a_customer_verifies_only_what_the_producer_asked_it_to(producer: Member, buyer: Member):
    _, audit_id, finding_id = awaiting(producer)
    sharing.add_customer(producer.actor, buyer.organisation_number, "audits", None)
    other = member("buyer", "Fjellsport Norge AS")
    sharing.add_customer(producer.actor, other.organisation_number, "saq", None)
    version = stored(producer, audit_id, finding_id).version
    with pytest.raises(PortalError) as below_audits:  # the SAQ level does not show actions
        verification.request_verification(producer.actor, audit_id, finding_id, other.org_id, version)
    assert below_audits.value.fields == {"buyer_id": "field.invalid_choice"}
    with pytest.raises(PortalError) as not_asked:
        verification.customer_decision(buyer.actor, producer.org_id, audit_id, finding_id, True, None, None)
    assert not_asked.value.status == 404

    verification.request_verification(producer.actor, audit_id, finding_id, buyer.org_id, version)
    assert stored(producer, audit_id, finding_id).verification_request["organisation"] == buyer.name
    with pytest.raises(PortalError) as someone_else:
        verification.customer_decision(other.actor, producer.org_id, audit_id, finding_id, True, None, None)
    assert someone_else.value.status == 404
    verification.customer_decision(buyer.actor, producer.org_id, audit_id, finding_id, True, "Seen.", None)
    item = stored(producer, audit_id, finding_id)
    assert (item.status, item.verification["method"], item.verification["organisation"]) == (
        "closed",
        "customer_review",
        buyer.name,
    )
    assert item.verification_request is None


def test_a_customers_comments_and_reasons_are_the_producers_and_its_own_only(producer: Member, buyer: Member):
    _, audit_id, finding_id = awaiting(producer)
    other = member("buyer", "Fjellsport Norge AS")
    for customer in (buyer, other):
        sharing.add_customer(producer.actor, customer.organisation_number, "audits", None)
    verification.comment(buyer.actor, producer.org_id, audit_id, finding_id, "Is the exit checked at night?")
    version = stored(producer, audit_id, finding_id).version
    verification.request_verification(producer.actor, audit_id, finding_id, buyer.org_id, version)
    verification.customer_decision(
        buyer.actor, producer.org_id, audit_id, finding_id, False, None, "Send a photo of the night shift."
    )

    def seen(view):
        return [c.text for c in view.comments.get(finding_id, [])], [
            e.reason for e in view.history[finding_id]
        ]

    [mine] = sharing.supplier_audits(buyer.actor, producer.org_id, audit_id)
    [theirs] = sharing.supplier_audits(other.actor, producer.org_id, audit_id)
    own = supply.audit(producer.actor, audit_id)
    assert (
        seen(mine) == seen(own) == (["Is the exit checked at night?"], ["Send a photo of the night shift."])
    )
    assert seen(theirs) == ([], [None])
    [written] = own.comments[finding_id]
    assert (written.organisation, written.buyer_id) == (buyer.name, buyer.org_id)


def test_the_migration_reopens_unverified_closures_once_and_leaves_verified_ones(producer: Member):
    site_id, audit_id, finding_id = awaiting(producer)
    _, verified_audit, verified_id = awaiting(producer)
    verification.verify_action(
        producer.org_id, verified_audit, verified_id, AUDITOR, "desk_review", None, True, None
    )
    stored(producer, audit_id, finding_id).update(actions=[Finding.status.set("closed")])  # as before
    assert verification.migrate_unverified_closures() == 1
    item = stored(producer, audit_id, finding_id)
    assert (item.status, item.closed_unverified) == ("awaiting_verification", True)
    assert stored(producer, verified_audit, verified_id).status == "closed"
    assert open_ncs(producer, site_id) == 1  # not verified: not closed in the customers' count either
    assert verification.migrate_unverified_closures() == 0
    [event] = supply.audit(producer.actor, audit_id).history[finding_id]
    assert (event.from_status, event.to_status) == ("closed", "awaiting_verification")
