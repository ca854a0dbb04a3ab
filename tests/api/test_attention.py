"""'Needs your attention' on the home page: what each kind of person must act on, most urgent first,
from their own data only, at a bounded number of DynamoDB calls."""

from __future__ import annotations

from datetime import date, timedelta

from infra.seed import DEMO_USERS
from tests.api.test_public import application
from tests.api.test_supply import pdf, register_audit
from tests.support import dynamodb_calls, logged_in

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT, ANDES, ANATOLIA_MEMBER = DEMO_USERS[:7]


def kinds(person) -> list[str]:
    answer = person.get("/me/attention")
    assert answer.status == 200
    return [item["kind"] for item in answer.json()["items"]]


def messages(person, language: str = "nb") -> dict[str, str]:
    items = person.get("/me/attention", language=language).json()["items"]
    return {item["kind"]: item["message"] for item in items}


def test_staff_are_told_when_an_application_waits(world):
    staff = logged_in(world, STAFF)
    assert "applications_waiting" not in kinds(staff)
    assert world.post("/membership-applications", application()).status == 201
    assert world.post("/membership-applications", application(organisation_number="974760673")).status == 201
    assert messages(staff)["applications_waiting"] == "2 søknader om medlemskap venter på avgjørelse."
    [item] = [i for i in staff.get("/me/attention").json()["items"] if i["kind"] == "applications_waiting"]
    assert item["link"] == "admin/#applications"


def test_a_producer_admin_sees_waiting_customers_first_and_a_member_does_not(world):
    assert logged_in(world, FJELLSPORT).post("/buyer/links", {"site_id": "ZS-6H1L-PE1"}).status == 202
    lucia = logged_in(world, ANDES)
    # someone waits for her answer first, then what is out of date, then what would help
    assert kinds(lucia) == ["customer_requests", "profile_stale", "site_stale", "mfa_offer"]
    told = messages(lucia)
    assert (
        told["customer_requests"] == "1 kunde har bedt om tilgang til opplysningene dine og venter på svar."
    )
    assert told["site_stale"] == "Opplysningene om Frutas del Sur – Ica er ikke bekreftet det siste året."
    # a producer's member cannot decide on access: it is not asked to
    assert logged_in(world, FJELLSPORT).post("/buyer/links", {"site_id": "ZS-4KQ7-TR2"}).status == 202
    assert "customer_requests" not in kinds(logged_in(world, ANATOLIA_MEMBER))


def test_an_action_past_its_due_date_is_listed_until_it_is_moved_or_done(world):
    ayse = logged_in(world, ANATOLIA)
    assert "actions_overdue" not in kinds(ayse)
    audit = register_audit(ayse, pdf("Findings"))
    finding = ayse.post(
        f"/producer/audits/{audit['id']}/findings",
        {"grade": "major", "clause": "smeta_3", "description": "Emergency exit blocked."},
    ).json()
    path = f"/producer/audits/{audit['id']}/findings/{finding['id']}/action"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    moved = ayse.call("PATCH", path, {"due_date": yesterday, "version": finding["action"]["version"]})
    assert moved.status == 200, moved.body
    assert kinds(ayse)[:2] == ["actions_overdue", "saq_not_submitted"]
    assert messages(ayse, "en")["actions_overdue"] == "1 corrective action is past its due date."
    later = ayse.call("PATCH", path, {"due_date": "2099-12-31", "version": moved.json()["version"]})
    assert later.status == 200, later.body
    assert "actions_overdue" not in kinds(ayse)


def test_a_buyer_sees_its_own_supply_chain_only(world):
    kari = messages(logged_in(world, NORDLYS))
    assert kari["high_risk_sites"] == "Alle de 3 produksjonsstedene i leverandørkjeden din har høy risiko."
    assert kari["suppliers_stale"] == (
        "1 leverandør har ikke bekreftet firmaprofilen det siste året: Dhaka Knitwear Ltd."
    )
    assert kari["requests_unanswered"] == "1 forespørsel om tilgang venter på svar fra leverandøren."
    # Fjellsport sees one Anatolia site; Dhaka declined it, so Dhaka's profile is none of its business
    per = messages(logged_in(world, FJELLSPORT), "en")
    assert per["high_risk_sites"] == "The only site in your supply chain is high risk."
    assert "suppliers_stale" not in per
    assert not any("Dhaka" in text for text in per.values())


def test_the_attention_list_costs_a_few_reads_and_me_costs_no_query(world):
    for who in (STAFF, NORDLYS, ANATOLIA):
        person = logged_in(world, who)
        with dynamodb_calls() as me:
            assert person.get("/me").status == 200
        assert "Query" not in me  # every members page calls /me
        assert "Scan" not in me
        with dynamodb_calls() as calls:
            person.get("/me/attention")
        assert "Scan" not in calls
        assert len(calls) <= 7, (
            calls
        )  # session, user, and one read per duty (a buyer: ≤ 100 suppliers; requests)
