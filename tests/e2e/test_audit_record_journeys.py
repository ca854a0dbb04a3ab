"""An audit's record in the browser: Ayşe registers a SMETA 7.0 audit, corrects it while no customer
has seen it, Kari opens it, and Ayşe's next correction becomes version 2, which both of them read
in the history; deleting is no longer offered."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in
from tests.e2e.test_producer_journeys import pdf

AYSE, KARI = DEMO_USERS[3], DEMO_USERS[1]


def test_a_correction_is_made_in_place_until_a_customer_has_seen_the_audit_then_it_is_a_version(
    page, browser, stack
):
    log_in(page, AYSE)
    page.goto("/members/audits/")
    page.locator("#audit-site").select_option("ZS-4KQ7-TR1")
    page.locator("#audit-type").select_option(label="SMETA 7.0 4-pilar")
    expect(page.locator("#audit-ms-rating-field")).to_be_visible()  # only SMETA 7.0 gives the rating
    page.locator("#audit-ms-rating").select_option(label="Noen forbedringer anbefales")
    page.locator("#audit-reference").fill("ITK-TR-2026-1O21")  # a typo: O for 0
    page.locator("#audit-announcement").select_option(label="Uvarslet")
    page.locator("#audit-date").fill("2026-10-20")
    page.locator("#audit-company").fill("Intertek")
    page.locator("#audit-lead-auditor").fill("Elif Demir")
    for pillar in ("labour", "health_safety", "environment", "business_ethics"):
        page.locator(f"#audit-pillars input[value={pillar}]").check()
    page.locator("#audit-file").set_input_files(
        files=[{"name": "smeta7.pdf", "mimeType": "application/pdf", "buffer": pdf("SMETA 7.0, Denizli")}]
    )
    page.locator("#audit-submit").click()
    status = page.locator("#audit-upload-status")
    expect(status).to_contain_text("rapporten er kontrollert og tilgjengelig", timeout=20_000)
    status.get_by_role("link", name="Åpne revisjonen").click()
    audit_id = re.search(r"id=([0-9a-f]+)", page.url).group(1)
    expect(page.locator("#audit-facts")).to_contain_text("Noen forbedringer anbefales")

    # Nobody has seen it: the correction simply replaces the reference, and deleting is offered.
    expect(page.locator("#audit-correct-intro")).to_contain_text("Ingen kunde har sett revisjonen")
    expect(page.locator("#audit-delete-button")).to_be_visible()
    page.locator("#correct-reference").fill("ITK-TR-2026-1021")
    page.locator("#correct-submit").click()
    expect(page.locator("#correct-message")).to_have_text("Rettingen er lagret.")
    expect(page.locator("#audit-facts")).to_contain_text("ITK-TR-2026-1021")
    expect(page.locator("#audit-history")).to_be_hidden()

    kari = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:
        log_in(kari, KARI)
        kari.goto("/members/supplier/?id=org-anatolia#audits")
        kari.locator(f"[data-action=show-audit][data-audit-id='{audit_id}']").click()
        expect(kari.locator("#supplier-audit dl[data-record]")).to_contain_text("ITK-TR-2026-1021")

        # Kari has seen it: the next correction needs a note and makes version 2; no deleting.
        page.reload()
        expect(page.locator("#audit-correct-intro")).to_contain_text("En kunde har sett revisjonen")
        expect(page.locator("#audit-delete-button")).to_be_hidden()
        expect(page.locator("#audit-delete-text")).to_contain_text("kan ikke slettes")
        page.locator("#correct-date").fill("2026-10-21")
        page.locator("#correct-note").fill("Feil dato på forsiden av rapporten.")
        page.locator("#correct-submit").click()
        expect(page.locator("#correct-message")).to_have_text("Rettingen er lagret som versjon 2.")
        history = page.locator("#audit-history")
        expect(history).to_contain_text(
            re.compile(r"Versjon 2, rettet \d+\. \w+ \d{4}: Feil dato på forsiden")
        )
        expect(history).to_contain_text("Revisjonsdato: 20. oktober 2026 → 21. oktober 2026")
        expect(page.locator("#audit-facts")).to_contain_text("Versjon 2 (se historikken)")

        kari.reload()
        kari.locator(f"[data-action=show-audit][data-audit-id='{audit_id}']").click()
        seen = kari.locator("#supplier-audit [data-history]")
        expect(seen).to_contain_text("Versjon 2, rettet ")
        expect(seen).to_contain_text("Revisjonsdato: 20. oktober 2026 → 21. oktober 2026")
    finally:
        kari.context.close()


def test_a_rejected_report_is_replaced_on_the_audits_page(page):
    log_in(page, AYSE)
    page.goto("/members/audits/")
    page.locator("#audit-site").select_option("ZS-4KQ7-TR1")
    page.locator("#audit-type").select_option(label="amfori BSCI")
    page.locator("#audit-reference").fill("BSCI-2026-77")
    page.locator("#audit-announcement").select_option(label="Varslet")
    page.locator("#audit-date").fill("2026-09-01")
    page.locator("#audit-company").fill("Bureau Veritas")
    page.locator("#audit-lead-auditor").fill("Deniz Aksoy")
    page.locator("#audit-pillars input[value=labour]").check()
    page.locator("#audit-file").set_input_files(
        files=[{"name": "bsci.pdf", "mimeType": "application/pdf", "buffer": b"Navn;Timer\nAyse;48\n" * 40}]
    )
    page.locator("#audit-submit").click()
    expect(page.locator("#audit-form")).to_contain_text("Filen ble avvist", timeout=20_000)

    row = page.locator("#audits-table tbody tr", has_text="Bureau Veritas").first
    row.get_by_role("link").first.click()
    replace = page.locator("#report-replace-form")
    expect(replace).to_contain_text("Rapporten ble avvist")
    replace.locator("input[type=file]").set_input_files(
        files=[
            {"name": "bsci-riktig.pdf", "mimeType": "application/pdf", "buffer": pdf("amfori BSCI, Denizli")}
        ]
    )
    replace.get_by_role("button", name="Last opp", exact=True).click()
    expect(page.locator("#audit-document-message")).to_have_text(
        "Den nye rapporten er kontrollert og tilgjengelig.", timeout=20_000
    )
    expect(page.locator("#audit-document [data-document-status]")).to_have_attribute(
        "data-document-status", "available"
    )
    expect(page.locator("#audit-document")).to_contain_text("bsci-riktig.pdf")
