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


def test_organisations_are_shown_their_range():
    quote = fees.quote("organisation", annual_turnover_nok=3_000_000, joined=SPRING)
    assert quote.basis == "range"
    assert quote.annual_fee_nok is None
    assert (quote.min_nok, quote.max_nok) == (7700, 41600)


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
        ("organisation", "annual_turnover_nok", "field.turnover_required"),
        ("municipality", "inhabitants", "field.inhabitants_required"),
        ("county_council", "inhabitants", "field.inhabitants_required"),
    ],
)
def test_no_fee_is_quoted_before_the_input_that_decides_it(category, field, message_key):
    """Without a turnover the company's fee used to be the minimum, NOK 7,700: a quote nobody pays."""
    with pytest.raises(PortalError) as refused:
        fees.quote(category, joined=SPRING)
    assert (refused.value.status, refused.value.fields) == (422, {field: message_key})


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("basis", ["exact", "estimate", "range"])
def test_every_quote_note_names_the_rates_year_once(basis, language):
    """The page shows the note as it is: it used to add "Rates for 2023." after a note that said so."""
    from portal.i18n import text

    assert text(f"fee.note.{basis}", language, year=2023).count("2023") == 1
