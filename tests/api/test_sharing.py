"""Sharing on the producer's terms, from the outside: requests, decisions, what a link shows, the
access log — and that a buyer never learns anything of another buyer's supply chain."""

from __future__ import annotations

import json
import re
import threading
from unittest.mock import ANY

import pytest

from infra.seed import DEMO_USERS
from infra.seed_producers import DEMO_PRODUCERS
from portal.clock import utcnow
from portal.policy import LEVELS, matrix
from portal.store.models import Link, Organisation
from tests.support import dynamodb_calls, logged_in

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT = DEMO_USERS[:5]
ANATOLIA_AUDIT = DEMO_PRODUCERS[0].audits[0].audit_id  # at site ZS-4KQ7-TR1
AWAITING_FINDING = f"{ANATOLIA_AUDIT[-4:]}f1"  # the blocked exit: awaiting verification
# Anatolia's non-conformities not closed: the exit and the overtime agreement (awaiting
# verification), the payslips (in progress), the waste oil (closed by Anatolia alone: not verified),
# and the minor finding of Nordic Audit's audit (infra/seed_auditing.py)
OPEN_NCS = 5


def ask_to_verify(finding_id: str, buyer_id: str) -> None:
    """The action awaits verification and the producer has asked `buyer_id`, as the producer's
    request leaves it."""
    from portal.store.models import Finding

    item = Finding.get(*Finding.key("org-anatolia", ANATOLIA_AUDIT, finding_id))
    buyer = Organisation.get(*Organisation.key(buyer_id))
    request = {"buyer_id": buyer_id, "organisation": buyer.name, "by": "test", "at": utcnow().isoformat()}
    item.update(
        actions=[Finding.status.set("awaiting_verification"), Finding.verification_request.set(request)]
    )


def set_link(producer: str, buyer: str, status: str | None, level: str | None = None, sites=None) -> None:
    """Put the link (producer, buyer) in a given state directly, as a finished decision leaves it."""
    from contextlib import suppress

    from pynamodb.exceptions import DoesNotExist

    with suppress(DoesNotExist):
        Link.get(*Link.key(producer, buyer)).delete()  # with its version: the condition holds
    if status is None:
        return
    p = Organisation.get(*Organisation.key(producer))
    b = Organisation.get(*Organisation.key(buyer))
    item = Link(
        *Link.key(producer, buyer),
        producer_id=producer,
        buyer_id=buyer,
        producer_name=p.name,
        producer_country=p.country,
        buyer_name=b.name,
        buyer_country=b.country,
        status=status,
        level=level,
        sites=sites,
        requested_at=utcnow(),
        updated_at=utcnow(),
    )
    item.gsi1pk, item.gsi1sk = Link.by_name(buyer, p.name, producer)
    item.save()


# -- the matrix's link levels, state by state ------------------------------------------------------
RELATIONS = [
    ("no link", None, None, None),
    ("pending", "pending", None, None),
    ("declined", "declined", None, None),
    ("revoked", "revoked", None, None),
    *[(f"active at {level}", "active", level, None) for level in LEVELS],
    ("active at audits, another site only", "active", "audits", ["ZS-4KQ7-TR2"]),
]


