"""IEH staff run their courses: the list, edits (capacity, time, place), cancelling, who is coming
and its export; and the public course dates."""

from __future__ import annotations

import io
import threading
from datetime import datetime, timedelta

from infra.seed import DEMO_USERS
from portal.clock import utcnow
from portal.store import accounts, courses
from portal.store.models import Course, User, new
from tests.api.test_members import listed, publish
from tests.support import Api, browser, dynamodb_calls, logged_in, outbox

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]


def staff_course(staff: Api, course_id: str) -> dict:
    answer = staff.get(f"/admin/courses/{course_id}")
    assert answer.status == 200, answer.body
    return answer.json()


def edited(course: dict, **changes) -> dict:
    fields = ("title_nb", "title_en", "description_nb", "description_en", "starts_at", "location", "capacity")
    return {**{name: course[name] for name in fields}, "revision": course["revision"], **changes}


def mails(tmp_path, template: str) -> list[dict]:
    return [m for m in outbox(tmp_path) if m["template"] == template]


def past_course(course_id: str, days_ago: int) -> None:
    courses.publish(
        new(
            Course,
            Course.key(course_id),
            course_id=course_id,
            title_nb=f"Holdt for {days_ago} dager siden",
            title_en=f"Held {days_ago} days ago",
            description_nb="-",
            description_en="-",
            starts_at=utcnow() - timedelta(days=days_ago),
            location="Bergen",
            capacity=10,
        )
    )


# -- 1. the list ------------------------------------------------------------------------------------
def test_staff_see_upcoming_courses_soonest_first_with_seats_and_waiting_list(world):
    soon = publish(world, capacity=1, days=2, title="Snart")
    logged_in(world, BUYER_ADMIN).post(f"/courses/{soon}/registration")
    logged_in(world, BUYER_MEMBER).post(f"/courses/{soon}/registration")
    past_course("last-week", 7)
    staff = logged_in(world, STAFF)

    items = staff.get("/admin/courses").json()["items"]
    starts = [datetime.fromisoformat(i["starts_at"]) for i in items]
    assert starts == sorted(starts)
    assert all(s > utcnow() for s in starts)
    first = items[0]
    assert (first["id"], first["title_nb"], first["seats_taken"], first["capacity"], first["waiting"]) == (
        soon,
        "Snart",
        1,
        1,
        1,
    )
    assert "last-week" not in [i["id"] for i in items]

    past = staff.get("/admin/courses", query="when=past").json()["items"]
    assert [i["id"] for i in past] == ["last-week"]
    assert logged_in(world, BUYER_ADMIN).get("/admin/courses").status == 404


def test_past_courses_come_a_page_at_a_time_most_recent_first(world):
    for n in range(1, 28):
        past_course(f"past-{n:02d}", n)
    staff = logged_in(world, STAFF)
    first = staff.get("/admin/courses", query="when=past").json()
    assert [i["id"] for i in first["items"]] == [f"past-{n:02d}" for n in range(1, 26)]
    rest = staff.get("/admin/courses", query=f"when=past&cursor={first['next_cursor']}").json()
    assert ([i["id"] for i in rest["items"]], rest["next_cursor"]) == (["past-26", "past-27"], None)


def test_the_staff_course_list_costs_one_query_after_the_session(world):
    staff = logged_in(world, STAFF)
    with dynamodb_calls() as calls:
        assert staff.get("/admin/courses").status == 200
    assert calls == ["GetItem", "Query"]


# -- 2. editing ---------------------------------------------------------------------------------------
def test_staff_edit_a_course_and_members_see_the_new_text(world):
    course_id = publish(world, capacity=5)
    staff = logged_in(world, STAFF)
    course = staff_course(staff, course_id)
    answer = staff.call(
        "PUT", f"/admin/courses/{course_id}", edited(course, title_nb="Ny tittel", title_en="New title")
    )
    assert answer.status == 200, answer.body
    assert (answer.json()["title_nb"], answer.json()["revision"]) == ("Ny tittel", course["revision"] + 1)
    assert listed(logged_in(world, BUYER_MEMBER), course_id)["title"] == "Ny tittel"


