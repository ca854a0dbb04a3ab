"""Verification of corrective actions from the outside: the producer asks a customer with
audit-level access, that customer's admin accepts or sends back, buyers at audit level comment, and
nobody else sees or does any of it. With the DynamoDB calls of each new route."""

from __future__ import annotations

from infra.seed import DEMO_USERS
from tests.api.test_sharing import ANATOLIA_AUDIT, AWAITING_FINDING, set_link
from tests.support import dynamodb_calls, logged_in, outbox

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT = DEMO_USERS[:5]
ACTION = f"/producer/audits/{ANATOLIA_AUDIT}/findings/{AWAITING_FINDING}"
SUPPLIER = "/buyer/suppliers/org-anatolia"
REASON_NEEDED = "Skriv hvorfor du sender tiltaket tilbake, så leverandøren vet hva som mangler."
FINDING = f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}/findings/{AWAITING_FINDING}"


def action(person, path=f"/producer/audits/{ANATOLIA_AUDIT}"):
    [found] = [f for f in person.get(path).json()["findings"] if f["id"] == AWAITING_FINDING]
    return found["action"]


def ask(ayse, buyer_id="org-nordlys"):
    return ayse.post(
        f"{ACTION}/verification-request", {"buyer_id": buyer_id, "version": action(ayse)["version"]}
    )


def test_the_customer_asked_accepts_and_everyone_reads_who_verified_how_and_when(world, tmp_path):
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    before = action(kari, f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}")
    assert (before["verification_state"], before["verification_text"]) == (
        "awaiting",
        "Venter på verifisering",
    )
    assert kari.get(f"{SUPPLIER}/verifications").json()["items"] == []  # nobody asked Nordlys yet
    assert ask(ayse, "org-fjellsport").status == 422  # Fjellsport sees Anatolia at profile level only
    asked = ask(ayse)
    assert asked.status == 200, asked.body
    assert asked.json()["verification_requested"]["organisation"] == "Nordlys Dagligvare AS"
    [told] = [m for m in outbox(tmp_path) if m["template"] == "notice.verification_request"]
    assert told["to"] == NORDLYS.email  # Nordlys's admin, not its member
    assert told["subject"] == "Anatolia Tekstil A.Ş. ber deg verifisere et korrigerende tiltak"
    assert "http://portal.test/members/supplier/?id=org-anatolia" in told["body"]

    [waiting] = kari.get(f"{SUPPLIER}/verifications").json()["items"]
    assert (waiting["audit_id"], waiting["finding"]["id"]) == (ANATOLIA_AUDIT, AWAITING_FINDING)
    assert waiting["finding"]["action"]["awaiting_you"] is True
    assert waiting["finding"]["action"]["verification_requested"] is None  # the producer's own business
    ola = logged_in(world, NORDLYS_MEMBER)  # a member sees the list, only an admin decides
    assert len(ola.get(f"{SUPPLIER}/verifications").json()["items"]) == 1
    assert ola.post(f"{FINDING}/verification", {"accepted": True}).status == 404

    done = kari.post(f"{FINDING}/verification", {"accepted": True, "note": "Bildene viser ryddig utgang."})
    assert done.status == 200, done.body
    shown = done.json()["action"]
    assert shown["status"] == "closed"
    assert shown["verification"]["person"] == "Kari Nordlys"
    assert shown["verification_text"].startswith(
        "Lukket – verifisert av Nordlys Dagligvare AS, kundens gjennomgang, "
    )
    own = ayse.get(f"/producer/audits/{ANATOLIA_AUDIT}", language="en").json()
    [mine] = [f["action"] for f in own["findings"] if f["id"] == AWAITING_FINDING]
    assert mine["verification_text"].startswith(
        "Closed – verified by Nordlys Dagligvare AS, customer's review, "
    )
    assert mine["history"][-1]["organisation"] == "Nordlys Dagligvare AS"
    assert kari.post(f"{FINDING}/verification", {"accepted": True}).status == 404  # nothing left to verify
    [decided] = [m for m in outbox(tmp_path) if m["template"] == "notice.verification_decision"]
    assert (decided["to"], decided["subject"]) == (
        ANATOLIA.email,
        "Nordlys Dagligvare AS har verifisert et korrigerende tiltak",
    )


def test_a_customer_sends_an_action_back_with_the_reason_the_producer_reads(world):
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    assert ask(ayse).status == 200
    no_reason = kari.post(f"{FINDING}/verification", {"accepted": False})
    assert (no_reason.status, no_reason.json()["error"]["fields"]) == (422, {"reason": REASON_NEEDED})
    back = kari.post(
        f"{FINDING}/verification", {"accepted": False, "reason": "Bildet viser ikke nattskiftet."}
    )
    assert back.status == 200
    mine = action(ayse)
    assert (mine["status"], mine["verification_state"]) == ("in_progress", None)
    assert mine["sent_back"]["reason"] == "Bildet viser ikke nattskiftet."
    assert mine["sent_back"]["organisation"] == "Nordlys Dagligvare AS"


