"""The public request pages of the Transparency Act: a visitor sends a request on Nordlys's page
(/innsyn/nordlys-dagligvare-as/) in Norwegian and in English, gets the receipt by e-mail with the
case number, the due date and a link to the requester's own page, which shows the case; field
errors and a 429 keep what was typed; after a refusal the requester asks for further reasons."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.e2e.test_accessibility import Auditor, auditor, log_in, report  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e

NORDLYS = "/innsyn/nordlys-dagligvare-as/"
KARI = next(
    u for u in DEMO_USERS if u.email == "kari@nordlys.example"
)  # Nordlys's org admin: handles requests
CASE_NUMBER = re.compile(r"IR-\d{4}-\d{4}")


def receipt_to(stack, address: str) -> dict:
    sent = [json.loads(p.read_text("utf-8")) for p in Path(stack.data_dir, "outbox").glob("*.json")]
    [mail] = [m for m in sent if m["to"] == address]
    return mail


def requester_link(mail: dict) -> str:
    match = re.search(r"https?://[^/\s]+(/(?:en/)?innsyn/sak/#[A-Za-z0-9_-]+)", mail["body"])
    assert match, mail["body"]
    return match.group(1)


def fill_request(page: Page, name: str, email: str, question: str) -> None:
    page.locator("#request-name").fill(name)
    page.locator("#request-email").fill(email)
    page.locator("#request-question").fill(question)


def test_a_visitor_sends_a_request_in_norwegian_and_follows_it(auditor: Auditor, stack) -> None:  # noqa: F811
    page = auditor.page
    page.goto(NORDLYS)
    expect(page.locator("#request-heading")).to_have_text("Informasjonskrav til Nordlys Dagligvare AS")
    expect(page).to_have_title(re.compile("^Informasjonskrav til Nordlys Dagligvare AS"))
    expect(page.locator('[data-md-component="header-topic"]')).to_have_text(
        "Informasjonskrav til Nordlys Dagligvare AS"
    )
    expect(page.locator("#request-page")).to_contain_text("Du trenger ikke si hvorfor du spør")
    # the language switcher leads to the same organisation's page in English
    english = page.locator("a[hreflang='en']").first.get_attribute("href")
    assert english
    assert english.endswith("/en/innsyn/nordlys-dagligvare-as/"), english

    page.get_by_role("button", name="Send kravet").click()
    expect(page.locator("#error-request-name")).to_have_text("Fyll ut dette feltet.")
    expect(page.locator("#error-request-email")).to_have_text(
        "Skriv en e-postadresse eller en postadresse, så svaret kommer fram."
    )
    expect(page.locator("#request-form .ieh-form__summary")).to_be_focused()

    fill_request(
        page, "Ingrid Journalist", "ingrid@avisa.example", "Hvilke risikoer har dere funnet i kaffen?"
    )
    page.locator("#request-concerns").fill("Kaffe, egne merkevarer")
    page.get_by_role("button", name="Send kravet").click()
    receipt = page.locator("#request-receipt")
    expect(receipt).to_be_focused()
    expect(receipt).to_contain_text("Kravet er sendt")
    expect(receipt).to_contain_text("Nordlys Dagligvare AS har fått kravet ditt")
    expect(receipt).to_contain_text("Vi har sendt en kvittering til ingrid@avisa.example")
    number = CASE_NUMBER.search(receipt.inner_text()).group(0)
    due = page.locator("#request-answer-due").inner_text()
    assert re.fullmatch(r"\d{1,2}\. [a-zæøå]+ \d{4}", due), due
    violations = auditor.axe(f"{NORDLYS} (sent)")
    assert violations == [], report(violations)

    mail = receipt_to(stack, "ingrid@avisa.example")
    assert number in mail["subject"] + mail["body"]
    assert due in mail["body"]
    link = requester_link(mail)
    assert link.startswith("/innsyn/sak/#")

    auditor.load(link)
    case = page.locator("#request-case")
    expect(case).to_contain_text(number)
    expect(case).to_contain_text("Nordlys Dagligvare AS")
    expect(case).to_contain_text("Mottatt, ikke påbegynt")
    expect(case).to_contain_text(f"Ingen ennå. Svaret skal komme senest {due}.")
    expect(page.locator("#further-reasons")).to_be_hidden()
    english = page.locator("a[hreflang='en']").first.get_attribute("href")
    assert english
    assert english.endswith(link.replace("/innsyn/", "/en/innsyn/")), english
    violations = auditor.axe("/innsyn/sak/ (a case)")
    assert violations == [], report(violations)


def test_a_visitor_sends_a_request_in_english_after_a_field_error(page: Page, stack) -> None:
    page.goto(f"/en{NORDLYS}")
    expect(page.locator("#request-heading")).to_have_text("Request for information to Nordlys Dagligvare AS")
    fill_request(
        page,
        "Sam Reporter",
        "sam@",
        "Which suppliers of your bananas have you audited, and what did you find?",
    )
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator("#error-request-email")).to_be_visible()  # the API's check of the address
    expect(page.locator("#request-email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#request-question")).to_have_value(re.compile("bananas"))  # nothing typed is lost

    page.locator("#request-email").fill("sam@paper.example")
    page.get_by_role("button", name="Send the request").click()
    receipt = page.locator("#request-receipt")
    expect(receipt).to_contain_text("Your request has been sent")
    expect(receipt).to_contain_text("We have sent a receipt to sam@paper.example")
    number = CASE_NUMBER.search(receipt.inner_text()).group(0)
    due = page.locator("#request-answer-due").inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", due), due

    mail = receipt_to(stack, "sam@paper.example")
    assert number in mail["subject"] + mail["body"]
    link = requester_link(mail)
    assert link.startswith("/en/innsyn/sak/#")
    page.goto(link)
    expect(page.locator("#request-case")).to_contain_text(number)
    expect(page.locator("#request-case")).to_contain_text("Received, not yet started")


def test_a_429_says_when_to_try_again_and_keeps_the_form(page: Page) -> None:
    """The throttle (5 requests per client in ten minutes) is the API's, tested there; here the
    page's handling of its 429 with Retry-After."""
    page.route(
        "**/api/v1/request-pages/*/requests",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "420", "Content-Type": "application/json"},
            body=json.dumps({"error": {"code": "too_many_requests", "message": "Too many"}}),
        ),
    )
    page.goto(NORDLYS)
    fill_request(page, "Ola Nordmann", "ola@example.org", "Hva gjør dere med risikoen i leverandørkjeden?")
    page.get_by_role("button", name="Send kravet").click()
    summary = page.locator("#request-form .ieh-form__summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(re.compile(r"Prøv igjen om 7 minutter, kl\. \d{2}:\d{2}\."))
    expect(summary).to_contain_text("Det du har skrevet, står fortsatt i skjemaet.")
    expect(page.locator("#request-question")).to_have_value("Hva gjør dere med risikoen i leverandørkjeden?")
    expect(page.locator("#request-receipt")).to_be_hidden()


def test_an_unknown_organisation_and_an_unknown_case_are_said_to_be_missing(page: Page) -> None:
    page.goto("/innsyn/finnes-ikke-as/")
    expect(page.locator("#request-heading")).to_have_text("Fant ikke siden")
    expect(page.locator("#request-message")).to_contain_text("Vi finner ingen virksomhet med denne adressen")
    expect(page.locator("#request-form")).to_be_hidden()
    page.goto("/en/innsyn/sak/#no-such-token")
    expect(page.locator("#request-case-message")).to_contain_text("We cannot find this case")


def test_after_a_refusal_the_requester_asks_for_further_reasons(page: Page, stack) -> None:
    page.goto(NORDLYS)
    fill_request(
        page, "Kim Forbruker", "kim@example.org", "Betaler leverandørene av sjokoladen en lønn å leve av?"
    )
    page.get_by_role("button", name="Send kravet").click()
    expect(page.locator("#request-receipt")).to_contain_text("Kravet er sendt")
    number = CASE_NUMBER.search(page.locator("#request-receipt").inner_text()).group(0)
    link = requester_link(receipt_to(stack, "kim@example.org"))

    # Nordlys's handler refuses (the members pages are another developer's; the API is enough here)
    log_in(page, KARI)
    csrf = {"X-CSRF-Token": page.request.get("/api/v1/me").json()["csrf_token"]}
    listed = page.request.get("/api/v1/information-requests?view=open").json()["items"]
    [case_id] = [item["case_id"] for item in listed if item["case_number"] == number]
    base = f"/api/v1/information-requests/{case_id}"
    assert page.request.post(f"{base}/state", data={"state": "in_progress"}, headers=csrf).status == 200
    refusal = {
        "kind": "refusal",
        "text": "Vi kan ikke dele lønnsdata for enkeltleverandører.",
        "ground": "business_secret",
    }
    answer = page.request.post(f"{base}/messages", data=refusal, headers=csrf)
    assert answer.status == 201, answer.text()
    page.request.post("/api/v1/auth/logout", headers=csrf)

    page.goto(link)
    case = page.locator("#request-case")
    expect(case).to_contain_text("Avslått")
    expect(case).to_contain_text("Vi kan ikke dele lønnsdata for enkeltleverandører.")
    intro = page.locator("#further-reasons-intro")
    expect(intro).to_contain_text(re.compile(r"Send dette senest \d{1,2}\. [a-zæøå]+ \d{4}\."))
    page.get_by_role("button", name="Be om begrunnelse").click()
    expect(page.locator("#error-further-text")).to_have_text("Fyll ut dette feltet.")
    page.locator("#further-text").fill(
        "Hvilke leverandører gjelder det, og hvorfor er det en forretningshemmelighet?"
    )
    page.get_by_role("button", name="Be om begrunnelse").click()
    expect(page.locator("#further-reasons-done")).to_contain_text("skal svare deg innen tre uker")
    expect(case).to_contain_text("Du har bedt om en nærmere begrunnelse")
    expect(page.locator("#further-reasons")).to_be_hidden()
