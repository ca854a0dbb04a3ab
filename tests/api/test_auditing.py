"""Audit companies: staff add them, producers invite them to sites, their auditors upload audits the
producer cannot change but can comment on and dispute; buyers see who uploaded and what is disputed."""

from __future__ import annotations

import uuid

import pytest

from infra.seed import DEMO_USERS
from tests.api.test_supply import pdf, upload
from tests.support import Api, browser, dynamodb_calls, logged_in, outbox

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]
PRODUCER_MEMBER = DEMO_USERS[6]
SOFIE, JONAS = (
    next(u for u in DEMO_USERS if u.email == e)
    for e in ("sofie@nordicaudit.example", "jonas@nordicaudit.example")
)
COMPANY = "org-nordic-audit"
INVITED = "ZS-4KQ7-TR1"  # Anatolia – Denizli: Nordic Audit's invitation is active in the demo world
OTHER_SITE = "ZS-4KQ7-TR2"  # Anatolia – Bursa: not invited
DEMO_AUDIT = "a1f00d0000000000000000000000n001"


@pytest.fixture
def ayse(world) -> Api:
    return logged_in(world, PRODUCER_ADMIN)


@pytest.fixture
def sofie(world) -> Api:
    return logged_in(world, SOFIE)


@pytest.fixture
def jonas(world) -> Api:
    return logged_in(world, JONAS)


def audit_body(content: bytes, **change) -> dict:
    return {
        "request_id": str(uuid.uuid4()),
        "audit_type": "smeta_4",
        "reference": "NA-2026-0142",
        "announcement": "semi_announced",
        "audit_date": "2026-10-01",
        "pillars": ["labour", "health_safety"],
        "file_name": "smeta-bursa.pdf",
        "content_type": "application/pdf",
        "size_bytes": len(content),
        "lead_auditor_id": "user-sofie-nordic-audit",
        **change,
    }


def upload_audit(auditor: Api, site_id: str, **change) -> dict:
    content = pdf(f"Audit {uuid.uuid4()}")
    answer = auditor.post(f"/auditor/sites/{site_id}/audits", audit_body(content, **change))
    assert answer.status == 201, answer.body
    created = answer.json()
    assert upload(auditor, created["upload"], content, "application/pdf") in (200, 201, 204)
    return auditor.get(f"/auditor/sites/{site_id}/audits/{created['audit']['id']}").json()


def invitation(person: Api, path: str, site_id: str) -> dict | None:
    return next((i for i in person.get(path).json()["items"] if i["site_id"] == site_id), None)


# -- staff add audit companies ---------------------------------------------------------------------
NEW_COMPANY = {
    "name": "Baltic Social Audits OÜ",
    "accreditation_body": "APSCA",
    "accreditation_number": "10000456",
    "country": "EE",
    "admin_name": "Kadri Tamm",
    "admin_email": "kadri@balticaudits.example",
    "admin_apsca": "APSCA 21700999",
}


def add_company(world: Api, tmp_path, **change) -> Api:
    """Staff add an audit company; its first auditor joins from the e-mail and logs in."""
    staff = logged_in(world, STAFF)
    fields = {**NEW_COMPANY, **change}
    answer = staff.post("/admin/audit-companies", fields)
    assert answer.status == 201, answer.body
    [mail] = [m for m in outbox(tmp_path) if m["to"] == fields["admin_email"]]
    assert fields["name"] in mail["body"]
    token = mail["body"].split("#token=")[1].split()[0]
    person = browser(world)
    joined = person.post(
        "/auth/invitations/accept",
        {"token": token, "name": fields["admin_name"], "password": "baltic revisor hav 2026"},
    )
    assert joined.status == 200, joined.body
    assert person.login(fields["admin_email"], "baltic revisor hav 2026").status == 200
    return person


