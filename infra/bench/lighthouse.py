"""Lighthouse on the built site through the local stack: performance, accessibility, best practices
and SEO for the home page in both languages and a members-area page while logged in.

Lighthouse's default run is reported: mobile emulation (Moto G Power) with simulated slow-4G
throttling and a 4x slower CPU. The site is served as CloudFront serves it in production, text
compressed (template.yaml: `Compress: true`, objects of 1,000 bytes or more): the local gateway
does not compress, so the bench adds gzip in front of it for its own run. It comes from npm into
the repo's gitignored .npm-tools/ folder; this script installs nothing itself (NPM_TOOLS_INSTALL
says how). The performance score depends on the machine's load: the simulated timings scale with
the CPU time the page's tasks took here.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.local import stack as local_stack
from infra.local.stack import LocalStack
from infra.seed import DEMO_USERS
from infra.template import ROOT

NPM_TOOLS = ROOT / ".npm-tools"
LIGHTHOUSE = NPM_TOOLS / "node_modules" / ".bin" / "lighthouse"
NPM_TOOLS_INSTALL = "npm install --prefix .npm-tools --no-audit --no-fund --save-exact lighthouse@12.8.2"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MEMBERS_PAGE = "/members/risk/"
BUYER = DEMO_USERS[1]  # kari@nordlys.example, a buyer organisation's admin


@contextmanager
def compressed_like_cloudfront() -> Iterator[None]:
    """The local stacks started meanwhile gzip what CloudFront would compress (1,000 bytes or more)."""
    from starlette.middleware.gzip import GZipMiddleware

    create_app = local_stack.create_app

    def with_gzip(*args: Any, **kwargs: Any) -> Any:
        app = create_app(*args, **kwargs)
        app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
        return app

    local_stack.create_app = with_gzip
    try:
        yield
    finally:
        local_stack.create_app = create_app


def login_cookie(base_url: str, email: str, password: str) -> str:
    """The session cookie (name=value) of a login through the API, as the login page does it."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base_url}/api/v1/auth/login",
        data=json.dumps({"email": email, "password": password}).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": "anonymous"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback
        cookies = answer.headers.get_all("set-cookie") or []
    return "; ".join(c.split(";", 1)[0] for c in cookies)


def run_lighthouse(url: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """One Lighthouse run (default: mobile emulation and throttling), its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        "--quiet",
    ]
    if headers:
        command.append(f"--extra-headers={json.dumps(headers)}")
    done = subprocess.run(
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"lighthouse failed on {url}: {done.stderr.strip()[-2000:]}")
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def failing_audits(report: dict[str, Any], category: str) -> list[str]:
    """The ids of a category's weighted audits that scored below 1 (or did not run)."""
    audits = report["audits"]
    failing = []
    for ref in report["categories"][category]["auditRefs"]:
        if ref.get("weight", 0) <= 0:
            continue
        audit = audits[ref["id"]]
        score = audit.get("score")
        if audit.get("scoreDisplayMode") in ("notApplicable", "manual", "informative"):
            continue
        if score is None or score < 1:
            shown = "error" if score is None else f"{score:.2f}"
            failing.append(f"{ref['id']} ({shown})")
    return failing


def scores(report: dict[str, Any]) -> dict[str, int | None]:
    return {
        name: None
        if report["categories"][name]["score"] is None
        else round(report["categories"][name]["score"] * 100)
        for name in CATEGORIES
    }


def median_run(url: str, headers: dict[str, str] | None, runs: int) -> tuple[dict[str, Any], list[int]]:
    """The run with the median performance score of `runs` (as Lighthouse advises: the simulated
    timings vary from run to run), and every run's performance score."""
    reports = [run_lighthouse(url, headers) for _ in range(runs)]
    reports.sort(key=lambda r: r["categories"]["performance"]["score"] or 0)
    return reports[len(reports) // 2], [scores(r)["performance"] or 0 for r in reports]


def main(runs: int = int(os.environ.get("LIGHTHOUSE_RUNS", "3"))) -> None:
    if not LIGHTHOUSE.exists():
        print(f"Lighthouse: not installed ({LIGHTHOUSE} is missing). From the repo root run:")
        print(f"  {NPM_TOOLS_INSTALL}")
        return
    site = ROOT / "build" / "site"
    print(
        f"Lighthouse 12, median of {runs} runs, its default mobile emulation (simulated slow 4G, "
        "4x CPU slowdown), local stack with gzip as CloudFront:"
    )
    with (
        compressed_like_cloudfront(),
        LocalStack(site_dir=site, data_dir=Path(tempfile.mkdtemp())) as stack,
    ):
        cookie = login_cookie(stack.url, BUYER.email, BUYER.password)
        pages: list[tuple[str, dict[str, str] | None]] = [
            ("/", None),
            ("/en/", None),
            (MEMBERS_PAGE, {"Cookie": cookie}),
        ]
        print(f"  {'page':<16} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5}   performance of each run")
        for path, headers in pages:
            try:
                report, each = median_run(stack.url + path, headers, runs)
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"  {path:<16} failed: {error}")
                continue
            if os.environ.get("LIGHTHOUSE_REPORTS"):  # keep the median runs' reports for a closer look
                folder = Path(os.environ["LIGHTHOUSE_REPORTS"])
                folder.mkdir(parents=True, exist_ok=True)
                name = path.strip("/").replace("/", "-") or "home"
                (folder / f"{name}.json").write_text(json.dumps(report, indent=1))
            got = scores(report)
            print(
                f"  {path:<16} "
                + " ".join(f"{'-' if got[c] is None else got[c]:>5}" for c in CATEGORIES)
                + f"   {', '.join(map(str, each))}"
                + (f"  (logged in as {BUYER.email})" if headers else "")
            )
            for category in CATEGORIES:
                if got[category] != 100:
                    why = ", ".join(failing_audits(report, category)) or "?"
                    if category == "seo" and path.startswith("/members/"):
                        why += ": the members area is noindex on purpose"
                    print(f"    {category} below 100: {why}")


if __name__ == "__main__":
    main()
