"""The risk model page is rendered from the model's data files: what members read is what runs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "functions" / "portal" / "data"


def hook():
    spec = importlib.util.spec_from_file_location(
        "risk_model_hook", ROOT / "site" / "hooks" / "risk_model.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("page", "language"), [("risk-model.md", "nb"), ("risk-model.en.md", "en")])
def test_the_page_shows_the_models_own_figures(page, language):
    source = (ROOT / "site" / "docs" / page).read_text("utf-8")
    rendered = hook().on_page_markdown(source, SimpleNamespace(file=SimpleNamespace(src_uri=page)))

    assert "<!-- risk:" not in rendered
    model = json.loads((DATA / "risk" / "model.json").read_text("utf-8"))
    assert model["version"] in rendered
    sectors = json.loads((DATA / "risk" / "sectors.json").read_text("utf-8"))["sectors"]
    names = {
        e["code"]: e[language] for e in json.loads((DATA / "reference.json").read_text("utf-8"))["sectors"]
    }
    for code, pillars in sectors.items():
        row = f"| {names[code]} | " + " | ".join(str(pillars[p]["score"]) for p in model["pillars"]) + " |"
        assert row in rendered, row
    for control in model["controls"]["items"]:
        assert control["label"][language] in rendered
    for name in ("ituc_gri", "ti_cpi", "environment", "health_safety", "usdol_goods"):
        source_file = json.loads((DATA / "risk" / f"{name}.json").read_text("utf-8"))
        assert source_file["title"][language] in rendered
        assert source_file["url"] in rendered


@pytest.mark.parametrize(("page", "language"), [("risk-model.md", "nb"), ("risk-model.en.md", "en")])
def test_the_sector_scores_are_credited_to_their_publication_not_a_file(page, language):
    source = (ROOT / "site" / "docs" / page).read_text("utf-8")
    rendered = hook().on_page_markdown(source, SimpleNamespace(file=SimpleNamespace(src_uri=page)))

    assert ".json" not in rendered
    sectors = json.loads((DATA / "risk" / "sectors.json").read_text("utf-8"))
    assert f"*{sectors['title'][language]}* ({sectors['publisher']}, {sectors['year']})" in rendered
    for reference in sectors["references"]:  # what the assessment itself builds on
        assert reference["title"] in rendered, reference["id"]


@pytest.mark.parametrize(("page", "language"), [("risk-model.md", "nb"), ("risk-model.en.md", "en")])
def test_the_page_lists_every_red_flag_with_its_answer_points_and_source(page, language):
    source = (ROOT / "site" / "docs" / page).read_text("utf-8")
    rendered = hook().on_page_markdown(source, SimpleNamespace(file=SimpleNamespace(src_uri=page)))

    rule = json.loads((DATA / "risk" / "model.json").read_text("utf-8"))["red_flags"]
    rows = [line for line in rendered.splitlines() if line.startswith("| ")]
    for flag in rule["items"]:
        row = next(r for r in rows if f"| {flag['label'][language]} |" in r)
        points = f"{flag['points']:g}".replace(".", "," if language == "nb" else ".")
        assert f"| +{points} |" in row, row
        for ref in flag["refs"]:
            about = rule["sources"][ref["source"]]
            assert f"[{about['title'][language]}]({about['url']}), {ref['where'][language]}" in row
    hours = next(r for r in rows if "60" in r and "ETI" in r)
    assert ("mer enn 60 timer" if language == "nb" else "more than 60 hours") in hours
    yes = "besvares «Ja»" if language == "nb" else "is answered “Yes”"
    assert yes in next(r for r in rows if rule["items"][0]["label"][language] in r)


@pytest.mark.parametrize(("page", "language"), [("risk-model.md", "nb"), ("risk-model.en.md", "en")])
def test_the_sources_table_lists_the_standards_the_red_flags_cite(page, language):
    source = (ROOT / "site" / "docs" / page).read_text("utf-8")
    rendered = hook().on_page_markdown(source, SimpleNamespace(file=SimpleNamespace(src_uri=page)))

    cited = json.loads((DATA / "risk" / "model.json").read_text("utf-8"))["red_flags"]["sources"]
    rows = [line for line in rendered.splitlines() if line.startswith("| [")]
    for about in cited.values():
        row = f"| [{about['title'][language]}]({about['url']}) | {about['publisher']} | {about['year']} |"
        assert any(r.startswith(row) for r in rows), row