def test_comments_are_the_producers_and_the_commenting_customers_only(world):
    set_link("org-anatolia", "org-fjellsport", "active", "audits")  # a second customer at audit level
    ayse, kari, per = logged_in(world, ANATOLIA), logged_in(world, NORDLYS), logged_in(world, FJELLSPORT)
    said = kari.post(f"{FINDING}/comments", {"text": "Sjekkes utgangen også på nattskiftet?"})
    assert said.status == 201
    assert (said.json()["organisation"], said.json()["person"]) == ("Nordlys Dagligvare AS", "Kari Nordlys")
    assert [c["text"] for c in action(kari, f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}")["comments"]] == [
        "Sjekkes utgangen også på nattskiftet?"
    ]
    assert [c["organisation"] for c in action(ayse)["comments"]] == ["Nordlys Dagligvare AS"]
    theirs = per.get(f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}")
    assert theirs.status == 200
    assert "nattskiftet" not in theirs.body.decode()
    assert action(per, f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}")["comments"] == []
    # asked to verify, Nordlys sends it back: Fjellsport sees that it went back, not Nordlys's reason
    assert ask(ayse).status == 200
    assert (
        kari.post(f"{FINDING}/verification", {"accepted": False, "reason": "Mangler bilde av natt."}).status
        == 200
    )
    assert "Mangler bilde" not in per.get(f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}").body.decode()
    assert per.get(f"{SUPPLIER}/verifications").json()["items"] == []
    assert per.post(f"{FINDING}/verification", {"accepted": True}).status == 404


def test_the_dynamodb_calls_of_the_verification_routes(world):
    ayse, kari = logged_in(world, ANATOLIA), logged_in(world, NORDLYS)
    version = action(ayse)["version"]
    with dynamodb_calls() as asking:
        asked = ayse.post(f"{ACTION}/verification-request", {"buyer_id": "org-nordlys", "version": version})
        assert asked.status == 200
    # session; the finding, the audit, the link (covers the site?), the producer's user; the write;
    # the customer's admins to tell; the audit again for the answer
    assert asking == [*("GetItem",) * 5, "TransactWriteItems", "Query", "Query"]
    with dynamodb_calls() as listing:
        assert kari.get(f"{SUPPLIER}/verifications").status == 200
    assert listing == ["GetItem", "GetItem", "Query", "PutItem"]  # session, link, the audits, the access log
    with dynamodb_calls() as deciding:
        assert kari.post(f"{FINDING}/verification", {"accepted": True}).status == 200
    # session; link, audit, finding, the admin's name; the action with its history entry; the open
    # count (audits, site); the producer's admins to tell; the answer (link, audit, access log)
    assert deciding == [
        *("GetItem",) * 5,
        *("TransactWriteItems", "Query", "UpdateItem", "Query", "GetItem", "Query", "PutItem", "PutItem"),
    ]  # the last: the audit's mark that a customer has seen it (a conditional put)
    with dynamodb_calls() as commenting:
        assert kari.post(f"{FINDING}/comments", {"text": "Takk."}).status == 201
    assert commenting == [*("GetItem",) * 5, "PutItem"]  # session, link, audit, finding, name; comment


def test_the_demo_world_has_verified_and_unverified_actions_and_nothing_closed_pretends(world):
    from portal.store.models import Finding
    from portal.usecases import verification

    kari = logged_in(world, NORDLYS)
    shown = {
        f["description"]: f["action"]
        for f in kari.get(f"{SUPPLIER}/audits/{ANATOLIA_AUDIT}").json()["findings"]
        if f["action"]
    }
    texts = {description[:20]: a["verification_text"] for description, a in shown.items()}
    assert texts["Brannslukkerne i fer"].startswith(
        "Lukket – verifisert av Nordlys Dagligvare AS, kundens gjennomgang, "
    )
    assert texts["Overtidsavtalen var "] == texts["Nødutgangen i tilskj"] == "Venter på verifisering"
    assert texts["Avfallsolje ble lagr"].startswith("Ikke verifisert")  # closed by Anatolia alone, migrated
    assert texts["Lønnsslippene viste "] is None  # in progress: its status says it all
    assert {a["status"] for a in shown.values()} == {"closed", "awaiting_verification", "in_progress"}
    assert all(a["verification"] for a in shown.values() if a["status"] == "closed")
    migrated = Finding.get(*Finding.key("org-anatolia", ANATOLIA_AUDIT, f"{ANATOLIA_AUDIT[-4:]}f7"))
    assert (migrated.status, migrated.closed_unverified) == ("awaiting_verification", True)
    assert verification.migrate_unverified_closures() == 0  # run again at every start: nothing moves