def test_staff_add_an_audit_company_whose_first_auditor_joins_and_producers_can_choose_it(
    world, tmp_path, ayse
):
    before = world.get("/stats").json()
    kadri = add_company(world, tmp_path)
    assert kadri.get("/me").json()["organisation"]["type"] == "audit_company"
    assert kadri.get("/auditor/auditors").json()["items"] == [
        {"id": kadri.get("/me").json()["user_id"], "name": "Kadri Tamm", "apsca": "21700999"}
    ]
    listed = {c["name"]: c for c in ayse.get("/producer/audit-companies").json()["items"]}
    assert listed["Baltic Social Audits OÜ"]["accreditation"] == "APSCA, 10000456"
    assert listed["Baltic Social Audits OÜ"]["country"] == "EE"
    assert "Nordic Audit AS" in listed
    staff_list = logged_in(world, STAFF).get("/admin/audit-companies").json()["items"]
    assert {c["name"] for c in staff_list} == {"Baltic Social Audits OÜ", "Nordic Audit AS"}
    assert world.get("/stats").json() == before  # an audit company is not a member


def test_an_apsca_number_must_be_eight_digits(world, sofie):
    staff = logged_in(world, STAFF)
    refused = staff.post(
        "/admin/audit-companies", {**NEW_COMPANY, "admin_apsca": "APSCA 12-34"}, language="en"
    )
    assert refused.status == 422
    assert "eight digits" in refused.json()["error"]["fields"]["admin_apsca"]
    assert sofie.call("PUT", "/auditor/me", {"apsca_number": "CSCA 21700555"}).json()["apsca"] == "21700555"
    assert sofie.call("PUT", "/auditor/me", {"apsca_number": "2170055"}).status == 422


# -- invitations -----------------------------------------------------------------------------------
def test_a_producer_invites_the_company_its_admin_accepts_and_the_producer_ends_it(
    world, tmp_path, ayse, sofie, jonas
):
    assert jonas.get(f"/auditor/sites/{OTHER_SITE}/audits").status == 404  # not invited yet
    invited = ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": COMPANY})
    assert invited.status == 201
    assert invited.json()["status"] == "pending"
    [mail] = [m for m in outbox(tmp_path) if m["to"] == SOFIE.email]
    assert "Anatolia Tekstil" in mail["subject"]
    assert OTHER_SITE in mail["body"]
    pending = invitation(sofie, "/auditor/invitations", OTHER_SITE)
    assert (pending["status"], pending["producer_name"]) == ("pending", "Anatolia Tekstil A.Ş.")
    assert jonas.get(f"/auditor/sites/{OTHER_SITE}/audits").status == 404  # pending opens nothing
    assert jonas.post(f"/auditor/invitations/{pending['id']}/accept").status == 404  # only the admin answers

    assert sofie.post(f"/auditor/invitations/{pending['id']}/accept").json()["status"] == "active"
    assert invitation(ayse, "/producer/audit-invitations", OTHER_SITE)["status"] == "active"
    assert jonas.get(f"/auditor/sites/{OTHER_SITE}/audits").json()["items"] == []

    assert (
        logged_in(world, PRODUCER_MEMBER).post(f"/producer/audit-invitations/{pending['id']}/end").status
        == 404
    )
    assert ayse.post(f"/producer/audit-invitations/{pending['id']}/end").json()["status"] == "ended"
    assert invitation(sofie, "/auditor/invitations", OTHER_SITE)["status"] == "ended"
    assert jonas.get(f"/auditor/sites/{OTHER_SITE}/audits").status == 404
    body = audit_body(pdf())
    assert jonas.post(f"/auditor/sites/{OTHER_SITE}/audits", body).status == 404


def test_a_declined_invitation_opens_nothing_and_a_new_one_can_follow(ayse, sofie):
    first = ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": COMPANY}).json()
    assert sofie.post(f"/auditor/invitations/{first['id']}/decline").json()["status"] == "declined"
    assert sofie.post(f"/auditor/invitations/{first['id']}/accept").status == 409
    assert sofie.get(f"/auditor/sites/{OTHER_SITE}/audits").status == 404
    again = ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": COMPANY})
    assert again.json()["status"] == "pending"


