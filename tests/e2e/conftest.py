"""End-to-end: Debian's chromium driven by Playwright against the whole local stack."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from infra.local.stack import LocalStack
from infra.template import ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SITE = ROOT / "build" / "site"


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    if not (SITE / "index.html").exists():
        pytest.fail("The site is not built: run `make site` (make test does it).")
    with LocalStack(site_dir=SITE, data_dir=Path(tmp_path_factory.mktemp("local-data"))) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, stack):
    stack.aws.activate()  # the test reads the stack's table directly
    context = browser.new_context(base_url=stack.url, locale="nb-NO")
    opened = context.new_page()
    failures: list[str] = []
    opened.on("pageerror", lambda error: failures.append(f"page error: {error}"))
    # API refusals are asserted by the tests; anything else that fails to load is a defect
    opened.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}") if r.status >= 400 and "/api/" not in r.url else None
        ),
    )
    opened.on(
        "console",
        lambda m: (
            failures.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    opened.on(
        "request",
        lambda r: (
            failures.append(f"left the site: {r.url}")
            # the embedded S3 stands for the reports bucket that presigned download links point at
            if not r.url.startswith((stack.url, "data:", f"{stack.aws.endpoint}/"))
            else None
        ),
    )
    yield opened
    context.close()
    assert failures == [], failures
