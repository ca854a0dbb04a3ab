"""MkDocs hook: the risk model page's tables come from the model's own data files
(functions/portal/data/risk), so what members read is what the portal computes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from portal.i18n import DEFAULT_LANGUAGE, number, text

DATA = Path(__file__).resolve().parents[2] / "functions" / "portal" / "data"
PILLARS = ("labour", "health_safety", "environment", "business_ethics")
BANDS = ("low", "medium", "high")


def _words(language: str) -> Callable[[str], str]:
    """The page's words in one language, from the catalogue (keys risk_model.*, the bands' names risk.band.*)."""
    return lambda word: text(f"risk.band.{word}" if word in BANDS else f"risk_model.{word}", language)


def _json(name: str) -> Any:
    return json.loads((DATA / name).read_text("utf-8"))


def _names(kind: str, language: str) -> dict[str, str]:
    return {e["code"]: e[language] for e in _json("reference.json")[kind]}


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _number(value: float, language: str) -> str:
    return number(value, language)


def _country(model: dict[str, Any], language: str) -> str:
    w, pillars = _words(language), _names("pillars", language)
    rows = []
    for pillar in PILLARS:
        rule = model["country"][pillar]
        source = _json(f"risk/{rule['source']}.json")
        if "ratings" in rule:
            steps = ", ".join(f"{w('rating')} {r} → {p}" for r, p in rule["ratings"].items())
        elif "better_at_least" in rule:
            limits = rule["better_at_least"]
            steps = ", ".join(f"{w('at_least')} {limit} → {i + 1}" for i, limit in enumerate(limits))
            steps += f", {w('below')} {limits[-1]} → {len(limits) + 1}"
        else:
            limits = rule["worse_above"]
            steps = ", ".join(
                f"{w('at_most')} {_number(limit, language)} → {i + 1}" for i, limit in enumerate(limits)
            )
            steps += f", {w('above')} {_number(limits[-1], language)} → {len(limits) + 1}"
        rows.append([pillars[pillar], source["title"][language], steps])
    rows.append([w("missing"), "", str(model["country_not_covered"])])
    return _table([w("pillar"), w("source"), w("points")], rows)


def _sectors(language: str) -> str:
    w, pillars, names = _words(language), _names("pillars", language), _names("sectors", language)
    table = _json("risk/sectors.json")["sectors"]
    rows = [[names[code], *(table[code][p]["score"] for p in PILLARS)] for code in names if code in table]
    return _table([w("sector"), *(pillars[p] for p in PILLARS)], rows)


def _sectors_source(language: str) -> str:
    """The publication the sector scores come from, as its data file names it."""
    about = _json("risk/sectors.json")
    return f"*{about['title'][language]}* ({about['publisher']}, {about['year']})"


def _sector_references(language: str) -> str:
    """The public sources the sector assessment's reasons refer to."""
    w = _words(language)
    rows = []
    for ref in _json("risk/sectors.json")["references"]:
        title = f"[{ref['title']}]({ref['url']})" if ref.get("url") else ref["title"]
        rows.append([title, ref["publisher"], ref.get("year") or "–"])
    return _table([w("source"), w("publisher"), w("year")], rows)


def _workforce(model: dict[str, Any], language: str) -> str:
    w, pillars = _words(language), _names("pillars", language)
    low, high = (round(s * 100) for s in model["workforce"]["shares"])
    rows = []
    for pillar, kinds in model["workforce"]["points"].items():
        for kind, (first, second) in kinds.items():
            rows.append([pillars[pillar], w(kind), f"{w('at_least')} {low} %: +{_number(first, language)}; "
                         f"{w('at_least')} {high} %: +{_number(second, language)}"])  # fmt: skip
        rows.append([pillars[pillar], w("max"), f"+{_number(model['workforce']['max'][pillar], language)}"])
    return _table([w("pillar"), w("kind"), w("points")], rows)


