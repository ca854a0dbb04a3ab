"""Reference data for profiles and audits: countries, sectors, audit standards, announcements,
finding clauses, management-system ratings, pillars, grades and corrective-action statuses, each as
a stable code with its Norwegian and English name."""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache
from typing import Any

import pycountry

from portal import data as packaged
from portal.domain import risk
from portal.i18n import Language

# The lists besides "countries"; each is a list of {"code", "nb", "en"} in data/reference.json.
LISTS = (
    "sectors",
    "audit_types",
    "announcements",
    "clauses",
    "ms_ratings",
    "pillars",
    "grades",
    "action_statuses",
    "verification_methods",
    "link_levels",
    "link_statuses",
)

# Norwegian alphabetical order ends with æ, ø, å; ä, ö and ü are filed as æ, ø and y. Characters past
# "z" put those three after every other letter.
_NORWEGIAN_LETTERS = str.maketrans({"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"})


@cache
def _data() -> dict[str, Any]:
    return packaged.load("reference.json")


def sort_key(name: str, language: Language) -> str:
    """Alphabetical order as a reader of `language` expects it, without depending on the OS locales."""
    folded = unicodedata.normalize("NFC", name).casefold()
    if language == "nb":
        folded = folded.translate(_NORWEGIAN_LETTERS)
    return "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))


@cache
def _country_names(language: Language) -> dict[str, str]:
    if language == "nb":
        catalogue = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["nb_NO", "nb"], fallback=True
        )
        overrides: dict[str, str] = _data()["country_names"]["nb"]
    else:
        catalogue, overrides = gettext.NullTranslations(), {}
    names = {}
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        # An untranslated name comes back as it went in: the English one.
        names[country.alpha_2] = overrides.get(country.alpha_2) or catalogue.gettext(english)
    return names


@cache
def _countries(language: Language) -> tuple[tuple[str, str], ...]:
    names = _country_names(language)
    return tuple(sorted(names.items(), key=lambda item: (sort_key(item[1], language), item[0])))


def countries(language: Language) -> list[tuple[str, str]]:
    """Every ISO 3166-1 country as (alpha-2 code, name), in the reader's alphabetical order."""
    return list(_countries(language))


def is_country(code: str) -> bool:
    return code in _country_names("en")


def country_name(code: str, language: Language) -> str:
    """The name of the country with this alpha-2 code; KeyError for a code that is not one."""
    return _country_names(language)[code]


def reference(language: Language) -> dict[str, list[dict[str, Any]]]:
    """Every list a form offers, as [{"code", "name"}] in the order people see it."""
    answer = {"countries": [{"code": code, "name": name} for code, name in _countries(language)]}
    for kind in LISTS:
        # Other fields of an entry ride along (an audit type's pillars): {"code", "name", …}.
        answer[kind] = [
            {"code": entry["code"], "name": entry[language]}
            | {key: value for key, value in entry.items() if key not in ("code", "nb", "en")}
            for entry in _data()[kind]
        ]
    goods = sorted(_goods(), key=lambda entry: sort_key(entry[language], language))
    answer["goods"] = [{"code": entry["code"], "name": entry[language]} for entry in goods]
    return answer


def _goods() -> list[dict[str, str]]:
    """The goods a site can name: those of the goods list the risk model reads."""
    return list(risk.data().sources["usdol_goods"]["goods"])


@cache
def _names(kind: str, language: Language) -> dict[str, str]:
    entries = _goods() if kind == "goods" else _data()[kind]
    return {entry["code"]: entry[language] for entry in entries}


def name_of(kind: str, code: str, language: Language) -> str:
    """The name of a code in one list (or a country); the code itself if the list lacks it."""
    if kind == "countries":
        return _country_names(language).get(code, code)
    return _names(kind, language).get(code, code)


@cache
def codes(kind: str) -> frozenset[str]:
    """The valid codes of one list ("countries" or one of LISTS), for validating what a client sends."""
    if kind == "countries":
        return frozenset(_country_names("en"))
    if kind == "goods":
        return frozenset(entry["code"] for entry in _goods())
    if kind not in LISTS:
        raise ValueError(f"unknown reference list: {kind!r}")
    return frozenset(entry["code"] for entry in _data()[kind])


def audit_type(code: str) -> dict[str, Any]:
    """One audit standard's entry (owner, version, pillars, clause list, rating scale, source)."""
    return next((entry for entry in _data()["audit_types"] if entry["code"] == code), {})


def clauses_of(audit_type_code: str) -> dict[str, str]:
    """The clauses a finding of an audit of this standard is classified by, as clause → pillar;
    empty for a standard the portal keeps no clause list of (its findings name a pillar)."""
    scheme = audit_type(audit_type_code).get("clauses")
    return {
        entry["code"]: entry["pillar"] for entry in _data()["clauses"] if scheme and entry["scheme"] == scheme
    }


def ratings_of(audit_type_code: str) -> frozenset[str]:
    """The management-system ratings an audit of this standard can carry (SMETA 7.0's); empty for others."""
    scale = audit_type(audit_type_code).get("ratings")
    return frozenset(entry["code"] for entry in _data()["ms_ratings"] if scale and entry["scheme"] == scale)