def test_a_producer_invites_only_to_its_own_sites_and_only_audit_companies(world, ayse):
    assert (
        ayse.post("/producer/audit-invitations", {"site_id": "ZS-8M2P-BD1", "company_id": COMPANY}).status
        == 404
    )
    wrong = ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": "org-nordlys"})
    assert wrong.status == 422
    assert "company_id" in wrong.json()["error"]["fields"]


def test_a_company_not_in_the_portal_is_asked_for_from_ieh(ayse, tmp_path):
    asked = ayse.post(
        "/producer/audit-invitations",
        {"site_id": OTHER_SITE, "company_name": "Anka Denetim Ltd.", "email": "info@anka.example"},
    )
    assert (asked.status, asked.json()) == (202, {"asked": "ieh", "company_name": "Anka Denetim Ltd."})
    [mail] = [m for m in outbox(tmp_path) if m["to"] == STAFF.email]
    assert "Anka Denetim Ltd." in mail["subject"]
    assert "info@anka.example" in mail["body"]
    assert OTHER_SITE in mail["body"]
    assert PRODUCER_ADMIN.email in mail["body"]


# -- audits by an audit company --------------------------------------------------------------------
def test_an_auditor_uploads_an_audit_the_producer_and_buyers_see_as_the_companys(world, ayse, jonas):
    audit = upload_audit(jonas, INVITED)
    assert audit["document"]["status"] == "available"
    assert audit["audit_company"] == "Nordic Audit AS"
    assert audit["uploaded_by"] == {
        "kind": "audit_company",
        "organisation": "Nordic Audit AS",
        "accreditation": "APSCA, 10000123",
        "lead_auditor": {"name": "Sofie Lind", "apsca": "21700123"},
    }
    path = f"/auditor/sites/{INVITED}/audits/{audit['id']}/findings"
    added = jonas.post(path, {"grade": "major", "clause": "smeta_6", "description": "Overtid uten samtykke."})
    assert added.status == 201
    [finding] = added.json()["findings"]
    assert finding["action"]["status"] == "open"

    seen = ayse.get(f"/producer/audits/{audit['id']}").json()
    assert seen["uploaded_by"]["organisation"] == "Nordic Audit AS"
    assert [f["description"] for f in seen["findings"]] == ["Overtid uten samtykke."]
    kari = logged_in(world, BUYER_ADMIN)
    bought = kari.get(f"/buyer/suppliers/org-anatolia/audits/{audit['id']}").json()
    assert bought["uploaded_by"]["lead_auditor"] == {"name": "Sofie Lind", "apsca": "21700123"}
    own = [a for a in ayse.get("/producer/audits").json()["items"] if a["id"] != audit["id"]]
    assert {a["uploaded_by"]["kind"] for a in own if a["id"] != DEMO_AUDIT} == {"producer"}


def test_the_lead_auditor_is_one_of_the_companys_auditors(jonas):
    body = audit_body(pdf(), lead_auditor_id="user-ayse-anatolia")
    answer = jonas.post(f"/auditor/sites/{INVITED}/audits", body)
    assert answer.status == 422
    assert "lead_auditor_id" in answer.json()["error"]["fields"]


