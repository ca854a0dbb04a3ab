"""E-mail notices by each person's choice, from the outside: the choices on the account page's API,
and what the events that exist today (access asked for, granted, changed, revoked; a new membership
application) send at once, keep for the daily digest, or leave unsent."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from infra.seed import DEMO_USERS
from infra.seed_producers import DEMO_PRODUCERS
from portal.store.accounts import user_by_email
from portal.store.models import QueuedNotice
from tests.support import Api, dynamodb_calls, logged_in, outbox

STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA, FJELLSPORT, FRUTAS, MEHMET = DEMO_USERS[:7]
ANATOLIA_AUDIT = DEMO_PRODUCERS[0].audits[0].audit_id


def choices(person: Api, **kwargs) -> dict[str, str]:
    answer = person.get("/account/notifications", **kwargs)
    assert answer.status == 200, answer.body
    return {item["kind"]: item["choice"] for item in answer.json()["items"]}


def choose(person: Api, language: str = "nb", **chosen: str):
    return person.call("PUT", "/account/notifications", {"language": language, "choices": chosen})


def waiting(email: str) -> list[QueuedNotice]:
    user = user_by_email(email)
    assert user is not None
    return list(QueuedNotice.query(QueuedNotice.of_user(user.user_id)))


def mails(tmp_path, to: str, template: str) -> list[dict]:
    return [m for m in outbox(tmp_path) if m["to"] == to and m["template"] == template]


# -- choices ---------------------------------------------------------------------------------------
def test_each_person_sees_only_the_kinds_that_can_reach_them_with_sensible_defaults(world):
    assert choices(logged_in(world, ANATOLIA)) == {
        "access_request": "instant",
        "verification_decision": "instant",
        "action_overdue": "digest",
        "profile_stale": "digest",
        "course_change": "instant",
    }
    assert choices(logged_in(world, MEHMET)) == {"course_change": "instant"}  # a producer's member
    assert choices(logged_in(world, NORDLYS)) == {
        "access_decision": "instant",
        "verification_request": "instant",
        "action_overdue": "digest",
        "course_change": "instant",
    }
    assert choices(logged_in(world, NORDLYS_MEMBER)) == {
        "access_decision": "instant",
        "course_change": "instant",
    }
    assert choices(logged_in(world, STAFF)) == {"new_application": "digest"}
    assert world.get("/account/notifications").status == 401


def test_a_person_changes_their_choices_and_the_language_of_their_e_mail(world):
    ayse = logged_in(world, ANATOLIA)
    assert ayse.get("/account/notifications", language="en").json()["language"] == "en"  # until chosen
    saved = choose(ayse, "en", access_request="digest", profile_stale="off")
    assert saved.status == 200, saved.body
    assert saved.json()["language"] == "en"
    again = logged_in(world, ANATOLIA)
    assert choices(again) == {
        "access_request": "digest",
        "verification_decision": "instant",
        "action_overdue": "digest",
        "profile_stale": "off",
        "course_change": "instant",
    }
    assert again.get("/account/notifications").json()["language"] == "en"  # chosen: whatever the page


def test_choices_are_checked_at_the_edge_and_against_the_persons_role(world):
    ola = logged_in(world, NORDLYS_MEMBER)
    assert choose(ola, access_decision="sometimes").status == 422
    assert choose(ola, no_such_kind="off").status == 422
    assert choose(ola, "de", access_decision="off").status == 422
    not_mine = choose(ola, access_request="off", language="en")  # for a producer's admins
    assert (not_mine.status, set(not_mine.json()["error"]["fields"])) == (422, {"access_request"})
    assert choices(ola)["access_decision"] == "instant"  # nothing was saved


# -- access asked for and decided ------------------------------------------------------------------
def test_a_request_tells_the_producers_admins_at_once_and_the_answer_tells_the_buyer_who_asked(
    world, tmp_path
):
    ayse, ola = logged_in(world, ANATOLIA), logged_in(world, NORDLYS_MEMBER)
    [nordlys] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"]
    revoked = ayse.call(
        "PUT", "/producer/customers/org-nordlys", {"status": "revoked", "version": nordlys["version"]}
    )
    assert revoked.status == 200
    # Nordlys had its access without anyone asking in the portal: its admin is told
    [gone] = mails(tmp_path, NORDLYS.email, "notice.access_decision")
    assert gone["subject"] == "Anatolia Tekstil A.Ş. har trukket tilbake tilgangen din"
    assert "http://portal.test/members/account/#notifications" in gone["body"]

    assert ola.post("/buyer/links", {"site_id": "ZS-4KQ7-TR1"}).status == 202
    [asked] = mails(tmp_path, ANATOLIA.email, "notice.access_request")
    assert asked["subject"] == "Nordlys Dagligvare AS ber om tilgang til dataene til Anatolia Tekstil A.Ş."
    assert "http://portal.test/members/customers/" in asked["body"]
    assert "http://portal.test/members/account/#notifications" in asked["body"]
    assert mails(tmp_path, MEHMET.email, "notice.access_request") == []  # a member does not decide

    [pending] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"]
    granted = ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "saq", "sites": "all", "version": pending["version"]},
    )
    assert granted.status == 200
    [told] = mails(tmp_path, NORDLYS_MEMBER.email, "notice.access_decision")  # Ola asked, Ola is told
    assert told["subject"] == "Anatolia Tekstil A.Ş. har gitt deg tilgang"
    assert "Tilgangsnivået er: Profil og egenvurdering." in told["body"]
    assert "http://portal.test/members/supplier/?id=org-anatolia" in told["body"]
    assert len(mails(tmp_path, NORDLYS.email, "notice.access_decision")) == 1  # only the revocation


def test_a_decline_is_not_told_to_the_buyer(world, tmp_path):
    ayse, per = logged_in(world, ANATOLIA), logged_in(world, FJELLSPORT)
    [fjellsport] = [
        c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-fjellsport"
    ]
    ayse.call(
        "PUT", "/producer/customers/org-fjellsport", {"status": "revoked", "version": fjellsport["version"]}
    )
    assert per.post("/buyer/links", {"site_id": "ZS-4KQ7-TR2"}).status == 202
    [pending] = [
        c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-fjellsport"
    ]
    before = len(mails(tmp_path, FJELLSPORT.email, "notice.access_decision"))  # the revocation
    declined = ayse.call(
        "PUT", "/producer/customers/org-fjellsport", {"status": "declined", "version": pending["version"]}
    )
    assert declined.status == 200
    assert len(mails(tmp_path, FJELLSPORT.email, "notice.access_decision")) == before
    assert waiting(FJELLSPORT.email) == []


def test_a_notice_is_sent_in_the_persons_language_kept_for_the_digest_or_not_sent(world, tmp_path):
    ayse, ola = logged_in(world, ANATOLIA), logged_in(world, NORDLYS_MEMBER)
    assert choose(ola, "en", access_decision="digest").status == 200
    assert choose(ayse, "en", access_request="off").status == 200
    [nordlys] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"]
    ayse.call("PUT", "/producer/customers/org-nordlys", {"status": "revoked", "version": nordlys["version"]})
    assert ola.post("/buyer/links", {"site_id": "ZS-4KQ7-TR1"}).status == 202
    assert mails(tmp_path, ANATOLIA.email, "notice.access_request") == []  # off
    [pending] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"]
    ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "audits", "sites": "all", "version": pending["version"]},
    )
    assert mails(tmp_path, NORDLYS_MEMBER.email, "notice.access_decision") == []
    [queued] = waiting(NORDLYS_MEMBER.email)
    assert (queued.notice_kind, queued.params["outcome"], queued.params["level"]) == (
        "access_decision",
        "granted",
        "audits",
    )

    assert choose(ola, "en", access_decision="instant").status == 200
    [current] = [c for c in ayse.get("/producer/customers").json()["items"] if c["buyer_id"] == "org-nordlys"]
    ayse.call(
        "PUT",
        "/producer/customers/org-nordlys",
        {"status": "active", "level": "profile", "sites": "all", "version": current["version"]},
    )
    [changed] = mails(tmp_path, NORDLYS_MEMBER.email, "notice.access_decision")
    assert changed["subject"] == "Anatolia Tekstil A.Ş. has changed your access"
    assert "The access level is now: Profile only." in changed["body"]
    assert "http://portal.test/en/members/account/#notifications" in changed["body"]


def test_a_producer_that_adds_a_customer_itself_tells_the_buyers_admins(world, tmp_path):
    ayse = logged_in(world, ANATOLIA)
    added = ayse.post(
        "/producer/customers", {"organisation_number": "923609016", "level": "profile", "sites": "all"}
    )
    assert added.status == 201, added.body
    buyer = added.json()
    admins = [m["to"] for m in outbox(tmp_path) if m["template"] == "notice.access_decision"]
    assert admins
    assert {user_by_email(a).org_id for a in admins} == {buyer["buyer_id"]}  # type: ignore[union-attr]


# -- a new membership application ------------------------------------------------------------------
def application(number: str = "987654325") -> dict:
    return {
        "submission_id": str(uuid.uuid4()),
        "organisation_name": "Fjordkaffe AS",
        "organisation_number": number,
        "category": "company",
        "annual_turnover_nok": 20_000_000,
        "contact_name": "Solveig Strand",
        "email": "solveig@fjordkaffe.example",
        "consent": True,
    }


def test_ieh_staff_get_new_applications_in_their_digest_or_at_once_and_once_only(world, tmp_path):
    form = application()
    assert world.post("/membership-applications", form).status == 201
    assert world.post("/membership-applications", form).status == 200  # the same one, retried
    [queued] = waiting(STAFF.email)
    assert queued.params == {
        "organisation": "Fjordkaffe AS",
        "contact": "Solveig Strand",
        "path": "/members/admin/",
    }
    assert mails(tmp_path, STAFF.email, "notice.new_application") == []

    assert choose(logged_in(world, STAFF), new_application="instant").status == 200
    assert world.post("/membership-applications", application("923609016")).status == 201
    [sent] = mails(tmp_path, STAFF.email, "notice.new_application")
    assert sent["subject"] == "Ny søknad om medlemskap: Fjordkaffe AS"
    assert "http://portal.test/members/admin/" in sent["body"]
    assert "http://portal.test/members/account/#notifications" in sent["body"]


# -- budgets ---------------------------------------------------------------------------------------
def test_the_settings_cost_one_read_and_one_write_after_the_session(world):
    ola = logged_in(world, NORDLYS_MEMBER)
    with dynamodb_calls() as read:
        assert ola.get("/account/notifications").status == 200
    with dynamodb_calls() as saved:
        assert choose(ola, access_decision="digest").status == 200
    assert (read, saved) == (["GetItem", "GetItem"], ["GetItem", "GetItem", "UpdateItem"])


class LambdaContext:
    function_name = "NoticeRunFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:eu-north-1:000000000000:function:NoticeRunFunction"
    aws_request_id = "test"


def test_the_daily_run_on_the_demo_world_reads_it_in_bounded_scan_pages_and_is_idempotent(world, tmp_path):
    from portal.entrypoints.notice_run import handler
    from portal.store.models import Finding, NoticeSweep

    first = handler({}, LambdaContext())  # the first run ever: news is what became due since yesterday
    assert (first["sweep_complete"], first["overdue_told"], first["stale_told"]) == (True, 0, 0)
    # Anatolia's payslip action (in progress) is 10 days late, and the last sweep was over a year
    # ago: every overdue action and stale profile is news
    late = Finding.get(*Finding.key("org-anatolia", ANATOLIA_AUDIT, f"{ANATOLIA_AUDIT[-4:]}f2"))
    assert late.status == "in_progress"
    late.update(actions=[Finding.due_date.set((date.today() - timedelta(days=10)).isoformat())])
    state = NoticeSweep.get(*NoticeSweep.key())
    state.update(
        actions=[NoticeSweep.previous_started_at.set(state.previous_started_at - timedelta(days=400))]
    )
    with dynamodb_calls() as calls:
        done = handler({}, LambdaContext())
    assert (done["overdue_told"], done["stale_told"]) == (2, 1)  # Ayşe and Kari; Anatolia's stale site
    assert calls.count("Scan") == 1  # the demo world is one page
    digests = [m for m in outbox(tmp_path) if m["template"] == "digest"]
    assert done["digests_sent"] == len(digests)
    kari = next(m for m in digests if m["to"] == NORDLYS.email)  # sees Anatolia's audits
    assert "Korrigerende tiltak som har passert fristen" in kari["body"]
    assert "Anatolia Tekstil A.Ş." in kari["body"]
    assert not [m for m in digests if m["to"] == FJELLSPORT.email]  # sees Anatolia at profile level only
    ayse = next(m for m in digests if m["to"] == ANATOLIA.email)
    assert "Korrigerende tiltak som har passert fristen" in ayse["body"]
    assert "Oppdatere malen for lønnsslipp." in ayse["body"]
    assert not [m for m in digests if m["to"] == MEHMET.email]  # a member, not an admin

    state = NoticeSweep.get(*NoticeSweep.key())
    state.update(
        actions=[NoticeSweep.previous_started_at.set(state.previous_started_at - timedelta(days=400))]
    )
    again = handler({}, LambdaContext())  # the same news again: told already
    assert (again["overdue_told"], again["stale_told"], again["digests_sent"]) == (0, 0, 0)


def test_the_notice_of_a_seat_that_came_free_links_to_the_settings_and_resets_do_not(world, tmp_path):
    from tests.api.test_members import publish

    course_id = publish(world, capacity=1)
    ola, kari = logged_in(world, NORDLYS_MEMBER), logged_in(world, NORDLYS)
    assert ola.post(f"/courses/{course_id}/registration").status == 201
    assert kari.post(f"/courses/{course_id}/registration").status == 201  # waiting
    assert ola.call("DELETE", f"/courses/{course_id}/registration").status == 204
    [seat] = mails(tmp_path, NORDLYS.email, "course_promoted")
    assert seat["body"].endswith("http://portal.test/members/account/#notifications")
    assert world.post("/auth/password-reset", {"email": NORDLYS.email}).status == 202
    [reset] = mails(tmp_path, NORDLYS.email, "password_reset")  # mandatory, as it was
    assert "#notifications" not in reset["body"]
