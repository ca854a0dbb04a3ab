"""The members area from the outside: courses, members-only documents, the organisation page."""

from __future__ import annotations

import threading
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest

from infra.seed import DEMO_USERS
from portal.clock import utcnow
from portal.errors import PortalError
from portal.store import accounts, courses
from portal.store.models import Course, User, new
from tests.support import Api, browser, dynamodb_calls, logged_in, outbox

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]


def publish(world: Api, capacity: int, *, days: int = 10, title: str = "Åpenhetsloven i praksis") -> str:
    staff = logged_in(world, STAFF)
    answer = staff.post(
        "/admin/courses",
        {
            "title_nb": title,
            "title_en": "The Transparency Act in practice",
            "description_nb": "Hva loven krever.",
            "description_en": "What the act requires.",
            "starts_at": (utcnow() + timedelta(days=days)).isoformat(),
            "location": "Oslo",
            "capacity": capacity,
        },
    )
    assert answer.status == 201, answer.body
    return answer.json()["id"]


def listed(person: Api, course_id: str) -> dict:
    [course] = [c for c in person.get("/courses").json()["items"] if c["id"] == course_id]
    return course


# -- members-only documents ------------------------------------------------------------------------
def test_members_download_documents_through_short_lived_links(world):
    assert world.get("/resources").status == 401
    member = logged_in(world, BUYER_MEMBER)
    items = member.get("/resources", language="en").json()["items"]
    assert {i["title"] for i in items} == {
        "Guide: getting started with the portal",
        "Template: checklist before the self-assessment",
    }
    link = member.post(f"/resources/{items[0]['id']}/download")
    assert link.status == 200
    assert link.header("cache-control") == "no-store"
    url = link.json()["url"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert query["X-Amz-Expires"] == ["60"]
    with urllib.request.urlopen(url) as response:  # noqa: S310 - the local S3
        assert response.read(5) == b"%PDF-"
        assert "attachment" in response.headers["content-disposition"]
    assert member.post("/resources/no-such-document/download").status == 404


# -- courses and seminars --------------------------------------------------------------------------
def test_a_full_course_has_a_waiting_list_and_a_cancelled_seat_goes_to_the_first_in_line(world, tmp_path):
    course_id = publish(world, capacity=1)
    ola, kari, ayse = (logged_in(world, u) for u in (BUYER_MEMBER, BUYER_ADMIN, PRODUCER_ADMIN))

    first = ola.post(f"/courses/{course_id}/registration")
    assert (first.status, first.json()["status"]) == (201, "registered")
    second = kari.post(f"/courses/{course_id}/registration")
    assert (second.status, second.json()) == (
        201,
        {"course_id": course_id, "status": "waiting", "position": 1},
    )
    third = ayse.post(f"/courses/{course_id}/registration", language="en")
    assert third.json()["position"] == 2

    seen = listed(kari, course_id)
    assert (seen["seats_taken"], seen["waiting"], seen["my_status"], seen["my_position"]) == (
        1,
        2,
        "waiting",
        1,
    )

    assert ola.call("DELETE", f"/courses/{course_id}/registration").status == 204
    assert listed(ola, course_id)["my_status"] is None
    assert listed(kari, course_id)["my_status"] == "registered"
    assert (listed(ayse, course_id)["my_status"], listed(ayse, course_id)["my_position"]) == ("waiting", 1)
    [mail] = [m for m in outbox(tmp_path) if m["template"] == "course_promoted"]
    assert mail["to"] == BUYER_ADMIN.email
    assert "Åpenhetsloven i praksis" in mail["subject"]  # in the language she signed up in

    assert ayse.call("DELETE", f"/courses/{course_id}/registration").status == 204
    seen = listed(kari, course_id)
    assert (seen["seats_taken"], seen["waiting"]) == (1, 0)
    assert ayse.call("DELETE", f"/courses/{course_id}/registration").status == 404


def test_registering_twice_keeps_one_seat(world):
    course_id = publish(world, capacity=5)
    ola = logged_in(world, BUYER_MEMBER)
    assert ola.post(f"/courses/{course_id}/registration").status == 201
    again = ola.post(f"/courses/{course_id}/registration")
    assert (again.status, again.json()["status"]) == (200, "registered")
    assert listed(ola, course_id)["seats_taken"] == 1


def test_simultaneous_registrations_never_overbook(world):
    course_id = publish(world, capacity=3)
    people = []
    for n in range(10):
        user = new(User, User.key(f"u{n}"), user_id=f"u{n}", email=f"p{n}@rush.example", org_id="org-nordlys")
        accounts.create_user(user)
        people.append(user)
    start = threading.Barrier(len(people))
    outcomes: list[str] = []

    def rush(user: User) -> None:
        start.wait()
        outcomes.append(courses.register(course_id, user, "nb").entry.status)

    threads = [threading.Thread(target=rush, args=(u,)) for u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["registered"] * 3 + ["waiting"] * 7
    course = courses.course(course_id)
    assert (course.seats_taken, course.waiting) == (3, 7)
    registered = [r for r in courses.participants(course_id) if r.status == "registered"]
    assert len(registered) == 3


def test_a_started_course_takes_no_registrations(world):
    ola = accounts.user_by_email(BUYER_MEMBER.email)
    starts = utcnow() + timedelta(hours=1)
    course = new(
        Course,
        Course.key("soon"),
        course_id="soon",
        title_nb="Snart",
        title_en="Soon",
        description_nb="-",
        description_en="-",
        starts_at=starts,
        location="Oslo",
        capacity=10,
    )
    courses.publish(course)
    with pytest.raises(PortalError) as refused:
        courses.register("soon", ola, "nb", now=starts + timedelta(minutes=1))
    assert refused.value.code == "course_closed"


def test_the_course_list_costs_two_queries_after_the_session(world):
    publish(world, capacity=2)
    ola = logged_in(world, BUYER_MEMBER)
    with dynamodb_calls() as calls:
        assert ola.get("/courses").status == 200
    assert calls == ["GetItem", "Query", "Query"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_at": "2020-01-01T10:00:00+00:00"}, "starts_at", "Choose a time in the future."),
        ({"starts_at": "2099-01-01T10:00:00"}, "starts_at", "Give the time with its time zone."),
        ({"capacity": 0}, "capacity", "The number must be at least 1."),
        ({"title_nb": ""}, "title_nb", "Enter at least 1 characters."),
    ],
)
def test_staff_get_field_messages_for_a_bad_course(world, change, field, message):
    staff = logged_in(world, STAFF)
    course = {
        "title_nb": "Kurs",
        "title_en": "Course",
        "description_nb": "Om kurset.",
        "description_en": "About the course.",
        "starts_at": "2099-01-01T10:00:00+01:00",
        "location": "Oslo",
        "capacity": 10,
        **change,
    }
    answer = staff.post("/admin/courses", course, language="en")
    assert answer.status == 422
    assert answer.json()["error"]["fields"][field] == message


def test_staff_see_who_is_registered_and_who_waits_in_order(world):
    course_id = publish(world, capacity=1)
    for who in (BUYER_ADMIN, PRODUCER_ADMIN, BUYER_MEMBER):
        logged_in(world, who).post(f"/courses/{course_id}/registration")
    staff = logged_in(world, STAFF)
    items = staff.get(f"/admin/courses/{course_id}/registrations").json()["items"]
    assert [(i["email"], i["status"]) for i in items] == [
        (BUYER_ADMIN.email, "registered"),
        (PRODUCER_ADMIN.email, "waiting"),
        (BUYER_MEMBER.email, "waiting"),
    ]
    assert logged_in(world, BUYER_ADMIN).get(f"/admin/courses/{course_id}/registrations").status == 404


# -- the organisation page -------------------------------------------------------------------------
def test_an_org_admin_invites_a_colleague_who_joins(world, tmp_path):
    kari = logged_in(world, BUYER_ADMIN)
    invited = kari.post(
        "/org/invitations", {"name": "Per Nordlys", "email": "per@nordlys.example", "role": "member"}
    )
    assert (invited.status, invited.json()["status"]) == (201, "invited")
    [mail] = [m for m in outbox(tmp_path) if m["to"] == "per@nordlys.example"]
    assert BUYER_ADMIN.email in mail["body"]
    assert "Nordlys Dagligvare AS" in mail["body"]
    token = mail["body"].split("#token=")[1].split()[0]
    per = browser(world)
    joined = per.post(
        "/auth/invitations/accept", {"token": token, "name": "Per Nordlys", "password": "nordlys per kaffe"}
    )
    assert joined.status == 200
    users = {u["email"]: u for u in kari.get("/org/users").json()["items"]}
    assert users["per@nordlys.example"]["status"] == "active"
    assert set(users) == {BUYER_ADMIN.email, BUYER_MEMBER.email, "per@nordlys.example"}


def shape(answer) -> tuple[int, dict]:
    """What an inviter sees of an invitation, with the parts that are its own (id, address) blanked."""
    body = dict(answer.json())
    body.pop("user_id")
    body.pop("email")
    return answer.status, body


def test_an_invitation_does_not_tell_whether_the_address_has_a_user(world, tmp_path):
    kari = logged_in(world, BUYER_ADMIN)
    free = kari.post("/org/invitations", {"name": "Ayşe", "email": "nobody@anatolia.example"}, language="en")
    taken = kari.post("/org/invitations", {"name": "Ayşe", "email": PRODUCER_ADMIN.email}, language="en")
    invited = {"name": "Ayşe", "role": "member", "status": "invited", "handles_information_requests": False}
    assert shape(taken) == shape(free) == (201, invited)
    listed = {u["email"]: u["status"] for u in kari.get("/org/users").json()["items"]}
    assert listed["nobody@anatolia.example"] == listed[PRODUCER_ADMIN.email] == "invited"
    resent = [kari.post(f"/org/users/{a.json()['user_id']}/invitation") for a in (free, taken)]
    assert shape(resent[0]) == shape(resent[1]) == (200, shape(free)[1])
    logged = [e for e in kari.get("/org/security-events").json()["items"] if e["kind"] == "user_invited"]
    assert {e["subject"] for e in logged} == {"nobody@anatolia.example", PRODUCER_ADMIN.email}
    assert sorted(e["detail"] or "" for e in logged) == ["", "", "again", "again"]

    # the owner of the address is told, and nothing in the mail lets anyone join or take over
    mails = [m for m in outbox(tmp_path) if m["to"] == PRODUCER_ADMIN.email]
    assert len(mails) == 2
    assert "#token=" not in mails[0]["body"]
    assert "Nordlys Dagligvare AS" in mails[0]["body"]
    assert BUYER_ADMIN.email in mails[0]["body"]
    assert "already" in mails[0]["body"]
    # Ayşe stays where she was, with her password
    assert accounts.user_by_email(PRODUCER_ADMIN.email).org_id == "org-anatolia"
    assert browser(world).login(PRODUCER_ADMIN.email, PRODUCER_ADMIN.password).status == 200


def test_a_colleague_already_in_the_organisation_is_named_as_such(world):
    """The inviter's own list shows them already, so saying so tells nothing new."""
    kari = logged_in(world, BUYER_ADMIN)
    again = kari.post("/org/invitations", {"name": "Ola", "email": BUYER_MEMBER.email.upper()}, language="en")
    assert (again.status, again.json()["error"]["code"]) == (409, "already_colleague")
    assert again.json()["error"]["fields"]["email"] == "This person is already a user in your organisation."


def test_disabling_a_colleague_ends_their_sessions_at_once(world):
    ola = logged_in(world, BUYER_MEMBER)
    kari = logged_in(world, BUYER_ADMIN)
    ola_id = accounts.user_by_email(BUYER_MEMBER.email).user_id
    answer = kari.call("PATCH", f"/org/users/{ola_id}", {"disabled": True})
    assert (answer.status, answer.json()["status"]) == (200, "disabled")
    assert ola.get("/me").status == 401
    assert browser(world).login(BUYER_MEMBER.email, BUYER_MEMBER.password).status == 401

    assert kari.call("PATCH", f"/org/users/{ola_id}", {"disabled": False}).json()["status"] == "active"
    assert browser(world).login(BUYER_MEMBER.email, BUYER_MEMBER.password).status == 200
    kinds = [e["kind"] for e in kari.get("/org/security-events").json()["items"]]
    assert kinds.index("user_enabled") < kinds.index("user_disabled")  # newest first


def test_a_new_role_applies_to_open_sessions_at_once(world):
    ola = logged_in(world, BUYER_MEMBER)
    kari = logged_in(world, BUYER_ADMIN)
    ola_id = accounts.user_by_email(BUYER_MEMBER.email).user_id
    assert ola.get("/org/users").status == 404
    assert kari.call("PATCH", f"/org/users/{ola_id}", {"role": "admin"}).json()["role"] == "admin"
    assert ola.get("/org/users").status == 200
    kari_id = accounts.user_by_email(BUYER_ADMIN.email).user_id
    assert ola.call("PATCH", f"/org/users/{kari_id}", {"role": "member"}).status == 200
    assert kari.get("/org/users").status == 404
    [event] = [
        e for e in ola.get("/org/security-events").json()["items"] if e["subject"] == BUYER_ADMIN.email
    ]
    assert (event["kind"], event["actor"], event["detail"]) == (
        "role_changed",
        BUYER_MEMBER.email,
        "admin → member",
    )


def test_admins_cannot_change_their_own_role_or_access(world):
    kari = logged_in(world, BUYER_ADMIN)
    kari_id = accounts.user_by_email(BUYER_ADMIN.email).user_id
    answer = kari.call("PATCH", f"/org/users/{kari_id}", {"role": "member"})
    assert (answer.status, answer.json()["error"]["code"]) == (409, "cannot_change_self")


def test_another_organisations_users_and_log_are_not_there(world):
    ayse = logged_in(world, PRODUCER_ADMIN)
    ola_id = accounts.user_by_email(BUYER_MEMBER.email).user_id
    assert ayse.call("PATCH", f"/org/users/{ola_id}", {"disabled": True}).status == 404
    assert ayse.call("PATCH", "/org/users/no-such-user", {"disabled": True}).status == 404
    anatolia = {u.email for u in DEMO_USERS if u.org_id == "org-anatolia"}
    assert {u["email"] for u in ayse.get("/org/users").json()["items"]} == anatolia
    logged_in(world, BUYER_MEMBER)
    actors = {e["actor"] for e in ayse.get("/org/security-events").json()["items"]}
    assert actors == {PRODUCER_ADMIN.email}


def test_the_security_log_pages_newest_first_within_the_organisation(world):
    kari = logged_in(world, BUYER_ADMIN)
    for n in range(30):
        accounts.log_event("org-nordlys", "login_failed", actor=f"guess{n}@nordlys.example")
    accounts.log_event("org-anatolia", "login_failed", actor="other@anatolia.example")
    first = kari.get("/org/security-events").json()
    assert len(first["items"]) == 25
    assert first["next_cursor"]
    rest = kari.get("/org/security-events", query=f"cursor={first['next_cursor']}").json()
    assert rest["next_cursor"] is None
    seen = [e["at"] for e in first["items"] + rest["items"]]
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == 31  # 30 failures and Kari's own login
    assert "other@anatolia.example" not in {e["actor"] for e in first["items"] + rest["items"]}
    bad = kari.get("/org/security-events", query="cursor=not-a-cursor%21")
    assert bad.status == 422


def test_an_admin_sends_a_colleague_who_has_not_joined_a_new_link(world, tmp_path):
    kari = logged_in(world, BUYER_ADMIN)
    user_id = kari.post("/org/invitations", {"name": "Siri", "email": "siri@nordlys.example"}).json()[
        "user_id"
    ]
    assert kari.post(f"/org/users/{user_id}/invitation").status == 200
    first, second = [m for m in outbox(tmp_path) if m["to"] == "siri@nordlys.example"]
    token = second["body"].split("#token=")[1].split()[0]
    assert token != first["body"].split("#token=")[1].split()[0]
    joined = browser(world).post(
        "/auth/invitations/accept", {"token": token, "name": "Siri", "password": "nordlys siri fjord kaffe"}
    )
    assert joined.status == 200
    again = kari.post(f"/org/users/{user_id}/invitation")
    assert (again.status, again.json()["error"]["code"]) == (409, "already_joined")
    ola_id = accounts.user_by_email(BUYER_MEMBER.email).user_id
    assert logged_in(world, PRODUCER_ADMIN).post(f"/org/users/{ola_id}/invitation").status == 404


def test_a_resent_invitation_ends_the_earlier_link(world, tmp_path):
    kari = logged_in(world, BUYER_ADMIN)
    user_id = kari.post("/org/invitations", {"name": "Siri", "email": "siri@nordlys.example"}).json()[
        "user_id"
    ]
    assert kari.post(f"/org/users/{user_id}/invitation").status == 200
    first, second = [
        m["body"].split("#token=")[1].split()[0]
        for m in outbox(tmp_path)
        if m["to"] == "siri@nordlys.example"
    ]
    assert browser(world).get(f"/auth/invitations/{first}").status == 404
    old = browser(world).post(
        "/auth/invitations/accept", {"token": first, "name": "Mallory", "password": "mallory tar over siri"}
    )
    assert old.status == 404
    assert browser(world).get(f"/auth/invitations/{second}").status == 200
