"""Two buyers and one producer in their browsers: buyer A asks, the producer grants "profile and SAQ",
A sees the SAQ but not the audits; buyer B sees nothing of the producer and never sees A; the producer
revokes A, whose next request is refused; the producer's access log shows A's views."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
BUYER_A, BUYER_B, PRODUCER = (
    DEMO_USERS[1],
    DEMO_USERS[4],
    DEMO_USERS[5],
)  # Nordlys, Fjellsport, Frutas del Sur
SITE = "ZS-6H1L-PE1"  # Frutas del Sur – Ica
PRODUCER_ID, PRODUCER_NAME = "org-andes", "Frutas del Sur S.A."


def test_two_buyers_and_a_producer(page, browser, stack):
    contexts = [browser.new_context(base_url=stack.url, locale="nb-NO") for _ in range(2)]
    producer, buyer_b = (context.new_page() for context in contexts)
    errors: list[str] = []
    for other in (producer, buyer_b):
        other.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # Buyer A asks for access by the site's public id.
        log_in(page, BUYER_A)
        page.goto("/members/suppliers/")
        page.locator("#link-request-input").fill(SITE)
        page.locator("#link-request-submit").click()
        expect(page.locator("#link-request-message")).to_contain_text(
            f"Forespørselen er sendt for produksjonsstedet {SITE}."
        )
        # Until the producer agrees, A sees its own request and nothing of the producer.
        asked = page.locator(f"#suppliers-table tbody tr[data-request='{SITE}']")
        expect(asked).to_have_attribute("data-status", "pending")
        expect(asked).to_contain_text(f"Forespørsel sendt for produksjonsstedet {SITE}")
        expect(page.locator("main")).not_to_contain_text(PRODUCER_NAME)
        row_a = page.locator(f"#suppliers-table tbody tr[data-producer-id='{PRODUCER_ID}']")
        expect(row_a).to_have_count(0)

        # The producer accepts at "profile and SAQ".
        log_in(producer, PRODUCER)
        producer.goto("/members/customers/")
        request = producer.locator("#customers-table tbody tr[data-buyer-id='org-nordlys']")
        expect(request).to_have_attribute("data-status", "pending")
        expect(request).to_contain_text("Ba om: Frutas del Sur – Ica")  # the site A asked for, by name
        request.locator("[data-action=accept]").click()
        form = producer.locator("#customer-access-form")
        expect(form.locator("input[name=sites_scope][value=chosen]")).to_be_checked()  # just what was asked
        expect(form.locator("input[name=sites]:checked")).to_have_count(1)
        expect(form.locator(f"input[name=sites][value='{SITE}']")).to_be_checked()
        producer.locator("#customer-access-form input[name=level][value=saq]").check()
        producer.locator("#customer-access-form [data-action=save-access]").click()
        expect(request).to_have_attribute("data-status", "active")
        expect(request).to_have_attribute("data-level", "saq")

        # Buyer A sees the SAQ, and is told the access does not include audits.
        page.reload()
        expect(row_a).to_have_attribute("data-status", "active")
        expect(row_a).to_contain_text(PRODUCER_NAME)
        expect(asked).to_have_count(0)
        row_a.locator("a[data-supplier-link]").click()
        expect(page).to_have_url(re.compile(rf"/members/supplier/\?id={PRODUCER_ID}"))
        expect(page.locator("#supplier-level")).to_have_attribute("data-level", "saq")
        page.locator(f"#supplier-sites li[data-site-id='{SITE}'] [data-action=show-saq]").click()
        expect(page.locator("#supplier-saq")).to_be_visible()
        expect(page.locator("#supplier-audits tbody tr")).to_have_count(0)
        assert page.request.get(f"/api/v1/buyer/suppliers/{PRODUCER_ID}/audits").status == 404

        # Buyer B: its own (revoked) link shows nothing of the producer's data, and nothing of buyer A.
        log_in(buyer_b, BUYER_B)
        buyer_b.goto("/members/suppliers/")
        row_b = buyer_b.locator(f"#suppliers-table tbody tr[data-producer-id='{PRODUCER_ID}']")
        expect(row_b).to_have_attribute("data-status", "revoked")
        expect(row_b.locator("a[data-supplier-link]")).to_have_count(0)
        expect(buyer_b.locator("main")).not_to_contain_text("Nordlys")
        buyer_b.goto(f"/members/supplier/?id={PRODUCER_ID}")
        expect(buyer_b.locator("#supplier-message")).to_contain_text("Du har ikke tilgang til dette.")
        expect(buyer_b.locator("main")).not_to_contain_text("Nordlys")

        # The producer revokes A: A's next request is refused.
        producer.reload()
        request.locator("[data-action=revoke]").click()
        producer.locator("#customer-revoke-form [data-action=confirm-revoke]").click()
        expect(request).to_have_attribute("data-status", "revoked")
        page.reload()
        expect(page.locator("#supplier-message")).to_contain_text("Du har ikke tilgang til dette.")

        # The producer's access log shows A's views.
        producer.reload()
        log = producer.locator("#access-log tbody tr", has_text="Nordlys Dagligvare AS")
        expect(log.and_(producer.locator("[data-action=viewed_saq]"))).to_have_count(1)
        expect(log.and_(producer.locator("[data-action=viewed_profile]")).first).to_be_visible()
        assert errors == []
    finally:
        for context in contexts:
            context.close()


ANATOLIA = DEMO_USERS[3]  # Ayşe, Anatolia Tekstil's admin; Nordlys sees its audits


def test_the_logs_name_what_happened_in_words_never_codes(page, browser, stack):
    """What a producer reads in its access log and its security log: the audit type's name, the
    site's name and why a login failed, in Norwegian — not "smeta_4", "ZS-…" or "password"."""
    buyer = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:
        log_in(buyer, BUYER_A)  # Nordlys opens one of Anatolia's audits
        audit = "a1f00d0000000000000000000000a001"  # SMETA 4-pillar at ZS-4KQ7-TR1
        assert buyer.request.get(f"/api/v1/buyer/suppliers/org-anatolia/audits/{audit}").status == 200
    finally:
        buyer.context.close()
    page.goto("/login/")  # a wrong password for Ayşe first: her security log says so
    page.locator("#login-email").fill(ANATOLIA.email)
    page.locator("#login-password").fill("not-the-password-at-all")
    page.locator("#login-submit").click()
    expect(page.locator("#login-message")).to_be_visible()
    log_in(page, ANATOLIA)

    page.goto("/members/customers/")
    viewed = page.locator("#access-log tbody tr[data-action=viewed_audit]").first
    expect(viewed).to_contain_text("Så en revisjon")
    expect(viewed).to_contain_text("SMETA 6.1 4-pilar ved ")
    expect(viewed).not_to_contain_text("smeta")

    page.goto("/members/organisation/")
    failed = page.locator("#security-events-body tr[data-kind=login_failed]").first
    expect(failed).to_contain_text("Feil passord")
    expect(failed.locator("td").last).not_to_contain_text("password")


