"""A visitor reads the site in Norwegian and English and applies for membership."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from infra.seed import DEMO_WORLD
from portal.store.models import MembershipApplication

pytestmark = __import__("pytest").mark.e2e


def test_visitor_switches_language_and_applies_for_membership(page, stack):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    members = page.request.get("/api/v1/stats").json()["members"]
    assert members >= len(DEMO_WORLD)  # other tests on this stack may have approved more
    expect(page.locator("#live-stats [data-stat='members']")).to_have_text(str(members))

    page.get_by_role("button", name="Velg språk").hover()
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator(".md-tabs, .md-nav").get_by_role("link", name=re.compile("member", re.I)).first.click()
    expect(page).to_have_url(re.compile(r"/en/membership/$"))
    form = page.locator("#membership-form")
    form.locator("#organisation_name").fill("Fjordkaffe AS")
    form.locator("#organisation_number").fill("923 609 016")
    form.locator("#category").select_option("company")
    form.locator("#annual_turnover_nok").fill("35000000")
    expect(page.locator("#fee-quote")).to_contain_text("37,300")
    form.locator("#contact_name").fill("Ingrid Fjord")
    form.locator("#email").fill("ingrid@fjordkaffe")
    form.locator("#phone").fill("+47 400 00 000")
    form.locator("#consent").check()
    page.locator("#membership-submit").click()

    error = page.locator("#error-email")
    expect(error).to_be_visible()
    expect(error).to_have_text("Enter a valid e-mail address, for example name@company.com.")
    expect(form.locator("#email")).to_have_attribute("aria-invalid", "true")
    assert _stored("Fjordkaffe AS") == []

    form.locator("#email").fill("ingrid@fjordkaffe.no")
    page.locator("#membership-submit").dblclick()  # an impatient visitor

    confirmation = page.locator("#membership-confirmation")
    expect(confirmation).to_be_visible()
    expect(form).to_be_hidden()
    assert len(_stored("Fjordkaffe AS")) == 1
    [application] = _stored("Fjordkaffe AS")
    expect(confirmation).to_contain_text(f"Reference number: {application.reference}")
    expect(confirmation).to_contain_text("You will receive a receipt with the reference number by e-mail at")
    expect(confirmation).not_to_contain_text(application.application_id)  # a UUID nobody can read out
    assert application.email == "ingrid@fjordkaffe.no"
    assert application.language == "en"
    sent = [json.loads(p.read_text("utf-8")) for p in (stack.data_dir / "outbox").glob("*.json")]
    [receipt] = [m for m in sent if m["to"] == "ingrid@fjordkaffe.no"]
    assert receipt["subject"] == f"We have received your membership application ({application.reference})"
    assert f"Reference number: {application.reference}" in receipt["body"]


def test_norwegian_errors_on_the_norwegian_form(page):
    page.goto("/membership/")
    page.locator("#membership-submit").click()
    expect(page.locator("#error-organisation_name")).to_have_text("Fyll ut dette feltet.")
    expect(page.locator("#form-errors")).to_be_focused()


def _stored(name: str) -> list[MembershipApplication]:
    return [
        a for a in MembershipApplication.by_gsi1.query("APPLICATIONS#received") if a.organisation_name == name
    ]
