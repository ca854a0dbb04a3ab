"""The account's data-fed sections, counted from a hand-built supply chain (plain facts, no store)."""

from __future__ import annotations

from datetime import date

from portal.domain import account
from portal.domain.account import AuditFacts, FindingFacts, SiteFacts, Supplier
from portal.domain.risk import data

# Three suppliers: a Turkish weaver (two sites, audited), a Bangladeshi garment maker that may be
# named, a Norwegian fish farm (no SAQ shown: a profile-only link).
SUPPLIERS = [
    Supplier("p-tr", "Anatolia Tekstil", "TR"),
    Supplier("p-bd", "Dhaka Garments", "BD", may_be_named=True),
    Supplier("p-no", "Fjord Fisk", "NO"),
]


def scores(overall: float, labour: float | None = None) -> dict[str, float]:
    pillars = dict.fromkeys(("labour", "health_safety", "environment", "business_ethics"), 2.0)
    pillars["labour"] = overall if labour is None else labour
    return {**pillars, "overall": overall}


SITES = [
    SiteFacts("p-tr", "s1", "TR", "textiles_apparel", scores(7.5), saq_submitted=True),
    SiteFacts("p-tr", "s2", "TR", "textiles_apparel", scores(5.0), saq_submitted=False),
    SiteFacts("p-bd", "s3", "BD", "textiles_apparel", scores(8.2), saq_submitted=False),
    SiteFacts("p-no", "s4", "NO", "seafood", scores(1.5)),
]
AUDITS = [
    AuditFacts(
        "p-tr",
        "s1",
        "TR",
        "2026-03-10",
        (
            FindingFacts("critical", "labour", "1.1", "closed", "2026-04-09", evidence=2),
            FindingFacts("major", "health_safety", "3.2", "in_progress", "2026-05-09"),
            FindingFacts("minor", "labour", "6.4", "awaiting_verification", "2026-06-08", evidence=1),
            FindingFacts("good_example", "environment"),
        ),
    ),
    AuditFacts(
        "p-tr",
        "s2",
        "TR",
        "2025-02-01",
        (FindingFacts("major", "business_ethics", "10.1", "open", "2025-04-02"),),
    ),
]


def test_section_1_counts_suppliers_and_sites_by_country_and_sector_and_names_only_who_allowed_it():
    got = account.organisation(SUPPLIERS, SITES)
    assert got["suppliers"] == 3
    assert got["sites"] == 4
    assert got["suppliers_by_country"] == {"BD": 1, "NO": 1, "TR": 1}
    assert got["suppliers_by_sector"] == {"seafood": 1, "textiles_apparel": 2}
    assert got["sites_by_country"] == {"BD": 1, "NO": 1, "TR": 2}
    assert got["sites_by_sector"] == {"seafood": 1, "textiles_apparel": 3}
    assert got["named_suppliers"] == [{"name": "Dhaka Garments", "country": "BD"}]
    assert got["unnamed_suppliers"] == 2
    assert "Anatolia Tekstil" not in str(got)
    assert "Fjord Fisk" not in str(got)


def test_section_2_shares_of_active_suppliers_with_a_submitted_saq_and_an_audit_in_the_year():
    got = account.policies(SUPPLIERS, SITES, AUDITS, 2026)
    assert got == {
        "active_suppliers": 3,
        "with_saq": 1,
        "with_saq_share": 0.333,
        "with_audit": 1,
        "with_audit_share": 0.333,
    }
    assert account.policies(SUPPLIERS, SITES, AUDITS, 2024)["with_audit"] == 0
    assert account.policies([], [], [], 2026)["with_saq_share"] is None


def test_section_3_names_the_model_with_its_sources_and_counts_sites_by_band_and_pillar():
    got = account.risk_mapping(SITES)
    assert got["model_version"] == data().version
    cpi = next(s for s in got["sources"] if s["id"] == "ti_cpi")
    assert cpi["publisher"] == "Transparency International"
    assert cpi["year"] == 2025
    assert cpi["licence"].startswith("CC BY-ND 4.0")
    assert {s["id"] for s in got["sources"]} == set(data().sources)
    assert got["sites_by_band"] == {"low": 1, "medium": 1, "high": 2}  # high from 7.0
    assert got["sites_by_pillar"]["labour"] == {"low": 1, "medium": 1, "high": 2}
    assert got["sites_by_pillar"]["environment"] == {"low": 4, "medium": 0, "high": 0}
    assert [c["country"] for c in got["highest_risk_countries"]] == ["BD", "TR", "NO"]
    assert got["highest_risk_countries"][1] == {"country": "TR", "sites": 2, "high": 1, "mean": 6.2}
    assert [s["sector"] for s in got["highest_risk_sectors"]] == ["textiles_apparel", "seafood"]


def test_section_4_aggregates_the_years_findings_and_leaves_out_good_examples():
    got = account.findings(AUDITS, 2026, {"forced_overtime": 1})
    assert got["audits"] == 1
    assert got["findings"] == 3
    assert got["by_pillar"] == {"health_safety": 1, "labour": 2}
    assert got["by_clause"] == {"1.1": 1, "3.2": 1, "6.4": 1}
    assert got["by_grade"] == {"critical": 1, "major": 1, "minor": 1}
    assert got["by_country"] == {"TR": 3}
    assert got["saq_gaps"] == {"forced_overtime": 1}
    assert got["needs_justification"] is False


def test_section_4_with_nothing_found_needs_a_justification():
    only_good = [AuditFacts("p-tr", "s1", "TR", "2026-03-10", (FindingFacts("good_example", "labour"),))]
    assert account.findings(only_good, 2026)["needs_justification"] is True
    assert account.findings([], 2026, {"forced_overtime": 0})["needs_justification"] is True
    assert account.findings([], 2026, {"forced_overtime": 1})["needs_justification"] is False


def test_section_5_counts_corrective_actions_by_status_overdue_and_evidence():
    got = account.measures(AUDITS, 2026, today=date(2026, 6, 1))
    assert got == {
        "actions": 4,
        "open": 1,
        "in_progress": 1,
        "awaiting_verification": 1,
        "closed": 1,
        "overdue": 2,  # the open one from 2025 and the major in progress past 9 May
        "with_evidence": 2,
        "evidence_files": 3,
    }
    # Last year's account counts only last year's audits, overdue at the year's end.
    last_year = account.measures(AUDITS, 2025, today=date(2026, 6, 1))
    assert last_year["actions"] == 1
    assert last_year["overdue"] == 1


def test_section_6_carries_the_years_information_request_statistics():
    requests = {"count": 4, "answered": 3, "refused": 1}
    got = account.sections(
        year=2026, today=date(2026, 6, 1), suppliers=SUPPLIERS, sites=SITES, audits=AUDITS, requests=requests
    )
    assert got["information_requests"] == requests
    assert set(got) == {
        "year",
        "organisation",
        "policies",
        "risk",
        "findings",
        "measures",
        "information_requests",
    }
