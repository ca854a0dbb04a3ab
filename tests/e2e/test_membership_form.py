"""The membership form as an applicant sees it: the fee quote."""

from __future__ import annotations

from playwright.sync_api import expect

pytestmark = __import__("pytest").mark.e2e


def test_the_quote_waits_for_the_inputs_that_decide_it(page):
    page.goto("/membership/")
    form = page.locator("#membership-form")
    quote = page.locator("#fee-quote")
    expect(quote).to_have_text("Velg medlemstype, så ser du hva medlemskapet koster.")

    form.locator("#category").select_option("company")
    expect(quote).to_have_text("Fyll inn årlig omsetning, så ser du årskontingenten.")
    page.wait_for_timeout(600)  # past the quote's delay: still no fee from a turnover nobody typed
    expect(quote).not_to_contain_text("kr")

    form.locator("#annual_turnover_nok").fill("35000000")
    expect(quote).to_contain_text("Årskontingent: kr 37\u00a0300")
    expect(quote).to_contain_text("Kontingent etter IEHs satser for 2023. Kilde")
    assert quote.inner_text().count("2023") == 1  # it said "… for 2023. Satser for 2023."
    form.locator("#annual_turnover_nok").fill("")
    expect(quote).to_have_text("Fyll inn årlig omsetning, så ser du årskontingenten.")

    form.locator("#category").select_option("municipality")
    expect(quote).to_have_text("Fyll inn antall innbyggere, så ser du årskontingenten.")
    form.locator("#inhabitants").fill("50000")
    expect(quote).to_contain_text("Årskontingent: kr 59\u00a0000")


def test_an_organisation_is_asked_for_its_employees_and_quoted_the_groups_range(page):
    page.goto("/membership/")
    form = page.locator("#membership-form")
    quote = page.locator("#fee-quote")
    form.locator("#category").select_option("organisation")
    expect(form.locator("#employees")).to_be_visible()
    expect(form.locator("#inhabitants")).to_be_hidden()
    expect(quote).to_have_text("Fyll inn årlig omsetning og antall ansatte, så ser du årskontingenten.")
    form.locator("#annual_turnover_nok").fill("3000000")
    page.wait_for_timeout(600)
    expect(quote).to_have_text("Fyll inn årlig omsetning og antall ansatte, så ser du årskontingenten.")
    form.locator("#employees").fill("12")
    expect(quote).to_contain_text("Årskontingent: kr 7\u00a0700–41\u00a0600")
    expect(quote).to_contain_text("IEH bekrefter gruppen")
