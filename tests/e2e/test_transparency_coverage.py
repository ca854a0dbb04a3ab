"""A visitor asks "Is my company covered?" (the Transparency Act, /apenhetsloven/) in Norwegian and
English: the answer says yes or no and why (which limits, for the company or the group, § 3 a),
and what the duties are; axe-core finds nothing on the page with its answer shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_accessibility import Auditor, auditor, report  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


def test_a_parent_company_is_covered_through_its_group_in_norwegian(auditor: Auditor) -> None:  # noqa: F811
    page = auditor.page
    page.goto("/")
    page.locator(".md-tabs").get_by_role("link", name="Åpenhetsloven").click()
    expect(page).to_have_url(re.compile(r"/apenhetsloven/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Er virksomheten min omfattet?")
    # the limits in the text come from the data file
    expect(page.locator("article")).to_contain_text("salgsinntekt: 70 millioner kroner")

    page.get_by_role("button", name="Se om loven gjelder").click()
    expect(page.locator("#error-large_enterprise-yes")).to_have_text("Svar ja eller nei.")

    page.get_by_label("Nei").first.check()
    page.locator("#own-sales_revenue_nok").fill("82 000 000")
    page.locator("#own-balance_sheet_total_nok").fill("30 mill")
    page.locator("#own-average_fte").fill("49,5")
    page.locator("#parent-yes").check()
    page.locator("#group-sales_revenue_nok").fill("120000000")
    page.locator("#group-balance_sheet_total_nok").fill("50 000 000")
    page.locator("#group-average_fte").fill("48")
    page.get_by_role("button", name="Se om loven gjelder").click()
    expect(page.locator("#error-own-balance_sheet_total_nok")).to_have_text(
        "Skriv beløpet i hele kroner, med bare sifre, for eksempel 82 000 000."
    )
    expect(page.locator("#coverage-answer")).to_be_hidden()

    page.locator("#own-balance_sheet_total_nok").fill("30000000")
    page.get_by_role("button", name="Se om loven gjelder").click()
    answer = page.locator("#coverage-answer")
    expect(answer).to_be_focused()
    expect(answer.get_by_role("heading", level=2)).to_have_text(
        "Ja, virksomheten er omfattet av åpenhetsloven"
    )
    expect(answer).to_contain_text(
        "Virksomheten alene overskred bare én av de tre grensene i åpenhetsloven § 3 bokstav a: "
        "salgsinntekten på kr\u00a082\u00a0000\u00a0000 (grensen er kr\u00a070\u00a0000\u00a0000)."
    )
    expect(answer).to_contain_text("sett under ett overskred to av de tre grensene")
    expect(answer).to_contain_text("balansesummen på kr\u00a050\u00a0000\u00a0000")
    expect(answer).to_contain_text("(§ 2)")
    for duty in ("Aktsomhetsvurderinger (§ 4)", "innen 30. juni hvert år", "senest tre uker", "to måneder"):
        expect(answer).to_contain_text(duty)
    expect(answer.get_by_role("link", name="Les om medlemskap")).to_have_attribute("href", "../membership/")
    violations = auditor.axe("/apenhetsloven/ (answered)")
    assert violations == [], report(violations)


def test_a_company_below_the_limits_is_told_why_in_english(auditor: Auditor) -> None:  # noqa: F811
    page = auditor.page
    page.goto("/en/apenhetsloven/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Is my company covered?")
    page.locator("#large_enterprise-no").check()
    page.locator("#own-sales_revenue_nok").fill("70000000")  # exactly at the limit: not above it
    page.locator("#own-balance_sheet_total_nok").fill(
        "36,000,000"
    )  # thousands separators as English writes them
    page.locator("#own-average_fte").fill("50")
    page.locator("#parent-no").check()
    expect(page.locator("#figures-group")).to_be_hidden()
    page.get_by_role("button", name="See whether the Act applies").click()
    answer = page.locator("#coverage-answer")
    expect(answer.get_by_role("heading", level=2)).to_have_text(
        "No, by the figures you gave, the company is not covered"
    )
    expect(answer).to_contain_text(
        "The company on its own exceeded only one of the three limits in section 3 (a) of the Transparency "
        "Act: a balance sheet total of NOK 36,000,000 (the limit is NOK 35,000,000). It takes at least two."
    )
    expect(answer).to_contain_text("Check again after each year's accounts")
    expect(page.locator("#coverage-duties")).to_be_hidden()

    # a large enterprise needs no figures
    page.locator("#large_enterprise-yes").check()
    expect(page.locator("#figures-own")).to_be_hidden()
    page.get_by_role("button", name="See whether the Act applies").click()
    expect(answer.get_by_role("heading", level=2)).to_have_text(
        "Yes, the company is covered by the Transparency Act"
    )
    expect(answer).to_contain_text("large enterprise under section 1-5 of the Accounting Act")
    expect(page.locator("#coverage-duties")).to_contain_text("by 30 June every year")
    violations = auditor.axe("/en/apenhetsloven/ (answered)")
    assert violations == [], report(violations)
