"""Membership fees: what an applicant would pay, from IEH's published fee table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import pairwise
from typing import Any, Literal

from portal import data as packaged
from portal.errors import invalid

Category = Literal["company", "organisation", "municipality", "county_council"]
Basis = Literal["exact", "estimate", "range"]

# What the applicant is asked to fill in when an input that decides the fee is missing.
REQUIRED_MESSAGE = {
    "annual_turnover_nok": "field.turnover_required",
    "inhabitants": "field.inhabitants_required",
    "employees": "field.employees_required",
}


@dataclass(frozen=True)
class FeeQuote:
    category: Category
    basis: Basis
    annual_fee_nok: int | None
    min_nok: int
    max_nok: int
    first_year_share: float
    first_year_fee_nok: int | None
    year: int
    source: str
    group: int | None = None  # an organisation's group, once IEH has confirmed the groups' limits


@cache
def fee_table() -> dict[str, Any]:
    return packaged.load("membership_fees.json")


def _round(value: Decimal, step: int = 1) -> int:
    return int((value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def joining_share(joined: date) -> float:
    """Share of the annual fee due in the year of joining (1 Jul: 50 %, 1 Oct: 25 %)."""
    share = 1.0
    for step in fee_table()["joining_share"]:
        month, day = (int(part) for part in step["from_month_day"].split("-"))
        if (joined.month, joined.day) >= (month, day):
            share = float(step["share"])
    return share


def missing(category: Category, given: Mapping[str, int | None]) -> dict[str, str]:
    """The inputs that decide the category's fee (its `decided_by` in the table) and are not given,
    each with the message that asks for it: no fee is quoted until there are none."""
    rule = fee_table()["categories"][category]
    return {name: REQUIRED_MESSAGE[name] for name in rule["decided_by"] if given.get(name) is None}


def _company_fee(turnover: int, rule: dict[str, Any]) -> tuple[int, Basis]:
    points = [(p["annual_turnover_nok"], p["fee_nok"]) for p in rule["published_examples"]]
    if turnover <= points[0][0]:
        return points[0][1], "exact"
    if turnover >= points[-1][0]:
        return points[-1][1], "exact"
    for (x0, y0), (x1, y1) in pairwise(points):
        if turnover == x1:
            return y1, "exact"
        if x0 < turnover < x1:
            fee = Decimal(y0) + (Decimal(y1 - y0) * (turnover - x0)) / (x1 - x0)
            return _round(fee, 100), "estimate"  # the published fees are in hundreds
    raise AssertionError("unreachable: turnover lies between the published examples")


def _group(sizes: Mapping[str, int], rule: dict[str, Any]) -> dict[str, Any] | None:
    """The organisation's group by the table's rule: the lowest whose limits it is within. None
    while IEH has not confirmed the limits (or a group's fee), so that only the range is quoted."""
    groups = rule["groups"]
    known = all(g["fee_nok"] is not None for g in groups) and all(
        limit is not None for g in groups[:-1] for limit in g["up_to"].values()
    )
    if not (rule["limits_confirmed"] and known):
        return None
    for group in groups[:-1]:
        if all(sizes[name] <= limit for name, limit in group["up_to"].items()):
            return dict(group)
    return dict(groups[-1])


def quote(
    category: Category,
    *,
    annual_turnover_nok: int | None = None,
    inhabitants: int | None = None,
    employees: int | None = None,
    joined: date,
) -> FeeQuote:
    """The fee for one applicant: 422 naming each input that decides it and is missing (a fee
    quoted from a missing turnover would be the minimum, which the applicant may not pay).
    Inputs the category does not use are ignored."""
    given = {"annual_turnover_nok": annual_turnover_nok, "inhabitants": inhabitants, "employees": employees}
    problems = missing(category, given)
    if problems:
        raise invalid(**problems)
    table = fee_table()
    rule = table["categories"][category]
    fee: int | None
    basis: Basis
    group = None
    if rule["basis"] == "turnover":
        assert annual_turnover_nok is not None
        fee, basis = _company_fee(annual_turnover_nok, rule)
    elif rule["basis"] == "inhabitants":
        assert inhabitants is not None
        raw = Decimal(str(rule["nok_per_inhabitant"])) * inhabitants
        fee = min(max(_round(raw), rule["min_nok"]), rule["max_nok"])
        basis = "exact"
    else:  # IEH places organisations in one of three groups by turnover and employees
        sizes = {name: value for name, value in given.items() if value is not None}
        placed = _group(sizes, rule)
        if placed is None:
            fee, basis = None, "range"
        else:
            fee, basis, group = placed["fee_nok"], "exact", placed["group"]
    share = joining_share(joined)
    first_year = None if fee is None else _round(Decimal(fee) * Decimal(str(share)))
    return FeeQuote(
        category=category,
        basis=basis,
        annual_fee_nok=fee,
        min_nok=rule["min_nok"],
        max_nok=rule["max_nok"],
        first_year_share=share,
        first_year_fee_nok=first_year,
        year=table["year"],
        source=table["source"]["url"],
        group=group,
    )