def test_the_producer_cannot_change_a_companys_audit_but_comments_disputes_and_plans(world, ayse, sofie):
    finding_path = f"/producer/audits/{DEMO_AUDIT}/findings"
    refused = ayse.post(
        finding_path, {"grade": "minor", "clause": "smeta_6", "description": "Lagt til av produsenten"}
    )
    assert refused.status == 403
    assert refused.json()["error"]["code"] == "audit_by_company"
    audit = ayse.get(f"/producer/audits/{DEMO_AUDIT}").json()
    minor = next(f for f in audit["findings"] if f["grade"] == "minor")

    disputed = ayse.post(
        f"{finding_path}/{minor['id']}/dispute",
        {"text": "Kontraktene fantes på arabisk; de lå i et annet arkiv."},
    )
    assert disputed.status == 201
    remark = disputed.json()["remark"]
    assert (remark["kind"], remark["finding_id"], remark["by"]) == ("dispute", minor["id"], "Ayşe Anatolia")
    assert (
        ayse.post(f"/producer/audits/{DEMO_AUDIT}/comments", {"text": "Takk for en grundig revisjon."}).status
        == 201
    )
    plan = ayse.call(
        "PATCH",
        f"{finding_path}/{minor['id']}/action",
        {"action": "Oversette alle kontrakter", "version": minor["action"]["version"]},
    )
    assert plan.status == 200
    assert plan.json()["action"] == "Oversette alle kontrakter"

    for reader, path in (
        (sofie, f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}"),
        (logged_in(world, BUYER_ADMIN), f"/buyer/suppliers/org-anatolia/audits/{DEMO_AUDIT}"),
    ):
        remarks = reader.get(path).json()["remarks"]
        assert [(r["kind"], r["text"]) for r in remarks] == [
            ("dispute", "Kontraktene fantes på arabisk; de lå i et annet arkiv."),
            ("comment", "Takk for en grundig revisjon."),
        ]
        assert remarks[0]["organisation"] == "Anatolia Tekstil A.Ş."
    own = next(a for a in ayse.get("/producer/audits").json()["items"] if a["id"] != DEMO_AUDIT)
    assert ayse.post(f"/producer/audits/{own['id']}/comments", {"text": "Egen revisjon"}).status == 404


def test_an_auditor_reaches_only_its_own_companys_audits_of_its_invited_sites(world, tmp_path, ayse, jonas):
    kadri = add_company(world, tmp_path)
    baltic = next(
        c for c in ayse.get("/producer/audit-companies").json()["items"] if c["name"].startswith("Baltic")
    )
    invited = ayse.post(
        "/producer/audit-invitations", {"site_id": INVITED, "company_id": baltic["id"]}
    ).json()
    assert kadri.post(f"/auditor/invitations/{invited['id']}/accept").status == 200
    # Baltic is invited to the same site: it sees none of Nordic Audit's audits, nor the producer's own.
    assert kadri.get(f"/auditor/sites/{INVITED}/audits").json()["items"] == []
    assert kadri.get(f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}").status == 404
    finding = {"grade": "minor", "clause": "smeta_6", "description": "x"}
    assert kadri.post(f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}/findings", finding).status == 404
    own = next(
        a for a in ayse.get("/producer/audits").json()["items"] if a["uploaded_by"]["kind"] == "producer"
    )
    assert kadri.get(f"/auditor/sites/{INVITED}/audits/{own['id']}").status == 404
    # Nordic's own audit, through another site's path, is not reachable either.
    assert jonas.get(f"/auditor/sites/{OTHER_SITE}/audits/{DEMO_AUDIT}").status == 404
    assert [a["id"] for a in jonas.get(f"/auditor/sites/{INVITED}/audits").json()["items"]] == [DEMO_AUDIT]
    # Another company's invitation cannot be answered or ended by anyone but its own side.
    assert jonas.post(f"/auditor/invitations/{invited['id']}/decline").status == 404
    assert logged_in(world, BUYER_ADMIN).get("/buyer/suppliers").status == 200
    for buyer_path in ("/buyer/suppliers", "/buyer/suppliers/org-anatolia", "/risk/overview"):
        assert jonas.get(buyer_path).status == 404


