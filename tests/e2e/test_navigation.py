"""The header and the navigation follow who is logged in: each person sees their own pages, their
name and a log-out; the members area has no previous/next links; a page reached from a list keeps
its place in the sidebar; the language switch keeps the address's query and fragment; search finds
the page language's own public pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from infra.seed import DEMO_USERS
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e
STAFF, KARI, AYSE = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[3]
ANATOLIA = "org-anatolia"  # one of Nordlys's suppliers


def sidebar(page: Page) -> list[str]:
    """The titles of the members area's pages that the sidebar shows."""
    links = page.locator(".md-sidebar--primary a[data-nav='members']")
    return [link.inner_text().strip() for link in links.all() if link.is_visible()]


def test_each_person_sees_their_own_pages_their_name_and_a_log_out(page, browser, stack):
    page.goto("/about/")
    tabs = page.locator(".md-tabs")
    expect(tabs.get_by_role("link", name="Logg inn")).to_be_visible()
    expect(tabs.get_by_role("link", name="Medlemsområde")).to_be_hidden()
    expect(page.locator(".ieh-member")).to_be_hidden()

    log_in(page, AYSE)
    expect(page.locator("#ieh-member-name")).to_have_text(AYSE.name)
    expect(page.locator("header").get_by_role("button", name="Logg ut")).to_be_visible()
    expect(tabs.get_by_role("link", name="Logg inn")).to_be_hidden()
    expect(page.locator(".md-sidebar--primary a[data-nav='members']").first).to_be_visible()
    assert sidebar(page) == [
        "Oversikt",
        "Virksomheten",
        "Revisjoner",
        "Kunder",
        "Risiko",
        "Informasjonskrav",  # an org admin handles the organisation's information requests
        "Kurs og påmelding",
        "Dokumenter",
        "Min konto",
        "Organisasjonen",
    ]
    # a public page in the same tab knows who is logged in without asking
    page.goto("/sedex/")
    expect(page.locator("#ieh-member-name")).to_have_text(AYSE.name)
    expect(tabs.get_by_role("link", name="Medlemsområde")).to_be_visible()
    # and so does a new tab, before any members page has been opened in it
    other_tab = page.context.new_page()
    other_tab.goto("/about/")
    expect(other_tab.locator("#ieh-member-name")).to_have_text(AYSE.name)
    expect(other_tab.locator(".md-tabs").get_by_role("link", name="Logg inn")).to_be_hidden()

    buyer = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    staff = browser.new_context(base_url=stack.url, locale="nb-NO").new_page()
    try:
        log_in(buyer, KARI)
        expect(buyer.locator("#ieh-member-name")).to_have_text(KARI.name)
        expect(buyer.locator(".md-sidebar--primary a[data-nav='members']").first).to_be_visible()
        assert "Leverandører" in sidebar(buyer)
        assert not {"Virksomheten", "Revisjoner", "Kunder", "IEH-administrasjon"} & set(sidebar(buyer))
        log_in(staff, STAFF)
        expect(staff.locator(".md-sidebar--primary a[data-nav='members']").first).to_be_visible()
        assert "IEH-administrasjon" in sidebar(staff)
        assert not {"Virksomheten", "Leverandører"} & set(sidebar(staff))
    finally:
        buyer.context.close()
        staff.context.close()

    # log out from the header, on any page
    page.goto("/members/courses/")
    page.locator("header").get_by_role("button", name="Logg ut").click()
    expect(page).to_have_url(re.compile(r"/login/\?logged_out=1"))
    expect(page.locator(".ieh-member")).to_be_hidden()
    expect(tabs.get_by_role("link", name="Logg inn")).to_be_visible()
    expect(tabs.get_by_role("link", name="Medlemsområde")).to_be_hidden()
    expect(other_tab.locator(".ieh-member")).to_be_hidden()  # logged out in the other tab too