def test_a_larger_capacity_moves_the_waiting_list_up_and_tells_them(world, tmp_path):
    course_id = publish(world, capacity=1)
    kari, ola, ayse = (logged_in(world, who) for who in (BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN))
    kari.post(f"/courses/{course_id}/registration")
    ola.post(f"/courses/{course_id}/registration")
    ayse.post(f"/courses/{course_id}/registration", language="en")
    staff = logged_in(world, STAFF)

    answer = staff.call(
        "PUT", f"/admin/courses/{course_id}", edited(staff_course(staff, course_id), capacity=3)
    )
    assert answer.status == 200, answer.body
    assert (answer.json()["seats_taken"], answer.json()["waiting"], answer.json()["promoted"]) == (3, 0, 2)
    assert listed(ola, course_id)["my_status"] == "registered"
    assert listed(ayse, course_id)["my_status"] == "registered"
    told = {m["to"]: m for m in mails(tmp_path, "course_promoted")}
    assert set(told) == {BUYER_MEMBER.email, PRODUCER_ADMIN.email}
    assert told[PRODUCER_ADMIN.email]["subject"] == "You have a seat: The Transparency Act in practice"
    assert told[BUYER_MEMBER.email]["subject"] == "Du har fått plass: Åpenhetsloven i praksis"


def test_a_capacity_below_the_seats_taken_is_refused_with_a_clear_message(world):
    course_id = publish(world, capacity=5)
    for who in (BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN):
        logged_in(world, who).post(f"/courses/{course_id}/registration")
    staff = logged_in(world, STAFF)
    answer = staff.call(
        "PUT",
        f"/admin/courses/{course_id}",
        edited(staff_course(staff, course_id), capacity=2),
        language="en",
    )
    assert answer.status == 422
    assert answer.json()["error"]["fields"]["capacity"] == (
        "3 participants are already registered, so the number of seats cannot be lower than 3."
    )
    assert staff_course(staff, course_id)["capacity"] == 5


def test_a_new_time_or_place_is_told_to_everyone_on_the_course_in_their_language(world, tmp_path):
    course_id = publish(world, capacity=1)
    logged_in(world, BUYER_ADMIN).post(f"/courses/{course_id}/registration")
    logged_in(world, PRODUCER_ADMIN).post(f"/courses/{course_id}/registration", language="en")
    staff = logged_in(world, STAFF)
    course = staff_course(staff, course_id)

    same_place = staff.call(
        "PUT", f"/admin/courses/{course_id}", edited(course, description_nb="Mer om loven.")
    )
    assert (same_place.status, same_place.json()["told"], mails(tmp_path, "course_changed")) == (200, 0, [])

    moved = edited(same_place.json(), starts_at="2031-01-14T08:30:00+00:00", location="Bergen")
    answer = staff.call("PUT", f"/admin/courses/{course_id}", moved)
    assert (answer.status, answer.json()["told"]) == (200, 2)
    told = {m["to"]: m for m in mails(tmp_path, "course_changed")}
    assert "Tid: 14. januar 2031 kl. 09.30\nSted: Bergen" in told[BUYER_ADMIN.email]["body"]
    assert "som du er påmeldt" in told[BUYER_ADMIN.email]["body"]
    assert "When: 14 January 2031 at 09:30 (Norwegian time)" in told[PRODUCER_ADMIN.email]["body"]
    assert "which you are on the waiting list for" in told[PRODUCER_ADMIN.email]["body"]


def test_a_change_is_told_as_each_participant_chose_at_once_in_the_digest_or_not(world, tmp_path):
    from tests.api.test_notifications import choose, waiting

    course_id = publish(world, capacity=5)
    kari, ola, ayse = (logged_in(world, who) for who in (BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN))
    for person in (kari, ola, ayse):
        assert person.post(f"/courses/{course_id}/registration").status in (200, 201)
    assert choose(ola, course_change="digest").status == 200
    assert choose(ayse, course_change="off").status == 200
    staff = logged_in(world, STAFF)
    moved = edited(staff_course(staff, course_id), location="Tromsø")
    answer = staff.call("PUT", f"/admin/courses/{course_id}", moved)
    assert (answer.status, answer.json()["told"]) == (200, 2)  # at once and queued; not who chose off
    assert [m["to"] for m in mails(tmp_path, "course_changed")] == [BUYER_ADMIN.email]
    [queued] = waiting(BUYER_MEMBER.email)
    assert (queued.notice_kind, queued.params["change"]) == ("course_change", "changed")
    assert waiting(PRODUCER_ADMIN.email) == []


def test_a_second_edit_on_an_old_revision_is_told_that_someone_else_saved(world):
    course_id = publish(world, capacity=5)
    staff, colleague = logged_in(world, STAFF), logged_in(world, STAFF)
    read = staff_course(staff, course_id)
    assert (
        colleague.call("PUT", f"/admin/courses/{course_id}", edited(read, location="Trondheim")).status == 200
    )

    late = staff.call("PUT", f"/admin/courses/{course_id}", edited(read, location="Tromsø"), language="en")
    assert late.status == 409
    error = late.json()["error"]
    assert error["message"] == "The data was changed by someone else. Reload and try again."
    assert (error["current"]["location"], error["current"]["revision"]) == ("Trondheim", read["revision"] + 1)
    assert staff_course(staff, course_id)["location"] == "Trondheim"


