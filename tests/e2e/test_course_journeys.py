"""IEH staff run their courses in the browser: the list, an edit (capacity, time, place) with the
waiting list moving up, a cancellation members see, who is coming and its export; and visitors see
the course dates on the public courses page."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

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
