"""An organisation number belongs to one member, and a buyer learns nothing about a producer before the
producer agrees: the impostor application, lookups by number, and what asking for access answers."""

from __future__ import annotations

import threading
import uuid

from infra.seed import DEMO_USERS
from portal.store.models import Link, Organisation, OrganisationNumberClaim
from tests.support import Api, browser, logged_in

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT = DEMO_USERS[:5]


def apply(world: Api, name: str, number: str) -> str:
    answer = browser(world).post(
        "/membership-applications",
        {
            "submission_id": str(uuid.uuid4()),
            "organisation_name": name,
            "organisation_number": number,
            "category": "company",
            "annual_turnover_nok": 12_000_000,
            "contact_name": "Mallory",
            "email": f"{uuid.uuid4().hex[:8]}@applicant.example",
            "consent": True,
        },
    )
    assert answer.status in (200, 201, 202)
    return answer.json()["id"]


# -- the impostor application ----------------------------------------------------------------------
def test_staff_see_that_an_applications_number_belongs_to_a_member_and_cannot_approve_it(world):
    impostor = apply(world, "Nordlys Dagligvare AS", "923609016")
    newcomer = apply(world, "Fjordkaffe AS", "974760673")
    staff = logged_in(world, STAFF)
    rows = {a["id"]: a for a in staff.get("/admin/applications").json()["items"]}
    assert rows[impostor]["number_member"] == {"id": "org-nordlys", "name": "Nordlys Dagligvare AS"}
    assert rows[newcomer]["number_member"] is None

    for language, words in (
        ("nb", "tilhører allerede medlemmet Nordlys Dagligvare AS"),
        ("en", "already belongs to the member Nordlys Dagligvare AS"),
    ):
        refused = staff.post(
            f"/admin/applications/{impostor}/approve", {"org_type": "buyer"}, language=language
        )
        assert refused.status == 409
        assert refused.json()["error"]["code"] == "organisation_number_taken"
        assert words in refused.json()["error"]["message"]
        assert "923609016" in refused.json()["error"]["message"]
    # nothing was created or decided: the application still waits for a decision (a rejection)
    assert impostor in {a["id"] for a in staff.get("/admin/applications").json()["items"]}
    claim = OrganisationNumberClaim.get(*OrganisationNumberClaim.key("923609016"))
    assert claim.org_id == "org-nordlys"
    assert staff.post(f"/admin/applications/{impostor}/reject", {"reason": "Allerede medlem"}).status == 200


def test_a_producer_adding_a_customer_by_number_reaches_the_member_that_holds_it(world):
    """The impostor of the issue, had it been approved by an older version: its organisation
    carries the number, but the number's claim is Nordlys's, so the producer's grant goes there."""
    Organisation(
        *Organisation.key("org-impostor"),
        org_id="org-impostor",
        name="Nordlys Dagligvare AS",
        organisation_number="923609016",
        org_type="buyer",
        country="NO",
        gsi1pk="ORGNR#923609016",  # where the old number index put it
        gsi1sk="ORG",
    ).save()
    ayse = logged_in(world, ANATOLIA)
    added = ayse.post("/producer/customers", {"organisation_number": "923609016", "level": "saq"})
    assert (added.status, added.json()["buyer_id"]) == (201, "org-nordlys")