# -- DynamoDB calls --------------------------------------------------------------------------------
def test_the_auditors_pages_cost_a_few_calls(ayse, sofie):
    with dynamodb_calls() as calls:
        assert sofie.get("/auditor/invitations").status == 200
    assert calls == ["GetItem", "Query"]  # the session, the company's invitations
    with dynamodb_calls() as calls:
        assert sofie.get(f"/auditor/sites/{INVITED}/audits").status == 200
    assert calls == ["GetItem", "GetItem", "Query"]  # the session, the invitation, the producer's audits
    with dynamodb_calls() as calls:
        assert sofie.get(f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}").status == 200
    assert calls == ["GetItem", "GetItem", "Query"]
    with dynamodb_calls() as calls:
        assert sofie.get("/auditor/auditors").status == 200
    assert calls == ["GetItem", "Query"]
    with dynamodb_calls() as calls:
        assert ayse.get("/producer/audit-invitations").status == 200
    assert calls == ["GetItem", "Query"]
    with dynamodb_calls() as calls:
        assert ayse.get("/producer/audit-companies").status == 200
    assert calls == ["GetItem", "Query"]


def test_an_upload_a_finding_a_dispute_and_an_answer_cost_a_few_calls(ayse, sofie):
    with dynamodb_calls() as calls:
        created = sofie.post(f"/auditor/sites/{INVITED}/audits", audit_body(pdf("Budget")))
    assert created.status == 201
    # session, invitation, lead auditor, company, site; the audit and its report in one transaction
    assert calls == ["GetItem"] * 5 + ["TransactWriteItems"]
    audit_id = created.json()["audit"]["id"]
    with dynamodb_calls() as calls:
        added = sofie.post(
            f"/auditor/sites/{INVITED}/audits/{audit_id}/findings",
            {"grade": "minor", "clause": "smeta_6", "description": "Budsjett"},
        )
    assert added.status == 201
    # session, invitation, the audit; the producer's finding function (audit, finding, recount); the audit
    assert calls == ["GetItem", "GetItem", "Query", "GetItem", "PutItem", "Query", "UpdateItem", "Query"]
    finding_id = added.json()["findings"][0]["id"]
    with dynamodb_calls() as calls:
        disputed = ayse.post(
            f"/producer/audits/{audit_id}/findings/{finding_id}/dispute", {"text": "Ikke riktig"}
        )
    assert disputed.status == 201
    assert calls == [
        "GetItem",
        "Query",
        "GetItem",
        "GetItem",
        "PutItem",
    ]  # session, audit, user, producer, remark
    with dynamodb_calls() as calls:
        invited = ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": COMPANY})
    assert invited.status == 201
    # session, site, company, invitation, producer, user; the invitation; the company's admins to tell
    assert calls == ["GetItem"] * 6 + ["PutItem", "Query"]
    with dynamodb_calls() as calls:
        assert sofie.post(f"/auditor/invitations/{invited.json()['id']}/accept").status == 200
    assert calls == ["GetItem", "GetItem", "GetItem", "PutItem"]  # session, invitation, user; the answer


def test_an_auditors_members_area_opens(sofie):
    for path in ("/me", "/me/attention", "/courses", "/resources", "/account/notifications", "/org/users"):
        assert sofie.get(path).status == 200, path


def awaiting_verification(audit_id: str) -> str:
    """The demo audit's minor finding, its action done and waiting for a verifier (as change_action
    leaves it once the note and the checked evidence are there)."""
    from portal.store.models import Finding, PortalItem

    [finding] = [
        item
        for item in PortalItem.query(
            "ORG#org-anatolia", PortalItem.sk.startswith(f"AUDIT#{audit_id}#FINDING#")
        )
        if isinstance(item, Finding) and item.grade == "minor"
    ]
    finding.update(
        actions=[
            Finding.status.set("awaiting_verification"),
            Finding.completion_note.set("Rettet 1. desember."),
        ]
    )
    return finding.finding_id


