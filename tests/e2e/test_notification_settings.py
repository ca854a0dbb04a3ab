"""A member chooses what the portal e-mails them about, on their account page: only the kinds that
can reach them, each at once, in a daily digest or off, and the language of the e-mails."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from infra.seed import DEMO_USERS
from portal.domain.notifications import KINDS
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
STAFF, NORDLYS, NORDLYS_MEMBER, ANATOLIA = DEMO_USERS[:4]


def shown(page) -> list[str]:
    return [kind for kind in KINDS if page.locator(f"#notice-{kind}").is_visible()]


def test_a_producer_admin_chooses_per_kind_and_the_choices_stay(page):
    log_in(page, ANATOLIA)
    page.goto("/members/account/#notifications")
    form = page.locator("#notifications-form")
    expect(form).to_be_visible()
    assert shown(page) == [
        "access_request",
        "verification_decision",
        "action_overdue",
        "profile_stale",
        "course_change",
    ]
    request = page.get_by_label("En kunde ber om tilgang til dataene til virksomheten")
    expect(request).to_have_value("instant")
    expect(page.get_by_label("Et korrigerende tiltak har passert fristen")).to_have_value("digest")

    request.select_option(label="I en daglig oppsummering")
    page.get_by_label("Et kurs du er påmeldt, blir endret eller avlyst").select_option(label="Av")
    page.get_by_label("Språk i e-postene").select_option(label="English")
    page.locator("#notifications-submit").click()
    expect(page.locator("#notifications-status")).to_have_text("Valgene er lagret.")

    page.reload()
    expect(page.locator("#notifications-form")).to_be_visible()
    expect(page.locator("#notice-access_request")).to_have_value("digest")
    expect(page.locator("#notice-course_change")).to_have_value("off")
    expect(page.locator("#notice-profile_stale")).to_have_value("digest")
    expect(page.locator("#notice-language")).to_have_value("en")


def test_a_buyers_member_and_ieh_staff_see_only_what_can_reach_them(page, browser, stack):
    log_in(page, NORDLYS_MEMBER)
    page.goto("/en/members/account/")
    expect(page.locator("#notifications-form")).to_be_visible()
    assert shown(page) == ["access_decision", "course_change"]
    expect(page.get_by_label("A supplier grants, changes or withdraws your access")).to_have_value("instant")
    expect(page.locator("#notice-language")).to_have_value("en")  # until chosen: the page's language

    staff = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    log_in(staff, STAFF)
    staff.goto("/members/account/")
    expect(staff.locator("#notifications-form")).to_be_visible()
    assert shown(staff) == ["new_application"]
    staff.context.close()
