"""The public site's figures: build time, and the weight of a page with every asset it loads."""

from __future__ import annotations

import gzip
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from infra.template import ROOT

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]


def build_seconds() -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def page_weight(paths: list[str]) -> list[tuple[str, int, int, int]]:
    """(path, requests, bytes as served locally, bytes gzip-compressed as CloudFront would send them)."""
    from playwright.sync_api import Response, sync_playwright

    from infra.local.stack import LocalStack

    rows = []
    with (
        LocalStack(site_dir=ROOT / "build" / "site", data_dir=Path(tempfile.mkdtemp())) as stack,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for path in paths:
            page = browser.new_context().new_page()
            responses: list[Response] = []
            page.on("response", partial(responses.append))  # Playwright tags its handlers: not a built-in
            page.goto(stack.url + path, wait_until="networkidle")
            bodies = [r.body() for r in responses if r.status < 300]
            rows.append(
                (path, len(bodies), sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies))
            )
            page.context.close()
        browser.close()
    return rows


def main() -> None:
    print(f"mkdocs build --strict: {build_seconds():.2f} s")
    print("Page weight (every request the page makes, after load):")
    for path, requests, raw, compressed in page_weight(["/", "/en/", "/membership/"]):
        print(
            f"  {path:<14} {requests:3d} requests  {raw / 1024:7.1f} KiB as served  {compressed / 1024:7.1f} KiB gzip"
        )


if __name__ == "__main__":
    main()