def test_every_link_route_answers_exactly_as_far_as_the_link_allows(world):
    """Generated from the matrix: each route with a link level, for a buyer in every relation."""
    nordlys = logged_in(world, NORDLYS)
    concrete = {
        "producer_id": "org-anatolia",
        "site_id": "ZS-4KQ7-TR1",
        "audit_id": ANATOLIA_AUDIT,
        "document_id": ANATOLIA_AUDIT,  # the audit's report
        "finding_id": AWAITING_FINDING,
    }
    bodies = {  # what a route needs besides the link; the rest send no body
        "verification": {"accepted": False, "reason": "Send a photo of the exit at night."},
        "comments": {"text": "Is the exit checked on the night shift too?"},
    }
    wrong = []
    for route, rule in matrix().items():
        if rule.link is None:
            continue
        method, path = route.split(" ", 1)
        body = bodies.get(path.rsplit("/", 1)[-1], {} if method == "POST" else None)
        for name, status, level, sites in RELATIONS:
            set_link("org-anatolia", "org-nordlys", status, level, sites)
            ask_to_verify(AWAITING_FINDING, "org-nordlys")  # a decision sends it back: ask again
            answer = nordlys.call(method, path.format(**concrete), body)
            allowed = (
                status == "active"
                and LEVELS.index(level) >= LEVELS.index(rule.link)
                # a route about one site's data needs that site covered; lists show what is covered
                and (
                    sites is None
                    or "ZS-4KQ7-TR1" in sites
                    or not re.search(r"\{(site|audit|document)_id\}", path)
                )
            )
            if (answer.status in (200, 201)) != allowed or (not allowed and answer.status != 404):
                wrong.append(f"{route} with {name}: {answer.status}")
    assert wrong == []
    set_link("org-anatolia", "org-nordlys", "active", "audits", ["ZS-4KQ7-TR2"])
    assert nordlys.get("/buyer/suppliers/org-anatolia/audits").json()["items"] == []
    assert [s["id"] for s in nordlys.get("/buyer/suppliers/org-anatolia").json()["sites"]] == ["ZS-4KQ7-TR2"]


# -- requests and decisions ------------------------------------------------------------------------
@pytest.mark.parametrize("level", LEVELS)
def test_a_supplier_site_shows_the_saq_status_only_where_the_level_covers_the_saq(world, level):
    """From the matrix: the SAQ's status (submitted, date, versions) is part of the level that
    reads the SAQ; a draft is nobody's business but the producer's until it is submitted."""
    from infra.seed_producers import DEMO_PRODUCERS
    from portal.store.models import Site

    needs = matrix()["GET /buyer/suppliers/{producer_id}/sites/{site_id}/saq"].link
    shows_saq = LEVELS.index(level) >= LEVELS.index(needs)
    set_link("org-anatolia", "org-nordlys", "active", level)
    supplier = logged_in(world, NORDLYS).get("/buyer/suppliers/org-anatolia")
    assert supplier.status == 200
    sites = {site["id"]: site for site in supplier.json()["sites"]}
    assert set(sites) == {s.site_id for s in DEMO_PRODUCERS[0].sites}  # one submitted, one a draft
    for site_id, site in sites.items():
        stored = Site.get(*Site.key("org-anatolia", site_id))
        assert site["risk"]["score"] == stored.risk["scores" if shows_saq else "inherent"]["overall"]
        if not shows_saq:
            assert "saq" not in site, site_id
            continue
        submitted = bool(stored.saq_versions)
        assert site["saq"] == {
            "status": "submitted" if submitted else "none",
            "submitted_at": site["saq"]["submitted_at"] if submitted else None,
            "versions": int(stored.saq_versions),
        }
    if not shows_saq:
        body = supplier.body.decode()
        assert not {"submitted_at", "versions", "completion", "draft"} & set(re.findall(r'"(\w+)"', body))


def test_a_buyer_asks_the_producer_decides_and_a_revocation_holds_from_the_next_request(world):
    per, ayse = logged_in(world, FJELLSPORT), logged_in(world, ANATOLIA)
    [fjellsport] = [
        c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-fjellsport"
    ]
    revoked = ayse.call(
        "PUT", "/producer/customers/org-fjellsport", {"status": "revoked", "version": fjellsport["version"]}
    )
    assert revoked.json()["status"] == "revoked"
    assert per.get("/buyer/suppliers/org-anatolia").status == 404  # the very next request

    asked = per.post("/buyer/links", {"site_id": "ZS-4KQ7-TR2"})
    assert (asked.status, asked.json()["request"]["status"]) == (202, "sent")
    # not a producer, and no such site: the same answer (tests/api/test_tenancy.py compares them)
    assert per.post("/buyer/links", {"organisation_number": "923609016"}).status == 202
    assert per.post("/buyer/links", {"site_id": "ZS-0000-XX1"}).status == 202
    for body in ({}, {"site_id": "ZS-4KQ7-TR2", "organisation_number": "923609016"}):
        neither = per.post("/buyer/links", body, language="en")  # a form error, shown by the field
        assert (neither.status, neither.json()["error"]["fields"]) == (
            422,
            {"site_id": "Give the site's ID or the organisation number – one of them."},
        )

    [pending] = [
        c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-fjellsport"
    ]
    accepted = ayse.call(
        "PUT",
        "/producer/customers/org-fjellsport",
        {"status": "active", "level": "saq", "sites": "all", "version": pending["version"]},
    )
    assert (accepted.status, accepted.json()["level"]) == (200, "saq")
    assert per.get("/buyer/suppliers/org-anatolia/sites/ZS-4KQ7-TR1/saq").status == 200
    assert per.get("/buyer/suppliers/org-anatolia/audits").status == 404

    stale = ayse.call(
        "PUT", "/producer/customers/org-fjellsport", {"status": "revoked", "version": pending["version"]}
    )
    assert (stale.status, stale.json()["error"]["current"]["status"]) == (409, "active")