def test_a_new_time_must_lie_ahead(world):
    course_id = publish(world, capacity=5)
    staff = logged_in(world, STAFF)
    course = staff_course(staff, course_id)
    answer = staff.call(
        "PUT",
        f"/admin/courses/{course_id}",
        edited(course, starts_at="2020-01-01T10:00:00+00:00"),
        language="en",
    )
    assert (answer.status, answer.json()["error"]["fields"]) == (
        422,
        {"starts_at": "Choose a time in the future."},
    )


# -- 3. cancelling ------------------------------------------------------------------------------------
def test_a_cancelled_course_tells_everyone_and_takes_no_registrations(world, tmp_path):
    course_id = publish(world, capacity=1)
    kari = logged_in(world, BUYER_ADMIN)
    kari.post(f"/courses/{course_id}/registration")
    logged_in(world, PRODUCER_ADMIN).post(f"/courses/{course_id}/registration", language="en")
    staff = logged_in(world, STAFF)

    answer = staff.post(f"/admin/courses/{course_id}/cancel")
    assert answer.status == 200, answer.body
    assert answer.json()["told"] == 2
    assert answer.json()["cancelled_at"]
    told = {m["to"]: m for m in mails(tmp_path, "course_cancelled")}
    assert told[BUYER_ADMIN.email]["subject"] == "Avlyst: Åpenhetsloven i praksis"
    assert "som du var påmeldt" in told[BUYER_ADMIN.email]["body"]
    assert told[PRODUCER_ADMIN.email]["subject"] == "Cancelled: The Transparency Act in practice"

    ola = logged_in(world, BUYER_MEMBER)
    assert listed(ola, course_id)["cancelled"] is True
    refused = ola.post(f"/courses/{course_id}/registration", language="en")
    assert (refused.status, refused.json()["error"]["message"]) == (
        409,
        "IEH has cancelled the course, so registration is closed.",
    )
    assert kari.call("DELETE", f"/courses/{course_id}/registration").status == 409
    again = staff.call(
        "PUT", f"/admin/courses/{course_id}", edited(staff_course(staff, course_id), capacity=9)
    )
    assert (again.status, again.json()["error"]["code"]) == (409, "course_cancelled")
    assert staff.post(f"/admin/courses/{course_id}/cancel").status == 409
    public = [c["title"] for c in browser(world).get("/course-dates").json()["items"]]
    assert "Åpenhetsloven i praksis" not in public


# -- 4. who is coming, and the export -----------------------------------------------------------------
def test_staff_see_each_participants_organisation_by_name(world):
    course_id = publish(world, capacity=1)
    for who in (BUYER_ADMIN, PRODUCER_ADMIN):
        logged_in(world, who).post(f"/courses/{course_id}/registration")
    items = logged_in(world, STAFF).get(f"/admin/courses/{course_id}/registrations").json()["items"]
    assert [(i["name"], i["organisation"], i["status"]) for i in items] == [
        ("Kari Nordlys", "Nordlys Dagligvare AS", "registered"),
        ("Ayşe Anatolia", "Anatolia Tekstil A.Ş.", "waiting"),
    ]


def test_participants_export_as_csv_for_norwegian_excel(world):
    course_id = publish(world, capacity=1)
    for who in (BUYER_ADMIN, PRODUCER_ADMIN):
        logged_in(world, who).post(f"/courses/{course_id}/registration")
    answer = logged_in(world, STAFF).get(
        f"/admin/courses/{course_id}/registrations/export", query="format=csv&lang=nb"
    )
    assert answer.status == 200
    assert answer.header("content-type").startswith("text/csv")
    assert f"pameldte-{course_id}-" in answer.header("content-disposition")
    raw = answer.body
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Navn;Virksomhet;E-post;Status;Påmeldt"
    name, organisation, email, status, at = lines[1].split(";")
    assert (name, organisation, email, status) == (
        "Kari Nordlys",
        "Nordlys Dagligvare AS",
        BUYER_ADMIN.email,
        "Påmeldt",
    )
    assert datetime.strptime(at, "%d.%m.%Y %H:%M")
    assert lines[2].split(";")[3] == "Venteliste"


def test_participants_export_as_xlsx_with_dates_as_dates(world):
    from openpyxl import load_workbook

    course_id = publish(world, capacity=1)
    logged_in(world, PRODUCER_ADMIN).post(f"/courses/{course_id}/registration")
    answer = logged_in(world, STAFF).get(
        f"/admin/courses/{course_id}/registrations/export", query="format=xlsx&lang=en"
    )
    assert answer.status == 200
    sheet = load_workbook(io.BytesIO(answer.body)).active
    assert sheet.title == "The Transparency Act in practic"  # the course, as far as Excel allows
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Organisation", "E-mail", "Status", "Registered at")
    assert rows[1][:4] == ("Ayşe Anatolia", "Anatolia Tekstil A.Ş.", PRODUCER_ADMIN.email, "Registered")
    assert isinstance(rows[1][4], datetime)


