"""IEH staff run their courses in the browser: the list, an edit (capacity, time, place) with the
waiting list moving up, a cancellation members see, who is coming and its export; and visitors see
the course dates on the public courses page."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from portal.clock import utcnow
from portal.store import accounts, courses
from portal.store.models import Course, new
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]


def a_course(title: str, *, days: float, capacity: int = 10, registered: tuple = ()) -> str:
    """A course of this test's own in the stack's table, with demo users registered in order."""
    course_id = f"e2e-{uuid.uuid4().hex[:8]}"
    courses.publish(
        new(
            Course,
            Course.key(course_id),
            course_id=course_id,
            title_nb=title,
            title_en=f"{title} (EN)",
            description_nb="Om kurset.",
            description_en="About the course.",
            starts_at=(utcnow() + timedelta(days=days)).replace(second=0, microsecond=0),
            location="Oslo",
            capacity=capacity,
        )
    )
    for who, language in registered:
        courses.register(course_id, accounts.user_by_email(who.email), language)
    return course_id


def mails_to(stack, address: str, template: str) -> list[dict]:
    found = [json.loads(p.read_text("utf-8")) for p in sorted((stack.data_dir / "outbox").glob("*.json"))]
    return [m for m in found if m["to"] == address and m["template"] == template]


def test_staff_see_upcoming_courses_first_and_reach_the_past_ones(page: Page):
    title = f"Nettverksmøte {uuid.uuid4().hex[:4]}"
    a_course(title, days=1.5, capacity=1, registered=((BUYER_ADMIN, "nb"), (BUYER_MEMBER, "nb")))
    past = f"Holdt i fjor {uuid.uuid4().hex[:4]}"
    a_course(past, days=-300)

    log_in(page, STAFF)
    page.goto("/members/admin/")
    rows = page.locator("#courses-table tbody tr")
    row = rows.filter(has_text=title)
    expect(row.locator("[data-course-seats]")).to_have_text("1 av 1")
    expect(row.locator("[data-course-waiting]")).to_have_text("1")
    expect(rows.first).to_contain_text(title)  # the soonest first (the demo courses are later)
    expect(rows.filter(has_text=past)).to_have_count(0)

    page.get_by_label("Vis", exact=True).select_option("past")
    expect(rows.filter(has_text=past)).to_have_count(1)
    expect(rows.filter(has_text=title)).to_have_count(0)


def test_staff_edit_a_course_the_waiting_list_moves_up_and_participants_are_told(page: Page, stack):
    title = f"Åpenhetsloven {uuid.uuid4().hex[:4]}"
    course_id = a_course(title, days=20, capacity=1, registered=((BUYER_ADMIN, "nb"), (PRODUCER_ADMIN, "en")))
    log_in(page, STAFF)
    page.goto("/members/admin/")
    page.locator("#courses-table tbody tr", has_text=title).get_by_role("link", name=title).click()
    expect(page.locator("#course-heading")).to_have_text(title)
    expect(page.locator("#course-seats")).to_have_text("1 av 1")
    expect(page.locator("#participants-table tbody tr[data-status=waiting]")).to_contain_text("Ayşe Anatolia")

    capacity = page.get_by_label("Antall plasser")
    capacity.fill("0")
    page.locator("#course-edit-submit").click()
    expect(page.locator("#error-course-edit-capacity")).to_have_text("Skriv inn et helt tall.")

    capacity.fill("2")
    page.get_by_label("Sted").fill("Bergen")
    page.locator("#course-edit-submit").click()
    expect(page.locator("#course-edit-message")).to_have_text(
        "Endringene er lagret. 1 person på ventelisten har fått plass og har fått e-post om det."
        " 1 deltaker har fått e-post om ny tid eller nytt sted."  # the one who moved up hears it once
    )
    expect(page.locator("#course-seats")).to_have_text("2 av 2")
    expect(page.locator("#course-where")).to_have_text("Bergen")
    expect(page.locator("#participants-table tbody tr[data-status=waiting]")).to_have_count(0)
    [promoted] = mails_to(stack, PRODUCER_ADMIN.email, "course_promoted")
    assert promoted["subject"] == f"You have a seat: {title} (EN)"
    assert "Bergen" in promoted["body"]
    assert mails_to(stack, PRODUCER_ADMIN.email, "course_changed") == []
    [moved] = mails_to(stack, BUYER_ADMIN.email, "course_changed")
    assert "Sted: Bergen" in moved["body"]

    capacity.fill("1")
    page.locator("#course-edit-submit").click()
    expect(page.locator("#error-course-edit-capacity")).to_have_text(
        "2 deltakere er allerede påmeldt, så antall plasser kan ikke være lavere enn 2."
    )
    assert courses.course(course_id).capacity == 2


def test_an_edit_on_a_course_someone_else_saved_offers_the_saved_version(page: Page):
    title = f"Leverandøroppfølging {uuid.uuid4().hex[:4]}"
    course_id = a_course(title, days=25)
    log_in(page, STAFF)
    page.goto(f"/members/course/?id={course_id}")
    expect(page.locator("#course-heading")).to_have_text(title)
    stored = courses.course(course_id)
    fields = {name: getattr(stored, name) for name in courses.EDITABLE}
    courses.edit(course_id, {**fields, "location": "Trondheim"}, revision=0)  # a colleague saves first

    page.get_by_label("Sted").fill("Tromsø")
    page.locator("#course-edit-submit").click()
    summary = page.locator("#course-edit-form .ieh-form__summary")
    expect(summary).to_contain_text("Noen andre har lagret endringer i kurset mens du skrev.")
    summary.locator("[data-action=load-current]").click()
    expect(page.get_by_label("Sted")).to_have_value("Trondheim")
    expect(page.locator("#course-where")).to_have_text("Trondheim")


def test_staff_cancel_a_course_after_confirming_and_members_see_it_cancelled(page: Page, browser, stack):
    title = f"Nettverksmøte sko {uuid.uuid4().hex[:4]}"
    course_id = a_course(
        title, days=18, capacity=1, registered=((BUYER_MEMBER, "nb"), (PRODUCER_ADMIN, "en"))
    )
    log_in(page, STAFF)
    page.goto(f"/members/course/?id={course_id}")
    expect(page.locator("#course-heading")).to_have_text(title)

    page.locator("[data-action=cancel-course]").click()
    dialog = page.locator("dialog.ieh-dialog")
    expect(dialog).to_contain_text(f"Avlyse «{title}»?")
    dialog.locator("[data-action=cancel]").click()  # "Ikke avlys"
    expect(dialog).to_have_count(0)
    assert courses.course(course_id).cancelled_at is None

    page.locator("[data-action=cancel-course]").click()
    page.locator("dialog.ieh-dialog [data-action=confirm]").click()
    expect(page.locator("#course-message")).to_have_text(
        f"«{title}» er avlyst. 2 personer har fått e-post om det."
    )
    expect(page.locator("#course-cancelled")).to_be_visible()
    expect(page.locator("#course-edit-form")).to_be_hidden()
    [told] = mails_to(stack, PRODUCER_ADMIN.email, "course_cancelled")
    assert told["subject"] == f"Cancelled: {title} (EN)"
    assert mails_to(stack, BUYER_MEMBER.email, "course_cancelled")

    page.goto("/members/admin/")
    expect(page.locator("#courses-table tbody tr", has_text=title)).to_contain_text("Avlyst")

    member = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    log_in(member, BUYER_MEMBER)
    member.goto("/members/courses/")
    card = member.locator("#courses-list li", has_text=title)
    expect(card.locator("[data-course-status]")).to_have_text(
        "IEH har avlyst kurset, som du var påmeldt. Du trenger ikke gjøre noe."
    )
    expect(card.locator("button")).to_have_count(0)
    member.context.close()


def test_staff_see_who_is_coming_and_download_it_for_excel(page: Page):
    title = f"Åpenhetsloven for innkjøpere {uuid.uuid4().hex[:4]}"
    course_id = a_course(title, days=22, capacity=1, registered=((BUYER_ADMIN, "nb"), (PRODUCER_ADMIN, "en")))
    log_in(page, STAFF)
    page.goto(f"/members/course/?id={course_id}")
    rows = page.locator("#participants-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Kari Nordlys")
    expect(rows.nth(0)).to_contain_text("Nordlys Dagligvare AS")
    expect(rows.nth(0)).to_contain_text("Påmeldt")
    expect(rows.nth(1)).to_contain_text("Anatolia Tekstil A.Ş.")
    expect(rows.nth(1)).to_contain_text("Venteliste")

    with page.expect_download() as started:
        page.locator("#participants-export-csv").click()
    saved = started.value
    assert saved.suggested_filename.startswith(f"pameldte-{course_id}-")
    raw = Path(saved.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark: Excel reads æ, ø, å
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == ["Navn", "Virksomhet", "E-post", "Status", "Påmeldt"]
    assert table[1][:4] == ["Kari Nordlys", "Nordlys Dagligvare AS", BUYER_ADMIN.email, "Påmeldt"]
    assert table[2][:4] == ["Ayşe Anatolia", "Anatolia Tekstil A.Ş.", PRODUCER_ADMIN.email, "Venteliste"]

    from openpyxl import load_workbook

    with page.expect_download() as started:
        page.locator("#participants-export-xlsx").click()
    assert started.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(started.value.path()).read_bytes())).active
    assert sheet.title == title[:31]
    assert [c.value for c in sheet[1]] == ["Navn", "Virksomhet", "E-post", "Status", "Påmeldt"]
    assert sheet.cell(2, 5).is_date


@pytest.mark.parametrize(
    ("path", "heading", "when"),
    [("/courses/", "Kommende kurs", "Tid"), ("/en/courses/", "Upcoming courses", "When")],
)
def test_visitors_see_the_upcoming_course_dates_without_logging_in(page: Page, path, heading, when):
    title = f"Åpent seminar {uuid.uuid4().hex[:4]}"
    a_course(title, days=9, capacity=1, registered=((BUYER_ADMIN, "nb"),))
    gone = f"Avlyst seminar {uuid.uuid4().hex[:4]}"
    courses.cancel_course(a_course(gone, days=10), utcnow())
    page.goto(path)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    english = path.startswith("/en/")
    card = page.locator("[data-course-date]", has_text=f"{title} (EN)" if english else title)
    expect(card).to_contain_text("Full – waiting list" if english else "Fullt – venteliste")
    expect(card.locator("dt").first).to_have_text(when)
    expect(page.locator("[data-course-date]", has_text=gone)).to_have_count(0)
    expect(page.locator("#course-dates")).not_to_contain_text("Kari")  # nobody's name


def test_the_courses_page_says_so_when_no_course_is_coming(page: Page):
    page.route(  # as the API answers when no course lies ahead
        "**/api/v1/course-dates", lambda route: route.fulfill(status=200, json={"items": []})
    )
    page.goto("/courses/")
    expect(page.locator("[data-course-dates-status]")).to_have_text(
        "Det er ingen kommende kurs akkurat nå. Nye kurs vises her så snart de er klare."
    )
    expect(page.locator("[data-course-date]")).to_have_count(0)
