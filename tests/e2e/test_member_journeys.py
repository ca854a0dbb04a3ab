"""Members and IEH staff in the browser: approval → invitation → password → course → logout;
a wrong password; a document download; an organisation admin disabling a colleague."""

from __future__ import annotations

import json
import re
import urllib.request
import uuid

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.support import fresh_totp_code

pytestmark = pytest.mark.e2e
STAFF, BUYER_ADMIN, BUYER_MEMBER, _ = DEMO_USERS[:4]


def apply_for_membership(stack, name: str, email: str, number: str = "987654325", **changes) -> dict:
    """A visitor's application, as the public form sends it (that form has its own test)."""
    body = {
        "submission_id": str(uuid.uuid4()),
        "organisation_name": name,
        "organisation_number": number,
        "category": "company",
        "annual_turnover_nok": 20_000_000,
        "contact_name": "Solveig Strand",
        "email": email,
        "consent": True,
        **changes,
    }
    request = urllib.request.Request(  # noqa: S310 - the local stack
        f"{stack.url}/api/v1/membership-applications",
        data=json.dumps(body).encode(),
        headers={"content-type": "application/json", "x-csrf-token": "form", "accept-language": "nb"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - the local stack
        assert answer.status == 201
        return json.loads(answer.read())


def log_in(page: Page, who, *, path: str = "/login/") -> None:
    page.goto(path)
    page.locator("#login-email").fill(who.email)
    page.locator("#login-password").fill(who.password)
    page.locator("#login-submit").click()
    if who.totp_secret:
        code = page.locator("#login-totp-code")
        expect(code).to_be_visible()
        code.fill(fresh_totp_code(who.email, who.totp_secret))
        page.locator("#login-submit").click()
    expect(page).to_have_url(re.compile(r"/members/"))


def mail_to(stack, address: str, template: str) -> dict:
    found = [json.loads(p.read_text("utf-8")) for p in sorted((stack.data_dir / "outbox").glob("*.json"))]
    [mail] = [m for m in found if m["to"] == address and m["template"] == template]
    return mail


def test_approval_invitation_password_course_and_logout(page, browser, stack):
    email = f"solveig.{uuid.uuid4().hex[:6]}@strandfisk.example"
    apply_for_membership(stack, "Strand Fisk AS", email)

    log_in(page, STAFF)
    page.goto("/members/admin/")
    card = page.locator("#applications-list li", has_text="Strand Fisk AS")
    card.get_by_label("Type organisasjon i portalen").select_option("producer")
    card.locator("[data-action=approve]").click()
    expect(page.locator("#applications-message")).to_contain_text(f"Invitasjonen er sendt til {email}")
    page.context.clear_cookies()  # the staff member leaves; the invitee uses the link

    link = re.search(r"http://\S+#token=\S+", mail_to(stack, email, "invitation")["body"]).group(0)
    page.goto(link.removeprefix(stack.url))
    expect(page.locator("#invitation-organisation")).to_contain_text("Strand Fisk AS")
    page.locator("#invitation-name").fill("Solveig Strand")
    page.locator("#invitation-password").fill("sjøluft og saltvann hver dag")
    page.locator("#invitation-submit").click()
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.locator("#dashboard-greeting")).to_contain_text("Solveig Strand")
    expect(page.locator("#dashboard-organisation")).to_contain_text("Strand Fisk AS")

    page.goto("/members/courses/")
    course = page.locator("#courses-list li", has_text="Innføring i aktsomhetsvurderinger")
    course.locator("[data-action=register]").click()
    expect(page.locator("#courses-message")).to_contain_text(
        "Du er påmeldt «Innføring i aktsomhetsvurderinger»"
    )
    expect(course.locator("[data-course-status]")).to_have_text("Du er påmeldt.")
    expect(course.locator("[data-action=cancel]")).to_be_focused()

    page.goto("/members/")
    page.locator("#logout-button").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.get_by_text("Du er logget ut.")).to_be_visible()
    assert page.request.get("/api/v1/me").status == 401
    page.goto("/members/courses/")
    expect(page.locator("#members-message")).to_contain_text("Du må logge inn for å se denne siden.")


def test_staff_see_that_an_applications_number_is_a_members_and_can_only_reject_it(page, stack):
    apply_for_membership(stack, "Nordlys Dagligvare AS", "post@nordlys-dagligvare.example", "923609016")
    log_in(page, STAFF)
    page.goto("/members/admin/")
    card = page.locator("#applications-list li", has_text="post@nordlys-dagligvare.example")
    expect(card.locator("[data-number-member=org-nordlys]")).to_have_text(
        "Organisasjonsnummeret 923609016 tilhører allerede medlemmet Nordlys Dagligvare AS. Søknaden kan"
        " ikke godkjennes som en ny organisasjon – avslå den, eller kontakt medlemmet."
    )
    expect(card.locator("[data-action=approve]")).to_have_count(0)
    expect(card.locator("[data-action=reject]")).to_be_visible()


def test_staff_find_an_application_by_the_reference_the_applicant_quotes(page, stack):
    reference = apply_for_membership(stack, "Havbris Sjømat AS", "post@havbris.example")["reference"]
    log_in(page, STAFF)
    page.goto("/members/admin/")
    find = page.locator("#applications-find-form")
    find.get_by_label("Finn en søknad etter referansenummer").fill(reference.removeprefix("IEH-").lower())
    find.get_by_role("button", name="Finn søknaden").click()
    cards = page.locator("#applications-list li")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("h3")).to_have_text("Havbris Sjømat AS")
    expect(cards.first.locator("dt", has_text="Referansenummer").locator("+ dd")).to_have_text(reference)

    find.get_by_label("Finn en søknad etter referansenummer").fill("IEH-ZZZZZZ")
    find.get_by_role("button", name="Finn søknaden").click()
    expect(page.locator("#applications-empty")).to_have_text("Ingen søknad har referansenummeret IEH-ZZZZZZ.")
    expect(cards).to_have_count(0)