# -- 5. the public course dates ---------------------------------------------------------------------
def test_anyone_sees_the_upcoming_course_dates_without_personal_data(world):
    course_id = publish(world, capacity=1, days=3, title="Åpent kurs")
    logged_in(world, BUYER_ADMIN).post(f"/courses/{course_id}/registration")
    visitor = browser(world)
    with dynamodb_calls() as calls:
        answer = visitor.get("/course-dates", language="en")
    assert (answer.status, calls) == (200, ["Query"])
    items = answer.json()["items"]
    [mine] = [i for i in items if i["title"] == "The Transparency Act in practice"]
    assert mine == {
        "title": "The Transparency Act in practice",
        "description": "What the act requires.",
        "starts_at": mine["starts_at"],
        "location": "Oslo",
        "full": True,
    }
    assert BUYER_ADMIN.email not in answer.body.decode()
    assert "Kari" not in answer.body.decode()
    starts = [i["starts_at"] for i in items]
    assert starts == sorted(starts)


def test_whoever_a_move_gives_a_seat_hears_it_once(world, tmp_path):
    course_id = publish(world, capacity=1)
    logged_in(world, BUYER_ADMIN).post(f"/courses/{course_id}/registration")
    logged_in(world, BUYER_MEMBER).post(f"/courses/{course_id}/registration")
    staff = logged_in(world, STAFF)
    moved = edited(staff_course(staff, course_id), capacity=2, location="Stavanger")
    answer = staff.call("PUT", f"/admin/courses/{course_id}", moved)
    assert (answer.json()["promoted"], answer.json()["told"]) == (1, 1)
    assert [m["to"] for m in mails(tmp_path, "course_changed")] == [BUYER_ADMIN.email]
    [seat] = mails(tmp_path, "course_promoted")
    assert seat["to"] == BUYER_MEMBER.email
    assert "Stavanger" in seat["body"]


def test_an_edit_costs_one_read_and_one_transaction_after_the_session(world):
    course_id = publish(world, capacity=1)
    logged_in(world, BUYER_ADMIN).post(f"/courses/{course_id}/registration")
    logged_in(world, BUYER_MEMBER).post(f"/courses/{course_id}/registration")
    staff = logged_in(world, STAFF)
    body = edited(staff_course(staff, course_id), capacity=2, title_nb="Nytt navn")
    with dynamodb_calls() as calls:
        assert staff.call("PUT", f"/admin/courses/{course_id}", body).status == 200
    assert calls == ["GetItem", "GetItem", "Query", "TransactWriteItems"]


def test_the_participants_cost_three_calls_after_the_session(world):
    course_id = publish(world, capacity=1)
    for who in (BUYER_ADMIN, PRODUCER_ADMIN):
        logged_in(world, who).post(f"/courses/{course_id}/registration")
    staff = logged_in(world, STAFF)
    with dynamodb_calls() as calls:
        assert staff.get(f"/admin/courses/{course_id}/registrations").status == 200
    assert calls == ["GetItem", "GetItem", "Query", "BatchGetItem"]


def test_registrations_racing_a_larger_capacity_never_overbook_and_nobody_waits_for_a_free_seat(world):
    course_id = publish(world, capacity=2)
    people = []
    for n in range(12):
        user = new(User, User.key(f"r{n}"), user_id=f"r{n}", email=f"r{n}@race.example", org_id="org-nordlys")
        accounts.create_user(user)
        people.append(user)
    for user in people[:4]:
        courses.register(course_id, user, "nb")  # 2 seated, 2 waiting
    start = threading.Barrier(len(people) - 4 + 1)

    def rush(user: User) -> None:
        start.wait()
        courses.register(course_id, user, "nb")

    def grow() -> None:
        start.wait()
        stored = courses.course(course_id)
        fields = {name: getattr(stored, name) for name in courses.EDITABLE}
        courses.edit(course_id, {**fields, "capacity": 7}, revision=int(stored.revision))

    threads = [threading.Thread(target=rush, args=(u,)) for u in people[4:]] + [threading.Thread(target=grow)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    course = courses.course(course_id)
    entries = courses.participants(course_id)
    seated = [e for e in entries if e.status == "registered"]
    assert (course.capacity, course.seats_taken, len(seated)) == (7, 7, 7)
    assert course.waiting == len(entries) - 7 == 5
    assert {"r0", "r1", "r2", "r3"} <= {e.user_id for e in seated}  # who waited came first