def test_concurrent_accept_and_revoke_end_in_one_consistent_state(world):
    from portal.policy import Actor
    from portal.usecases import sharing

    ayse = Actor("user-ayse-anatolia", "org-anatolia", "admin", "producer", False, False, "s", "c")
    set_link("org-anatolia", "org-fjellsport", None)
    per = logged_in(world, FJELLSPORT)
    per.post("/buyer/links", {"site_id": "ZS-4KQ7-TR1"})
    version = sharing.link("org-anatolia", "org-fjellsport").version
    start, outcomes = threading.Barrier(2), []

    def decide(status: str, level: str | None) -> None:
        start.wait()
        try:
            sharing.decide(ayse, "org-fjellsport", status, level, None, version)
            outcomes.append(status)
        except Exception as error:
            outcomes.append(getattr(error, "code", repr(error)))

    threads = [threading.Thread(target=decide, args=a) for a in (("active", "audits"), ("declined", None))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["active", "conflict"], ["conflict", "declined"])
    final = sharing.link("org-anatolia", "org-fjellsport")
    winner = next(o for o in outcomes if o != "conflict")
    assert final.status == winner
    assert final.version == version + 1


# -- isolation between buyers ---------------------------------------------------------------------
def test_a_buyer_never_sees_another_buyers_supply_chain(world):
    per = logged_in(world, FJELLSPORT)
    everything = []
    for answer in (
        per.get("/buyer/suppliers"),
        per.get("/buyer/suppliers", query="sort=updated"),
        per.get("/buyer/suppliers/org-anatolia"),
        per.get("/buyer/suppliers/org-dhaka"),  # Nordlys's supplier; Fjellsport was declined
        per.get("/buyer/suppliers/org-mekong"),
        per.post("/buyer/links", {"site_id": "ZS-3T9W-VN1"}),
    ):
        everything.append(answer.body.decode())
    text = "\n".join(everything)
    assert "nordlys" not in text.lower()
    assert "norsk fisk" not in text.lower()
    rows = per.get("/buyer/suppliers").json()["items"]
    # producers that granted access (active, or revoked since), and the buyer's own requests, named
    # by what it typed: Dhaka declined one, Mekong has not answered the one sent above
    assert {s["name"] for s in rows if s["name"]} == {"Anatolia Tekstil A.Ş.", "Frutas del Sur S.A."}
    assert {s["request"] for s in rows if not s["name"]} == {"ZS-8M2P-BD1", "ZS-3T9W-VN1"}


def test_an_access_check_does_the_same_work_whoever_else_is_linked(world):
    per = logged_in(world, FJELLSPORT)
    with dynamodb_calls() as with_others:
        per.get("/buyer/suppliers/org-dhaka")  # declined for Fjellsport, active for Nordlys
    set_link("org-dhaka", "org-nordlys", None)
    with dynamodb_calls() as alone:
        per.get("/buyer/suppliers/org-dhaka")
    assert with_others == alone == ["GetItem", "GetItem"]  # the session, the link (producer, buyer)


