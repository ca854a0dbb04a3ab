"""An audit company in the browser: Ayşe invites Nordic Audit AS to her Bursa site, its admin
accepts, an auditor uploads a SMETA 7.0 audit with two findings; Ayşe sees who uploaded it, disputes
one finding and plans the action of the other with evidence, which the auditor verifies by desk
review; Ayşe's customer Kari reads all of it."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in
from tests.e2e.test_producer_journeys import pdf, png

pytestmark = pytest.mark.e2e
AYSE, KARI = DEMO_USERS[3], DEMO_USERS[1]
SOFIE, JONAS = (
    next(u for u in DEMO_USERS if u.email == e)
    for e in ("sofie@nordicaudit.example", "jonas@nordicaudit.example")
)
SITE = "ZS-4KQ7-TR2"  # Anatolia Tekstil – Bursa: no audit company invited in the demo world
OWN_AUDIT = "a1f00d0000000000000000000000a001"  # Ayşe's own SMETA audit of Denizli (ZS-4KQ7-TR1)
UPLOADED_BY = "Lastet opp av Nordic Audit AS, ledende revisor Sofie Lind (APSCA 21700123)"


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def plan_action(card, note: str, file_name: str) -> None:
    """Ayşe plans the corrective action, uploads her evidence and says it is done."""
    action = card.locator("form[data-action-form]")
    expect(action).to_be_visible()
    card.locator("input[type=file][name=evidence]").set_input_files(
        files=[{"name": file_name, "mimeType": "image/png", "buffer": png(tuple(os.urandom(3)))}]
    )
    card.locator("button[data-evidence-upload]").click()
    expect(card.locator("[data-evidence-list] li[data-evidence-status='available']")).to_have_count(
        1, timeout=20_000
    )
    action.locator("[name=root_cause]").fill("Ingen fast rutine.")
    action.locator("[name=action]").fill("Daglig kontroll, signert av skiftleder.")
    action.locator("[name=owner]").fill("Fabrikksjef")
    action.locator("[name=completion_note]").fill(note)
    action.locator("[name=status]").select_option("awaiting_verification")
    action.get_by_role("button", name=re.compile("Lagre tiltaket")).click()
    expect(card.locator("[data-action-status]")).to_have_text("Tiltaket er lagret.", timeout=10_000)
    expect(card.locator("[data-action-meta]")).to_contain_text("Status: Venter på verifisering")


def test_an_audit_company_uploads_a_smeta_7_audit_and_verifies_the_producers_action_by_desk_review(page):
    """The issue's journey: Ayşe invites Nordic Audit AS to her Bursa site; its auditor uploads a
    SMETA 7.0 audit with two findings; Ayşe disputes one and plans an action for the other with
    evidence; the auditor reads the evidence and verifies it by desk review; Kari reads who verified
    it, how and when, and that an action Ayşe closed on her own is still awaiting verification."""
    today = datetime.now(UTC).date()
    verified = (
        f"Lukket – verifisert av Nordic Audit AS, dokumentgjennomgang, {today.day}.{today.month}.{today.year}"
    )
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

    log_in(page, JONAS)  # an auditor uploads a SMETA 7.0 audit, with Sofie as lead auditor
    page.goto("/members/auditor/")
    page.locator("#auditor-table tr", has_text=SITE).get_by_role(
        "link", name=re.compile("Revisjoner og opplasting")
    ).click()
    expect(page.locator("#auditor-site-heading")).to_contain_text("Anatolia Tekstil – Bursa (ZS-4KQ7-TR2)")
    upload = page.locator("#auditor-audit-form")
    expect(upload.locator("[name=ms_rating]")).to_be_hidden()  # only SMETA 7.0 reports give one
    upload.locator("[name=audit_type]").select_option("smeta7_4")
    upload.locator("[name=ms_rating]").select_option(label="Noen forbedringer anbefales")
    upload.locator("[name=reference]").fill("NA-2026-0188")
    upload.locator("[name=announcement]").select_option("unannounced")
    upload.locator("[name=audit_date]").fill("2026-11-10")
    upload.locator("[name=lead_auditor_id]").select_option(label="Sofie Lind (APSCA 21700123)")
    upload.locator("#auditor-audit-file").set_input_files(
        files=[
            {
                "name": "smeta7-bursa-2026-11.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf("SMETA 7.0 4-pillar, Bursa"),
            }
        ]
    )
    page.locator("#auditor-audit-submit").click()
    status = page.locator("#auditor-audit-status")
    expect(status).to_contain_text("Revisjonen er lastet opp, og rapporten er kontrollert.", timeout=20_000)
    status.get_by_role("link", name="Legg til funnene").click()
    expect(page.locator("#auditor-audit-source")).to_have_text(re.compile(re.escape(UPLOADED_BY)))
    expect(page.locator("#auditor-audit-type")).to_have_text("SMETA 7.0 4-pilar")
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
    expect(page.locator("#audit-facts")).to_contain_text("Noen forbedringer anbefales")
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
    # ... and plans the action for the other, with evidence: done, for the company to verify
    plan_action(
        page.locator("li[data-finding-id]", has_text="Nødutgangen"),
        "Låsen er fjernet 20. november; se bildet av utgangen.",
        "nodutgang-bursa.png",
    )
    page.reload()  # stored, not just shown
    expect(card.locator("[data-disputes]")).to_contain_text("Tillegget står på side 2 av lønnsslippen")
    expect(
        page.locator("li[data-finding-id]", has_text="Nødutgangen").locator("[data-disputes] li")
    ).to_have_count(0)

    # A second action, on Ayşe's own audit of Denizli, she says is done with nobody to check it yet.
    page.goto(f"/members/audit/?id={OWN_AUDIT}")
    plan_action(
        page.locator("li[data-finding-id]", has_text="overtidssatsen"),
        "Malen for lønnsslipp viser nå overtidssatsen.",
        "lonnsslipp.png",
    )
    log_out(page)

    log_in(page, JONAS)  # the auditor finds the action in the company's list of work to verify ...
    page.goto("/members/")
    expect(page.locator("#dashboard-attention")).to_contain_text(
        "venter på at revisjonsselskapet verifiserer"
    )
    page.goto("/members/auditor/")
    waiting = page.locator("#auditor-verifications-table tr", has_text="Nødutgangen i lageret var låst.")
    expect(waiting).to_contain_text("Anatolia Tekstil – Bursa (ZS-4KQ7-TR2)")
    expect(waiting).to_contain_text("Større avvik – 3 Arbeidsforholdene er trygge og hygieniske")
    waiting.get_by_role("link", name=re.compile("Verifiser")).click()
    assert page.url.endswith(audit_address.split("/members/")[1])
    # ... reads the dispute, opens the evidence and verifies by desk review
    disputed = page.locator("#auditor-findings li", has_text="Overtidstillegget")
    expect(disputed).to_contain_text("Bestridt av produsenten")
    expect(disputed).to_contain_text("Tillegget står på side 2 av lønnsslippen")
    card = page.locator("#auditor-findings li", has_text="Nødutgangen")
    expect(card.locator("[data-action-status]")).to_contain_text("Venter på verifisering")
    expect(card).to_contain_text("Låsen er fjernet 20. november")
    evidence = card.locator("[data-evidence-list] li", has_text="nodutgang-bursa.png")
    with page.expect_download() as fetched:
        evidence.get_by_role("button", name=re.compile("Last ned")).click()
    assert fetched.value.suggested_filename == "nodutgang-bursa.png"
    form = card.locator("[data-verify-form]")
    form.locator("[name=method]").select_option("desk_review")
    form.locator("[name=reason]").fill("Bildet viser at låsen er borte.")
    form.get_by_role("button", name=re.compile("Godkjenn og lukk")).click()
    expect(page.locator("#auditor-findings-message")).to_contain_text("Tiltaket er lukket som verifisert")
    expect(page.locator("#auditor-findings li", has_text="Nødutgangen")).to_contain_text(verified)
    log_out(page)

    log_in(page, KARI)  # the customer reads who uploaded, what is disputed, who verified, how and when
    page.goto("/members/supplier/?id=org-anatolia")
    page.locator("#supplier-audits tr", has_text="Bursa").filter(has_text="Nordic Audit AS").get_by_role(
        "button"
    ).click()
    panel = page.locator("#supplier-audit")
    expect(panel).to_contain_text(UPLOADED_BY)
    expect(panel.locator("li[data-finding-id]", has_text="Overtidstillegget")).to_contain_text(
        "Bestridt av produsenten"
    )
    exit_card = panel.locator("li[data-finding-id]", has_text="Nødutgangen")
    expect(exit_card.locator("[data-verification]")).to_have_text(verified)
    page.locator(f"[data-action=show-audit][data-audit-id={OWN_AUDIT}]").click()
    own = page.locator("#supplier-audit li[data-finding-id]", has_text="overtidssatsen")
    expect(own.locator("[data-verification]")).to_have_text("Venter på verifisering")


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