def _controls(model: dict[str, Any], language: str) -> str:
    w, pillars = _words(language), _names("pillars", language)
    rows = [[pillars[c["pillar"]], c["label"][language], f"−{_number(c['points'], language)}"]
            for c in model["controls"]["items"]]  # fmt: skip
    return _table([w("pillar"), w("control"), w("deduction")], rows)


def _flag_condition(flag: dict[str, Any], question: Any, language: str) -> str:
    """When a red flag is raised, in words: the SAQ's question and the answer that raises it."""
    asked = question.text.in_language(language)
    ((kind, value),) = flag["when"].items()
    if kind == "above":
        unit = question.unit.in_language(language) if question.unit else ""
        return text("risk_model.answer_above", language, question=asked, limit=value, unit=unit)
    if isinstance(value, bool):
        answer = text("risk.yes" if value else "risk.no", language)
    else:
        answer = next(o.label.in_language(language) for o in question.options if o.value == value)
    return text("risk_model.answer_is", language, question=asked, answer=answer)


def _red_flags(model: dict[str, Any], language: str) -> str:
    from portal.domain import saq

    w, pillars = _words(language), _names("pillars", language)
    rule = model["red_flags"]
    questions = {q.id: q for q in saq.questionnaire(rule["questionnaire"]).questions}
    rows = []
    for flag in rule["items"]:
        refs = []
        for ref in flag["refs"]:
            source = rule["sources"][ref["source"]]
            refs.append(f"[{source['title'][language]}]({source['url']}), {ref['where'][language]}")
        condition = _flag_condition(flag, questions[flag["question"]], language)
        rows.append([pillars[flag["pillar"]], flag["label"][language], condition,
                     f"+{_number(flag['points'], language)}", "; ".join(refs)])  # fmt: skip
    return _table([w("pillar"), w("red_flag"), w("red_flag_when"), w("points"), w("source")], rows)


def _bands(model: dict[str, Any], language: str) -> str:
    w = _words(language)
    medium, high = model["bands"]["medium"], model["bands"]["high"]
    rows = [
        [w("low"), f"0 – {_number(medium - 0.1, language)}"],
        [w("medium"), f"{_number(medium, language)} – {_number(high - 0.1, language)}"],
        [w("high"), f"{_number(high, language)} – {model['cap']}"],
    ]
    return _table([w("band"), w("range")], rows)


def _sources(language: str) -> str:
    w = _words(language)
    rows = []
    for name in ("ituc_gri", "ti_cpi", "environment", "health_safety", "usdol_goods", "sectors"):
        source = _json(f"risk/{name}.json")
        title = source["title"][language]
        link = f"[{title}]({source['url']})" if source.get("url") else title
        rows.append([link, source["publisher"], source["year"], source["licence"].replace("|", "/")])
    for source in _json("risk/model.json")["red_flags"]["sources"].values():  # the standards red flags cite
        rows.append(
            [
                f"[{source['title'][language]}]({source['url']})",
                source["publisher"],
                source["year"],
                w("cited"),
            ]
        )
    return _table([w("source"), w("publisher"), w("year"), w("licence")], rows)


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if "<!-- risk:" not in markdown:
        return markdown
    name = page.file.src_uri.split("/")[-1].split(".")
    language = name[-2] if len(name) > 2 else DEFAULT_LANGUAGE
    model = _json("risk/model.json")
    parts = {
        "country": _country(model, language),
        "sectors": _sectors(language),
        "sectors_source": _sectors_source(language),
        "sector_references": _sector_references(language),
        "workforce": _workforce(model, language),
        "controls": _controls(model, language),
        "red_flags": _red_flags(model, language),
        "questionnaire": model["red_flags"]["questionnaire"],
        "bands": _bands(model, language),
        "sources": _sources(language),
        "controls_max": _number(model["controls"]["max"], language),
        "goods": f"+{model['goods']['child']} / +{model['goods']['forced']} ({_words(language)('max').lower()} +{model['goods']['max']})",
        "version": model["version"],
    }
    for key, value in parts.items():
        markdown = markdown.replace(f"<!-- risk:{key} -->", str(value))
    return markdown
