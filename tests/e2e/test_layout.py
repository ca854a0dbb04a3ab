"""Nothing overflows its column: every members page each demo role sees (its own navigation, and the
supplier, site and audit pages its lists lead to), at desktop (1280 px) and phone (390 px) width,
once it has its data. A wide table may scroll inside its own container; nothing else may stick out
of the content column, and no page scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from infra.seed import DEMO_USERS
from tests.e2e.test_accessibility import HREF_PATH, Auditor
from tests.e2e.test_member_journeys import log_in

pytestmark = pytest.mark.e2e

# One of each kind of person: IEH staff, a buyer's admin and member (who handles its information
# requests), a producer's admin and member.
ROLES = [DEMO_USERS[i] for i in (0, 1, 2, 3, 6)]
WIDTHS = [1280, 390]
# A list page and the link on it that leads to one of its detail pages.
DETAILS = {
    "/members/suppliers/": "#suppliers-table a[href*='supplier/?id=']",
    "/members/producer/": "#sites-table a[href*='site/?id=']",
    "/members/audits/": "#audits-table a[href*='audit/?id=']",
    "/members/requests/": "#requests-table a[href*='request/?id=']",
}
# The members pages the navigation offers this person (kit/header.js hides the items of other roles).
NAV_PAGES = """() => [...document.querySelectorAll('.md-sidebar--primary a[data-nav="members"]')]
  .filter((a) => !a.closest('[hidden]'))
  .map((a) => new URL(a.href).pathname)"""
# Elements sticking out of the content column (a table may scroll inside its own box instead),
# a chart's labels cut off by its drawing, and whether the page itself is wider than the window.
OVERFLOWING = """() => {
  const column = document.querySelector('.md-content');
  const box = column.getBoundingClientRect();
  // Only a table may scroll sideways in its own box (a chart or a form has to fit its column).
  const contained = (node) => Boolean(node.closest('.ieh-table-wrap, .md-typeset__scrollwrap'));
  const name = (node) => node.tagName.toLowerCase() + (node.id ? '#' + node.id : '') +
    (typeof node.className === 'string' && node.className ? '.' + node.className.trim().split(/\\s+/).join('.') : '');
  const out = [];
  for (const node of column.querySelectorAll('*')) {
    const rect = node.getBoundingClientRect();
    if (rect.width < 2 || rect.height < 2 || node.closest('.ieh-sr-only')) continue;
    if ((rect.right > box.right + 1 || rect.left < box.left - 1) && !contained(node)) {
      out.push(`${name(node)} ${Math.round(rect.left)}–${Math.round(rect.right)} in ${Math.round(box.left)}–${Math.round(box.right)}`);
    }
  }
  for (const text of column.querySelectorAll('svg text')) {  // a chart's labels, clipped by their svg
    const rect = text.getBoundingClientRect();
    const svg = text.ownerSVGElement.getBoundingClientRect();
    if (rect.width && (rect.right > svg.right + 1 || rect.left < svg.left - 1)) out.push(`svg text «${text.textContent}» cut off`);
  }
  const wide = document.documentElement.scrollWidth - document.documentElement.clientWidth;
  if (wide > 1) out.push(`the page scrolls sideways by ${wide} px`);
  return out.slice(0, 8);
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("who", ROLES, ids=lambda who: who.email.split("@")[0])
def test_no_members_page_overflows_its_column(browser: Browser, stack, who, width):
    context = browser.new_context(
        base_url=stack.url, locale="nb-NO", viewport={"width": width, "height": 900}
    )
    try:
        page = context.new_page()
        auditor = Auditor(page)
        log_in(page, who)
        auditor.load("/members/")
        pages = page.evaluate(NAV_PAGES)
        assert "/members/" in pages, pages
        assert len(pages) >= 4, pages
        problems: dict[str, list[str]] = {}
        queue = list(dict.fromkeys(pages))
        visited: list[str] = []
        while queue:
            path = queue.pop(0)
            visited.append(path)
            auditor.load(path)
            if path in DETAILS and page.locator(DETAILS[path]).count():
                queue.append(
                    page.evaluate(HREF_PATH, page.locator(DETAILS[path]).first.get_attribute("href"))
                )
            found = page.evaluate(OVERFLOWING)
            if found:
                problems[path] = found
        assert problems == {}, f"{who.email} at {width} px: {problems}"
        assert who.is_staff or len(visited) > len(pages), f"no detail page reached from {pages}"
    finally:
        context.close()


def test_the_check_sees_what_sticks_out_and_lets_a_scrolling_table_be(page):
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto("/about/")
    assert page.evaluate(OVERFLOWING) == []
    page.evaluate("""() => {
      const column = document.querySelector('.md-content__inner');
      const wrap = Object.assign(document.createElement('div'), {className: 'ieh-table-wrap md-typeset'});
      wrap.innerHTML = '<table style="width: 900px"><tr><td>wide, scrolls in its wrap</td></tr></table>';
      column.append(wrap);
    }""")
    assert page.evaluate(OVERFLOWING) == []
    page.evaluate("""() => document.querySelector('.md-content__inner').insertAdjacentHTML(
      'beforeend', '<p id="too-wide" style="width: 600px">wider than a phone</p>')""")
    found = page.evaluate(OVERFLOWING)
    assert any(line.startswith("p#too-wide ") for line in found), found
    assert any("scrolls sideways" in line for line in found), found
