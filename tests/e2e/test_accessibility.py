"""axe-core finds no violation of the WCAG 2.0/2.1 A and AA rules nor of its best practices: on
every page of the built site (each index.html in both languages, and 404.html), on a few of them
in the dark theme, and on the members pages after they have loaded their data for a buyer, a
producer and IEH staff.

axe-core comes from npm into the repo's gitignored .npm-tools/ folder (AXE_INSTALL says how). It is
injected as an init script, which the page's Content-Security-Policy does not apply to, so the
pages are audited with their own CSP in force.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page

from infra.seed import DEMO_USERS
from infra.template import ROOT
from tests.support import fresh_totp_code

pytestmark = pytest.mark.e2e

AXE = ROOT / ".npm-tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_INSTALL = "npm install --prefix .npm-tools --no-audit --no-fund --save-exact axe-core@4.14.1"
SITE = ROOT / "build" / "site"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
STAFF, BUYER, PRODUCER = DEMO_USERS[0], DEMO_USERS[1], DEMO_USERS[3]  # Nordlys buys, Anatolia produces
AUDITOR = next(u for u in DEMO_USERS if u.email == "sofie@nordicaudit.example")  # Nordic Audit AS's admin
# The members pages each member is audited on: the ones that are for them, once each (the other
# language's copy of a page is the same markup, and is audited logged out), the producer's in
# English so the API's English texts are audited too. `follow` leads from a list to a detail page,
# which needs the ?id= of a link on the list.
MEMBERS_PAGES: dict[str, tuple[list[str], dict[str, str]]] = {
    BUYER.email: (
        [
            f"/members/{p}"
            for p in (
                "",
                "suppliers/",
                "risk/",
                "requests/",
                "courses/",
                "resources/",
                "account/",
                "organisation/",
            )
        ],
        {"/members/suppliers/": "a[href*='supplier/?id=']", "/members/requests/": "a[href*='request/?id=']"},
    ),
    PRODUCER.email: (
        [f"/en/members/{p}" for p in ("", "producer/", "audits/", "customers/", "risk/")],
        {"/en/members/producer/": "a[href*='site/?id=']", "/en/members/audits/": "a[href*='audit/?id=']"},
    ),
    STAFF.email: (
        [f"/members/{p}" for p in ("", "admin/", "risk/", "account/")],
        {"/members/admin/": "a[href*='course/?id=']"},
    ),
    AUDITOR.email: (
        ["/members/", "/members/auditor/", "/members/auditor-site/?id=ZS-4KQ7-TR1", "/members/organisation/"],
        {"/members/auditor-site/?id=ZS-4KQ7-TR1": "a[href*='auditor-audit/?site=']"},
    ),
}
# The dark theme, on pages with the most kinds of element: text and figures, a form, a login form.
DARK_PAGES = ["/", "/en/membership/", "/login/"]
SETTLE_TIMEOUT_S = 15.0
QUIET_S = 0.15  # no /api/ request for this long, and nothing aria-busy: the page has its data
BUSY = "() => Boolean(document.querySelector('[aria-busy=\"true\"]'))"
HREF_PATH = "href => { const u = new URL(href, location.href); return u.pathname + u.search; }"
AXE_RUN = "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    target: str
    summary: str
    page: str


class Auditor:
    """Opens pages in one tab, waits until they have their data (their /api/ requests settled),
    and runs axe-core on each."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.in_flight = 0
        self.last = time.monotonic()
        page.on("request", lambda r: self._started() if "/api/" in r.url else None)
        page.on("requestfinished", lambda r: self._ended() if "/api/" in r.url else None)
        page.on("requestfailed", lambda r: self._ended() if "/api/" in r.url else None)

    def _started(self) -> None:
        self.in_flight += 1
        self.last = time.monotonic()

    def _ended(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.last = time.monotonic()

    def load(self, path: str) -> None:
        self.page.goto(path)
        deadline = time.monotonic() + SETTLE_TIMEOUT_S
        while time.monotonic() < deadline:
            self.page.wait_for_timeout(40)  # lets Playwright deliver the request events
            if (
                self.in_flight == 0
                and time.monotonic() - self.last >= QUIET_S
                and not self.page.evaluate(BUSY)
            ):
                return
        pytest.fail(f"{path} did not finish loading its data in {SETTLE_TIMEOUT_S:.0f} s")

    def axe(self, path: str) -> list[Violation]:
        result: dict[str, Any] = self.page.evaluate(AXE_RUN, TAGS)
        return [
            Violation(
                violation["id"],
                violation["impact"],
                " ".join(str(t) for t in node["target"]),
                " ".join((node.get("failureSummary") or "").split())[:240],
                path,
            )
            for violation in result["violations"]
            for node in violation["nodes"]
        ]

    def audit(self, paths: list[str], follow: dict[str, str] | None = None) -> list[Violation]:
        """Every path audited; `follow` maps a path to a link on it whose page is audited too."""
        queue, found = deque(paths), []
        while queue:
            path = queue.popleft()
            self.load(path)
            if follow and path in follow:
                href = self.page.locator(follow[path]).first.get_attribute("href", timeout=5000)
                assert href, f"no {follow[path]} on {path}"
                queue.append(self.page.evaluate(HREF_PATH, href))
            found.extend(self.axe(path))
        return found


def site_pages() -> list[str]:
    """Every page of the built site, as its path: each index.html (both languages) and 404.html."""
    folders = sorted(index.parent.relative_to(SITE).as_posix() for index in SITE.rglob("index.html"))
    return ["/" if folder == "." else f"/{folder}/" for folder in folders] + ["/404.html"]


def report(violations: list[Violation]) -> str:
    """Each violation once, with the pages it is on."""
    pages: dict[tuple[str, str, str, str], list[str]] = {}
    for v in violations:
        pages.setdefault((v.rule, v.impact, v.target, v.summary), []).append(v.page)
    lines = [f"{len(violations)} axe-core violations (rule, impact, target, what to fix, pages):"]
    for (rule, impact, target, summary), where in sorted(pages.items()):
        lines.append(f"- {rule} ({impact}) {target} – {summary}\n    on {', '.join(where)}")
    return "\n".join(lines)


@pytest.fixture
def auditor(page: Page) -> Auditor:
    """The `page` fixture's tab (it fails the test on page errors and failed loads), with axe."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): from the repo root run `{AXE_INSTALL}`.")
    page.context.add_init_script(path=str(AXE))
    return Auditor(page)


def log_in(page: Page, who: Any) -> None:
    """A session for `who` in the tab's browser context, through the API as the login page does."""
    body = {"email": who.email, "password": who.password}
    if who.totp_secret:
        body["totp_code"] = fresh_totp_code(who.email, who.totp_secret)
    answer = page.request.post("/api/v1/auth/login", data=body, headers={"X-CSRF-Token": "anonymous"})
    assert answer.status == 200, answer.text()


def test_every_page_of_the_site_has_no_axe_violations(auditor: Auditor) -> None:
    paths = site_pages()
    assert len(paths) > 40, paths
    violations = auditor.audit(paths)
    assert violations == [], report(violations)


def test_the_dark_theme_has_no_axe_violations(auditor: Auditor) -> None:
    """The slate palette that visitors who prefer a dark theme get: its own colours and contrast."""
    auditor.page.emulate_media(color_scheme="dark")
    violations = auditor.audit(DARK_PAGES)
    assert auditor.page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert violations == [], report(violations)


@pytest.mark.parametrize(
    "who", [BUYER, PRODUCER, STAFF, AUDITOR], ids=["buyer", "producer", "staff", "auditor"]
)
def test_the_members_pages_with_their_data_have_no_axe_violations(auditor: Auditor, who: Any) -> None:
    log_in(auditor.page, who)
    paths, follow = MEMBERS_PAGES[who.email]
    violations = auditor.audit(paths, follow)
    assert violations == [], report(violations)
