"""The page's first paint needs nothing but the page: stylesheets and Material's two bootstrap
scripts are inlined after the build, and the CSP allows exactly those scripts by their hashes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from infra.local.gateway import SECURITY_HEADERS
from infra.template import ROOT

spec = importlib.util.spec_from_file_location(
    "inline_critical", ROOT / "site" / "hooks" / "inline_critical.py"
)
assert spec
assert spec.loader
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)


def _script_src(policy: str) -> list[str]:
    [directive] = [d.split()[1:] for d in policy.split(";") if d.split()[:1] == ["script-src"]]
    return directive


def test_the_csp_allows_the_inlined_bootstrap_scripts_and_no_other() -> None:
    expected = ["'self'", *hook.script_hashes(ROOT / "site" / "docs")]
    template = re.search(
        r"ContentSecurityPolicy: !Sub >-\n(.*?)\n\s*Override", (ROOT / "template.yaml").read_text(), re.S
    )
    assert template
    assert _script_src(" ".join(template[1].split())) == expected
    assert _script_src(SECURITY_HEADERS["content-security-policy"]) == expected


def test_a_page_gets_its_styles_and_bootstrap_inline(tmp_path: Path) -> None:
    (tmp_path / "assets" / "stylesheets").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts").mkdir()
    (tmp_path / "assets" / "stylesheets" / "main.css").write_text("body{color:red}\n")
    (tmp_path / "assets" / "javascripts" / "md-base.js").write_text("var a=1;\n")
    (tmp_path / "en").mkdir()
    html = (
        '<link rel="stylesheet" href="../assets/stylesheets/main.css">'
        '<link rel="stylesheet" href="../assets/stylesheets/gone.css">'
        '<script src="../assets/javascripts/md-base.js" data-scope=".."></script>'
        '<script defer src="../assets/javascripts/bundle.js"></script>'
    )
    assert hook.inline(html, tmp_path / "en", tmp_path) == (
        "<style>body{color:red}</style>"
        '<link rel="stylesheet" href="../assets/stylesheets/gone.css">'
        '<script data-scope="..">var a=1;</script>'
        '<script defer src="../assets/javascripts/bundle.js"></script>'
    )
    root_relative = '<link rel="stylesheet" href="/assets/stylesheets/main.css">'
    assert hook.inline(root_relative, tmp_path, tmp_path) == "<style>body{color:red}</style>"
