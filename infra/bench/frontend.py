"""The members area's front end: lines written by hand, and the JavaScript each page is sent.

`python -m infra.bench.frontend [--root DIR]` measures a checkout (default: this one) whose site is
built in DIR/build/site. Lines: the browser code (our JavaScript), the members-area page definitions
and the templates they use — the text catalogues are not counted. Bytes: for each page under
members/ in both languages, our scripts it loads (classic and module scripts, with every module
they import) as gzip would send them, and the texts embedded in the page for them.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

from infra.template import ROOT

OURS = re.compile(r"assets/(?:javascripts/(?!bundle\.|lunr|workers)[\w-]+\.js|js/[\w/-]+\.js)")
TEXTS = re.compile(r'<script type="application/json" id="ieh-texts">(.*?)</script>', re.S)


def lines(root: Path) -> dict[str, int]:
    def count(paths: list[Path]) -> int:
        return sum(len(p.read_text("utf-8").splitlines()) for p in paths)

    scripts = list((root / "site/docs/assets").rglob("*.js"))
    members_markup = sorted((root / "site/docs/members").glob("*.md")) + sorted(
        (root / "site/pages/members").rglob("*")
    )
    other_definitions = [p for p in (root / "site/pages").glob("*") if p.is_file()]
    return {
        "javascript": count(scripts),
        "members pages": count([p for p in members_markup if p.is_file()]),
        "other definitions and templates": count(other_definitions),
    }


def weights(root: Path) -> list[tuple[str, int, int]]:
    """(page, gzip bytes of our scripts, gzip bytes of its embedded texts)."""
    site = root / "build" / "site"
    rows = []
    public = [
        site / f"{lang}{name}index.html" for lang in ("", "en/") for name in ("", "login/", "membership/")
    ]
    for page in [*public, *sorted(site.glob("**/members/**/index.html"))]:
        html = page.read_text("utf-8")
        files = sorted(set(OURS.findall(html)))
        scripts = sum(len(gzip.compress((site / f).read_bytes(), 9)) for f in files)
        texts = sum(len(gzip.compress(m.encode(), 9)) for m in TEXTS.findall(html))
        rows.append((page.parent.relative_to(site).as_posix() + "/", scripts, texts))
    return rows


def main(root: Path = ROOT) -> None:
    counted = lines(root)
    print(
        f"Front end lines ({root}): "
        + ", ".join(f"{k} {v:,}" for k, v in counted.items())
        + f"; total {sum(counted.values()):,}"
    )
    print(f"{'page':32} {'scripts gz':>11} {'texts gz':>9}")
    for page, scripts, texts in weights(root):
        print(f"{page:32} {scripts:>11,} {texts:>9,}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    main(parser.parse_args().root)
