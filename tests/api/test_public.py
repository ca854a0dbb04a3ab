"""Public API: health, live statistics, fee quotes and membership applications."""

from __future__ import annotations

import re
import threading
import uuid

import pytest

from infra.seed import DEMO_WORLD, seed
from portal.store.models import MembershipApplication
from tests.support import dynamodb_calls, outbox


@pytest.fixture(autouse=True)
def _outbox(tmp_path, monkeypatch):
    """The receipt e-mails of these tests go to tmp_path/outbox (before the api fixture reads it)."""
    monkeypatch.setenv("OUTBOX_DIR", str(tmp_path / "outbox"))


def application(**changes):
    return {
        "submission_id": str(uuid.uuid4()),
        "organisation_name": "Nordlys Dagligvare AS",
        "organisation_number": "923609016",
        "category": "company",
        "annual_turnover_nok": 35_000_000,
        "contact_name": "Kari Nordmann",
        "email": "kari@nordlys.no",
        "phone": "+47 22 33 44 55",
        "message": "Vi ønsker å bli medlem.",
        "consent": True,
        **changes,
    }


def stored_applications():
    return list(MembershipApplication.by_gsi1.query("APPLICATIONS#received"))


def test_health(api):
    answer = api.get("/health")
    assert (answer.status, answer.json()) == (200, {"status": "ok"})


def test_stats_count_the_demo_world_with_one_read_and_no_scan(api):
    seed()
    producers = [o for o in DEMO_WORLD if o.org_type in ("producer", "both")]
    sites = [s for o in DEMO_WORLD for s in o.sites]
    with dynamodb_calls() as calls:
        answer = api.get("/stats")
    assert answer.status == 200
    figures = answer.json()
    assert figures["members"] == len(DEMO_WORLD)
    assert figures["producers"] == len(producers)
    assert figures["sites"] == len(sites)
    assert figures["countries"] == len({country for *_, country in sites})
    assert calls == ["GetItem"]


def test_stats_of_an_empty_portal_are_zero(api):
    answer = api.get("/stats")
    assert answer.json() | {"updated_at": None} == {
        "members": 0,
        "producers": 0,
        "sites": 0,
        "countries": 0,
        "updated_at": None,
    }


def test_seeding_twice_does_not_count_twice(api):
    seed()
    before = api.get("/stats").json()
    assert seed() == 0
    assert api.get("/stats").json() == before


def test_fee_quote_in_the_readers_language(api):
    nb = api.get(
        "/membership-fee", query="category=company&annual_turnover_nok=35000000", language="nb"
    ).json()
    en = api.get(
        "/membership-fee", query="category=company&annual_turnover_nok=35000000", language="en"
    ).json()
    assert nb["annual_fee_nok"] == en["annual_fee_nok"] == 37300
    assert "satser" in nb["note"]
    assert "rates" in en["note"]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("category=company", {"annual_turnover_nok": "Enter the annual turnover in NOK."}),
        ("category=municipality", {"inhabitants": "Enter the number of inhabitants."}),
        (
            "category=municipality&annual_turnover_nok=5000000",
            {"inhabitants": "Enter the number of inhabitants."},
        ),
    ],
)
def test_no_fee_is_quoted_without_the_input_that_decides_it(api, query, fields):
    answer = api.get("/membership-fee", query=query, language="en")
    assert answer.status == 422
    assert answer.json()["error"]["fields"] == fields


def test_an_organisations_application_keeps_its_employees_and_is_quoted_the_range(api):
    quote = api.get(
        "/membership-fee",
        query="category=organisation&annual_turnover_nok=3000000&employees=12",
        language="en",
    ).json()
    assert (quote["basis"], quote["min_nok"], quote["max_nok"], quote["group"]) == (
        "range",
        7700,
        41600,
        None,
    )
    assert "IEH confirms the group" in quote["note"]
    missing = api.get(
        "/membership-fee", query="category=organisation&annual_turnover_nok=3000000", language="en"
    )
    assert missing.json()["error"]["fields"] == {"employees": "Enter the number of employees."}

    sent = application(category="organisation", annual_turnover_nok=3_000_000, employees=12)
    assert api.post("/membership-applications", sent).status == 201
    [stored] = stored_applications()
    assert (stored.annual_turnover_nok, stored.employees) == (3_000_000, 12)


def test_fee_quote_rejects_an_unknown_category(api):
    answer = api.get("/membership-fee", query="category=club", language="en")
    assert answer.status == 422
    assert answer.json()["error"]["fields"] == {"category": "Choose one of the options."}


def test_an_application_is_stored_and_confirmed(api):
    sent = application()
    answer = api.post("/membership-applications", sent)
    assert answer.status == 201
    body = answer.json()
    assert body["id"] == sent["submission_id"]
    assert body["status"] == "received"
    assert body["fee"]["annual_fee_nok"] == 37300
    [stored] = stored_applications()
    assert stored.organisation_name == "Nordlys Dagligvare AS"
    assert stored.email == "kari@nordlys.no"
    assert stored.language == "nb"