def test_the_supplier_list_is_one_query_per_page_however_many_suppliers(world):
    for n in range(40):
        org = f"org-p{n:02d}"
        Organisation(
            *Organisation.key(org), org_id=org, name=f"Produsent {n:02d}", org_type="producer", country="VN"
        ).save()
        set_link(org, "org-nordlys", "active", "profile")
    kari = logged_in(world, NORDLYS)
    with dynamodb_calls() as calls:
        first = kari.get("/buyer/suppliers").json()
    # session, the page, its producers' profiles, the buyer's risk views, the sites behind them
    # (level saq and up), the countries for the filter (first page only)
    assert calls == ["GetItem", "Query", "BatchGetItem", "Query", "BatchGetItem", "Query"]
    assert len(first["items"]) == 25
    with dynamodb_calls() as calls:
        rest = kari.get("/buyer/suppliers", query=f"cursor={first['next_cursor']}").json()
    assert calls == ["GetItem", "Query", "BatchGetItem", "Query"]  # all at level profile: no sites read
    assert [c["code"] for c in first["countries"]] == ["BD", "TR", "VN"]  # Bangladesh, Tyrkia, Vietnam
    assert rest["countries"] is None
    names = [s["name"] or s["request"] for s in first["items"] + rest["items"]]
    assert names == sorted(names, key=str.casefold)
    assert len(names) == 43  # the 40, and the demo world's three (one a request not yet answered)
    stale = {s["name"] or s["request"]: s["profile_stale"] for s in first["items"] + rest["items"]}
    assert stale["Produsent 00"] is True  # never confirmed
    assert stale["Anatolia Tekstil A.Ş."] is False  # confirmed 30 days ago
    assert stale["ZS-3T9W-VN1"] is None  # Mekong's, pending: nothing of the producer is shown
    active_vn = kari.get("/buyer/suppliers", query="country=VN&status=active").json()["items"]
    assert all(s["country"] == "VN" and s["status"] == "active" for s in active_vn)


def test_the_supplier_list_shows_risk_saq_and_open_non_conformities_as_far_as_each_link_allows(world):
    kari, per, ayse = logged_in(world, NORDLYS), logged_in(world, FJELLSPORT), logged_in(world, ANATOLIA)

    def row(person, producer_id):
        [found] = [
            s for s in person.get("/buyer/suppliers").json()["items"] if s["producer_id"] == producer_id
        ]
        return found

    anatolia = row(kari, "org-anatolia")  # level audits, every site
    assert anatolia["risk_band"] == "high"
    assert anatolia["saq"] == {"submitted": 1, "sites": 2}
    assert anatolia["open_ncs"] == OPEN_NCS
    dhaka = row(kari, "org-dhaka")  # level saq: no audits
    assert (dhaka["saq"], dhaka["open_ncs"]) == ({"submitted": 1, "sites": 1}, None)
    assert (row(per, "org-anatolia")["saq"], row(per, "org-anatolia")["open_ncs"]) == (None, None)  # profile

    # the producer cannot close an action itself; once the customer it asks verifies it, the
    # customer's count follows
    findings = ayse.get(f"/producer/audits/{ANATOLIA_AUDIT}").json()["findings"]
    [finding] = [f for f in findings if f["id"] == AWAITING_FINDING]
    path = f"/producer/audits/{ANATOLIA_AUDIT}/findings/{AWAITING_FINDING}"
    closed = ayse.call(
        "PATCH", f"{path}/action", {"status": "closed", "version": finding["action"]["version"]}
    )
    assert (closed.status, closed.json()["error"]["fields"]) == (422, {"status": ANY})
    asked = ayse.post(
        f"{path}/verification-request", {"buyer_id": "org-nordlys", "version": finding["action"]["version"]}
    )
    assert asked.status == 200, asked.body
    verified = kari.post(
        f"/buyer/suppliers/org-anatolia/audits/{ANATOLIA_AUDIT}/findings/{AWAITING_FINDING}/verification",
        {"accepted": True},
    )
    assert verified.status == 200, verified.body
    assert row(kari, "org-anatolia")["open_ncs"] == OPEN_NCS - 1


