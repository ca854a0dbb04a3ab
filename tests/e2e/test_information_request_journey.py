"""Issue 18's journey through the browser: a visitor sends an information request on Nordlys's public
page, the receipt is in the outbox; Ola (who handles Nordlys's requests) sees it with its deadline,
sends an extension notice, then a partial refusal with a ground, whose legal text he saw before
sending and the requester's e-mail holds word for word; the requester asks for further reasons on
her own page; Ola answers; the case closes and the year's statistics count it. And the duty: Kari
(org admin) takes it from Ola and gives it back, and the page leaves and returns to his navigation."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from infra.seed import DEMO_USERS
from portal.domain import transparency as law
from portal.usecases.information_requests import today, when
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e

KARI, OLA = DEMO_USERS[1], DEMO_USERS[2]
NORDLYS = "/innsyn/nordlys-dagligvare-as/"
CASE_NUMBER = re.compile(r"IR-\d{4}-\d{4}")


def mails_to(stack, address: str) -> list[dict]:
    sent = [json.loads(p.read_text("utf-8")) for p in sorted(Path(stack.data_dir, "outbox").glob("*.json"))]
    return [m for m in sent if m["to"] == address]


def mail_of(stack, address: str, template: str) -> dict:
    [mail] = [m for m in mails_to(stack, address) if m["template"] == template]
    return mail


def figure(page: Page, name: str) -> int:
    text = page.locator(f"#requests-statistics-{name} dd").inner_text()
    return int(re.match(r"\d+", text.replace("\u00a0", "")).group(0))


def ground_count(page: Page, ground: str) -> int:
    row = page.locator(f"#requests-grounds-body tr[data-ground='{ground}']")
    return int(row.locator("td").last.inner_text()) if row.count() else 0


def statistics(page: Page) -> dict[str, int]:
    page.goto("/members/requests/")
    expect(page.locator("#requests-statistics-count dd")).not_to_have_text("–")
    found = {name: figure(page, name) for name in ("count", "extended", "partly_refused")}
    return {**found, "business_secret": ground_count(page, "business_secret")}


def send_and_confirm(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.locator("dialog.ieh-dialog")
    expect(dialog).to_contain_text("kan ikke endres")
    dialog.locator("[data-action=confirm]").click()


def test_a_request_from_the_public_page_to_a_closed_case_in_the_statistics(
    page: Page, browser: Browser, stack
):
    handler = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    log_in(handler, OLA)
    before = statistics(handler)

    # a visitor sends a request on Nordlys's public page
    email = f"sara.{uuid.uuid4().hex[:6]}@avisa.example"
    question = "Hvilke fabrikker syr arbeidsklærne deres, og hva gjør dere med funnene om overtid?"
    page.goto(NORDLYS)
    page.locator("#request-name").fill("Sara Journalist")
    page.locator("#request-email").fill(email)
    page.locator("#request-question").fill(question)
    page.get_by_role("button", name="Send kravet").click()
    expect(page.locator("#request-receipt")).to_contain_text("Kravet er sendt")
    number = CASE_NUMBER.search(page.locator("#request-receipt").inner_text()).group(0)
    received = today()
    due = when(law.answer_due(received), "nb")
    receipt = mail_of(stack, email, "information_request_received")
    assert number in receipt["subject"]
    assert due in receipt["body"]
    link = re.search(r"https?://[^/\s]+(/innsyn/sak/#[A-Za-z0-9_-]+)", receipt["body"]).group(1)

    # the handler sees it with its deadline and days left
    handler.goto("/members/requests/")
    row = handler.locator("#requests-body tr", has_text=number)
    expect(row).to_contain_text("Sara Journalist")
    expect(row).to_contain_text(due)
    expect(row).to_contain_text("21 dager igjen")
    expect(row).to_contain_text("Mottatt")
    row.get_by_role("link", name=number).click()
    expect(handler.locator("#request-heading")).to_have_text(f"{number} · Mottatt")
    expect(handler.locator("#request-question")).to_have_text(question)
    expect(handler.locator("#request-deadlines")).to_contain_text(f"{due} – 21 dager igjen")
    latest = law.latest_extended_due(received)
    expect(handler.locator("#request-deadlines")).to_contain_text(when(latest, "nb"))

    handler.get_by_role("button", name="Marker som under behandling").click()
    expect(handler.locator("#request-actions-message")).to_have_text("Saken er markert som under behandling.")
    expect(handler.locator("#request-heading")).to_have_text(f"{number} · Under behandling")

    # an extension notice: not beyond two months, then why and when
    expected = handler.locator("#extension-expected-on")
    assert expected.get_attribute("max") == latest.isoformat()
    expected.fill((latest + timedelta(days=1)).isoformat())
    handler.locator("#extension-text").fill("Vi må hente opplysninger fra elleve fabrikker.")
    handler.get_by_role("button", name="Send varselet").click()
    expect(handler.locator("#error-extension-expected-on")).to_contain_text(f"senest {when(latest, 'nb')}")
    expected.fill(latest.isoformat())
    send_and_confirm(handler, "Send varselet")
    expect(handler.locator("#request-actions-message")).to_have_text("Sendt: Varsel om lengre svartid.")
    expect(handler.locator("#request-facts")).to_contain_text("forlenget")
    expect(handler.locator("#request-messages li")).to_have_count(1)
    expect(handler.locator("#request-extension")).to_be_hidden()  # one notice only
    extension = mail_of(stack, email, "information_request_extension")
    assert "elleve fabrikker" in extension["body"]
    assert when(latest, "nb") in extension["body"]

    # a partial refusal with a ground chosen by name: the legal text is shown before it goes
    handler.get_by_label("Delvis avslag", exact=True).check()
    handler.locator("#reply-ground").select_option(label="Forretningshemmelighet (konkurransehensyn)")
    handler.locator("#reply-text").fill("Her er fabrikkene og tiltakene. Innkjøpsprisene deler vi ikke.")
    preview = handler.locator("#request-preview-text")
    refused_by = when(law.further_reasons_by(received), "nb")
    expect(preview).to_contain_text("§ 6 andre ledd bokstav d")
    expect(preview).to_contain_text(refused_by)
    expect(preview).to_contain_text("Forbrukertilsynet")
    legal = preview.inner_text()
    handler.get_by_role("button", name="Send", exact=True).click()
    handler.locator("dialog.ieh-dialog [data-action=cancel]").click()  # not yet: nothing is sent
    expect(handler.locator("#request-messages li")).to_have_count(1)
    send_and_confirm(handler, "Send")
    expect(handler.locator("#request-actions-message")).to_have_text("Sendt: Delvis avslag.")
    expect(handler.locator("#request-heading")).to_have_text(f"{number} · Delvis avslått")
    sent = handler.locator("#request-messages li[data-kind='partial_refusal']")
    expect(sent).to_contain_text("Grunnlag: Forretningshemmelighet (konkurransehensyn)")
    expect(sent.locator("[data-legal]")).to_have_text(legal)
    expect(handler.locator("#request-deadlines")).to_contain_text(refused_by)

    # the requester's e-mail holds the legal text: the ground's section, the deadline, Forbrukertilsynet
    refusal = mail_of(stack, email, "information_request_partial_refusal")
    assert "Innkjøpsprisene deler vi ikke." in refusal["body"]
    assert legal.replace("\n", "") in refusal["body"].replace("\n", "")
    for part in (
        "§ 6 andre ledd bokstav d",
        refused_by,
        "Forbrukertilsynet",
        "nærmere begrunnelse",
    ):
        assert part in refusal["body"], part

    # the requester asks for further reasons on her own page
    page.goto(link)
    page.locator("#further-text").fill("Hvorfor er prisene en forretningshemmelighet?")
    page.get_by_role("button", name="Be om begrunnelse").click()
    expect(page.locator("#further-reasons-done")).to_contain_text("skal svare deg innen tre uker")

    # the handler answers them, and the case closes again
    handler.reload()
    expect(handler.locator("#request-heading")).to_have_text(f"{number} · Ber om nærmere begrunnelse")
    asked = handler.locator("#request-messages li[data-kind='further_reasons_request']")
    expect(asked).to_contain_text("Hvorfor er prisene en forretningshemmelighet?")
    expect(asked).to_contain_text("fra Sara Journalist")
    further_due = when(law.further_reasons_due(received), "nb")
    expect(handler.locator("#request-deadlines")).to_contain_text(further_due)
    expect(handler.get_by_label("Nærmere begrunnelse", exact=True)).to_be_checked()  # the only reply left
    handler.locator("#reply-text").fill("Prisene avslører avtalene våre med hver fabrikk for konkurrentene.")
    expect(handler.locator("#request-preview")).to_be_hidden()  # no new refusal: no new legal text
    send_and_confirm(handler, "Send")
    expect(handler.locator("#request-actions-message")).to_have_text("Sendt: Nærmere begrunnelse.")
    expect(handler.locator("#request-heading")).to_have_text(f"{number} · Delvis avslått")
    expect(handler.locator("#request-reply")).to_be_hidden()
    assert "avtalene våre" in mail_of(stack, email, "information_request_further_reasons_answer")["body"]

    # closed: in the closed cases, and counted in the year's statistics
    after = statistics(handler)
    handler.locator("#requests-view").select_option("closed")
    closed = handler.locator("#requests-body tr", has_text=number)
    expect(closed).to_contain_text("Avsluttet")
    expect(closed).to_contain_text("forlenget")
    assert after == {key: value + 1 for key, value in before.items()}, (before, after)
    handler.context.close()


def test_the_org_admin_gives_the_duty_and_the_page_follows_it(page: Page, browser: Browser, stack):
    log_in(page, KARI)
    page.goto("/members/organisation/")
    row = page.locator("#org-users-body tr", has_text=OLA.email)
    duty = row.get_by_label(f"Behandler informasjonskrav: {OLA.name}")
    expect(duty).to_be_checked()
    expect(
        page.locator("#org-users-body tr", has_text=KARI.email).get_by_label(re.compile("^Alltid"))
    ).to_be_disabled()
    duty.uncheck()
    expect(page.locator("#org-users-message")).to_have_text(
        f"{OLA.name} behandler ikke lenger informasjonskrav."
    )

    ola = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:
        log_in(ola, OLA)
        sidebar = ola.locator(".md-sidebar--primary a[data-nav='members']", has_text="Informasjonskrav")
        expect(sidebar).to_be_hidden()
        ola.goto("/members/requests/")
        expect(ola.locator("#members-message")).to_contain_text("for dem som behandler informasjonskrav")

        duty.check()
        expect(page.locator("#org-users-message")).to_have_text(f"{OLA.name} behandler nå informasjonskrav.")
        ola.goto("/members/")  # the dashboard says what is overdue and leads to the cases
        attention = ola.locator("#dashboard-attention li[data-kind='information_requests_overdue'] a")
        expect(attention).to_contain_text("passert svarfristen")
        expect(sidebar).to_be_visible()
        attention.click()
        expect(ola.locator("#requests-body tr[data-overdue='true']").first).to_contain_text("over fristen")
    finally:
        ola.context.close()
        if not duty.is_checked():
            duty.check()