def test_a_double_click_stores_one_application(api, tmp_path):
    sent = application()
    first = api.post("/membership-applications", sent)
    second = api.post("/membership-applications", sent)
    assert (first.status, second.status) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["reference"] == second.json()["reference"]
    assert len(stored_applications()) == 1
    assert [m["template"] for m in outbox(tmp_path)] == ["application_received"]  # one receipt


def test_the_applicant_gets_a_receipt_with_a_short_reference(api, tmp_path):
    with dynamodb_calls() as calls:
        answer = api.post("/membership-applications", application(), language="en")
    assert answer.status == 201
    reference = answer.json()["reference"]
    assert re.fullmatch(r"IEH-[0-9A-HJKMNP-TV-Z]{6}", reference)
    # the application and its reference's claim, together; then IEH staff to tell (one Query)
    assert calls == ["TransactWriteItems", "Query"]
    [stored] = stored_applications()
    assert stored.reference == reference
    [mail] = outbox(tmp_path)
    assert mail["to"] == "kari@nordlys.no"
    assert mail["subject"] == f"We have received your membership application ({reference})"
    assert f"Reference number: {reference}" in mail["body"]
    assert "Nordlys Dagligvare AS" in mail["body"]
    assert "Annual fee according to the form: NOK 37,300." in mail["body"]
    assert answer.json()["id"] not in mail["body"]  # the short reference, never the UUID


def test_a_reference_another_application_holds_is_never_given_twice(api, monkeypatch):
    from portal.store import applications

    drawn = iter(["IEH-AAAAAA", "IEH-AAAAAA", "IEH-BBBBBB"])
    monkeypatch.setattr(applications, "new_reference", lambda: next(drawn))
    first = api.post("/membership-applications", application())
    second = api.post("/membership-applications", application(organisation_number="974760673"))
    assert (first.status, second.status) == (201, 201)
    assert (first.json()["reference"], second.json()["reference"]) == ("IEH-AAAAAA", "IEH-BBBBBB")
    assert sorted(a.reference for a in stored_applications()) == ["IEH-AAAAAA", "IEH-BBBBBB"]


def test_simultaneous_submissions_store_one_application(api):
    sent = application()
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(api.post("/membership-applications", sent)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status for a in answers) == [200, 200, 200, 201]
    assert len(stored_applications()) == 1


def test_the_same_reference_with_other_content_is_refused(api):
    sent = application()
    api.post("/membership-applications", sent)
    answer = api.post("/membership-applications", {**sent, "contact_name": "Someone Else"}, language="en")
    assert answer.status == 409
    assert answer.json()["error"]["code"] == "duplicate_submission"
    assert stored_applications()[0].contact_name == "Kari Nordmann"


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nb", "Skriv en gyldig e-postadresse, for eksempel navn@firma.no."),
        ("en", "Enter a valid e-mail address, for example name@company.com."),
    ],
)
def test_a_bad_email_gets_a_field_message_in_the_pages_language(api, language, message):
    answer = api.post("/membership-applications", application(email="kari@nordlys"), language=language)
    assert answer.status == 422
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["fields"] == {"email": message}
    assert stored_applications() == []


def test_every_bad_field_is_named_at_once(api):
    answer = api.post(
        "/membership-applications",
        application(organisation_name="", email="x", phone="1", organisation_number="123", consent="maybe"),
        language="en",
    )
    assert answer.status == 422
    assert set(answer.json()["error"]["fields"]) == {
        "organisation_name",
        "email",
        "phone",
        "organisation_number",
        "consent",
    }


def test_missing_turnover_for_a_company_is_named(api):
    answer = api.post("/membership-applications", application(annual_turnover_nok=None), language="en")
    assert answer.status == 422
    assert answer.json()["error"]["fields"] == {"annual_turnover_nok": "Enter the annual turnover in NOK."}


def test_phone_and_message_are_optional(api):
    sent = application()
    del sent["phone"], sent["message"]
    assert api.post("/membership-applications", sent).status == 201
    assert stored_applications()[0].phone is None


def test_missing_consent_is_refused_and_nothing_is_stored(api):
    answer = api.post("/membership-applications", application(consent=False))
    assert answer.status == 422
    assert "consent" in answer.json()["error"]["fields"]
    assert stored_applications() == []


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_an_object_is_a_bad_request(api, raw):
    answer = api.post("/membership-applications", raw=raw, language="en")
    assert answer.status in (400, 422)
    assert set(answer.json()["error"]) >= {"code", "message"}


def test_unknown_api_paths_answer_404_in_the_error_shape(api):
    answer = api.get("/no-such-thing")
    assert answer.status == 404
    assert answer.json()["error"]["code"] == "not_found"


def test_openapi_document_describes_every_public_route(api):
    answer = api.get("/openapi.json")
    assert answer.status == 200
    document = answer.json()
    assert document["openapi"].startswith("3.")
    assert {
        "/api/v1/health",
        "/api/v1/stats",
        "/api/v1/membership-fee",
        "/api/v1/membership-applications",
    } <= set(document["paths"])
    schema = document["paths"]["/api/v1/membership-applications"]["post"]["requestBody"]
    assert "application/json" in schema["content"]
