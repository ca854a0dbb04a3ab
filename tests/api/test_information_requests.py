"""Transparency Act information requests from the outside: the public request page and form (the
receipt, the throttle, the honeypot), the requester's own page, and the handlers' case work."""

from __future__ import annotations

import itertools
import json
import re
from datetime import date, timedelta

from infra.local.gateway import HttpRequest
from infra.seed import DEMO_USERS
from portal.domain import transparency as law
from portal.usecases.information_requests import today as requests_today
from tests.support import Api, browser, dynamodb_calls, logged_in, outbox

STAFF, KARI, OLA, AYSE, PER = DEMO_USERS[:5]
SLUG = "nordlys-dagligvare-as"
FORM = {
    "name": "Journalist Jensen",
    "email": "jensen@avis.example",
    "postal_address": None,
    "question": "Hvilke fabrikker syr arbeidsklærne dere selger, og hva har dere gjort med funnene i Bangladesh?",
    "concerns": "Arbeidsklær",
    "language": "nb",
    "website": "",
}


def send(api: Api, slug: str = SLUG, ip: str | None = None, **change):
    """The form sent from a browser at `ip` (by default a new one each time)."""
    body = json.dumps({**FORM, **change}).encode()
    headers = (("accept-language", "nb"), ("content-type", "application/json"), ("x-csrf-token", "anonymous"))
    source = ip or f"198.51.100.{next(_CLIENTS) % 250 + 1}"
    return api.gateway.handle(
        HttpRequest("POST", f"/api/v1/request-pages/{slug}/requests", "", headers, body, source)
    )


_CLIENTS = itertools.count()


def token_of(mail: dict) -> str:
    found = re.search(r"/innsyn/sak/#([A-Za-z0-9_-]+)", mail["body"])
    assert found, mail["body"]
    return found.group(1)


def test_the_request_page_names_the_member_and_unknown_slugs_are_404(world):
    answer = browser(world).get(f"/request-pages/{SLUG}")
    assert answer.status == 200
    assert answer.json() == {"organisation": {"name": "Nordlys Dagligvare AS", "slug": SLUG}}
    assert browser(world).get("/request-pages/no-such-member").status == 404
    assert browser(world).get("/request-pages/nordic-audit-as").status == 404  # not a member


def test_a_request_gets_a_case_number_a_due_date_and_a_receipt_in_its_language(world, tmp_path):
    answer = send(world, language="en")
    assert answer.status == 201, answer.body
    receipt = answer.json()
    year = date.today().year
    assert re.fullmatch(rf"IR-{year}-\d{{4}}", receipt["case_number"])
    received = date.fromisoformat(receipt["received_on"])
    assert date.fromisoformat(receipt["answer_due"]) == received + timedelta(days=21)
    mail = outbox(tmp_path)[-1]
    assert mail["to"] == "jensen@avis.example"
    assert receipt["case_number"] in mail["subject"]
    assert "We have received" in mail["subject"]
    assert "/en/innsyn/sak/#" in mail["body"]
    due = date.fromisoformat(receipt["answer_due"])
    assert f"{due.day} {due.strftime('%B')} {due.year}" in mail["body"]
    second = send(world).json()
    assert int(second["case_number"][-4:]) == int(receipt["case_number"][-4:]) + 1
    nb = outbox(tmp_path)[-1]
    assert "/innsyn/sak/#" in nb["body"]
    assert "/en/" not in nb["body"]
    assert "Saksnummer" in nb["body"]


def test_the_form_refuses_a_filled_honeypot_a_missing_address_and_oversized_text(world):
    robot = send(world, website="http://spam.example")
    assert robot.status == 422
    assert "website" in robot.json()["error"]["fields"]
    nowhere = send(world, email=None, postal_address=None)
    assert nowhere.status == 422
    assert "email" in nowhere.json()["error"]["fields"]
    assert send(world, question="x" * 10001).status == 422
    assert send(world, name="").status == 422
    assert send(world, email=None, postal_address="Storgata 1, 0155 Oslo").status == 201


