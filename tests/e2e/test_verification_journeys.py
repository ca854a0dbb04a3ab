"""Verifying corrective actions in the browsers of a producer and its customer: Ayşe asks Nordlys to
verify an action she says is done, Kari accepts it, and both read who verified it, how and when; an
action closed only by Ayşe reads "awaiting verification" to Kari; Kari sends one back with a reason
and Ayşe reads it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
KARI, AYSE = DEMO_USERS[1], DEMO_USERS[3]
AUDIT = "a1f00d0000000000000000000000a001"  # Anatolia's SMETA 4-pillar audit at ZS-4KQ7-TR1
EXIT, OVERTIME, EXTINGUISHERS, WASTE_OIL = "a001f1", "a001f6", "a001f5", "a001f7"
VERIFIED = "Lukket – verifisert av Nordlys Dagligvare AS, kundens gjennomgang"


def ask_nordlys(ayse, finding_id: str) -> None:
    ayse.goto(f"/members/audit/?id={AUDIT}")
    card = ayse.locator(f"#finding-{finding_id}")
    form = card.locator("[data-ask-form]")
    expect(form).to_be_visible()
    form.locator("select[name=buyer_id]").select_option(label="Nordlys Dagligvare AS")
    form.locator("button[type=submit]").click()
    expect(card.locator("[data-verification-requested]")).to_contain_text(
        "Du ba Nordlys Dagligvare AS om å verifisere tiltaket"
    )


def open_awaiting(kari, finding_id: str):
    kari.goto("/members/supplier/?id=org-anatolia")
    waiting = kari.locator(f"#supplier-verify-list [data-awaiting-finding='{finding_id}']")
    expect(waiting).to_be_visible()
    waiting.locator("[data-action=open-verification]").click()
    card = kari.locator(f"#supplier-audit [data-finding-id='{finding_id}']")
    expect(card.locator("[data-verify-form]")).to_be_visible()
    return card


def test_a_customer_verifies_one_action_and_sends_another_back(page, browser, stack):
    today = datetime.now(UTC).date()
    dated = f"{VERIFIED}, {today.day}.{today.month}.{today.year}"
    kari = page
    ayse_page = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    errors: list[str] = []
    ayse_page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        log_in(kari, KARI)
        log_in(ayse_page, AYSE)

        # Ayşe has done her part of the blocked exit: she asks Nordlys to verify it.
        ask_nordlys(ayse_page, EXIT)

        # Kari finds it among the actions awaiting Nordlys's verification, and accepts it.
        card = open_awaiting(kari, EXIT)
        expect(card.locator("[data-verification]")).to_have_text("Venter på verifisering")
        card.locator("[data-verify-form] textarea").fill("Bildene viser en ryddig og merket utgang.")
        card.locator("[data-verify=accept]").click()
        card = kari.locator(f"#supplier-audit [data-finding-id='{EXIT}']")
        expect(card.locator("[data-verification]")).to_have_text(dated)
        expect(card).to_contain_text("Kari Nordlys, Nordlys Dagligvare AS")
        expect(kari.locator("#supplier-verify-empty")).to_be_visible()  # nothing more waits for Nordlys
        # What Ayşe closed on her own, and nobody has checked, says so: never a bare "Lukket".
        overtime = kari.locator(f"#supplier-audit [data-finding-id='{OVERTIME}'] [data-verification]")
        expect(overtime).to_have_text("Venter på verifisering")
        waste = kari.locator(f"#supplier-audit [data-finding-id='{WASTE_OIL}'] [data-verification]")
        expect(waste).to_contain_text("Ikke verifisert")
        extinguishers = kari.locator(
            f"#supplier-audit [data-finding-id='{EXTINGUISHERS}'] [data-verification]"
        )
        expect(extinguishers).to_contain_text(VERIFIED)

        # Ayşe reads who verified it, how and when.
        ayse_page.goto(f"/members/audit/?id={AUDIT}")
        expect(ayse_page.locator(f"#finding-{EXIT} [data-action-meta]")).to_contain_text(f"Status: {dated}.")

        # She asks Nordlys about the overtime agreement too; Kari sends it back with a reason.
        ask_nordlys(ayse_page, OVERTIME)
        card = open_awaiting(kari, OVERTIME)
        card.locator("[data-verify=send-back]").click()  # no reason: refused before sending
        expect(card.locator("[data-verify-form]")).to_contain_text("Skriv hva som mangler")
        card.locator("[data-verify-form] textarea").fill("Vi ser bare avtalen for ett skift.")
        card.locator("[data-verify=send-back]").click()
        card = kari.locator(f"#supplier-audit [data-finding-id='{OVERTIME}']")
        expect(card.locator("[data-finding-message]")).to_contain_text("Tiltaket er sendt tilbake")
        expect(card.locator("[data-verification]")).to_have_text("Under arbeid")

        ayse_page.goto(f"/members/audit/?id={AUDIT}")
        back = ayse_page.locator(f"#finding-{OVERTIME} [data-sent-back]")
        expect(back).to_contain_text("Sendt tilbake av Nordlys Dagligvare AS")
        expect(back).to_contain_text("Vi ser bare avtalen for ett skift.")
        expect(ayse_page.locator(f"#finding-{OVERTIME} [data-action-meta]")).to_contain_text("Under arbeid")
    finally:
        ayse_page.context.close()
    assert errors == []
