"""The fee an applicant is shown follows IEH's published 2023 table."""

from datetime import date

import pytest

from portal.domain import fees
from portal.errors import PortalError

SPRING = date(2023, 3, 1)


@pytest.mark.parametrize(
    ("turnover", "fee", "basis"),
    [
        (0, 7700, "exact"),  # the minimum
        (4_999_999, 7700, "exact"),
        (35_000_000, 37300, "exact"),  # published examples are exact
        (100_000_000, 74400, "exact"),
        (1_000_000_000, 92400, "exact"),
        (5_000_000_000, 108100, "exact"),
        (20_000_000_000, 137800, "exact"),
        (90_000_000_000, 137800, "exact"),  # the maximum
        # halfway between 35 and 100 million: (37,300 + 74,400) / 2 = 55,850 → 55,900 (nearest 100)
        (67_500_000, 55900, "estimate"),
        # 20 million: 7,700 + (37,300 − 7,700) × 15/30 = 22,500
        (20_000_000, 22500, "estimate"),
    ],
)
def test_company_fee_from_turnover(turnover, fee, basis):
    quote = fees.quote("company", annual_turnover_nok=turnover, joined=SPRING)
    assert (quote.annual_fee_nok, quote.basis) == (fee, basis)
    assert (quote.min_nok, quote.max_nok) == (7700, 137800)


@pytest.mark.parametrize(
    ("category", "inhabitants", "fee"),
    [
        ("municipality", 50_000, 59000),  # 1.18 × 50,000
        ("municipality", 1_000, 25700),  # 1,180 is below the minimum
        ("municipality", 700_000, 99600),  # 826,000 is above the maximum
        ("county_council", 100_000, 59000),  # 0.59 × 100,000
        ("county_council", 43_000, 25700),  # 25,370 is below the minimum
        ("county_council", 43_561, 25701),  # 0.59 × 43,561 = 25,700.99, rounded to whole kroner
    ],
)
def test_public_bodies_pay_per_inhabitant_within_limits(category, inhabitants, fee):
    quote = fees.quote(category, inhabitants=inhabitants, joined=SPRING)
    assert quote.annual_fee_nok == fee
    assert quote.basis == "exact"


def test_organisations_are_shown_their_range_until_ieh_confirms_the_groups_limits():
    quote = fees.quote("organisation", annual_turnover_nok=3_000_000, employees=4, joined=SPRING)
    assert quote.basis == "range"
    assert (quote.annual_fee_nok, quote.group) == (None, None)
    assert (quote.min_nok, quote.max_nok) == (7700, 41600)


def test_an_organisations_group_is_decided_by_turnover_and_employees_with_their_source():
    rule = fees.fee_table()["categories"]["organisation"]
    assert rule["decided_by"] == ["annual_turnover_nok", "employees"]
    assert "omsetning og antall ansatte" in rule["source"]["says"]
    assert rule["source"]["url"] == "https://etiskhandel.no/hvor-mye-koster-det-meg/"
    assert [g["fee_nok"] for g in rule["groups"]] == [7700, None, 41600]  # the middle one is unpublished
    assert rule["limits_confirmed"] is False
    assert "IEH's to confirm" in rule["source"]["note"]


@pytest.mark.parametrize(
    ("turnover", "employees", "group", "fee"),
    [
        (1_000_000, 2, 1, 7700),
        (2_000_000, 5, 1, 7700),  # each limit inclusive
        (2_000_000, 6, 2, 20000),  # one size over the limit is enough for the next group
        (30_000_000, 3, 2, 20000),
        (30_000_001, 3, 3, 41600),
        (500_000, 400, 3, 41600),
    ],
)
def test_once_ieh_confirms_the_limits_an_organisation_is_quoted_its_group(
    monkeypatch, turnover, employees, group, fee
):
    """Limits made up for the test: the packaged table has none until IEH confirms them."""
    table = fees.fee_table()
    confirmed = {
        **table["categories"]["organisation"],
        "limits_confirmed": True,
        "groups": [
            {"group": 1, "fee_nok": 7700, "up_to": {"annual_turnover_nok": 2_000_000, "employees": 5}},
            {"group": 2, "fee_nok": 20000, "up_to": {"annual_turnover_nok": 30_000_000, "employees": 50}},
            {"group": 3, "fee_nok": 41600, "up_to": None},
        ],
    }
    patched = {**table, "categories": {**table["categories"], "organisation": confirmed}}
    monkeypatch.setattr(fees, "fee_table", lambda: patched)
    quote = fees.quote("organisation", annual_turnover_nok=turnover, employees=employees, joined=SPRING)
    assert (quote.basis, quote.group, quote.annual_fee_nok) == ("exact", group, fee)


@pytest.mark.parametrize(
    ("joined", "share", "first_year"),
    [
        (date(2023, 1, 1), 1.0, 37300),
        (date(2023, 6, 30), 1.0, 37300),
        (date(2023, 7, 1), 0.5, 18650),
        (date(2023, 9, 30), 0.5, 18650),
        (date(2023, 10, 1), 0.25, 9325),
        (date(2023, 12, 31), 0.25, 9325),
    ],
)
def test_first_year_fee_depends_on_joining_date(joined, share, first_year):
    quote = fees.quote("company", annual_turnover_nok=35_000_000, joined=joined)
    assert quote.first_year_share == share
    assert quote.first_year_fee_nok == first_year


def test_fee_table_names_its_source_and_year():
    table = fees.fee_table()
    assert table["year"] == 2023
    assert table["source"]["url"].startswith("https://etiskhandel.no/")


@pytest.mark.parametrize(
    ("category", "field", "message_key"),
    [
        ("company", "annual_turnover_nok", "field.turnover_required"),
        ("municipality", "inhabitants", "field.inhabitants_required"),
        ("county_council", "inhabitants", "field.inhabitants_required"),
    ],
)
def test_no_fee_is_quoted_before_the_input_that_decides_it(category, field, message_key):
    """Without a turnover the company's fee used to be the minimum, NOK 7,700: a quote nobody pays."""
    with pytest.raises(PortalError) as refused:
        fees.quote(category, joined=SPRING)
    assert (refused.value.status, refused.value.fields) == (422, {field: message_key})


def test_an_organisation_is_asked_for_its_turnover_and_its_employees():
    with pytest.raises(PortalError) as refused:
        fees.quote("organisation", annual_turnover_nok=3_000_000, joined=SPRING)
    assert refused.value.fields == {"employees": "field.employees_required"}
    with pytest.raises(PortalError) as refused:
        fees.quote("organisation", joined=SPRING)
    assert refused.value.fields == {
        "annual_turnover_nok": "field.turnover_required",
        "employees": "field.employees_required",
    }


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("basis", ["exact", "estimate", "range"])
def test_every_quote_note_names_the_rates_year_once(basis, language):
    """The page shows the note as it is: it used to add "Rates for 2023." after a note that said so."""
    from portal.i18n import text

    assert text(f"fee.note.{basis}", language, year=2023).count("2023") == 1
