"""A producer in the browser: a site, its SAQ (draft, reload, submit), an audit report, a rejected
renamed file, a finding with its corrective action and evidence."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
PRODUCER = DEMO_USERS[3]
SITE = "ZS-4KQ7-TR2"  # Anatolia Tekstil – Bursa: its SAQ is a draft, half done


def pdf(text: str) -> bytes:
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=12)
    document.cell(text=text)
    return bytes(document.output())


def png(colour: tuple[int, int, int] = (20, 120, 60)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def answer_open_questions(page: Page, section: str | None = None, limit: int | None = None) -> int:
    """Answer what is shown and unanswered, as a careful producer would ("no" to yes/no questions,
    so fewer follow-ups appear); answering can show new questions, so look again each time."""
    answered = 0
    scope = f"[data-section-id='{section}'] " if section else ""
    while limit is None or answered < limit:
        for question in page.locator(f"{scope}[data-question-id]").all():
            if not question.is_visible():
                continue
            kind = question.get_attribute("data-question-type")
            radios = question.locator("input[type=radio]")
            if kind == "yes_no" or (kind == "choice" and radios.count()):
                if radios.locator("xpath=self::*[@checked or @aria-checked='true']").count() or any(
                    r.is_checked() for r in radios.all()
                ):
                    continue
                (
                    question.locator("input[type=radio][value=no]") if kind == "yes_no" else radios.first
                ).check()
            elif kind == "choice":
                select = question.locator("select")
                if select.input_value():
                    continue
                select.select_option(index=1)
            elif kind == "number":
                field = question.locator("input")
                if field.input_value():
                    continue
                field.fill(field.get_attribute("min") or "8")
            else:
                field = question.locator("textarea")
                if field.input_value():
                    continue
                field.fill("Beskrevet i håndboken for produksjonsstedet.")
            answered += 1
            break  # the questions shown may have changed
        else:
            return answered
    return answered


def test_a_producer_keeps_a_site_and_submits_its_self_assessment(page):
    log_in(page, PRODUCER)
    page.goto("/members/producer/")
    page.locator(f"#sites-table tbody tr[data-site-id='{SITE}'] [data-site-link]").click()
    expect(page).to_have_url(re.compile(rf"/members/site/\?id={SITE}"))

    form = page.locator("#site-form")
    form.locator("[name='workforce.total']").fill("190")
    form.locator("[name='workforce.women']").fill("125")
    page.locator("#site-submit").click()
    expect(page.locator("#site-save-message")).to_be_visible()
    expect(page.locator("#site-stale")).to_be_hidden()

    environment = page.locator("[data-section-id='environment'] [data-completion]")
    expect(environment).to_have_attribute("data-answered", "0")
    with page.expect_response(lambda r: r.url.endswith("/saq/draft") and r.request.method == "PUT") as saved:
        assert answer_open_questions(page, "environment", limit=3) == 3  # saved a moment after typing
    assert saved.value.status == 200
    expect(page.locator("#saq-save-status")).to_have_attribute("data-state", "saved")

    page.reload()  # the draft is kept on the server, not in the browser
    expect(environment).to_have_attribute("data-answered", "3")

    # Submitting too early is allowed: it says what is missing, with a link to each question.
    submit = page.locator("#saq-submit")
    expect(submit).to_be_enabled()
    submit.click()
    summary = page.locator("#saq-form .ieh-form__summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Egenvurderingen kan ikke sendes inn ennå")
    first = summary.locator("a").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_focused()

    with page.expect_response(lambda r: r.url.endswith("/saq/draft") and r.request.method == "PUT"):
        answer_open_questions(page)
    expect(page.locator("#saq-submit-hint")).to_contain_text("Du kan sende inn", timeout=10_000)
    submit.click()
    dialog = page.get_by_role("dialog", name="Sende inn egenvurderingen?")
    expect(dialog).to_contain_text("kan ikke endres")
    dialog.get_by_role("button", name="Avbryt").click()  # nothing is sent
    expect(dialog).to_have_count(0)
    expect(page.locator("#saq-versions-empty")).to_be_visible()
    submit.click()
    dialog.get_by_role("button", name="Send inn").click()
    expect(page.locator("#saq-versions tbody tr[data-version-number='1']")).to_be_visible()

    # The same answers again are no new version: the page says so and sends nothing.
    expect(page.locator("#saq-submit-hint")).to_contain_text("sendt inn som versjon 1")
    expect(submit).to_have_attribute("aria-disabled", "true")  # said unavailable, still reachable
    sent = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/saq/submit") else None)
    submit.focus()
    page.keyboard.press("Enter")
    expect(summary).to_contain_text("Svarene er sendt inn som versjon 1")
    expect(dialog).to_have_count(0)
    assert sent == []


def test_a_producer_uploads_an_audit_and_works_through_a_corrective_action(page):
    log_in(page, PRODUCER)
    page.goto("/members/audits/")

    def register(file_name: str, content: bytes) -> None:
        page.locator("#audit-site").select_option("ZS-4KQ7-TR1")
        page.locator("#audit-type").select_option("smeta_2")
        page.locator("#audit-reference").fill("ITK-TR-2026-1020")
        page.locator("#audit-announcement").select_option(label="Delvis varslet")
        # Denizli has had an audit: this one follows it up, chosen by its name and date
        expect(page.locator("#audit-follows-field")).to_be_visible()
        earlier = page.locator("#audit-follows option", has_text="SMETA 6.1 4-pilar")
        page.locator("#audit-follows").select_option(earlier.get_attribute("value"))
        page.locator("#audit-date").fill("2026-10-20")
        page.locator("#audit-company").fill("Intertek")
        page.locator("#audit-lead-auditor").fill("Elif Demir")
        page.locator("#audit-pillars input[value=labour]").check()
        page.locator("#audit-pillars input[value=health_safety]").check()
        page.locator("#audit-file").set_input_files(
            files=[{"name": file_name, "mimeType": "application/pdf", "buffer": content}]
        )
        page.locator("#audit-submit").click()

    register("timeliste.pdf", b"Navn;Timer\nAyse;48\n" * 40)  # a spreadsheet renamed to .pdf
    form = page.locator("#audit-form")  # the reason is shown at the file field and in the summary
    expect(form).to_contain_text("Filen ble avvist", timeout=20_000)
    expect(form).to_contain_text("Filen er ikke en PDF, uansett hva den heter.")
    status = page.locator("#audit-upload-status")

    register("smeta-denizli-2026-10.pdf", pdf("SMETA 2-pillar, Denizli, October 2026"))
    expect(status).to_contain_text("rapporten er kontrollert og tilgjengelig", timeout=20_000)
    status.get_by_role("link", name="Åpne revisjonen").click()
    expect(page.locator("#audit-document [data-document-status]")).to_have_attribute(
        "data-document-status", "available"
    )
    facts = page.locator("#audit-facts")
    expect(facts).to_contain_text("SMETA 6.1 2-pilar (Sedex, versjon 6.1)")
    expect(facts).to_contain_text("ITK-TR-2026-1020")
    expect(facts).to_contain_text("Delvis varslet")
    expect(facts).to_contain_text("Oppfølging av SMETA 6.1 4-pilar fra ")
    expect(facts).to_contain_text("Elif Demir")
    expect(facts).not_to_contain_text("semi_announced")

    finding = page.locator("#finding-form")
    finding.locator("[name=grade]").select_option("major")
    expect(finding.locator("[name=pillar]")).to_be_hidden()  # a SMETA finding names its clause
    finding.locator("[name=clause]").select_option(label="3 Arbeidsforholdene er trygge og hygieniske")
    finding.locator("[name=description]").fill("Brannslukkere i lageret var ikke kontrollert.")
    page.locator("#finding-submit").click()
    card = page.locator("li[data-finding-id]", has_text="Brannslukkere i lageret")
    expect(card.locator(".ieh-card__title")).to_have_text(
        "Funn 1: 3 Arbeidsforholdene er trygge og hygieniske (Helse og sikkerhet)"
    )
    action = card.locator("form[data-action-form]")
    expect(action).to_be_visible()

    evidence = card.locator("input[type=file][name=evidence]")
    evidence.set_input_files(files=[{"name": "kontrollert.png", "mimeType": "image/png", "buffer": png()}])
    card.locator("button[data-evidence-upload]").click()
    expect(card.locator("[data-evidence-list] li[data-evidence-status='available']")).to_have_count(
        1, timeout=20_000
    )

    action.locator("[name=root_cause]").fill("Ingen rutine for kontroll.")
    action.locator("[name=action]").fill("Årlig kontroll avtalt med leverandør.")
    action.locator("[name=owner]").fill("Verneombud")
    action.locator("[name=completion_note]").fill("Alle slukkere kontrollert og merket 1. november.")
    action.locator("[name=status]").select_option("awaiting_verification")
    action.get_by_role("button", name=re.compile("Lagre tiltaket")).click()
    expect(card.locator("[data-action-status]")).to_have_text("Tiltaket er lagret.", timeout=10_000)
    expect(card.locator("[data-action-meta]")).to_contain_text("Status: Venter på verifisering")
    page.reload()  # stored, not just shown
    expect(card.locator("[data-action-meta]")).to_contain_text("Status: Venter på verifisering")


def test_a_new_sites_self_assessment_starts_from_its_details_and_points_out_what_contradicts_them(page):
    lucia = DEMO_USERS[5]
    log_in(page, lucia)
    token = page.request.get("/api/v1/me").json()["csrf_token"]
    created = page.request.post(
        "/api/v1/producer/sites",
        headers={"x-csrf-token": token},
        data={
            "name": "Frutas del Sur – Pakkeri",
            "address": {"street": "Avenida 7", "city": "Arica"},
            "country": "CL",  # a country of its own: the staff's hotspots (tests/e2e/test_risk_journeys) stay as they are
            "sector": "food_processing",
            "workforce": {"total": 420, "women": 250, "migrant": 12, "temporary": 0, "agency": 0},
        },
    )
    assert created.status == 201, created.text()
    page.goto(f"/members/site/?id={created.json()['id']}")

    workers = page.locator("[data-question-id='site_profile.workers_total']")
    expect(workers.locator("input")).to_have_value("420")
    expect(workers.locator("[data-prefilled]")).to_have_text(
        "Fylt ut fra opplysningene om produksjonsstedet."
    )
    expect(page.locator("[data-question-id='site_profile.women_share'] input")).to_have_value(
        "60"
    )  # 250 of 420
    agency = page.locator("[data-question-id='site_profile.uses_agency_workers']")
    expect(agency.locator("input[value=no]")).to_be_checked()
    expect(page.locator("#saq-save-status")).to_have_attribute("data-state", "saved", timeout=10_000)

    workers.locator("input").fill("0")
    expect(workers.locator("[data-contradiction]")).to_contain_text("sier «420 personer»")
    agency.locator("input[value=yes]").check()
    expect(agency.locator("[data-contradiction]")).to_contain_text("«Nei»")
    workers.locator("input").fill("420")
    expect(workers.locator("[data-contradiction]")).to_be_hidden()
