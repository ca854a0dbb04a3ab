"""MkDocs hook: what a page needs before its first paint travels inside the page.

A phone on a slow network otherwise waits for three stylesheets and Material's two small bootstrap
scripts (the stored colour scheme, set before paint) before it shows anything: each a round trip
(Lighthouse: first contentful paint 2.0 s → 0.8 s on the home page). After the build, every page's
local stylesheets become <style> elements (the CSP allows inline styles) and the two bootstrap
scripts become inline scripts, which the CSP allows by their SHA-256 hashes (script_hashes();
template.yaml and the local gateway name them, tests/unit/test_site_build.py keeps them in step).
The deferred scripts (Material's bundle, ours) stay files: they do not block the first paint.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from typing import Any

BOOTSTRAP = ("md-base.js", "md-palette.js")
_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<href>[^":]+\.css)">')
_SCRIPT = re.compile(r'<script src="(?P<src>[^":]+/(?P<name>md-[a-z]+\.js))"(?P<rest>[^>]*)></script>')


def script_text(path: Path) -> str:
    """A bootstrap script as it is inlined (its comment line kept; no trailing newline)."""
    return path.read_text(encoding="utf-8").rstrip("\n")


def script_hashes(folder: Path) -> list[str]:
    """The CSP sources that allow the inlined bootstrap scripts of a built site."""
    found = []
    for name in BOOTSTRAP:
        digest = hashlib.sha256(script_text(folder / "assets" / "javascripts" / name).encode()).digest()
        found.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return found


def inline(html: str, page_dir: Path, site: Path) -> str:
    def local(href: str) -> Path:  # relative to the page, or to the site root (the 404 page)
        return (site / href.lstrip("/") if href.startswith("/") else page_dir / href).resolve()

    def style(match: re.Match[str]) -> str:
        path = local(match["href"])
        if not path.is_file():
            return match[0]
        return f"<style>{path.read_text(encoding='utf-8').strip()}</style>"

    def script(match: re.Match[str]) -> str:
        path = local(match["src"])
        if match["name"] not in BOOTSTRAP or not path.is_file():
            return match[0]
        return f"<script{match['rest']}>{script_text(path)}</script>"

    return _SCRIPT.sub(script, _STYLESHEET.sub(style, html))


def on_post_build(config: Any, **kwargs: Any) -> None:
    site = Path(config["site_dir"])
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        inlined = inline(html, page.parent, site)
        if inlined != html:
            page.write_text(inlined, encoding="utf-8")