def test_a_flood_from_one_client_is_told_to_wait_with_retry_after(world):
    answers = [send(world, ip="203.0.113.9") for _ in range(6)]
    assert [a.status for a in answers[:5]] == [201] * 5
    assert answers[5].status == 429
    assert int(answers[5].header("retry-after")) > 0
    assert "Vent" in answers[5].json()["error"]["message"]
    assert send(world, ip="203.0.113.10").status == 201  # another client is not held up


def test_the_public_submission_costs_no_scan(world):
    with dynamodb_calls() as calls:
        assert send(world).status == 201
    assert "Scan" not in calls
    assert calls == ["GetItem", "GetItem", "UpdateItem", "UpdateItem", "UpdateItem", "TransactWriteItems"]


def handler_case(world, tmp_path, **change):
    receipt = send(world, **change).json()
    token = token_of(outbox(tmp_path)[-1])
    kari = logged_in(world, KARI)
    listed = kari.get("/information-requests", query="view=open").json()
    case = next(i for i in listed["items"] if i["case_number"] == receipt["case_number"])
    return kari, case, token


def test_the_handler_works_a_case_through_extension_partial_refusal_and_further_reasons(world, tmp_path):
    kari, item, token = handler_case(world, tmp_path)
    assert item["days_left"] == 21
    assert item["overdue"] is False
    assert item["requester_name"] == "Journalist Jensen"
    case_id = item["case_id"]
    detail = kari.get(f"/information-requests/{case_id}").json()
    assert detail["requester"]["email"] == "jensen@avis.example"
    assert "extension" in detail["actions"]
    received = date.fromisoformat(detail["received_on"])
    assert detail["deadlines"]["latest_extended_due"] == law.latest_extended_due(received).isoformat()
    assert (
        kari.post(f"/information-requests/{case_id}/state", {"state": "in_progress"}).json()["state"]
        == "in_progress"
    )
    late = kari.post(
        f"/information-requests/{case_id}/messages",
        {
            "kind": "extension",
            "text": "Vi trenger tid.",
            "expected_on": (received + timedelta(days=70)).isoformat(),
        },
    )
    assert late.status == 422  # after the two months
    expected = received + timedelta(days=40)
    extended = kari.post(
        f"/information-requests/{case_id}/messages",
        {
            "kind": "extension",
            "text": "Vi må hente opplysninger fra 40 leverandører.",
            "expected_on": expected.isoformat(),
        },
    )
    assert extended.status == 201, extended.body
    assert extended.json()["extended"] is True
    assert extended.json()["due_on"] == expected.isoformat()
    mail = outbox(tmp_path)[-1]
    assert "lengre svartid" in mail["subject"]
    assert "40 leverandører" in mail["body"]
    no_ground = kari.post(
        f"/information-requests/{case_id}/messages", {"kind": "partial_refusal", "text": "Delvis."}
    )
    assert no_ground.status == 422
    refused = kari.post(
        f"/information-requests/{case_id}/messages",
        {
            "kind": "partial_refusal",
            "text": "Fabrikklisten får du; prisene ikke.",
            "ground": "business_secret",
        },
    )
    assert refused.status == 201
    body = refused.json()
    assert body["state"] == "partly_refused"
    assert body["messages"][-1]["ground"] == "business_secret"
    assert "§ 6" in body["messages"][-1]["legal_text"]
    mail = outbox(tmp_path)[-1]
    assert "§ 6 second paragraph letter d" in mail["body"] or "§ 6 andre ledd bokstav d" in mail["body"]
    assert "Forbrukertilsynet" in mail["body"]
    by = date.fromisoformat(body["deadlines"]["further_reasons_by"])
    assert f"{by.day}." in mail["body"]
    assert "nærmere begrunnelse" in mail["body"]
    # the edited message cannot be changed: there is no route, and a second refusal is not allowed
    assert (
        kari.post(f"/information-requests/{case_id}/messages", {"kind": "answer", "text": "x"}).status == 409
    )
    requester = browser(world)
    own = requester.get(f"/requests/{token}").json()
    assert own["state"] == "partly_refused"
    assert own["can_ask_further_reasons"] is True
    assert "Forbrukertilsynet" in own["messages"][-1]["text"]
    asked = requester.post(f"/requests/{token}/further-reasons", {"text": "Hvorfor er prisene hemmelige?"})
    assert asked.status == 201
    assert asked.json()["state"] == "further_reasons_requested"
    again = kari.get(f"/information-requests/{case_id}").json()
    assert again["actions"] == ["further_reasons_answer"]
    assert again["deadlines"]["further_reasons_due"] is not None
    answered = kari.post(
        f"/information-requests/{case_id}/messages",
        {"kind": "further_reasons_answer", "text": "Prisene avslører forhandlingsposisjonen vår."},
    )
    assert answered.json()["state"] == "partly_refused"
    assert answered.json()["closed_at"] is not None
    assert requester.post(f"/requests/{token}/further-reasons", {"text": "Igjen?"}).status == 409  # once