def test_an_auditor_verifies_an_action_by_desk_review_and_buyers_read_who_how_and_when(world, jonas):
    finding_id = awaiting_verification(DEMO_AUDIT)
    path = f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}/findings/{finding_id}/verification"
    assert jonas.post(path, {"method": "customer_review", "accepted": True}).status == 422  # not a company's
    assert jonas.post(path, {"method": "desk_review", "accepted": False}).status == 422  # no reason
    verified = jonas.post(
        path, {"method": "desk_review", "accepted": True, "note": "Bildene viser åpen utgang."}
    )
    assert verified.status == 200, verified.body
    [action] = [f["action"] for f in verified.json()["findings"] if f["id"] == finding_id]
    assert action["status"] == "closed"
    assert action["verification_text"].startswith(
        "Lukket – verifisert av Nordic Audit AS, dokumentgjennomgang, "
    )

    kari = logged_in(world, BUYER_ADMIN)  # Nordlys reads Anatolia's audits
    audit = kari.get(f"/buyer/suppliers/org-anatolia/audits/{DEMO_AUDIT}").json()
    [seen] = [f["action"] for f in audit["findings"] if f["id"] == finding_id]
    assert seen["verification_text"] == action["verification_text"]
    # it is done: a second verification is refused
    assert jonas.post(path, {"method": "desk_review", "accepted": True}).status == 409


def test_an_auditor_verifies_only_its_own_companys_audits_on_an_invited_site(world, tmp_path, ayse):
    finding_id = awaiting_verification(DEMO_AUDIT)
    other = add_company(world, tmp_path)
    path = f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}/findings/{finding_id}/verification"
    assert other.post(path, {"method": "desk_review", "accepted": True}).status == 404
    assert ayse.post(path, {"method": "desk_review", "accepted": True}).status == 404  # not an auditor


def test_an_auditor_downloads_the_report_and_evidence_of_its_own_audits_only(world, tmp_path, ayse, jonas):
    """A desk review reads the producer's evidence: the company's auditors get short-lived links to
    its own audits' report and evidence while the invitation is active, and the producer's access
    log says who downloaded what."""
    audit = jonas.get(f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}").json()
    evidence = [doc for f in audit["findings"] if f.get("action") for doc in f["action"]["evidence"]]
    documents = [audit["document"]["id"], *(doc["id"] for doc in evidence if doc["status"] == "available")]
    assert len(documents) >= 2, "the demo audit's awaiting action has checked evidence"
    for document_id in documents:
        with dynamodb_calls() as calls:
            answer = jonas.post(f"/auditor/sites/{INVITED}/documents/{document_id}/download")
        # session, invitation, the document (GSI1), the audit (is it the company's?); the log line
        assert calls == ["GetItem", "GetItem", "Query", "Query", "PutItem"], calls
        assert answer.status == 200, answer.body
        assert answer.json()["url"].startswith("http")
        assert answer.header("cache-control") == "no-store"
    log = ayse.get("/producer/access-log").json()["items"]
    assert (log[0]["buyer_name"], log[0]["action"]) == ("Nordic Audit AS", "downloaded")

    own_audit = "a1f00d0000000000000000000000a001"  # Anatolia's own SMETA audit at the same site
    own_report = ayse.get(f"/producer/audits/{own_audit}").json()["document"]["id"]
    assert jonas.post(f"/auditor/sites/{INVITED}/documents/{own_report}/download").status == 404
    assert jonas.post(f"/auditor/sites/{OTHER_SITE}/documents/{documents[0]}/download").status == 404
    other = add_company(world, tmp_path)
    assert other.post(f"/auditor/sites/{INVITED}/documents/{documents[0]}/download").status == 404

    active = invitation(ayse, "/producer/audit-invitations", INVITED)
    assert ayse.post(f"/producer/audit-invitations/{active['id']}/end").status == 200
    assert jonas.post(f"/auditor/sites/{INVITED}/documents/{documents[0]}/download").status == 404


