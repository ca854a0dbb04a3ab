"""An audit's record as the report states it: standard and version, reference, announcement,
initial or follow-up, date, audit company, lead auditor, the findings' clauses, SMETA 7.0's rating;
and what its producer may still correct or delete, before and after a customer has seen it."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from infra.seed import DEMO_USERS
from tests.api.test_supply import SITE, pdf, register_audit
from tests.support import Api, dynamodb_calls, logged_in

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]  # Kari (Nordlys) sees Anatolia's audits


@pytest.fixture
def ayse(world) -> Api:
    return logged_in(world, PRODUCER_ADMIN)


@pytest.fixture
def kari(world) -> Api:
    return logged_in(world, BUYER_ADMIN)


def buyer_audit(kari: Api, audit_id: str) -> dict:
    answer = kari.get(f"/buyer/suppliers/org-anatolia/audits/{audit_id}", language="en")
    assert answer.status == 200, answer.body
    return answer.json()


# -- the record ------------------------------------------------------------------------------------
def test_an_audit_names_its_reference_announcement_auditor_and_the_audit_it_follows(ayse, kari):
    first = register_audit(ayse, pdf("First"), audit_date="2026-03-02", reference="ITK-2026-0302")
    follow_up = register_audit(
        ayse,
        pdf("Follow-up"),
        audit_date="2026-05-20",
        reference="ITK-2026-0520",
        announcement="unannounced",
        follows=first["id"],
    )
    assert (follow_up["reference"], follow_up["announcement"], follow_up["lead_auditor"]) == (
        "ITK-2026-0520",
        "unannounced",
        "Deniz Aksoy",
    )
    assert follow_up["follows"] == {"id": first["id"], "audit_type": "smeta_4", "audit_date": "2026-03-02"}
    assert first["follows"] is None  # an initial audit
    assert follow_up["standard"] == {
        "owner": "Sedex",
        "version": "6.1",
        "source": "https://www.sedex.com/solutions/smeta-audit/",
    }

    seen = buyer_audit(kari, follow_up["id"])  # a customer at the audits level reads the same record
    assert (seen["reference"], seen["announcement"], seen["lead_auditor"], seen["follows"]["id"]) == (
        "ITK-2026-0520",
        "unannounced",
        "Deniz Aksoy",
        first["id"],
    )


def test_a_follow_up_follows_an_earlier_audit_of_the_same_site_only(ayse):
    later = register_audit(ayse, pdf("Later"), audit_date="2026-06-01")
    other_site = ayse.post(
        "/producer/sites",
        {
            "name": "Anatolia Tekstil – Izmir",
            "address": {"street": "Atatürk Cd. 1", "postal_code": "35000", "city": "Izmir"},
            "country": "TR",
            "sector": "textiles_apparel",
            "workforce": {"total": 120},
        },
    ).json()["id"]
    elsewhere = register_audit(ayse, pdf("Izmir"), site_id=other_site, audit_date="2026-01-10")
    for follows in (later["id"], elsewhere["id"], "no-such-audit"):
        refused = _post_audit(ayse, audit_date="2026-04-01", follows=follows)
        assert refused.status == 422
        assert refused.json()["error"]["fields"] == {"follows": "Choose an earlier audit of the same site."}


def test_an_audit_date_in_the_future_is_refused_with_a_clear_message(ayse):
    refused = _post_audit(ayse, audit_date=(date.today() + timedelta(days=3)).isoformat())
    assert refused.status == 422
    assert refused.json()["error"]["fields"] == {"audit_date": "The audit date cannot be later than today."}
    assert _post_audit(ayse, audit_date=date.today().isoformat()).status == 201


def test_the_record_needs_a_reference_an_announcement_and_a_lead_auditor(ayse):
    refused = _post_audit(ayse, reference="", announcement="by_surprise", lead_auditor=None)
    assert refused.status == 422
    assert set(refused.json()["error"]["fields"]) == {"reference", "announcement", "lead_auditor"}


def _post_audit(person: Api, **change):
    content = pdf("Some report")
    body = {
        "request_id": uuid.uuid4().hex,
        "site_id": SITE,
        "audit_type": "smeta_4",
        "audit_date": "2026-09-15",
        "audit_company": "Intertek",
        "reference": "RPT-2026-0915",
        "announcement": "semi_announced",
        "lead_auditor": "Deniz Aksoy",
        "pillars": ["labour", "health_safety"],
        "file_name": "report.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
    }
    body.update(change)
    return person.post("/producer/audits", {k: v for k, v in body.items() if v is not None}, language="en")


def test_registering_an_audit_costs_the_site_the_followed_audit_and_one_transaction(ayse):
    first = register_audit(ayse, pdf("Budget first"), audit_date="2026-02-01")
    with dynamodb_calls() as calls:
        assert _post_audit(ayse, follows=first["id"]).status == 201
    # the session, the site, the audit it follows, the audit and its report's document
    assert calls == ["GetItem", "GetItem", "GetItem", "TransactWriteItems"]


# -- findings by clause, SMETA 7.0's rating -------------------------------------------------------------
def test_a_smeta_finding_names_its_clause_and_takes_the_clauses_pillar(ayse, kari):
    audit = register_audit(ayse, pdf("Clauses"))
    path = f"/producer/audits/{audit['id']}/findings"
    added = ayse.post(path, {"grade": "major", "clause": "smeta_3", "description": "Exit blocked."})
    assert added.status == 201, added.body
    assert (added.json()["clause"], added.json()["pillar"]) == ("smeta_3", "health_safety")
    # the clause decides the pillar: a contradicting pillar is not kept
    other = ayse.post(
        path,
        {"grade": "minor", "clause": "smeta_10d", "pillar": "labour", "description": "No gift register."},
    ).json()
    assert other["pillar"] == "business_ethics"

    no_clause = ayse.post(path, {"grade": "minor", "pillar": "labour", "description": "x"}, language="en")
    assert no_clause.status == 422
    assert no_clause.json()["error"]["fields"] == {"clause": "Please fill in this field."}
    unknown = ayse.post(path, {"grade": "minor", "clause": "clause_99", "description": "x"}, language="en")
    assert unknown.json()["error"]["fields"] == {"clause": "Choose one of the options."}

    seen = {f["id"]: f for f in buyer_audit(kari, audit["id"])["findings"]}
    assert seen[added.json()["id"]]["clause"] == "smeta_3"  # the customer reads the clause too


def test_a_finding_of_a_standard_without_a_clause_list_names_its_pillar(ayse):
    audit = register_audit(ayse, pdf("BSCI"), audit_type="amfori_bsci", pillars=["labour"])
    path = f"/producer/audits/{audit['id']}/findings"
    added = ayse.post(path, {"grade": "major", "pillar": "labour", "description": "Overtime."})
    assert (added.status, added.json()["clause"], added.json()["pillar"]) == (201, None, "labour")
    refused = ayse.post(path, {"grade": "major", "clause": "smeta_6", "description": "x"}, language="en")
    assert refused.status == 422
    assert set(refused.json()["error"]["fields"]) == {"clause"}


def test_a_smeta_7_audit_carries_its_management_system_rating_and_no_other_standard_does(ayse):
    audit = register_audit(ayse, pdf("SMETA 7"), audit_type="smeta7_4", ms_rating="some_improvements")
    assert audit["ms_rating"] == "some_improvements"
    assert audit["standard"]["version"] == "7.0"
    refused = _post_audit(ayse, audit_type="smeta_4", ms_rating="robust")
    assert refused.status == 422
    assert refused.json()["error"]["fields"] == {
        "ms_rating": "Only SMETA 7.0 reports give this rating. Remove it, or choose SMETA 7.0."
    }


def test_adding_a_finding_costs_what_it_did(ayse):
    audit = register_audit(ayse, pdf("Budget finding"))
    with dynamodb_calls() as calls:
        added = ayse.post(
            f"/producer/audits/{audit['id']}/findings",
            {"grade": "minor", "clause": "smeta_5", "description": "x"},
        )
    assert added.status == 201
    # session, audit, the finding, the site's audits (recount), the site's count, the audit's tree
    assert calls == ["GetItem", "GetItem", "PutItem", "Query", "UpdateItem", "Query"]
