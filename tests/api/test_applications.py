"""IEH staff and the applications: found by the applicant's short reference, in any status."""

from __future__ import annotations

import uuid

from infra.seed import DEMO_USERS
from tests.support import Api, browser, dynamodb_calls, logged_in

STAFF, BUYER_ADMIN = DEMO_USERS[:2]


def apply(world: Api, name: str = "Fjordkaffe AS", **changes: object) -> dict:
    answer = browser(world).post(
        "/membership-applications",
        {
            "submission_id": str(uuid.uuid4()),
            "organisation_name": name,
            "organisation_number": "974760673",
            "category": "company",
            "annual_turnover_nok": 12_000_000,
            "contact_name": "Ingrid Fjord",
            "email": "ingrid@fjordkaffe.example",
            "consent": True,
            **changes,
        },
    )
    assert answer.status == 201
    return answer.json()


def test_staff_find_an_application_by_its_reference_however_it_is_typed(world):
    wanted = apply(world)
    apply(world, "Strand Fisk AS", organisation_number="987654325")
    staff = logged_in(world, STAFF)
    typed = wanted["reference"].removeprefix("IEH-").lower()  # as read out on the phone
    with dynamodb_calls() as calls:
        answer = staff.get("/admin/applications", query=f"reference={typed}")
    assert answer.status == 200
    [found] = answer.json()["items"]
    assert (found["id"], found["reference"], found["organisation_name"]) == (
        wanted["id"],
        wanted["reference"],
        "Fjordkaffe AS",
    )
    # the session, the reference's claim, the application, the number's claim: no Query, no Scan
    assert calls == ["GetItem", "GetItem", "GetItem", "BatchGetItem"]
    listed = staff.get("/admin/applications").json()["items"]
    assert {row["reference"] for row in listed} >= {wanted["reference"]}


def test_a_decided_application_is_found_by_its_reference_too(world):
    wanted = apply(world)
    staff = logged_in(world, STAFF)
    assert staff.post(f"/admin/applications/{wanted['id']}/reject", {"reason": "Ikke nå"}).status == 200
    [found] = staff.get("/admin/applications", query=f"reference={wanted['reference']}").json()["items"]
    assert found["status"] == "rejected"


def test_an_unknown_reference_finds_nothing_and_a_malformed_one_is_named(world):
    staff = logged_in(world, STAFF)
    assert staff.get("/admin/applications", query="reference=IEH-ZZZZZZ").json() == {"items": []}
    answer = staff.get("/admin/applications", query="reference=IEH-12", language="en")
    assert answer.status == 422
    assert answer.json()["error"]["fields"] == {
        "reference": "Type the reference number as it is in the receipt, for example IEH-7KQ2MX."
    }


def test_members_cannot_look_applications_up_by_reference(world):
    wanted = apply(world)
    member = logged_in(world, BUYER_ADMIN)
    assert member.get("/admin/applications", query=f"reference={wanted['reference']}").status == 404


def test_staff_see_every_field_the_applicant_gave(world):
    sent = {
        "submission_id": str(uuid.uuid4()),
        "organisation_name": "Framtiden i våre hender",
        "organisation_number": "974760673",
        "category": "organisation",
        "annual_turnover_nok": 3_000_000,
        "employees": 12,
        "contact_name": "Ingrid Fjord",
        "email": "ingrid@fivh.example",
        "phone": "+47 22 33 44 55",
        "message": "Vi vil gjerne bli medlem.",
        "consent": True,
    }
    answer = browser(world).post("/membership-applications", sent, language="en")
    staff = logged_in(world, STAFF)
    [row] = staff.get("/admin/applications", query=f"reference={answer.json()['reference']}").json()["items"]
    given = {name: value for name, value in sent.items() if name != "submission_id"}
    given["phone"] = "+4722334455"  # as the edge writes it
    assert {name: row[name] for name in given} == given
    assert (row["language"], row["inhabitants"]) == ("en", None)


def test_every_field_of_an_application_has_a_place_in_the_staff_view():
    """A field added to the form but not to the staff's row, its script and its label fails here.
    The name is the card's heading and the message is quoted under its own label; the rest are facts."""
    from dataclasses import fields
    from pathlib import Path

    from portal.domain.membership import ApplicationForm
    from portal.i18n import has_text
    from portal.routes.admin import ApplicationRow

    given = {f.name for f in fields(ApplicationForm)} - {"submission_id"}
    assert given <= set(ApplicationRow.model_fields)
    script = (Path(__file__).parents[2] / "site/docs/assets/js/members/admin.js").read_text("utf-8")
    facts = given - {"organisation_name", "message"}
    assert [
        name for name in sorted(facts) if f'["{name}",' not in script or not has_text(f"admin.fact.{name}")
    ] == []