def test_the_demo_companys_audit_has_a_verified_and_an_unverified_action(world):
    kari = logged_in(world, BUYER_ADMIN)  # Nordlys reads Anatolia's audits
    audit = kari.get(f"/buyer/suppliers/org-anatolia/audits/{DEMO_AUDIT}").json()
    states = sorted(f["action"]["verification_text"] for f in audit["findings"] if f.get("action"))
    assert len(states) == 2
    assert states[0].startswith("Lukket – verifisert av Nordic Audit AS, dokumentgjennomgang, ")
    assert states[1] == "Venter på verifisering"


def test_auditors_see_every_action_awaiting_their_companys_verification_and_the_home_page_counts_them(
    world, tmp_path, ayse, sofie, jonas
):
    awaiting = jonas.get("/auditor/verifications").json()["items"]
    assert [(a["site_id"], a["audit_id"], a["producer_name"]) for a in awaiting] == [
        (INVITED, DEMO_AUDIT, "Anatolia Tekstil A.Ş.")
    ]
    assert awaiting[0]["finding"]["action"]["status"] == "awaiting_verification"
    kinds = {item["kind"]: item for item in jonas.get("/me/attention").json()["items"]}
    assert kinds["company_verifications"]["message"] == (
        "1 korrigerende tiltak venter på at revisjonsselskapet verifiserer det."
    )
    assert kinds["company_verifications"]["link"] == "auditor/#verifications"
    assert "audit_invitations" not in kinds  # only the company's admin answers invitations

    with dynamodb_calls() as calls:
        assert jonas.get("/auditor/verifications").status == 200
    assert calls == ["GetItem", "Query", "Query"]  # the session, the invitations, one producer's audits

    # a pending invitation is for the admin to answer
    assert (
        ayse.post("/producer/audit-invitations", {"site_id": OTHER_SITE, "company_id": COMPANY}).status == 201
    )
    kinds = {item["kind"]: item for item in sofie.get("/me/attention").json()["items"]}
    assert kinds["audit_invitations"]["message"].startswith("1 produsent har invitert")

    # verified: no longer waiting; another company never sees it
    finding_id = awaiting[0]["finding"]["id"]
    path = f"/auditor/sites/{INVITED}/audits/{DEMO_AUDIT}/findings/{finding_id}/verification"
    assert jonas.post(path, {"method": "desk_review", "accepted": True}).status == 200
    assert jonas.get("/auditor/verifications").json()["items"] == []
    other = add_company(world, tmp_path)
    assert other.get("/auditor/verifications").json()["items"] == []


def test_the_companys_auditors_are_told_when_the_producer_says_an_action_is_done(world, tmp_path, ayse):
    path = f"/producer/audits/{DEMO_AUDIT}/findings"
    [minor] = [
        f for f in ayse.get(f"/producer/audits/{DEMO_AUDIT}").json()["findings"] if f["grade"] == "minor"
    ]
    back = ayse.call(
        "PATCH",
        f"{path}/{minor['id']}/action",
        {"status": "in_progress", "version": minor["action"]["version"]},
    )
    assert back.status == 200, back.body
    assert [m for m in outbox(tmp_path) if m["to"] in (SOFIE.email, JONAS.email)] == []
    done = ayse.call(
        "PATCH",
        f"{path}/{minor['id']}/action",
        {"status": "awaiting_verification", "version": back.json()["version"]},
    )
    assert done.status == 200, done.body
    told = {m["to"]: m for m in outbox(tmp_path) if m["to"] in (SOFIE.email, JONAS.email)}
    assert set(told) == {SOFIE.email, JONAS.email}  # every auditor of the company, at once by default
    mail = told[JONAS.email]
    assert mail["subject"] == "Anatolia Tekstil A.Ş. ber revisjonsselskapet verifisere et korrigerende tiltak"
    assert "Kontrakter på arbeiderens eget språk" in mail["body"]
    assert f"/members/auditor-audit/?site={INVITED}&id={DEMO_AUDIT}" in mail["body"]
    kinds = logged_in(world, JONAS).get("/account/notifications").json()
    assert "company_verification_request" in str(kinds)