def test_staff_see_every_field_the_applicant_gave_under_its_label(page, stack):
    reference = apply_for_membership(
        stack,
        "Framtiden i våre hender",
        "post@fivh.example",
        category="organisation",
        annual_turnover_nok=3_000_000,
        employees=12,
        phone="+47 22 33 44 55",
        message="Vi vil gjerne bli medlem.",
    )["reference"]
    log_in(page, STAFF)
    page.goto("/members/admin/")
    card = page.locator("#applications-list li", has_text=reference)
    expect(card.locator("dt").first).to_be_visible()
    shown = dict(zip(card.locator("dt").all_inner_texts(), card.locator("dd").all_inner_texts(), strict=True))
    assert shown.pop("Kontingent").startswith(
        "Årskontingent: kr 7\u00a0700–41\u00a0600"
    )  # and this year's share
    assert shown | {"Mottatt": "…"} == {
        "Referansenummer": reference,
        "Organisasjonsnummer": "987654325",
        "Medlemstype": "Organisasjon",
        "Årlig omsetning": "kr 3\u00a0000\u00a0000",
        "Antall ansatte": "12",
        "Kontaktperson": "Solveig Strand",
        "E-post": "post@fivh.example",
        "Telefon": "+4722334455",
        "Søkerens språk": "Norsk",
        "Samtykke": "Gitt: IEH kan behandle opplysningene i søknaden",
        "Mottatt": "…",
        "Status": "Mottatt",
    }
    expect(card.locator("h3")).to_have_text("Framtiden i våre hender")
    expect(card.locator("blockquote")).to_have_text("Vi vil gjerne bli medlem.")


def test_a_wrong_password_shows_a_message_and_starts_no_session(page):
    page.goto("/login/")
    page.locator("#login-email").fill(BUYER_MEMBER.email)
    page.locator("#login-password").fill("not the right password")
    page.locator("#login-submit").click()
    expect(page.locator("#login-message")).to_have_text("Feil e-postadresse eller passord.")
    expect(page.locator("#login-message")).to_be_focused()  # read out by screen readers
    expect(page.locator("#login-password")).to_have_value("")
    assert not [c for c in page.context.cookies() if c["name"] == "ieh_session"]
    assert page.request.get("/api/v1/me").status == 401


def test_a_member_downloads_a_guide_in_english(page):
    log_in(page, BUYER_MEMBER, path="/en/login/")
    page.goto("/en/members/resources/")
    row = page.locator("#resources-body tr", has_text="Guide: getting started with the portal")
    expect(row).to_contain_text("Guide")
    with page.expect_download() as started:
        row.locator("[data-action=download]").click()
    download = started.value
    assert download.suggested_filename == "kom-i-gang-med-portalen.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_an_org_admin_disables_a_colleague_who_is_logged_out_at_once(page, browser, stack):
    colleague = browser.new_context(base_url=stack.url, locale="nb-NO")
    ola = colleague.new_page()
    log_in(ola, BUYER_MEMBER)

    log_in(page, BUYER_ADMIN)
    page.goto("/members/organisation/")
    row = page.locator("#org-users-body tr", has_text=BUYER_MEMBER.email)
    row.locator("[data-action=disable]").click()
    expect(page.locator("#org-users-message")).to_contain_text("er deaktivert og kan ikke lenger logge inn")
    expect(page.locator("#security-events-body tr[data-kind=user_disabled]").first).to_contain_text(
        BUYER_MEMBER.email
    )

    ola.goto("/members/courses/")
    expect(ola.locator("#members-message")).to_contain_text("Logg inn på nytt")
    page.locator("#org-users-body tr", has_text=BUYER_MEMBER.email).locator("[data-action=enable]").click()
    expect(page.locator("#org-users-message")).to_contain_text("er aktivert igjen")
    colleague.close()


def test_the_home_page_lists_what_each_person_must_act_on_most_urgent_first(page, browser, stack):
    apply_for_membership(
        stack, "Kvitfjell Tare AS", f"post.{uuid.uuid4().hex[:6]}@kvitfjelltare.example", "915432107"
    )
    log_in(page, STAFF)
    waiting = page.locator("#dashboard-attention li").first
    expect(waiting).to_contain_text(re.compile(r"søknad(er)? om medlemskap venter på avgjørelse"))
    waiting.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/members/admin/#applications$"))
    expect(page.locator("#applications-list li", has_text="Kvitfjell Tare AS")).to_be_visible()

    buyer = browser.new_page(base_url=stack.url)
    log_in(buyer, BUYER_ADMIN)
    items = buyer.locator("#dashboard-attention li")
    # an information request past its deadline is the most urgent (the demo world has one for Nordlys)
    expect(items.first).to_contain_text("informasjonskrav har passert svarfristen")
    expect(items.nth(1)).to_contain_text("produksjonsstedene i leverandørkjeden din har høy risiko")
    expect(items.filter(has_text="ikke bekreftet firmaprofilen")).to_contain_text("Dhaka Knitwear Ltd.")
    expect(items.last).to_have_text("Beskytt kontoen med tofaktorinnlogging.")  # what merely helps comes last
    expect(buyer.locator("#dashboard-attention-empty")).to_be_hidden()
    buyer.close()
