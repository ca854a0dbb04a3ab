"""A producer's own data: profiles kept current without lost updates, the SAQ, corrective actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from portal.errors import PortalError
from portal.usecases import supply
from tests.usecases.saq_answers import complete_answers
from tests.usecases.world import SITE_FIELDS, Member


def test_a_site_is_confirmed_by_saving_and_a_stale_edit_is_a_conflict(producer: Member):
    site = supply.create_site(producer.actor, SITE_FIELDS)
    assert "-TR" in site.site_id  # a public id that names the site's country
    assert site.confirmed_at is not None
    saved = supply.save_site(
        producer.actor, site.site_id, {**SITE_FIELDS, "name": "Denizli mill"}, site.revision
    )
    with pytest.raises(PortalError) as stale:
        supply.save_site(producer.actor, site.site_id, {**SITE_FIELDS, "name": "Lost edit"}, site.revision)
    assert stale.value.status == 409
    assert supply.site(producer.actor, site.site_id).name == saved.name == "Denizli mill"


def test_a_site_is_not_another_producers_to_read(producer: Member):
    from tests.usecases.world import member

    site = supply.create_site(producer.actor, SITE_FIELDS)
    other = member("producer", "Dhaka Knitwear Ltd", "BD")
    with pytest.raises(PortalError) as refused:
        supply.site(other.actor, site.site_id)
    assert refused.value.status == 404


def test_a_submitted_saq_is_a_numbered_version_and_the_draft_goes_on(producer: Member):
    site = supply.create_site(producer.actor, SITE_FIELDS)
    draft = supply.save_draft(producer.actor, site.site_id, complete_answers(), None)
    version = supply.submit_saq(producer.actor, site.site_id, draft.draft.version)
    assert version.number == 1
    assert supply.saq_version(producer.actor, site.site_id, 1).answers == version.answers


def test_a_non_compliance_gets_an_action_due_by_its_grade_and_observations_none(producer: Member):
    site = supply.create_site(producer.actor, SITE_FIELDS)
    audit_date = date.today() - timedelta(days=100)
    view, _ = supply.create_audit(
        producer.actor,
        "5f0c7d4e-8a0b-4a7e-9c55-3d2f1e6b7a90",
        {
            "site_id": site.site_id,
            "audit_type": "smeta_4",
            "audit_date": audit_date,
            "audit_company": "Intertek",
            "pillars": ["labour"],
            "file_name": "smeta.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    major = supply.add_finding(
        producer.actor,
        view.audit.audit_id,
        {"grade": "major", "clause": "smeta_6", "description": "Overtime."},
    )
    note = supply.add_finding(
        producer.actor,
        view.audit.audit_id,
        {"grade": "observation", "clause": "smeta_6", "description": "Fine."},
    )
    assert (major.status, major.due_date) == ("open", (audit_date + timedelta(days=60)).isoformat())
    assert note.status is None
    assert note.due_date is None
    with pytest.raises(PortalError) as refused:  # closing needs a note and checked evidence
        supply.change_action(
            producer.actor,
            view.audit.audit_id,
            major.finding_id,
            {"status": "awaiting_verification"},
            major.version,
        )
    assert set(refused.value.fields) == {"completion_note", "evidence"}


def _smeta_audit(producer: Member) -> supply.AuditView:
    site = supply.create_site(producer.actor, SITE_FIELDS)
    view, _ = supply.create_audit(
        producer.actor,
        "0b0c7d4e-8a0b-4a7e-9c55-3d2f1e6b7a91",
        {
            "site_id": site.site_id,
            "audit_type": "smeta7_4",
            "reference": "ITK-1",
            "announcement": "announced",
            "audit_date": date(2026, 10, 1),
            "audit_company": "Intertek",
            "lead_auditor": "Elif Demir",
            "pillars": ["labour"],
            "file_name": "smeta.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    return view


@pytest.mark.parametrize("note", [None, "Reference mistyped."])
def test_a_customer_who_sees_the_audit_while_it_is_corrected_turns_the_correction_into_a_version(
    producer: Member, monkeypatch, note
):
    """The producer read the audit unseen; a customer opens it before the correction is written:
    the in-place write is refused by its condition, and the correction becomes a version (which
    needs its note) instead of silently changing what the customer read."""
    from portal.store import producers as store

    view = _smeta_audit(producer)
    audit_id, real = view.audit.audit_id, store.correct_audit

    def seen_meanwhile(item, correction):
        store.mark_seen(producer.actor.org_id, audit_id, "org-some-buyer")
        monkeypatch.setattr(store, "correct_audit", real)
        return real(item, correction)

    monkeypatch.setattr(store, "correct_audit", seen_meanwhile)
    fields = {name: getattr(view.audit, name) for name in supply.RECORD_FIELDS} | {
        "audit_date": date(2026, 10, 1),
        "reference": "ITK-2",
    }
    if note is None:
        with pytest.raises(PortalError) as refused:
            supply.correct_audit(producer.actor, audit_id, fields, int(view.audit.version), note)
        assert (refused.value.status, refused.value.fields) == (
            422,
            {"note": "field.correction_note_required"},
        )
        assert supply.audit(producer.actor, audit_id).audit.reference == "ITK-1"
        return
    after = supply.correct_audit(producer.actor, audit_id, fields, int(view.audit.version), note)
    assert (after.seen, after.audit.revision, after.audit.reference) == (True, 2, "ITK-2")
    assert [c.changes for c in after.corrections] == [
        [{"field": "reference", "before": "ITK-1", "after": "ITK-2"}]
    ]
