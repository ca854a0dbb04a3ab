"""People read Norwegian (default) or English: the language of a request and the texts we answer with.

Every text a person reads lives in one catalogue per language, `locales/<language>.json`: a flat object
from key to an ICU MessageFormat message (`{name}` arguments, `{count, plural, one {…} other {…}}`,
`{kind, select, …}`). The same files feed the site build (site/hooks/pages.py), the browser scripts
(each page gets the keys its modules use) and this module (API errors, e-mails). A new language is a
new catalogue file plus its entry under the i18n plugin's `languages` in mkdocs.yml.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from pyicumessageformat import Parser

Language = str
DEFAULT_LANGUAGE: Language = "nb"
# Tags people's browsers send for a language we have under another name.
ALIASES = {"no": "nb", "nn": "nb"}


@cache
def languages() -> tuple[Language, ...]:
    """The languages with a catalogue, the default first."""
    found = sorted(
        p.name.removesuffix(".json")
        for p in resources.files("portal").joinpath("locales").iterdir()
        if p.is_file() and p.name.endswith(".json")  # not the glossary/ beside them
    )
    return (DEFAULT_LANGUAGE, *(code for code in found if code != DEFAULT_LANGUAGE))


def language_of(accept_language: str | None) -> Language:
    """The first supported language in an Accept-Language header; Norwegian when none is."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        tag = ALIASES.get(tag, tag)
        if tag in languages():
            return tag
    return DEFAULT_LANGUAGE


@cache
def catalogue(language: Language) -> dict[str, str]:
    """One language's messages, key → ICU message."""
    data: dict[str, str] = json.loads(
        resources.files("portal").joinpath(f"locales/{language}.json").read_text("utf-8")
    )
    return data


def text(key: str, language: Language, **params: object) -> str:
    """The message for `key`; unknown keys fall back to a generic message rather than leaking the key.
    A message missing in `language` is read in the default language."""
    language = language if language in languages() else DEFAULT_LANGUAGE
    message = catalogue(language).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if message is None:
        return text("error.generic", language)
    return format_message(message, language, params)


def has_text(key: str) -> bool:
    return key in catalogue(DEFAULT_LANGUAGE)


# ---------------------------------------------------------------- ICU MessageFormat, the part we use

_PARSER = Parser()


@cache
def _parsed(message: str) -> list[Any]:
    return list(_PARSER.parse(message))


def plural_category(language: Language, count: float) -> str:
    """CLDR's cardinal plural category. Every language we have (nb, en) has only `one` (exactly 1) and
    `other`; a language with more forms adds its rule here (tests/unit/test_i18n.py checks against CLDR)."""
    return "one" if count == 1 else "other"


def format_message(message: str, language: Language, params: dict[str, object]) -> str:
    return "".join(_render(_parsed(message), language, params, None))


def _render(nodes: list[Any], language: Language, params: dict[str, object], count: object) -> list[str]:
    out: list[str] = []
    after_name = False  # a name that ends a sentence itself ("… S.A.") takes no second full stop
    for node in nodes:
        just_after_name, after_name = after_name, False
        if isinstance(node, str):
            doubled = just_after_name and out[-1].endswith(".") and node.startswith(".")
            out.append(node[1:] if doubled else node)
        elif node.get("hash"):
            out.append(_number(count, language))
        elif node.get("type") == "plural":
            value = params.get(node["name"], 0)
            number = float(value) if isinstance(value, int | float) else 0.0
            options = node["options"]
            branch = (
                options.get(f"={value}") or options.get(plural_category(language, number)) or options["other"]
            )
            out.extend(_render(branch, language, params, value))
        elif node.get("type") == "select":
            options = node["options"]
            out.extend(
                _render(
                    options.get(str(params.get(node["name"]))) or options["other"], language, params, count
                )
            )
        else:
            value = params.get(node["name"], "{" + node["name"] + "}")
            out.append(_number(value, language) if node.get("type") == "number" else str(value))
            after_name = node.get("type") != "number"
    return out


# How each language writes a number, as Intl.NumberFormat (and CLDR) do: the thousands separator and
# the decimal mark. Norwegian groups with a no-break space and writes a decimal comma.
NUMBER_MARKS: dict[Language, tuple[str, str]] = {"nb": ("\u00a0", ","), "en": (",", ".")}


def decimal_mark(language: Language) -> str:
    return NUMBER_MARKS.get(language, NUMBER_MARKS[DEFAULT_LANGUAGE])[1]


def number(value: float, language: Language, *, decimals: int | None = None, grouping: bool = True) -> str:
    """A number as the language writes it: "1 234,5" / "1,234.5". With `decimals`, exactly that many
    digits after the mark; without, at most three and no trailing zeros (Intl.NumberFormat's default).
    Without `grouping`, no thousands separator (what a spreadsheet reads as a number)."""
    group, mark = NUMBER_MARKS.get(language, NUMBER_MARKS[DEFAULT_LANGUAGE])
    comma = "," if grouping else ""
    if decimals is not None:
        written = f"{value:{comma}.{decimals}f}"
    elif isinstance(value, int) or float(value).is_integer():
        written = f"{round(value):{comma}d}"
    else:
        written = f"{value:{comma}.3f}".rstrip("0").rstrip(".")
    return written.translate(str.maketrans(",.", group + mark))  # each mark is one character


def _number(value: object, language: Language) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return number(value, language)
