"""The lists a producer picks from read naturally in Norwegian and English, and only their codes pass."""

import json
from importlib import resources

import pytest

from portal.domain.reference import (
    LISTS,
    clauses_of,
    codes,
    countries,
    country_name,
    is_country,
    ratings_of,
    reference,
    sort_key,
)

# What an entry may carry besides its code and names: a standard's facts, a clause's list and pillar.
EXTRA_FIELDS = {"pillars", "owner", "version", "source", "clauses", "ratings", "scheme", "pillar", "by"}


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
        assert {"code", "nb", "en"} <= set(entry) <= {"code", "nb", "en", *EXTRA_FIELDS}
        assert entry["nb"].strip()
        assert entry["en"].strip()


def test_country_name_overrides_are_real_countries():
    assert set(_raw()["country_names"]["nb"]) <= codes("countries")


@pytest.mark.parametrize("language", ["nb", "en"])
def test_reference_offers_every_list_as_code_and_name(language):
    answer = reference(language)
    assert set(answer) == {"countries", "goods", *LISTS}
    for kind, entries in answer.items():
        assert all({"code", "name"} <= set(entry) <= {"code", "name", *EXTRA_FIELDS} for entry in entries)
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
    assert codes("audit_types") == {
        "smeta7_2",
        "smeta7_4",
        "smeta_2",  # SMETA 6.1, the codes stored before 7.0 was offered: they keep meaning what they meant
        "smeta_4",
        "amfori_bsci",
        "sa8000",
        "rba_vap",
        "wrap",
        "other",
    }
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


def test_every_named_standard_says_who_owns_it_which_version_and_where_it_is_published():
    """A buyer reading "SMETA 7.0 4-pilar" can look the standard up: owner, version and source are data."""
    for entry in _raw()["audit_types"]:
        if entry["code"] == "other":
            continue
        assert entry["owner"].strip(), entry["code"]
        assert entry["version"].strip(), entry["code"]
        assert entry["source"].startswith("https://"), entry["code"]
    names = {entry["code"]: entry["name"] for entry in reference("nb")["audit_types"]}
    assert names["smeta7_4"] == "SMETA 7.0 4-pilar"
    assert names["smeta_4"] == "SMETA 6.1 4-pilar"
    assert names["sa8000"] == "SA8000"


def test_smeta_findings_are_classified_by_the_eti_base_code_and_smetas_additions():
    clauses = clauses_of("smeta7_4")
    assert clauses == clauses_of("smeta_2")  # 6.1 and 7.0 report against the same clause numbers
    assert clauses["smeta_1"] == "labour"  # employment is freely chosen
    assert clauses["smeta_3"] == "health_safety"  # working conditions are safe and hygienic
    assert clauses["smeta_10c"] == "environment"
    assert clauses["smeta_10d"] == "business_ethics"
    assert len([code for code in clauses if code[6:].isdigit()]) == 10  # 0 management systems … 9
    names = {entry["code"]: entry["name"] for entry in reference("en")["clauses"]}
    assert names["smeta_9"] == "9 No harsh or inhumane treatment is allowed"
    assert all(entry["source"].startswith("https://") for entry in _raw()["clauses"])
    assert clauses_of("amfori_bsci") == {}  # no clause list kept: the finding names a pillar


def test_only_smeta_7_audits_carry_a_management_system_rating_and_its_scale_is_marked_unconfirmed():
    assert ratings_of("smeta7_2") == ratings_of("smeta7_4") == codes("ms_ratings")
    assert len(codes("ms_ratings")) == 4
    assert ratings_of("smeta_4") == frozenset() == ratings_of("wrap")
    assert "ms_ratings" in _raw()["source"]["to_confirm"]
