"""IEH staff's platform risk picture: for any filter, no figure is over fewer sites than the minimum
group, and none can be worked out from the others in the same answer (the total less the rows)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.domain.risk import PILLARS
from portal.usecases import risk

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
    monkeypatch.setattr(risk.risk_store, "cells", lambda: [dict(c) for c in current])

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
    if selected < MIN:
        assert overview["total"]["suppressed"]
    if not overview["total"]["suppressed"]:
        assert overview["total"]["sites"] == selected
    for group, field in (("by_country", "country"), ("by_sector", "sector")):
        rows = overview[group]
        for row in rows:
            if row["code"] != "others":
                assert row["sites"] == sum(c["sites"] for c in kept if c[field] == row["code"])
        if not overview["total"]["suppressed"]:
            # Nothing hidden that the total less the rows shown would give away.
            assert not any(row.get("suppressed") for row in rows)
            assert sum(row["sites"] for row in rows) == selected
    for hotspot in overview["hotspots"]:
        [source] = [c for c in kept if (c["country"], c["sector"]) == (hotspot["country"], hotspot["sector"])]
        assert hotspot["sites"] == source["sites"] >= MIN


def every_figure(cells: list[dict[str, Any]]) -> list[tuple[frozenset[tuple[str, str]], dict[str, Any]]]:
    """Every figure staff can get, over every filter, with the cells it really covers; and, per
    answer, the total less the rows shown and the total less the hotspots (figures an attacker
    works out)."""
    found = []
    for country in (None, *COUNTRIES):
        for sector in (None, *SECTORS):
            filters = risk.Filters(country, sector)
            overview = risk.staff_overview(filters, "en")
            kept = {(c["country"], c["sector"]): c for c in cells if filters.keep(c["country"], c["sector"])}
            whole = frozenset(kept)
            found.append((whole, overview["total"]))
            for group, at in (("by_country", 0), ("by_sector", 1)):
                named = {row["code"] for row in overview[group] if row["code"] != "others"}
                for row in overview[group]:
                    covers = [
                        k
                        for k in kept
                        if (k[at] == row["code"] if row["code"] != "others" else k[at] not in named)
                    ]
                    found.append((frozenset(covers), row))
            hot = [(frozenset([(h["country"], h["sector"])]), h) for h in overview["hotspots"]]
            found += hot
            if not overview["total"]["suppressed"]:
                hidden = whole.difference(*(g for g, _ in hot))
                rest = sum(c["sites"] for k, c in kept.items() if k in hidden)
                found.append((hidden, {"sites": rest, "derived": True}))
    return [(cells_, f) for cells_, f in found if cells_ or not f.get("suppressed")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(platform())
def test_no_two_figures_differ_by_fewer_sites_than_the_minimum(monkeypatch_cells, cells):
    """An attacker with every answer (any filter) subtracts one figure from another that covers it:
    the sites in one and not the other are never 1 or 2, so no band split or average of fewer than
    the minimum group can be worked out."""
    monkeypatch_cells(cells)
    sizes = {(c["country"], c["sector"]): c["sites"] for c in cells}
    figures = [(g, f) for g, f in every_figure(cells) if not f.get("suppressed")]
    for group, figure in figures:
        assert figure["sites"] == sum(sizes[k] for k in group)
        assert figure["sites"] == 0 or figure["sites"] >= MIN
    for inner, a in figures:
        for outer, b in figures:
            if inner < outer:
                left = sum(sizes[k] for k in outer - inner)
                assert left == 0 or left >= MIN, (sorted(inner), sorted(outer), left)
                if not (a.get("derived") or b.get("derived")):
                    assert all(b["bands"][x] >= a["bands"][x] for x in a["bands"])


def test_a_country_less_its_only_big_sector_is_not_shown(monkeypatch_cells):
    """The example: Peru has 4 sites, 3 textiles and 1 food; Peru and Peru's textiles both shown
    would give the food site's score as 4a - 3b."""

    def cell_(country: str, sector: str, sites: int) -> dict[str, Any]:
        values: dict[str, Any] = {"country": country, "sector": sector, "sites": sites}
        for key in risk.KEYS:
            values |= {f"{key}_low": 0, f"{key}_medium": 0, f"{key}_high": sites, f"{key}_sum": 70 * sites}
        return values

    monkeypatch_cells([cell_("PE", "textiles_apparel", 3), cell_("PE", "food_processing", 1),
                       cell_("TR", "textiles_apparel", 6)])  # fmt: skip
    peru = risk.staff_overview(risk.Filters(country="PE"), "en")
    textiles = risk.staff_overview(risk.Filters(country="PE", sector="textiles_apparel"), "en")
    assert peru["total"]["sites"] == 4
    assert textiles["total"]["suppressed"]
    assert textiles["hotspots"] == []
    assert [(r["code"], r["sites"]) for r in peru["by_sector"]] == [("others", 4)]
    everything = risk.staff_overview(risk.Filters(), "en")
    assert ("PE", "textiles_apparel") not in {(h["country"], h["sector"]) for h in everything["hotspots"]}


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
