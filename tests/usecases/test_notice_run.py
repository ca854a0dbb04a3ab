"""The daily notice run: corrective actions that became overdue and profiles that went out of date
since the last run are told once to the people they concern, and each person's waiting notices go
out as one digest a day, grouped by kind."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from portal.clock import utcnow
from portal.store import accounts as account_store
from portal.store.models import Organisation, QueuedNotice, Site
from portal.usecases import notice_run, notifications, sharing, supply
from tests.usecases.world import SITE_FIELDS, Member, member


def sent(template: str | None = None) -> list[dict]:
    folder = Path(__import__("os").environ["OUTBOX_DIR"])
    found = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []
    return [m for m in found if template is None or m["template"] == template]


def email_of(who: Member) -> str:
    user = account_store.user_by_id(who.actor.user_id)
    assert user is not None
    return user.email


def audit_with_actions(producer: Member, site_id: str) -> tuple[str, str, str]:
    """An audit 31 days ago: a critical finding due yesterday (overdue since today) and a major one
    whose due date is moved to 20 days ago (overdue long before this run)."""
    view, _ = supply.create_audit(
        producer.actor,
        "5f0c7d4e-8a0b-4a7e-9c55-3d2f1e6b7a90",
        {
            "site_id": site_id,
            "audit_type": "smeta_4",
            "audit_date": date.today() - timedelta(days=31),
            "audit_company": "Intertek",
            "pillars": ["labour"],
            "file_name": "smeta.pdf",
            "content_type": "application/pdf",
            "size_bytes": 1000,
        },
    )
    audit_id = view.audit.audit_id
    fresh = supply.add_finding(
        producer.actor,
        audit_id,
        {
            "grade": "critical",
            "clause": "smeta_1",
            "description": "Exits locked.",
            "action": "Unlock the exits",
        },
    )
    old = supply.add_finding(
        producer.actor, audit_id, {"grade": "major", "clause": "smeta_6", "description": "Overtime."}
    )
    supply.change_action(
        producer.actor, audit_id, old.finding_id, {"due_date": date.today() - timedelta(days=20)}, old.version
    )
    return audit_id, fresh.finding_id, old.finding_id


@pytest.fixture
def world(producer: Member, buyer: Member):
    site = supply.create_site(producer.actor, SITE_FIELDS)
    onlooker = member("buyer", "Fjellsport Norge AS")
    sharing.add_customer(producer.actor, buyer.organisation_number, "audits", None)
    sharing.add_customer(producer.actor, onlooker.organisation_number, "saq", None)  # no audits
    audit_id, fresh, old = audit_with_actions(producer, site.site_id)
    return {"site": site, "onlooker": onlooker, "audit_id": audit_id, "fresh": fresh, "old": old}


def test_an_action_that_became_overdue_is_told_once_to_the_producer_and_buyers_who_see_audits(
    producer: Member, buyer: Member, world
):
    done = notice_run.run()
    assert (done.overdue_told, done.sweep_complete) == (2, True)  # the producer's admin, the buyer's admin
    [own] = [m for m in sent("digest") if m["to"] == email_of(producer)]
    assert own["subject"] == "1 nytt varsel fra Etisk handel Norge"
    assert "Korrigerende tiltak som har passert fristen" in own["body"]
    due = date.today() - timedelta(days=1)
    assert f"- Denizli weaving: Unlock the exits (frist {due.day}.{due.month}.{due.year})" in own["body"]
    assert f"http://portal.test/members/audit/?id={world['audit_id']}" in own["body"]
    assert "http://portal.test/members/account/#notifications" in own["body"]
    assert "Overtime" not in own["body"]  # overdue before the run: not news
    [theirs] = [m for m in sent("digest") if m["to"] == email_of(buyer)]
    assert "- Anatolia Tekstil A.Ş., Denizli weaving: Unlock the exits" in theirs["body"]
    assert f"http://portal.test/members/supplier/?id={producer.org_id}" in theirs["body"]
    assert [m for m in sent() if m["to"] == email_of(world["onlooker"])] == [
        m for m in sent("notice.access_decision") if m["to"] == email_of(world["onlooker"])
    ]  # its link shows no audits: only told of the access it got

    before = len(sent())
    again = notice_run.run()  # run twice the same day (or by two schedulers at once)
    assert (again.overdue_told, again.digests_sent, len(sent())) == (0, 0, before)
    tomorrow = notice_run.run(utcnow() + timedelta(days=1))
    assert (tomorrow.overdue_told, tomorrow.digests_sent, len(sent())) == (0, 0, before)


def test_a_person_who_chose_at_once_gets_the_overdue_action_in_their_language(producer: Member, world):
    notifications.save_preferences(producer.actor, {"action_overdue": "instant"}, "en")
    notice_run.run()
    [mail] = [m for m in sent("notice.action_overdue") if m["to"] == email_of(producer)]
    due = date.today() - timedelta(days=1)
    assert mail["subject"] == "Corrective action past its due date: Denizli weaving"
    assert f"was due by {due.day} {due.strftime('%B')} {due.year} and is not done" in mail["body"]
    assert "The action: Unlock the exits" in mail["body"]
    assert "http://portal.test/en/members/account/#notifications" in mail["body"]
    assert [m for m in sent("digest") if m["to"] == email_of(producer)] == []


def test_profiles_that_went_out_of_date_since_the_last_run_are_told_to_the_producers_admins(
    producer: Member, buyer: Member
):
    now = utcnow()
    lately = supply.create_site(producer.actor, {**SITE_FIELDS, "name": "Izmir dyeing"})
    long_ago = supply.create_site(producer.actor, {**SITE_FIELDS, "name": "Bursa sewing"})
    fresh = supply.create_site(producer.actor, {**SITE_FIELDS, "name": "Denizli weaving"})
    for site, days in ((lately, 365.5), (long_ago, 400), (fresh, 10)):
        Site(*Site.key(producer.org_id, site.site_id)).update(
            actions=[Site.confirmed_at.set(now - timedelta(days=days))]
        )
    Organisation(*Organisation.key(producer.org_id)).update(
        actions=[Organisation.confirmed_at.set(now - timedelta(days=365, hours=2))],
        add_version_condition=False,
    )
    buyer_profile = Organisation(*Organisation.key(buyer.org_id))  # a buyer keeps no producer profile
    buyer_profile.update(
        actions=[Organisation.confirmed_at.set(now - timedelta(days=366))], add_version_condition=False
    )

    done = notice_run.run(now)
    assert done.stale_told == 2
    [digest] = sent("digest")
    assert digest["to"] == email_of(producer)
    assert "Profiler som er utdatert" in digest["body"]
    assert "- Produksjonsstedet Izmir dyeing er ikke bekreftet det siste året" in digest["body"]
    assert f"http://portal.test/members/site/?id={lately.site_id}" in digest["body"]
    assert "- Firmaprofilen til Anatolia Tekstil A.Ş. er ikke bekreftet det siste året" in digest["body"]
    assert "Bursa sewing" not in digest["body"]
    assert "Denizli weaving" not in digest["body"]
    assert notice_run.run(now + timedelta(hours=1)).stale_told == 0

    # a month later the fresh site has not gone out of date; 356 days later it has: news again
    assert notice_run.run(now + timedelta(days=30)).stale_told == 0
    later = notice_run.run(now + timedelta(days=356))
    assert later.stale_told == 1


def test_a_sweep_in_bounded_pages_goes_on_where_it_stopped_and_tells_nobody_twice(
    producer: Member, buyer: Member, world, monkeypatch
):
    monkeypatch.setattr(notice_run, "PAGE_SIZE", 3)
    now = utcnow()
    runs, told = 0, 0
    while True:
        done = notice_run.run(now + timedelta(minutes=runs), pages=1)
        runs, told = runs + 1, told + done.overdue_told
        if done.sweep_complete:
            break
    assert runs > 3  # it took several runs
    assert told == 2
    assert notice_run.run(now + timedelta(minutes=runs)).overdue_told == 0  # the next sweep: no news


def test_a_digest_groups_the_waiting_notices_and_is_sent_once_a_day(producer: Member):
    user = account_store.user_by_id(producer.actor.user_id)
    assert user is not None
    for buyer_name in ("Nordlys Dagligvare AS", "Fjellsport Norge AS"):
        notifications.notify(
            user, "profile_stale", {"what": "company", "name": "Anatolia", "path": "/members/producer/"}
        )
        notifications.save_preferences(producer.actor, {"access_request": "digest"}, "nb")
        user = account_store.user_by_id(producer.actor.user_id)
        assert user is not None
        notifications.notify(
            user,
            "access_request",
            {"buyer": buyer_name, "producer": "Anatolia", "path": "/members/customers/"},
        )
    now = utcnow()
    assert notice_run.run(now).digests_sent == 1
    [digest] = sent("digest")
    assert digest["subject"] == "4 nye varsler fra Etisk handel Norge"
    body = digest["body"]
    assert body.index("Forespørsler om tilgang") < body.index("Nordlys Dagligvare AS ber om tilgang")
    assert body.index("Fjellsport Norge AS ber om tilgang") < body.index("Profiler som er utdatert")
    assert body.count("Firmaprofilen til Anatolia") == 2
    assert list(QueuedNotice.query(QueuedNotice.of_user(producer.actor.user_id))) == []  # cleared

    notifications.notify(
        user, "access_request", {"buyer": "Bergen kommune", "producer": "Anatolia", "path": "/"}
    )
    assert notice_run.run(now + timedelta(hours=2)).digests_sent == 0  # one a day: this waits
    assert notice_run.run(now + timedelta(days=1)).digests_sent == 1
    assert "Bergen kommune" in sent("digest")[-1]["body"]


def test_notices_turned_off_since_they_were_kept_are_not_sent(producer: Member):
    user = account_store.user_by_id(producer.actor.user_id)
    assert user is not None
    notifications.notify(
        user, "profile_stale", {"what": "company", "name": "Anatolia", "path": "/members/producer/"}
    )
    notifications.save_preferences(producer.actor, {"profile_stale": "off"}, "nb")
    assert notice_run.run().digests_sent == 0
    assert sent("digest") == []
    assert list(QueuedNotice.query(QueuedNotice.of_user(producer.actor.user_id))) == []