# -- the producer's view ---------------------------------------------------------------------------
def test_the_access_log_names_an_audit_by_its_type_and_site_not_by_codes(world):
    kari, ayse = logged_in(world, NORDLYS), logged_in(world, ANATOLIA)
    assert kari.get(f"/buyer/suppliers/org-anatolia/audits/{ANATOLIA_AUDIT}").status == 200
    assert kari.get("/buyer/suppliers/org-anatolia/sites/ZS-4KQ7-TR1/saq").status == 200
    log = ayse.get("/producer/access-log", language="en").json()["items"]
    saq, audit = log[0], log[1]
    assert (audit["action"], audit["audit_type"], audit["audit_type_name"]) == (
        "viewed_audit",
        "smeta_4",
        "SMETA 6.1 4-pillar",
    )
    assert audit["site_id"] == "ZS-4KQ7-TR1"
    assert audit["site_name"]
    assert audit["audit_date"]
    assert audit["subject"] is None  # no free text made of codes ("smeta_4 … 2025-…")
    assert (saq["action"], saq["site_id"], saq["subject"]) == ("viewed_saq", "ZS-4KQ7-TR1", None)


def test_the_producer_sees_what_its_customers_looked_at(world):
    kari, ayse = logged_in(world, NORDLYS), logged_in(world, ANATOLIA)
    assert kari.get("/buyer/suppliers/org-anatolia").status == 200
    audit = kari.get(f"/buyer/suppliers/org-anatolia/audits/{ANATOLIA_AUDIT}").json()
    assert (
        kari.post(f"/buyer/suppliers/org-anatolia/documents/{audit['document']['id']}/download").status == 200
    )
    log = ayse.get("/producer/access-log").json()["items"]
    assert [(e["buyer_name"], e["action"]) for e in log[:3]] == [
        ("Nordlys Dagligvare AS", "downloaded"),
        ("Nordlys Dagligvare AS", "viewed_audit"),
        ("Nordlys Dagligvare AS", "viewed_profile"),
    ]