def test_further_reasons_are_refused_when_nothing_was_refused(world, tmp_path):
    kari, item, token = handler_case(world, tmp_path)
    kari.post(
        f"/information-requests/{item['case_id']}/messages", {"kind": "answer", "text": "Her er svaret."}
    )
    refused = browser(world).post(f"/requests/{token}/further-reasons", {"text": "Mer?"})
    assert refused.status == 409
    assert refused.json()["error"]["code"] == "further_reasons_closed"


def test_a_request_entered_by_hand_keeps_its_real_date(world, tmp_path):
    kari = logged_in(world, KARI)
    received = date.today() - timedelta(days=25)
    entered = kari.post(
        "/information-requests",
        {**{k: v for k, v in FORM.items() if k != "website"}, "received_on": received.isoformat(), "email": None,
         "postal_address": "Postboks 1, 0101 Oslo"},
    )  # fmt: skip
    assert entered.status == 201, entered.body
    case = entered.json()
    assert case["entered_by_hand"] is True
    assert case["due_on"] == (received + timedelta(days=21)).isoformat()
    assert "extension" not in case["actions"]  # day 25: too late to extend
    late = kari.post(
        f"/information-requests/{case['case_id']}/messages",
        {"kind": "extension", "text": "Mer tid.", "expected_on": (received + timedelta(days=50)).isoformat()},
    )
    assert late.status == 409
    assert late.json()["error"]["code"] == "extension_too_late"
    listed = kari.get("/information-requests").json()
    mine = next(i for i in listed["items"] if i["case_id"] == case["case_id"])
    assert mine["overdue"] is True
    assert mine["days_left"] == -4
    assert listed["summary"]["overdue"] >= 1
    future = kari.post("/information-requests", {**{k: v for k, v in FORM.items() if k != "website"},
                                                 "received_on": (date.today() + timedelta(days=2)).isoformat()})  # fmt: skip
    assert future.status == 422


def test_each_view_is_in_the_security_log_and_the_requester_can_be_erased(world, tmp_path):
    kari, item, token = handler_case(world, tmp_path)
    kari.get(f"/information-requests/{item['case_id']}")
    events = kari.get("/org/security-events").json()["items"]
    assert events[0]["kind"] == "information_request_viewed"
    assert events[0]["subject"] == item["case_number"]
    assert kari.call("DELETE", f"/information-requests/{item['case_id']}/requester").status == 204
    assert kari.get(f"/information-requests/{item['case_id']}").json()["requester"] is None
    assert browser(world).get(f"/requests/{token}").status == 404


def test_another_organisations_case_is_404_and_members_without_the_duty_are_refused(world, tmp_path):
    kari, item, _ = handler_case(world, tmp_path)
    per = logged_in(world, PER)
    assert per.get(f"/information-requests/{item['case_id']}").status == 404
    assert all(i["case_id"] != item["case_id"] for i in per.get("/information-requests").json()["items"])
    ola = logged_in(world, OLA)  # has the duty in the demo world
    assert ola.get("/information-requests").status == 200
    assert ola.get("/me").json()["duties"] == ["information_requests"]
    assert kari.get("/me").json()["duties"] == ["information_requests"]  # an org admin: implied
    ola_id = next(u["user_id"] for u in kari.get("/org/users").json()["items"] if u["email"] == OLA.email)
    changed = kari.call("PATCH", f"/org/users/{ola_id}", {"handles_information_requests": False})
    assert changed.status == 200
    assert changed.json()["handles_information_requests"] is False
    assert ola.get("/information-requests").status == 404  # the open session loses the duty at once
    assert ola.get("/me").json()["duties"] == []
    kari.call("PATCH", f"/org/users/{ola_id}", {"handles_information_requests": True})
    assert ola.get(f"/information-requests/{item['case_id']}").status == 200
    mehmet = logged_in(world, DEMO_USERS[6])  # a producer's member without the duty
    assert mehmet.get("/information-requests").status == 404
    assert mehmet.get("/me").json()["duties"] == []


