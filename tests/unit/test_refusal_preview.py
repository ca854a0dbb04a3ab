"""The legal text a handler sees before sending a refusal (members/request/, kit/information-requests.js
legalText, run with node) is word for word what the requester gets (usecases.information_requests
legal_text): for every ground, in both languages, whatever the page's language, across a month end."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from portal.domain import transparency as law
from portal.store.models import InformationRequest
from portal.usecases.information_requests import legal_text

ROOT = Path(__file__).resolve().parents[2]
KIT = ROOT / "site" / "docs" / "assets" / "js" / "kit" / "information-requests.js"
LAW = re.compile(r'<script type="application/json" id="request-law">(.*?)</script>', re.S)


def render(path: str, language: str) -> str:
    """A page definition as the site build writes it (site/hooks/pages.py)."""
    spec = importlib.util.spec_from_file_location("pages_hook", ROOT / "site" / "hooks" / "pages.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rendered: str = module.render(path, language)
    return rendered


def previews(page_language: str, cases: list[tuple[str, str, str]]) -> list[str]:
    """legalText(law, language, ground, refusedOn) for each case, with the law the built page holds."""
    page_law = json.loads(LAW.search(render("members/request.md", page_language)).group(1))
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: the preview is JavaScript")
    script = (
        f"import({json.dumps(KIT.as_uri())}).then(({{ legalText }}) => {{"
        " const [law, cases] = JSON.parse(process.argv[1]);"
        " console.log(JSON.stringify(cases.map(([language, ground, day]) => legalText(law, language, ground, day))));"
        " });"
    )
    done = subprocess.run(
        [node, "-e", script, json.dumps([page_law, cases])], capture_output=True, text=True, check=True
    )
    result: list[str] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("page_language", ["nb", "en"])
def test_the_preview_is_the_legal_text_the_requester_gets(page_language):
    days = [date(2026, 3, 10), date(2026, 12, 20)]  # the second: three weeks later is in January
    cases = [(language, ground, day) for language in ("nb", "en") for ground in law.grounds() for day in days]
    sent = [legal_text(InformationRequest(language=language), ground, day) for language, ground, day in cases]
    shown = previews(page_language, [(language, ground, day.isoformat()) for language, ground, day in cases])
    assert shown == sent
    assert "10. januar 2027" in shown[1]
    assert "Forbrukertilsynet" in shown[1]
    assert "10 January 2027" in shown[len(days) * len(law.grounds()) + 1]
