"""The lists a producer picks from read naturally in Norwegian and English, and only their codes pass."""

import json
from importlib import resources

import pytest

from portal.domain.reference import (
    LISTS,
    codes,
    countries,
    country_name,
    is_country,
    reference,
    sort_key,
)


def _raw() -> dict:
    return json.loads(resources.files("portal.data").joinpath("reference.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("code", "nb", "en"),
    [
        ("NO", "Norge", "Norway"),
        ("SE", "Sverige", "Sweden"),
        ("CN", "Kina", "China"),
        ("BD", "Bangladesh", "Bangladesh"),  # the same in both: the catalogue needs no translation
        ("KR", "Sør-Korea", "South Korea"),  # the common name, not "Korea, Republic of"
        ("VN", "Vietnam", "Vietnam"),
        ("US", "USA", "United States"),  # an everyday form rather than "De forente stater"
        ("TR", "Tyrkia", "Türkiye"),
    ],
)
def test_country_names_in_both_languages(code, nb, en):
    assert (country_name(code, "nb"), country_name(code, "en")) == (nb, en)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_iso_country_is_listed_once(language):
    listed = countries(language)
    assert len(listed) == 249
    assert len({code for code, _ in listed}) == 249
    assert all(len(code) == 2 and code.isupper() and name for code, name in listed)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_countries_are_in_alphabetical_order(language):
    names = [name for _, name in countries(language)]
    assert names == sorted(names, key=lambda name: sort_key(name, language))
    assert names[0] == "Afghanistan"


def test_norwegian_order_puts_ae_oe_aa_last():
    names = [name for _, name in countries("nb")]
    assert names[-3:] == ["Øst-Timor", "Østerrike", "Åland"]
    assert names.index("Færøyene") > names.index("Fransk Polynesia")  # æ after every other letter
    assert names.index("Sør-Afrika") > names.index("Syria")
    assert names.index("Curaçao") < names.index("Danmark")  # other accents sort as their letter


def test_english_order_ignores_accents():
    names = [name for _, name in countries("en")]
    assert names.index("Åland Islands") < names.index("Albania")


@pytest.mark.parametrize("code", ["", "no", "XX", "NOR", "EU", "UK"])
def test_an_unknown_country_code_is_refused(code):
    assert not is_country(code)
    assert code not in codes("countries")
    with pytest.raises(KeyError):
        country_name(code, "en")


def test_known_country_codes_pass():
    assert is_country("NO")
    assert {"NO", "GB", "BD", "CN", "TR"} <= codes("countries")


@pytest.mark.parametrize("kind", LISTS)
def test_every_entry_has_a_unique_code_and_both_languages(kind):
    entries = _raw()[kind]
    assert entries
    assert len({entry["code"] for entry in entries}) == len(entries)
    for entry in entries:
        assert {"code", "nb", "en"} <= set(entry) <= {"code", "nb", "en", "pillars", "by"}
        assert entry["nb"].strip()
        assert entry["en"].strip()


def test_country_name_overrides_are_real_countries():
    assert set(_raw()["country_names"]["nb"]) <= codes("countries")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_reference_offers_every_list_as_code_and_name(language):
    answer = reference(language)
    assert set(answer) == {"countries", "goods", *LISTS}
    for kind, entries in answer.items():
        assert all({"code", "name"} <= set(entry) <= {"code", "name", "pillars", "by"} for entry in entries)
        assert {entry["code"] for entry in entries} == codes(kind)


def test_a_smeta_audit_type_names_the_pillars_it_covers():
    """The audit form ticks these for the producer: they come from the data, not from a page's copy."""
    types = {entry["code"]: entry for entry in reference("nb")["audit_types"]}
    assert types["smeta_2"]["pillars"] == ["labour", "health_safety"]
    assert set(types["smeta_4"]["pillars"]) == codes("pillars")
    assert "pillars" not in types["amfori_bsci"]


def test_reference_names_follow_the_language():
    nb, en = reference("nb"), reference("en")
    assert [e["name"] for e in nb["action_statuses"]] == [
        "Åpen",
        "Under arbeid",
        "Venter på verifisering",
        "Lukket",
    ]
    assert [e["code"] for e in en["grades"]] == ["critical", "major", "minor", "observation", "good_example"]
    assert {"code": "NO", "name": "Norway"} in en["countries"]
    assert {"code": "NO", "name": "Norge"} in nb["countries"]


def test_the_expected_codes_are_there():
    assert codes("audit_types") == {"smeta_2", "smeta_4", "amfori_bsci", "other"}
    assert codes("pillars") == {"labour", "health_safety", "environment", "business_ethics"}
    assert codes("action_statuses") == {"open", "in_progress", "awaiting_verification", "closed"}
    assert len(codes("sectors")) == 15
    assert {"fishing_seafood", "textiles_apparel", "other"} <= codes("sectors")


def test_an_unknown_list_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown reference list"):
        codes("currencies")


def test_callers_cannot_change_the_cached_lists():
    countries("en").clear()
    reference("en")["countries"].clear()
    assert len(countries("en")) == 249
    assert len(reference("en")["countries"]) == 249