def test_another_producer_cannot_hide_a_suppliers_document_from_its_customers(world):
    """A producer that learns a document id (any buyer with audit access sees them) and registers an
    audit with it as its request id neither takes the id nor hides the owner's document."""
    import uuid

    mekong_audit = DEMO_PRODUCERS[2].audits[0].audit_id  # its report has the audit's id
    set_link("org-mekong", "org-nordlys", "active", "audits")
    kari, lucia = logged_in(world, NORDLYS), logged_in(world, DEMO_USERS[5])  # Frutas del Sur
    created = lucia.post(
        "/producer/audits",
        {
            "request_id": str(uuid.UUID(mekong_audit)),
            "site_id": "ZS-6H1L-PE1",
            "audit_type": "smeta_2",
            "audit_date": "2026-09-15",
            "audit_company": "SGS",
            "reference": "RPT-2026-0915",
            "announcement": "semi_announced",
            "lead_auditor": "Deniz Aksoy",
            "pillars": ["labour", "health_safety"],
            "file_name": "report.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    assert created.status == 201
    assert kari.post(f"/buyer/suppliers/org-mekong/documents/{mekong_audit}/download").status == 200
    assert kari.post(f"/buyer/suppliers/org-andes/documents/{mekong_audit}/download").status == 404
    assert mekong_audit not in (created.json()["audit"]["id"], created.json()["audit"]["document"]["id"])


def test_ieh_staff_do_not_read_producers_documents(world):
    staff = logged_in(world, STAFF)
    assert staff.get("/buyer/suppliers/org-anatolia").status == 404
    assert staff.post(f"/buyer/suppliers/org-anatolia/documents/{ANATOLIA_AUDIT}/download").status == 404
    assert staff.get("/producer/audits").status == 404


@pytest.mark.parametrize("who", [NORDLYS_MEMBER, FJELLSPORT])
def test_a_buyer_cannot_read_the_producers_own_routes(world, who):
    buyer = logged_in(world, who)
    assert buyer.get("/producer/customers").status == 404
    assert buyer.get("/producer/access-log").status == 404
    assert json.loads(buyer.get("/producer/sites").body)["error"]["code"] == "not_found"


def test_a_buyer_invites_a_producer_that_is_not_a_member(world, tmp_path):
    from tests.support import outbox

    kari = logged_in(world, NORDLYS)
    sent = kari.post(
        "/buyer/invitations",
        {
            "email": "export@saigon-garments.example",
            "company_name": "Saigon Garments",
            "message": "Velkommen!",
        },
        language="en",
    )
    assert sent.status == 202
    [mail] = [m for m in outbox(tmp_path) if m["template"] == "producer_invitation"]
    assert mail["to"] == "export@saigon-garments.example"
    assert "Nordlys Dagligvare AS invites Saigon Garments" in mail["subject"]
    assert "http://portal.test/en/membership/" in mail["body"]


def test_a_producer_adds_a_member_buyer_itself(world):
    ayse = logged_in(world, ANATOLIA)
    added = ayse.post(
        "/producer/customers",
        {"organisation_number": "923609016", "level": "profile", "sites": ["ZS-4KQ7-TR2"]},
    )
    assert (added.status, added.json()["status"], added.json()["sites"]) == (201, "active", ["ZS-4KQ7-TR2"])
    foreign = ayse.post(
        "/producer/customers", {"organisation_number": "923609016", "level": "saq", "sites": ["ZS-8M2P-BD1"]}
    )
    assert (foreign.status, set(foreign.json()["error"]["fields"])) == (422, {"sites"})  # not one of my sites
    kari = logged_in(world, NORDLYS)
    assert [s["id"] for s in kari.get("/buyer/suppliers/org-anatolia").json()["sites"]] == ["ZS-4KQ7-TR2"]


# -- naming in the customer's Transparency Act account -----------------------------------------------
def test_a_producer_is_named_in_a_customers_account_only_once_its_admin_allows_it(world):
    from portal.store.models import LinkEvent

    ayse, kari, per = logged_in(world, ANATOLIA), logged_in(world, NORDLYS), logged_in(world, FJELLSPORT)
    mehmet = logged_in(world, DEMO_USERS[6])  # Anatolia's member: decides nothing on its links

    def customer(buyer_id):
        [row] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == buyer_id]
        return row

    # off by default, for the producer and for the buyer alike
    assert customer("org-nordlys")["may_be_named"] is False
    assert kari.get("/buyer/suppliers/org-anatolia").json()["may_be_named"] is False

    nordlys = customer("org-nordlys")
    decision = {"status": "active", "level": nordlys["level"], "sites": nordlys["sites"]}
    refused = mehmet.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {**decision, "may_be_named": True, "version": nordlys["version"]},
    )
    assert refused.status == 404
    assert customer("org-nordlys")["may_be_named"] is False

    allowed = ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {**decision, "may_be_named": True, "version": nordlys["version"]},
    )
    assert (allowed.status, allowed.json()["may_be_named"]) == (200, True)
    assert customer("org-nordlys")["may_be_named"] is True
    assert kari.get("/buyer/suppliers/org-anatolia").json()["may_be_named"] is True
    # another customer of the same producer: its own link only, still off
    assert per.get("/buyer/suppliers/org-anatolia").json()["may_be_named"] is False
    assert customer("org-fjellsport")["may_be_named"] is False
    # the decision log records it, by whom
    events = list(LinkEvent.query("ORG#org-anatolia", LinkEvent.sk.startswith("LINKEVENT#org-nordlys#")))
    assert (events[-1].may_be_named, events[-1].by) == (True, "ayse@anatolia.example")

    # a change of level that says nothing of it keeps it
    kept = ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "profile", "version": allowed.json()["version"]},
    )
    assert kept.json()["may_be_named"] is True
    # only an active customer may be allowed; a revocation withdraws it and a new grant starts off
    wrong = ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "revoked", "may_be_named": True, "version": kept.json()["version"]},
    )
    assert (wrong.status, set(wrong.json()["error"]["fields"])) == (422, {"may_be_named"})
    revoked = ayse.call(
        "PUT", "/producer/customers/org-nordlys", {"status": "revoked", "version": kept.json()["version"]}
    )
    assert revoked.json()["may_be_named"] is False
    regranted = ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "saq", "version": revoked.json()["version"]},
    )
    assert regranted.json()["may_be_named"] is False
    assert kari.get("/buyer/suppliers/org-anatolia").json()["may_be_named"] is False
