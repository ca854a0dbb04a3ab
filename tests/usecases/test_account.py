"""The yearly account's data-fed sections from the store: figures only from what the buyer's
active links allow (pending, declined and revoked links, and sites a link leaves out, add nothing),
and a producer named only where it has allowed it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from portal.usecases import account, sharing, supply
from tests.usecases.world import SITE_FIELDS, Member, member

AUDITED = date.today() - timedelta(days=30)


def site_in(producer: Member, country: str, name: str) -> str:
    return supply.create_site(producer.actor, {**SITE_FIELDS, "name": name, "country": country}).site_id


def audit_with(producer: Member, site_id: str, grade: str, clause: str) -> None:
    view, _ = supply.create_audit(
        producer.actor,
        str(uuid.uuid4()),
        {
            "site_id": site_id,
            "audit_type": "smeta_4",
            "audit_date": AUDITED,
            "audit_company": "Intertek",
            "pillars": ["labour", "health_safety"],
            "file_name": "smeta.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    supply.add_finding(
        producer.actor, view.audit.audit_id, {"grade": grade, "clause": clause, "description": "Seen."}
    )


@pytest.fixture
def chain(buyer: Member) -> dict[str, Member]:
    """Five producers, each with audited sites in its own country, and each link in another state."""
    named = member("producer", "Dhaka Garments Ltd", "BD")
    covered = member("producer", "Anatolia Tekstil A.Ş.", "TR")
    pending = member("producer", "Pending Pelagic AS", "IS")
    declined = member("producer", "Declined Dairy Oy", "FI")
    revoked = member("producer", "Revoked Rice Co", "VN")
    for producer, country in ((named, "BD"), (pending, "IS"), (declined, "FI"), (revoked, "VN")):
        audit_with(producer, site_in(producer, country, f"{producer.name} plant"), "critical", "smeta_1")
    kept = site_in(covered, "TR", "Covered weaving")
    left_out = site_in(covered, "CN", "Left-out dyehouse")
    audit_with(covered, kept, "major", "smeta_3")
    audit_with(covered, left_out, "critical", "smeta_1")

    first = sharing.add_customer(named.actor, buyer.organisation_number, "profile", None)
    # Only Dhaka Garments's admin lets the buyer name it in its account.
    sharing.decide(named.actor, buyer.org_id, "active", "profile", None, first.version, may_be_named=True)
    sharing.add_customer(covered.actor, buyer.organisation_number, "audits", [kept])
    for producer in (pending, declined):
        sharing.request_access(buyer.actor, site_id=None, organisation_number=producer.organisation_number)
    asked = sharing.link(declined.org_id, buyer.org_id)
    assert asked is not None
    sharing.decide(declined.actor, buyer.org_id, "declined", None, None, asked.version)
    granted = sharing.add_customer(revoked.actor, buyer.organisation_number, "audits", None)
    sharing.decide(revoked.actor, buyer.org_id, "revoked", None, None, granted.version)
    return {"named": named, "covered": covered, "pending": pending, "declined": declined, "revoked": revoked}


def test_the_accounts_figures_come_only_from_active_links_and_the_sites_they_cover(
    buyer: Member, chain: dict[str, Member]
):
    got = account.draft_sections(buyer.actor, AUDITED.year, today=AUDITED)
    one = got["organisation"]
    assert one["suppliers"] == 2
    assert one["sites"] == 2
    assert one["sites_by_country"] == {"BD": 1, "TR": 1}  # no CN (left out), IS, FI or VN
    assert one["suppliers_by_country"] == {"BD": 1, "TR": 1}
    assert sum(got["risk"]["sites_by_band"].values()) == 2
    assert {c["country"] for c in got["risk"]["highest_risk_countries"]} == {"BD", "TR"}
    # Findings only at audit level and at the covered site: the major in Turkey, not the CN critical
    # nor the profile-only supplier's critical nor any from pending, declined or revoked links.
    four = got["findings"]
    assert four["findings"] == 1
    assert four["by_grade"] == {"major": 1}
    assert four["by_country"] == {"TR": 1}
    assert four["needs_justification"] is False
    assert got["measures"]["actions"] == 1
    assert got["measures"]["open"] == 1
    assert got["policies"]["with_audit"] == 1
    assert got["policies"]["active_suppliers"] == 2


def test_the_account_names_only_the_producer_that_allowed_it(buyer: Member, chain: dict[str, Member]):
    got = account.draft_sections(buyer.actor, AUDITED.year, today=AUDITED)
    assert got["organisation"]["named_suppliers"] == [{"name": "Dhaka Garments Ltd", "country": "BD"}]
    assert got["organisation"]["unnamed_suppliers"] == 1
    text = str(got)
    for other in ("covered", "pending", "declined", "revoked"):
        assert chain[other].name not in text
        assert chain[other].org_id not in text
    assert "Covered weaving" not in text


def test_an_account_without_active_links_has_nothing_found_and_needs_a_justification(
    buyer: Member, chain: dict[str, Member]
):
    stranger = member("buyer", "Other Buyer AS")
    got = account.draft_sections(stranger.actor, AUDITED.year, today=AUDITED)
    assert got["organisation"]["suppliers"] == 0
    assert got["organisation"]["sites"] == 0
    assert got["findings"]["needs_justification"] is True
    assert got["information_requests"]["count"] == 0