def test_the_case_list_costs_two_queries_after_the_session(world, tmp_path):
    handler_case(world, tmp_path)
    kari = logged_in(world, KARI)
    with dynamodb_calls() as calls:
        assert kari.get("/information-requests").status == 200
    assert calls == ["GetItem", "Query", "Query"]  # the session; the page; the open cases' due dates


def test_the_statistics_count_the_year_by_outcome_and_ground(world, tmp_path):
    year = requests_today().year
    before = logged_in(world, KARI).get("/information-request-statistics", query=f"year={year}").json()
    kari, item, _ = handler_case(world, tmp_path)
    kari.post(
        f"/information-requests/{item['case_id']}/messages",
        {"kind": "refusal", "text": "Nei.", "ground": "unreasonable"},
    )
    _, other, _ = handler_case(world, tmp_path)
    kari.post(f"/information-requests/{other['case_id']}/messages", {"kind": "answer", "text": "Svar."})
    stats = kari.get("/information-request-statistics", query=f"year={year}").json()
    assert stats["year"] == year
    assert stats["count"] == before["count"] + 2
    assert stats["refused"] == before["refused"] + 1
    assert (
        stats["refused_by_ground"]["unreasonable"] == before["refused_by_ground"].get("unreasonable", 0) + 1
    )
    assert stats["answered_within_deadline"] == before["answered_within_deadline"] + 2
    assert stats["median_days_to_answer"] is not None
    assert kari.get("/information-request-statistics", query="year=1999").status == 422
    assert (
        logged_in(world, PER).get("/information-request-statistics", query=f"year={year}").json()["count"]
        == 0
    )


def test_the_dashboard_shows_overdue_and_due_this_week(world):
    kari = logged_in(world, KARI)
    form = {k: v for k, v in FORM.items() if k != "website"}
    for days_ago in (30, 17):  # overdue by 9 days; due in 4 days
        received = (date.today() - timedelta(days=days_ago)).isoformat()
        assert kari.post("/information-requests", {**form, "received_on": received}).status == 201
    items = {i["kind"]: i for i in kari.get("/me/attention").json()["items"]}
    assert items["information_requests_overdue"]["link"] == "/members/requests/"
    assert "passert svarfristen" in items["information_requests_overdue"]["message"]
    assert "innen en uke" in items["information_requests_due"]["message"]
    per = {i["kind"] for i in logged_in(world, PER).get("/me/attention").json()["items"]}
    assert "information_requests_overdue" not in per


def test_the_demo_world_has_cases_in_every_state_for_nordlys(world):
    ola = logged_in(world, OLA)
    everything = ola.get("/information-requests", query="view=all").json()
    states = {i["state"] for i in everything["items"]}
    assert {"received", "in_progress", "answered", "partly_refused", "refused"} <= states
    assert any(i["extended"] for i in everything["items"])
    assert any(i["overdue"] for i in everything["items"])
    assert everything["summary"]["overdue"] >= 1
    opened = [i["due_on"] for i in everything["items"] if i["state"] in ("received", "in_progress")]
    assert opened == sorted(opened)  # open first, by due date
    refused = next(i for i in everything["items"] if i["state"] == "partly_refused")
    detail = ola.get(f"/information-requests/{refused['case_id']}").json()
    assert detail["messages"][-1]["ground"] == "business_secret"
    assert "Forbrukertilsynet" in detail["messages"][-1]["legal_text"]
    users = {u["email"]: u for u in logged_in(world, KARI).get("/org/users").json()["items"]}
    assert users[OLA.email]["handles_information_requests"] is True