def test_the_members_area_has_no_previous_or_next_links_and_a_supplier_keeps_its_place(page):
    log_in(page, KARI)
    for path in ("/members/", "/members/suppliers/", "/members/account/", "/en/members/risk/"):
        page.goto(path)
        expect(page.locator(".md-sidebar--primary a[data-nav='members']").first).to_be_visible()
        expect(page.locator(".md-footer__link")).to_have_count(0)
    page.goto("/members/suppliers/")
    own = page.locator(".md-sidebar--primary a.md-nav__link--active[data-nav='members']")
    highlighted = own.evaluate("link => getComputedStyle(link).color")
    page.goto(f"/members/supplier/?id={ANATOLIA}")
    expect(page.locator("#supplier-heading")).not_to_be_empty()
    current = page.locator(".md-sidebar--primary li.md-nav__item--active > a[data-nav='members']")
    expect(current).to_have_text(re.compile("Leverandører"))
    expect(current).to_be_visible()
    expect(current).to_have_css("color", highlighted)  # marked as the current item, not only opened
    expect(page.locator(".md-tabs__item--active")).to_have_text(re.compile("Medlemsområde"))


def test_the_language_switch_keeps_the_query_and_the_fragment(page):
    log_in(page, KARI)
    page.goto(f"/members/supplier/?id={ANATOLIA}#audits")
    expect(page.locator("#supplier-heading")).not_to_be_empty()
    page.locator(".md-header .md-select").hover()
    page.locator(".md-select__link[hreflang=en]").click()
    expect(page).to_have_url(re.compile(rf"/en/members/supplier/\?id={ANATOLIA}#audits$"))
    expect(page.locator("#supplier-heading")).not_to_be_empty()
    expect(page.locator("#supplier-message")).to_be_empty()


@pytest.mark.parametrize(
    ("path", "query", "own", "other"),
    [("/about/", "Sedex", "/sedex/", "/en/"), ("/en/about/", "Sedex", "/en/sedex/", None)],
)
def test_search_finds_the_page_languages_own_public_pages(page, stack, path, query, own, other):
    page.goto(path)
    box = page.locator(".md-search__input")
    box.click()  # at 1280 px the search box stands in the header
    results = page.locator(".md-search-result__list a")
    for _ in range(20):  # what is typed before the search index has loaded finds nothing: type again
        box.fill("")
        box.press_sequentially(query)
        page.wait_for_timeout(250)
        if results.count():
            break
    expect(results.first).to_be_visible()
    hrefs = [re.split(r"[?#]", link.get_attribute("href") or "")[0] for link in results.all()]
    assert own in [href.removeprefix(stack.url) for href in hrefs], hrefs
    assert not [href for href in hrefs if "undefined" in href], hrefs
    assert not [href for href in hrefs if "/members/" in href or "/login/" in href], hrefs
    if other:
        assert not [href for href in hrefs if other in href], hrefs
    else:
        assert all("/en/" in href for href in hrefs), hrefs


def test_a_wrong_second_factor_code_says_so_once_and_the_password_can_be_shown(page):
    page.goto("/login/")
    page.locator("#login-email").fill(STAFF.email)
    page.locator("#login-password").fill(STAFF.password)
    page.get_by_label("Vis passordet").check()
    expect(page.locator("#login-password")).to_have_attribute("type", "text")
    page.get_by_label("Vis passordet").uncheck()
    expect(page.locator("#login-password")).to_have_attribute("type", "password")
    page.locator("#login-submit").click()
    code = page.locator("#login-totp-code")
    expect(code).to_be_visible()
    code.fill("000000")
    page.locator("#login-submit").click()
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(code).to_be_focused()
    shown = page.locator("main").inner_text()
    error = page.locator("#error-login-totp-code").inner_text()
    assert error
    assert shown.count(error) == 1, shown


def test_a_chosen_dark_theme_holds_from_the_first_paint_of_the_next_page(page):
    page.goto("/")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.locator("label[title='Bytt til mørkt tema']").click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    # the scheme must be on the body before anything is painted: record it at the first frame
    page.add_init_script(
        "requestAnimationFrame(() => { window.__firstFrameScheme = document.body && document.body.dataset.mdColorScheme; })"
    )
    page.goto("/en/about/")
    assert page.evaluate("window.__firstFrameScheme") == "slate"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