def test_the_supplier_list_comes_first_keeps_its_filters_and_says_no_match_once(page):
    log_in(page, DEMO_USERS[1])
    page.goto("/members/suppliers/")
    ids = page.locator(".md-content h2").evaluate_all("headings => headings.map((h) => h.id)")
    assert ids == ["list", "request", "invite"]  # the list before the forms
    expect(page.locator("#suppliers-table tbody tr").first).to_be_visible()
    # the country filter offers the countries the suppliers are in, by name
    # (other journeys in this run may add suppliers and change Anatolia's data: the page shows what
    # the API says now)
    listed = page.request.get("/api/v1/buyer/suppliers").json()["items"]
    in_use = sorted({r["country_name"] for r in listed if r["country_name"]}, key=str.casefold)
    assert "Tyrkia" in in_use
    assert "Island" not in in_use  # not every country in the world
    countries = page.locator("#suppliers-filter [name=country] option")
    expect(countries).to_have_text(["Alle land", *in_use])
    [row] = [
        r
        for r in page.request.get("/api/v1/buyer/suppliers").json()["items"]
        if r["producer_id"] == "org-anatolia"
    ]
    anatolia = page.locator("#suppliers-table tr[data-producer-id=org-anatolia]")
    expect(anatolia.locator("[data-risk]")).to_have_text(
        {"low": "Lav", "medium": "Middels", "high": "Høy"}[row["risk_band"]]
    )
    expect(anatolia.locator("[data-saq]")).to_have_text(
        f"{row['saq']['submitted']} av {row['saq']['sites']} sendt inn"
    )
    expect(anatolia.locator("[data-open-ncs]")).to_have_text(str(row["open_ncs"]))
    dhaka = page.locator("#suppliers-table tr[data-producer-id=org-dhaka]")
    expect(dhaka.locator("[data-open-ncs]")).to_have_text("Ikke delt")  # access to SAQs, not audits

    page.locator("#suppliers-filter [name=country]").select_option("BD")
    page.locator("#suppliers-filter [name=level]").select_option("audits")  # Dhaka shares SAQs only
    expect(page.locator("#suppliers-empty")).to_have_text("Ingen leverandører passer til filteret.")
    expect(page.get_by_text("Ingen leverandører passer til filteret.")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/members/suppliers/\?.*country=BD"))
    page.reload()  # the filters are in the address
    expect(page.locator("#suppliers-filter [name=country]")).to_have_value("BD")
    expect(page.locator("#suppliers-filter [name=level]")).to_have_value("audits")
    expect(page.locator("#suppliers-empty")).to_be_visible()


def test_a_buyer_reads_an_audits_record_by_name(page):
    """Kari opens Anatolia's SMETA audit: the standard with its publisher, the report's reference,
    how it was announced, initial or follow-up and the lead auditor, in words, never codes."""
    log_in(page, BUYER_A)
    page.goto("/members/supplier/?id=org-anatolia#audits")
    page.locator("[data-action=show-audit][data-audit-id='a1f00d0000000000000000000000a001']").click()
    record = page.locator("#supplier-audit dl[data-record]")
    expect(record).to_contain_text("SMETA 6.1 4-pilar (Sedex, versjon 6.1)")
    expect(record).to_contain_text("ITK-TR-2026-4417")
    expect(record).to_contain_text("Delvis varslet")
    expect(record).to_contain_text("Første revisjon")
    expect(record).to_contain_text("Elif Demir")
    expect(record).not_to_contain_text("semi_announced")


def test_a_producer_lets_one_customer_name_it_in_its_transparency_act_account(page, browser, stack):
    """Ayşe ticks "may name us" for Nordlys when she changes its access: off until then, saved with
    the decision, shown in the list; Nordlys reads it, Fjellsport (another customer) does not get it."""
    log_in(page, ANATOLIA)
    page.goto("/members/customers/")
    nordlys = page.locator("#customers-table tbody tr[data-buyer-id='org-nordlys']")
    expect(nordlys).to_have_attribute("data-may-be-named", "no")
    expect(nordlys).not_to_contain_text("Kan nevne oss")
    before = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:  # Nordlys is told it may not name Anatolia, until Ayşe allows it
        log_in(before, BUYER_A)
        before.goto("/members/supplier/?id=org-anatolia")
        expect(before.locator("#supplier-naming")).to_contain_text("har ikke gitt lov")
    finally:
        before.context.close()
    nordlys.locator("[data-action=change]").click()
    form = page.locator("#customer-access-form")
    named = form.get_by_label("Kan nevne oss ved navn i sin redegjørelse etter åpenhetsloven")
    expect(named).not_to_be_checked()  # off unless chosen
    expect(form).to_contain_text("Av med mindre du krysser av.")
    named.check()
    form.locator("[data-action=save-access]").click()
    expect(page.locator("#customers-message")).to_contain_text(
        "Tilgangen for Nordlys Dagligvare AS er endret"
    )
    expect(nordlys).to_have_attribute("data-may-be-named", "yes")
    expect(nordlys).to_contain_text("Kan nevne oss ved navn")
    fjellsport = page.locator("#customers-table tbody tr[data-buyer-id='org-fjellsport']")
    expect(fjellsport).to_have_attribute("data-may-be-named", "no")

    page.reload()  # stored, not just shown
    expect(nordlys).to_have_attribute("data-may-be-named", "yes")
    nordlys.locator("[data-action=change]").click()
    expect(form.get_by_label("Kan nevne oss ved navn i sin redegjørelse etter åpenhetsloven")).to_be_checked()

    buyer = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:
        log_in(buyer, BUYER_A)
        buyer.goto("/members/supplier/?id=org-anatolia")
        naming = buyer.locator("#supplier-naming")
        expect(naming).to_have_attribute("data-may-be-named", "yes")
        expect(naming).to_contain_text("Leverandøren har gitt lov til at du nevner den ved navn")
    finally:
        buyer.context.close()
