"""Every text people read is in one catalogue per language (functions/portal/locales), in every
language, with the same arguments, and every key in it is used somewhere."""

import json
import re
from pathlib import Path

import pytest
from pyicumessageformat import Parser

from portal.i18n import (
    DEFAULT_LANGUAGE,
    format_message,
    language_of,
    languages,
    number,
    plural_category,
    text,
)

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "functions" / "portal" / "locales"
# Where keys are named: the Python code, the page definitions, the browser modules, the site's hooks.
SOURCES = [
    *(ROOT / "functions" / "portal").rglob("*.py"),
    *(ROOT / "site" / "pages").rglob("*.md"),
    *(ROOT / "site" / "pages").rglob("*.j2"),
    *(ROOT / "site" / "docs" / "assets" / "js").rglob("*.js"),
    *(ROOT / "site" / "hooks").glob("*.py"),
]
# A key as a literal ("kit.retry"), or a family a program completes: "error." + code, f"risk.band.{band}",
# `kit.only.${kind}`, or a dotted prefix given to a helper that adds the rest ("mail.invitation" → .subject).
LITERAL = re.compile(r"""["'`]([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*\.?)(["'`]|\$\{|\{)""")


def catalogue(language):
    return json.loads((LOCALES / f"{language}.json").read_text("utf-8"))


def arguments(message):
    """The names of a message's arguments, and for plural and select their branches' names."""
    names = set()

    def walk(nodes):
        for node in nodes:
            if isinstance(node, dict):
                names.add(
                    (node.get("name"), node.get("type") if node.get("type") in ("plural", "select") else None)
                )
                for branch in (node.get("options") or {}).values():
                    walk(branch)

    walk(Parser().parse(message))
    return names


def named_in_sources():
    """The keys named whole, and the families: a literal ending in "." or completed by an f-string or a
    template literal."""
    literals, families = set(), set()
    for path in SOURCES:
        for literal, after in LITERAL.findall(path.read_text("utf-8")):
            literals.add(literal)
            if literal.endswith(".") or after in ("{", "${"):
                families.add(literal.rstrip("."))
    return literals, families


def test_every_language_has_every_key_and_no_other():
    default = set(catalogue(DEFAULT_LANGUAGE))
    for language in languages():
        keys = set(catalogue(language))
        assert sorted(default - keys) == [], f"missing in {language}.json"
        assert sorted(keys - default) == [], f"only in {language}.json"


def test_every_message_has_the_same_arguments_in_every_language():
    default = catalogue(DEFAULT_LANGUAGE)
    for language in languages():
        for key, message in catalogue(language).items():
            assert arguments(message) == arguments(default[key]), f"{language}.json: {key}"


def test_every_key_is_used_and_every_named_key_exists():
    keys = set(catalogue(DEFAULT_LANGUAGE))
    literals, families = named_in_sources()
    unused = sorted(
        key
        for key in keys
        if key not in literals and not any(key.startswith(f"{family}.") for family in families)
    )
    assert unused == [], "keys no code, page or script names"
    js_keys = set()
    for path in [
        *(ROOT / "site" / "docs" / "assets" / "js").rglob("*.js"),
        *(ROOT / "site" / "pages").rglob("*.md"),
    ]:
        for key in re.findall(r"""\bt\(\s*["']([a-z][a-z0-9_.]+)["']""", path.read_text("utf-8")):
            js_keys.add((path.name, key))
    assert sorted(f"{name}: {key}" for name, key in js_keys if key not in keys) == [], "named but missing"


def test_catalogues_are_kept_sorted_for_translators_and_diffs():
    for language in languages():
        raw = (LOCALES / f"{language}.json").read_text("utf-8")
        data = json.loads(raw)
        assert list(data) == sorted(data), language
        assert raw == json.dumps(data, ensure_ascii=False, indent=1) + "\n", language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "nb"),
        ("", "nb"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("nb-NO,nb;q=0.9,en;q=0.8", "nb"),
        ("nn", "nb"),
        ("de-DE,en;q=0.5", "en"),
        ("fr", "nb"),
    ],
)
def test_language_of_a_request(header, language):
    assert language_of(header) == language


def test_unknown_keys_never_leak():
    assert text("field.no_such_thing", "en") == text("error.generic", "en")


def test_icu_messages_are_filled_in():
    message = "Vent {n, plural, one {# sekund} other {# sekunder}} før du prøver igjen, {who}."
    assert (
        format_message(message, "nb", {"n": 1, "who": "Kari"}) == "Vent 1 sekund før du prøver igjen, Kari."
    )
    assert (
        format_message(message, "nb", {"n": 1500, "who": "Kari"})
        == "Vent 1\u00a0500 sekunder før du prøver igjen, Kari."
    )
    assert (
        format_message("{kind, select, buyer {Innkjøper} other {Annen}}", "nb", {"kind": "buyer"})
        == "Innkjøper"
    )
    assert format_message("It''s {n, plural, =0 {none} other {#}}", "en", {"n": 0}) == "It's none"


def test_a_name_that_ends_with_a_full_stop_gets_no_second_one():
    message = "Organisasjonsnummeret tilhører allerede {member}."
    assert format_message(message, "nb", {"member": "Frutas del Sur S.A."}) == (
        "Organisasjonsnummeret tilhører allerede Frutas del Sur S.A."
    )
    assert (
        format_message(message, "nb", {"member": "Nordlys AS"})
        == "Organisasjonsnummeret tilhører allerede Nordlys AS."
    )


def test_plural_categories_follow_cldr():
    babel = pytest.importorskip("babel")
    for language in languages():
        rule = babel.Locale.parse(language).plural_form
        assert [plural_category(language, n) for n in range(0, 200)] == [rule(n) for n in range(0, 200)], (
            language
        )


def test_norwegian_texts_keep_one_voice_and_one_term_per_concept():
    """functions/portal/locales/glossary/nb.json: the reader is "du", and each concept has one word."""
    glossary = json.loads((LOCALES / "glossary" / "nb.json").read_text("utf-8"))
    found = []
    for key, message in catalogue("nb").items():
        if re.search(r"\b(dere|jeg)\b", message, re.IGNORECASE) and key not in glossary["first_person"]:
            found.append((key, "dere/jeg"))
        if re.search(r"\bderes\b", message, re.IGNORECASE) and key not in glossary["their"]:
            found.append((key, "deres"))
        for term in glossary["terms"]:
            found += [
                (key, word) for word in term["not"] if re.search(rf"\b{word}\b", message, re.IGNORECASE)
            ]
    assert found == []


def test_numbers_are_written_as_each_language_writes_them():
    assert format_message("{value, number} av 10", "nb", {"value": 7.5}) == "7,5 av 10"
    assert format_message("{value, number} of 10", "en", {"value": 7.5}) == "7.5 of 10"
    assert number(12.0, "nb") == "12"
    assert number(2.0004, "en") == "2"
    assert number(3, "nb", decimals=1) == "3,0"
    assert number(1234.5, "nb", grouping=False) == "1234,5"
    babel = pytest.importorskip("babel.numbers")
    for language in languages():
        for value in (0.5, 7.25, 1234.5, 1234567.125, 40):
            assert number(value, language) == babel.format_decimal(value, locale=language), (language, value)