def test_two_approvals_of_one_new_number_at_once_end_with_one_member(world):
    first, second = apply(world, "Fjordkaffe AS", "974760673"), apply(world, "Fjordkaffe A/S", "974760673")
    staff = logged_in(world, STAFF)
    start, answers = threading.Barrier(2), []

    def approve(application_id: str) -> None:
        start.wait()
        answers.append(staff.post(f"/admin/applications/{application_id}/approve", {"org_type": "buyer"}))

    threads = [threading.Thread(target=approve, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status for a in answers) == [200, 409]
    [lost] = [a for a in answers if a.status == 409]
    assert lost.json()["error"]["code"] == "organisation_number_taken"
    [won] = [a for a in answers if a.status == 200]
    claim = OrganisationNumberClaim.get(*OrganisationNumberClaim.key("974760673"))
    assert claim.org_id == won.json()["organisation_id"]
    waiting = {a["id"] for a in staff.get("/admin/applications").json()["items"]}
    assert len({first, second} & waiting) == 1  # the loser is still undecided


# -- what a buyer learns before the producer agrees -------------------------------------------------
LUCIA = DEMO_USERS[5]  # Frutas del Sur (org-andes): no link with Nordlys in the demo world


def test_asking_for_access_answers_the_same_for_a_producer_a_non_producer_and_nothing(world):
    kari = logged_in(world, NORDLYS)
    asked = {
        "a producer's site": {"site_id": "ZS-6H1L-PE1"},
        "a buyer member's number": {"organisation_number": "914778271"},  # Fjellsport
        "the buyer's own number": {"organisation_number": "923609016"},
        "an unknown site": {"site_id": "ZS-ZZZZ-XX9"},
        "an unknown number": {"organisation_number": "974760673"},
    }
    shapes = set()
    for what, body in asked.items():
        answer = kari.post("/buyer/links", body)
        sent = answer.json()
        shapes.add((answer.status, tuple(sorted(sent)), tuple(sorted(sent["request"]))))
        sent["request"].pop("requested_at")
        assert sent == {
            "request": {"site_id": None, "organisation_number": None, **body, "status": "sent"}
        }, what
        shown = answer.body.decode().replace("ZS-6H1L-PE1", "")
        assert "Frutas" not in shown
        assert "PE" not in shown  # the producer's country
    assert shapes == {(202, ("request",), ("organisation_number", "requested_at", "site_id", "status"))}
    again = kari.post("/buyer/links", {"site_id": "ZS-6H1L-PE1"})
    assert again.status == 202  # asked before: the same answer, nothing new

    # The supplier list shows each request by what the buyer typed, and nothing of whom it reached.
    listed = kari.get("/buyer/suppliers", query="status=pending").json()["items"]
    requests = {row["request"]: row for row in listed if row["request"]}
    assert set(requests) == {"ZS-6H1L-PE1", "914778271", "923609016", "ZS-ZZZZ-XX9", "974760673"} | {
        "ZS-3T9W-VN1"  # the demo world's request to Mekong, not answered yet
    }
    assert {
        (r["producer_id"], r["name"], r["country"], r["country_name"], r["level"], r["profile_stale"])
        for r in requests.values()
    } == {(None, None, None, None, None, None)}
    everything = (
        kari.get("/buyer/suppliers").body.decode()
        + kari.get("/buyer/suppliers", query="sort=updated").body.decode()
    )
    assert "Frutas" not in everything
    assert "org-andes" not in everything
    assert kari.get("/buyer/suppliers/org-andes").status == 404

    # The producer sees who asked, and once it accepts the buyer sees the producer instead.
    lucia = logged_in(world, LUCIA)
    [pending] = [
        c for c in lucia.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"
    ]
    assert pending["status"] == "pending"
    accepted = lucia.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "profile", "version": pending["version"]},
    )
    assert accepted.status == 200
    rows = kari.get("/buyer/suppliers").json()["items"]
    [frutas] = [r for r in rows if r["producer_id"] == "org-andes"]
    assert (frutas["name"], frutas["country"], frutas["status"]) == ("Frutas del Sur S.A.", "PE", "active")
    assert "ZS-6H1L-PE1" not in {r["request"] for r in rows}  # answered: the producer stands there now
    assert {"914778271", "ZS-ZZZZ-XX9"} <= {r["request"] for r in rows}  # the others still wait


def test_a_declined_request_still_looks_sent_to_the_buyer(world):
    """Dhaka declined Fjellsport's request in the demo world: a decline tells the buyer no more than
    silence (a request to nobody is never declined either)."""
    per = logged_in(world, FJELLSPORT)
    rows = per.get("/buyer/suppliers").json()["items"]
    [dhaka] = [r for r in rows if r["request"] == "ZS-8M2P-BD1"]
    assert (dhaka["status"], dhaka["name"], dhaka["producer_id"]) == ("pending", None, None)
    assert "Dhaka" not in per.get("/buyer/suppliers").body.decode()
    assert per.get("/buyer/suppliers/org-dhaka").status == 404
    # asking again is answered as before, and the producer has the request to decide on again
    again = per.post("/buyer/links", {"site_id": "ZS-8M2P-BD1"})
    assert (again.status, again.json()["request"]["status"]) == (202, "sent")
    assert Link.get(*Link.key("org-dhaka", "org-fjellsport")).status == "pending"


# -- the number a profile shows ---------------------------------------------------------------------
def profile_edit(producer: Api, **changes) -> dict:
    profile = producer.get("/producer/profile").json()
    edit = {
        k: profile[k] for k in ("name", "organisation_number", "address", "contact", "sectors", "products")
    }
    return {**edit, "products": edit["products"] or "Garn", "version": profile["version"], **changes}


def test_a_profile_cannot_show_another_members_number_nor_change_its_own(world):
    ayse = logged_in(world, ANATOLIA)
    taken = ayse.call(
        "PUT", "/producer/profile", profile_edit(ayse, organisation_number="923609016"), language="en"
    )
    assert (taken.status, taken.json()["error"]["fields"]) == (
        422,
        {"organisation_number": "This organisation number belongs to another member."},
    )
    foreign = ayse.call("PUT", "/producer/profile", profile_edit(ayse, organisation_number="TR-0123456789"))
    assert foreign.status == 200  # a foreign registration number nobody holds is shown; it finds nobody

    # a member approved with its number keeps it: buyers and customers find it by that number
    org = Organisation.get(*Organisation.key("org-anatolia"))
    org.organisation_number = "974760673"
    org.save()
    OrganisationNumberClaim(
        *OrganisationNumberClaim.key("974760673"), organisation_number="974760673", org_id="org-anatolia"
    ).save()
    changed = ayse.call("PUT", "/producer/profile", profile_edit(ayse, organisation_number="987654325"))
    assert (changed.status, set(changed.json()["error"]["fields"])) == (422, {"organisation_number"})
    kept = ayse.call("PUT", "/producer/profile", profile_edit(ayse))
    assert (kept.status, kept.json()["organisation_number"]) == (200, "974760673")
