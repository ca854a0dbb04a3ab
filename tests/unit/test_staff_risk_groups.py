"""IEH staff's platform risk picture: for any filter, no figure is over fewer sites than the minimum
group, and none can be worked out from the others in the same answer (the total less the rows)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import risk
from portal.domain.risk import PILLARS

COUNTRIES = ("PE", "TR", "BD", "NO")
SECTORS = ("agriculture", "textiles_apparel", "food_processing")
MIN = risk.HOTSPOT_MIN_SITES


@st.composite
def cell(draw: Any, country: str, sector: str) -> dict[str, Any]:
    sites = draw(st.integers(1, 2 * MIN + 1))
    values: dict[str, Any] = {"country": country, "sector": sector, "sites": sites}
    for key in risk.KEYS:
        low = draw(st.integers(0, sites))
        medium = draw(st.integers(0, sites - low))
        values |= {f"{key}_low": low, f"{key}_medium": medium, f"{key}_high": sites - low - medium}
        values[f"{key}_sum"] = draw(st.integers(0, 100 * sites))
    return values


@st.composite
def platform(draw: Any) -> list[dict[str, Any]]:
    pairs = draw(st.sets(st.sampled_from([(c, s) for c in COUNTRIES for s in SECTORS]), max_size=8))
    return [draw(cell(country, sector)) for country, sector in sorted(pairs)]


FILTERS = st.builds(
    risk.Filters,
    st.none() | st.sampled_from(COUNTRIES),
    st.none() | st.sampled_from(SECTORS),
    st.none() | st.sampled_from(PILLARS),
)


@pytest.fixture
def monkeypatch_cells(monkeypatch):
    """The platform's counts as given (each example sets its own, so the fixture may be shared)."""
    current: list[dict[str, Any]] = []
    monkeypatch.setattr(risk.store, "cells", lambda: [dict(c) for c in current])

    def use(cells: list[dict[str, Any]]) -> None:
        current[:] = cells

    return use


def figures(overview: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        overview["total"],
        *overview["by_pillar"],
        *overview["by_country"],
        *overview["by_sector"],
        *overview["hotspots"],
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(platform(), FILTERS, st.sampled_from(["nb", "en"]))
def test_no_reported_figure_is_over_a_group_smaller_than_the_minimum(
    monkeypatch_cells, cells, filters, language
):
    monkeypatch_cells(cells)
    overview = risk.staff_overview(filters, language)
    kept = [c for c in cells if filters.keep(c["country"], c["sector"])]
    selected = sum(c["sites"] for c in kept)

    for figure in figures(overview):
        if figure.get("suppressed"):
            assert (figure["sites"], figure["average"], figure["bands"]) == (None, None, None)
        else:
            assert figure["sites"] >= MIN
            assert sum(figure["bands"].values()) == figure["sites"]

    # Each figure is over the group it names, so each group really has the sites it shows.
    assert overview["total"].get("suppressed", False) is (selected < MIN)
    if not overview["total"].get("suppressed"):
        assert overview["total"]["sites"] == selected
    for group, field in (("by_country", "country"), ("by_sector", "sector")):
        rows = overview[group]
        for row in rows:
            if row["code"] != "others":
                assert row["sites"] == sum(c["sites"] for c in kept if c[field] == row["code"])
        if selected >= MIN:
            # Nothing hidden that the total less the rows shown would give away.
            assert not any(row.get("suppressed") for row in rows)
            assert sum(row["sites"] for row in rows) == selected
    for hotspot in overview["hotspots"]:
        [source] = [c for c in kept if (c["country"], c["sector"]) == (hotspot["country"], hotspot["sector"])]
        assert hotspot["sites"] == source["sites"] >= MIN


def test_a_filter_down_to_one_producer_shows_no_figure(monkeypatch_cells):
    one_site = {"country": "PE", "sector": "agriculture", "sites": 1}
    for key in risk.KEYS:
        one_site |= {f"{key}_low": 0, f"{key}_medium": 0, f"{key}_high": 1, f"{key}_sum": 73}
    many = {**one_site, "country": "TR", "sector": "textiles_apparel", "sites": 5}
    many |= {f"{key}_high": 5 for key in risk.KEYS} | {f"{key}_sum": 350 for key in risk.KEYS}
    monkeypatch_cells([one_site, many])

    peru = risk.staff_overview(risk.Filters(country="PE"), "en")
    assert peru["total"] == {"sites": None, "average": None, "bands": None, "suppressed": True}
    assert all(p["suppressed"] for p in peru["by_pillar"])
    assert [(r["code"], r["suppressed"]) for r in peru["by_country"]] == [("others", True)]
    assert peru["hotspots"] == []
    assert risk.staff_rows(risk.Filters(country="PE"), "en")[1] == []

    # Unfiltered, Peru's one site is pooled with Turkey's five rather than shown on its own.
    everything = risk.staff_overview(risk.Filters(), "en")
    assert [(r["code"], r["sites"]) for r in everything["by_country"]] == [("others", 6)]
