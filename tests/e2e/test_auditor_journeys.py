"""An audit company in the browser: Ayşe invites Nordic Audit AS to her Bursa site, its admin
accepts, an auditor uploads an audit with two findings; Ayşe sees who uploaded it and disputes a
finding, which the auditor and Ayşe's customer Kari then read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in
from tests.e2e.test_producer_journeys import pdf

pytestmark = pytest.mark.e2e
AYSE, KARI = DEMO_USERS[3], DEMO_USERS[1]
SOFIE, JONAS = (
    next(u for u in DEMO_USERS if u.email == e)
    for e in ("sofie@nordicaudit.example", "jonas@nordicaudit.example")
)
SITE = "ZS-4KQ7-TR2"  # Anatolia Tekstil – Bursa: no audit company invited in the demo world
UPLOADED_BY = "Lastet opp av Nordic Audit AS, ledende revisor Sofie Lind (APSCA 21700123)"


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_an_audit_company_is_invited_uploads_an_audit_and_the_producer_disputes_a_finding(page):
    log_in(page, AYSE)
    page.goto("/members/audits/#audit-companies")
    form = page.locator("#invite-form")
    form.locator("[name=site_id]").select_option(SITE)
    form.locator("[name=company_id]").select_option(label="Nordic Audit AS (APSCA, 10000123)")
    page.locator("#invite-submit").click()
    expect(page.locator("#invite-message")).to_contain_text(
        "Nordic Audit AS er invitert til Anatolia Tekstil – Bursa"
    )
    row = page.locator("#invitations-table tr", has_text="Bursa")
    expect(row).to_contain_text("Venter på svar")
    log_out(page)

    log_in(page, SOFIE)  # the company's admin answers
    page.goto("/members/auditor/")
    invitation = page.locator("#auditor-table tr", has_text=SITE)
    expect(invitation).to_contain_text("Venter på svar")
    invitation.get_by_role("button", name=re.compile("Godta")).click()
    expect(page.locator("#auditor-message")).to_contain_text(
        "Du har godtatt invitasjonen fra Anatolia Tekstil A.Ş."
    )
    expect(invitation).to_contain_text("Aktiv")
    log_out(page)

    log_in(page, JONAS)  # an auditor uploads, with Sofie as lead auditor
    page.goto("/members/auditor/")
    page.locator("#auditor-table tr", has_text=SITE).get_by_role(
        "link", name=re.compile("Revisjoner og opplasting")
    ).click()
    expect(page.locator("#auditor-site-heading")).to_contain_text("Anatolia Tekstil – Bursa (ZS-4KQ7-TR2)")
    upload = page.locator("#auditor-audit-form")
    upload.locator("[name=audit_type]").select_option("smeta_4")
    upload.locator("[name=reference]").fill("NA-2026-0188")
    upload.locator("[name=announcement]").select_option("unannounced")
    upload.locator("[name=audit_date]").fill("2026-11-10")
    upload.locator("[name=lead_auditor_id]").select_option(label="Sofie Lind (APSCA 21700123)")
    upload.locator("#auditor-audit-file").set_input_files(
        files=[
            {
                "name": "smeta-bursa-2026-11.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf("SMETA 4-pillar, Bursa"),
            }
        ]
    )
    page.locator("#auditor-audit-submit").click()
    status = page.locator("#auditor-audit-status")
    expect(status).to_contain_text("Revisjonen er lastet opp, og rapporten er kontrollert.", timeout=20_000)
    status.get_by_role("link", name="Legg til funnene").click()
    expect(page.locator("#auditor-audit-source")).to_have_text(re.compile(re.escape(UPLOADED_BY)))
    finding = page.locator("#auditor-finding-form")
    for grade, clause, text in (  # SMETA: by the ETI Base Code clause, which names the pillar
        ("major", "smeta_3", "Nødutgangen i lageret var låst."),
        ("minor", "smeta_5", "Overtidstillegget stod ikke på lønnsslippen."),
    ):
        finding.locator("[name=grade]").select_option(grade)
        finding.locator("[name=clause]").select_option(clause)
        finding.locator("[name=description]").fill(text)
        page.locator("#auditor-finding-submit").click()
        expect(page.locator("#auditor-findings li", has_text=text)).to_be_visible()
    expect(page.locator("#auditor-findings li[data-finding-id]")).to_have_count(2)
    audit_address = page.url
    log_out(page)

    log_in(page, AYSE)  # the producer sees whose audit it is, cannot add findings, disputes one
    page.goto("/members/audits/")
    page.locator("#audits-table tr", has_text="Bursa").filter(has_text="Nordic Audit AS").get_by_role(
        "link"
    ).first.click()
    expect(page.locator("#audit-source")).to_contain_text(UPLOADED_BY)
    expect(page.locator("#company-audit-note")).to_be_visible()
    expect(page.locator("#finding-form")).to_be_hidden()
    card = page.locator("li[data-finding-id]", has_text="Overtidstillegget")
    card.locator("summary", has_text="Bestrid funnet").click()
    card.locator("textarea[name=text]").fill("Tillegget står på side 2 av lønnsslippen; se vedlagt eksempel.")
    card.get_by_role("button", name=re.compile("Send innsigelsen")).click()
    expect(card.locator("[data-dispute-status]")).to_have_text("Innsigelsen er registrert.")
    expect(card.locator("[data-disputes]")).to_contain_text(
        "Bestridt av produsenten: Ayşe Anatolia, Anatolia Tekstil A.Ş."
    )
    page.reload()  # stored, not just shown
    expect(card.locator("[data-disputes]")).to_contain_text("Tillegget står på side 2 av lønnsslippen")
    expect(
        page.locator("li[data-finding-id]", has_text="Nødutgangen").locator("[data-disputes] li")
    ).to_have_count(0)
    log_out(page)

    log_in(page, JONAS)  # the auditor reads the dispute under the finding
    page.goto(audit_address)
    disputed = page.locator("#auditor-findings li", has_text="Overtidstillegget")
    expect(disputed).to_contain_text("Bestridt av produsenten")
    expect(disputed).to_contain_text("Tillegget står på side 2 av lønnsslippen")
    log_out(page)

    log_in(page, KARI)  # and so does the customer, with who uploaded it
    page.goto("/members/supplier/?id=org-anatolia")
    page.locator("#supplier-audits tr", has_text="Bursa").filter(has_text="Nordic Audit AS").get_by_role(
        "button"
    ).click()
    panel = page.locator("#supplier-audit")
    expect(panel).to_contain_text(UPLOADED_BY)
    expect(panel.locator("li[data-finding-id]", has_text="Overtidstillegget")).to_contain_text(
        "Bestridt av produsenten"
    )


def test_the_auditor_verifies_an_action_by_desk_review_and_the_customer_reads_who_how_and_when(page):
    log_in(page, SOFIE)
    page.goto("/members/auditor-audit/?site=ZS-4KQ7-TR1&id=a1f00d0000000000000000000000n001")
    card = page.locator("#auditor-findings li", has_text="personalmapper")
    expect(card.locator("[data-action-status]")).to_contain_text("Venter på verifisering")
    form = card.locator("[data-verify-form]")
    form.get_by_role("button", name=re.compile("Send tilbake")).click()  # no reason: refused beside the field
    expect(form).to_contain_text("Skriv hva som mangler")
    form.locator("[name=method]").select_option("desk_review")
    form.locator("[name=reason]").fill("Kontraktene og kontrollisten er sett.")
    form.get_by_role("button", name=re.compile("Godkjenn og lukk")).click()
    expect(page.locator("#auditor-findings-message")).to_contain_text("Tiltaket er lukket som verifisert")
    verified = re.compile(r"Lukket – verifisert av Nordic Audit AS, dokumentgjennomgang, \d")
    expect(page.locator("#auditor-findings li", has_text="personalmapper")).to_contain_text(verified)
    log_out(page)

    log_in(page, KARI)  # Nordlys sees Anatolia's audits
    page.goto("/members/supplier/?id=org-anatolia")
    page.locator("[data-action=show-audit][data-audit-id=a1f00d0000000000000000000000n001]").click()
    finding = page.locator("#supplier-audit li[data-finding-id]", has_text="personalmapper")
    expect(finding.locator("[data-verification]")).to_have_text(verified)
