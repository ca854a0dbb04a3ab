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


# -- corrections and deletion, before and after a customer has seen the audit ------------------------
def _record_of(audit: dict, **change) -> dict:
    keys = (
        "audit_type",
        "reference",
        "announcement",
        "audit_date",
        "audit_company",
        "lead_auditor",
        "pillars",
    )
    body = {key: audit[key] for key in keys} | {"version": audit["version"]}
    return body | change


def test_an_audit_no_customer_has_seen_is_corrected_in_place_and_can_be_deleted(ayse):
    audit = register_audit(ayse, pdf("Unseen"), reference="ITK-TYPO")
    assert (audit["seen"], audit["revision"], audit["corrections"]) == (False, 1, [])
    corrected = ayse.call(
        "PUT", f"/producer/audits/{audit['id']}", _record_of(audit, reference="ITK-2026-0915")
    )
    assert corrected.status == 200, corrected.body
    assert (corrected.json()["reference"], corrected.json()["revision"]) == ("ITK-2026-0915", 1)
    assert corrected.json()["corrections"] == []  # nobody had read the first one: no history to keep
    stale = ayse.call("PUT", f"/producer/audits/{audit['id']}", _record_of(audit, reference="Other"))
    assert (stale.status, stale.json()["error"]["current"]["reference"]) == (409, "ITK-2026-0915")

    gone = ayse.call("DELETE", f"/producer/audits/{audit['id']}", {"version": corrected.json()["version"]})
    assert gone.status == 204
    assert ayse.get(f"/producer/audits/{audit['id']}").status == 404
    assert audit["id"] not in {a["id"] for a in ayse.get("/producer/audits").json()["items"]}


def test_once_a_customer_has_seen_an_audit_a_correction_is_a_new_version_and_deletion_is_refused(ayse, kari):
    audit = register_audit(ayse, pdf("Seen"), audit_date="2026-03-12")
    buyer_audit(kari, audit["id"])  # Kari opens it
    audit = ayse.get(f"/producer/audits/{audit['id']}", language="en").json()
    assert audit["seen"] is True

    path = f"/producer/audits/{audit['id']}"
    no_note = ayse.call("PUT", path, _record_of(audit, audit_date="2026-03-14"), language="en")
    assert no_note.status == 422
    assert set(no_note.json()["error"]["fields"]) == {"note"}
    corrected = ayse.call(
        "PUT", path, _record_of(audit, audit_date="2026-03-14", note="The report's cover has the wrong date.")
    )
    assert corrected.status == 200, corrected.body
    [version] = corrected.json()["corrections"]
    assert (corrected.json()["revision"], version["number"], version["note"]) == (
        2,
        2,
        "The report's cover has the wrong date.",
    )
    assert version["changes"] == [{"field": "audit_date", "before": "2026-03-12", "after": "2026-03-14"}]

    seen = buyer_audit(kari, audit["id"])  # the customer reads the new version and its history
    assert (seen["audit_date"], seen["revision"], len(seen["corrections"])) == ("2026-03-14", 2, 1)

    refused = ayse.call("DELETE", path, {"version": corrected.json()["version"]}, language="en")
    assert refused.status == 409
    assert refused.json()["error"]["code"] == "audit_seen"
    assert "cannot be deleted" in refused.json()["error"]["message"]
    assert ayse.get(path).status == 200


def test_a_downloaded_report_counts_as_seen(ayse, kari):
    audit = register_audit(ayse, pdf("Downloaded"))
    download = kari.post(f"/buyer/suppliers/org-anatolia/documents/{audit['document']['id']}/download", {})
    assert download.status in (200, 201), download.body
    refused = ayse.call("DELETE", f"/producer/audits/{audit['id']}", {"version": audit["version"]})
    assert (refused.status, refused.json()["error"]["code"]) == (409, "audit_seen")
    log = ayse.get("/producer/access-log").json()["items"]
    assert log[0]["action"] == "downloaded"


def test_a_rejected_report_is_replaced_by_a_new_file(ayse):
    audit = register_audit(ayse, b"Name;Hours\nAyse;48\n" * 40)  # a spreadsheet renamed to .pdf
    assert audit["document"]["status"] == "rejected"
    content = pdf("The real report")
    body = {
        "request_id": str(uuid.uuid4()),
        "file_name": "smeta-denizli.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
    }
    with dynamodb_calls() as calls:
        replaced = ayse.post(f"/producer/audits/{audit['id']}/report", body)
    assert replaced.status == 201, replaced.body
    assert calls == ["GetItem", "Query", "TransactWriteItems"]  # session, the audit's items, the swap
    assert (
        ayse.post(f"/producer/audits/{audit['id']}/report", body).json()["document"]["id"]
        == (
            replaced.json()["document"]["id"]  # a retry finds the same replacement
        )
    )
    from tests.api.test_supply import upload

    assert upload(ayse, replaced.json()["upload"], content, "application/pdf") in (200, 201, 204)
    now = ayse.get(f"/producer/audits/{audit['id']}").json()
    assert (now["document"]["id"], now["document"]["status"]) == (
        replaced.json()["document"]["id"],
        "available",
    )
    again = ayse.post(f"/producer/audits/{audit['id']}/report", {**body, "request_id": str(uuid.uuid4())})
    assert (again.status, again.json()["error"]["code"]) == (409, "report_not_rejected")


def test_the_calls_of_a_correction_and_a_deletion(ayse, kari):
    audit = register_audit(ayse, pdf("Budget"))
    path = f"/producer/audits/{audit['id']}"
    with dynamodb_calls() as calls:
        corrected = ayse.call("PUT", path, _record_of(audit, reference="ITK-BUDGET"))
    assert corrected.status == 200
    # the session, the audit's items, the record with the check that nobody has seen it, the answer
    assert calls == ["GetItem", "Query", "TransactWriteItems", "Query"]
    with dynamodb_calls() as calls:
        assert ayse.call("DELETE", path, {"version": corrected.json()["version"]}).status == 204
    # the session, the audit's items, one transaction, then the site's count (its audits, the count)
    assert calls == ["GetItem", "Query", "TransactWriteItems", "Query", "UpdateItem"]

    seen = register_audit(ayse, pdf("Budget seen"))
    with dynamodb_calls() as calls:
        buyer_audit(kari, seen["id"])
    first = list(calls)
    with dynamodb_calls() as calls:
        buyer_audit(kari, seen["id"])
    assert first == [*calls, "PutItem"]  # only the first view marks the audit as seen
