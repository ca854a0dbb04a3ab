"""The risk model on hand-computed cases, and the property that worse inputs never lower a score.

The weights are the real model's (data/risk/model.json); the country and sector figures are made
up here so each case can be computed by hand and does not change when a source gets a new edition.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.domain import risk, saq
from portal.domain.risk import (
    PILLARS,
    SiteInputs,
    assess,
    band,
    controls_from_answers,
    make_data,
    red_flags_from_answers,
)

MODEL = json.loads(resources.files("portal.data").joinpath("risk/model.json").read_text("utf-8"))
ALL_CONTROLS = frozenset(c["id"] for c in MODEL["controls"]["items"])
ALL_FLAGS = frozenset(f["id"] for f in MODEL["red_flags"]["items"])
FLAGS = {f["id"]: f for f in MODEL["red_flags"]["items"]}


def sectors(**scores: tuple[int, int, int, int]) -> dict[str, Any]:
    table = {"other": (2, 2, 2, 2), **scores}
    return {
        "sectors": {
            code: {p: {"score": s} for p, s in zip(PILLARS, row, strict=True)} for code, row in table.items()
        }
    }


def world(
    ituc: dict[str, str],
    cpi: dict[str, float],
    epi: dict[str, float],
    injuries: dict[str, float],
    goods: list[dict[str, Any]] = (),  # type: ignore[assignment]
    sector_table: dict[str, Any] | None = None,
) -> risk.RiskData:
    return make_data(
        MODEL,
        {
            "ituc_gri": {"values": ituc},
            "ti_cpi": {"values": cpi},
            "environment": {"values": epi},
            "health_safety": {"values": injuries},
            "usdol_goods": {"entries": list(goods)},
            "sectors": sector_table
            or sectors(services=(1, 1, 1, 1), textiles_apparel=(4, 3, 3, 2), fishing_seafood=(4, 4, 3, 2)),
        },
    )


DATA = world(
    ituc={"NO": "1", "BD": "5", "MM": "5+"},
    cpi={"NO": 81, "BD": 23, "MM": 16},
    epi={"NO": 70, "BD": 27},  # Myanmar is not covered: the model's cautious value applies
    injuries={"NO": 0.8, "BD": 12.0, "MM": 30.0},
    goods=[
        {"country": "BD", "good": "garments", "child": True, "forced": False},
        {"country": "MM", "good": "fish", "child": True, "forced": True},
        {"country": "MM", "good": "garments", "child": False, "forced": True},
    ],
)


def points(assessment: risk.Assessment, pillar: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for f in assessment.factors:
        if f.pillar == pillar:
            found[f.code] = found.get(f.code, 0) + f.points
    return found


def test_a_low_risk_site_scores_country_plus_sector() -> None:
    result = assess(SiteInputs(country="NO", sector="services"), DATA)

    # ITUC 1 → 1, CPI 81 (≥ 80) → 1, EPI 70 (≥ 70) → 1, 0.8 fatal injuries (≤ 1) → 1; sector 1 each.
    assert result.scores == {"labour": 2.0, "health_safety": 2.0, "environment": 2.0, "business_ethics": 2.0}
    assert result.inherent == result.scores
    assert band(result.overall, DATA) == "low"
    assert points(result, "labour") == {"country": 1.0, "sector": 1.0}


def test_a_high_risk_site_with_its_workforce_and_saq() -> None:
    site = SiteInputs(
        country="BD",
        sector="textiles_apparel",
        goods=("garments", "cotton"),
        workforce={"total": 100, "migrant": 10, "temporary": 30, "agency": 60},
        controls=frozenset(c["id"] for c in MODEL["controls"]["items"] if c["pillar"] == "labour"),
    )
    result = assess(site, DATA)

    # Labour: ITUC 5 → 5, sector 4, garments on the list for child labour → 1: 10 (at the cap).
    # Temporary 30 % → 0.5, agency 60 % → 1.0, migrant 10 % → 0. Nine controls × 0.5, capped at 3.
    assert points(result, "labour") == {
        "country": 5.0, "sector": 4.0, "goods": 1.0, "temporary": 0.5, "agency": 1.0,
        "control": -4.5, "controls_cap": 1.5,
    }  # fmt: skip
    assert result.inherent["labour"] == 10.0  # 11.5 kept within 10
    assert result.scores["labour"] == 8.5  # 10 + 1.5 − 3
    # Health and safety: 12 per 100,000 is above 1, 2, 4 and 8 → 5; sector 3; shares 1.5 capped at 1.
    assert result.scores["health_safety"] == 9.0
    assert points(result, "health_safety")["workforce_cap"] == -0.5
    # Business ethics: CPI 23 is below 80, 65, 50 and 35 → 5; sector 2.
    assert result.scores["business_ethics"] == 7.0
    # Environment: EPI 27 is below every threshold → 6; sector 3.
    assert result.scores["environment"] == 9.0
    assert result.overall == 9.0
    assert band(result.overall, DATA) == "high"
    goods = next(f for f in result.factors if f.code == "goods")
    assert goods.value == {"child": ["garments"], "forced": []}
    assert goods.source == "usdol_goods"


def test_the_cap_and_a_country_the_source_does_not_cover_are_explained() -> None:
    result = assess(SiteInputs(country="MM", sector="fishing_seafood", goods=("fish", "garments")), DATA)

    # 5+ → 6, sector 4, goods: child (fish) 1 + forced (fish, garments) 1 = 2 → 12, capped at 10.
    assert points(result, "labour") == {"country": 6.0, "sector": 4.0, "goods": 2.0, "cap": -2.0}
    assert result.scores["labour"] == 10.0
    environment = points(result, "environment")
    assert environment == {"country_not_covered": 4.0, "sector": 3.0}
    assert result.scores["environment"] == 7.0


def test_every_score_is_the_sum_of_its_factors() -> None:
    site = SiteInputs(country="BD", sector="textiles_apparel", goods=("garments",),
                      workforce={"total": 10, "migrant": 5, "temporary": 5, "agency": 5}, controls=ALL_CONTROLS)  # fmt: skip
    result = assess(site, DATA)
    for pillar in PILLARS:
        total = sum(points(result, pillar).values())
        assert result.scores[pillar] == round(min(10.0, max(0.0, total)), 1)


def test_what_would_lower_a_score_is_each_missing_control_and_workforce_share() -> None:
    site = SiteInputs(country="BD", sector="textiles_apparel", workforce={"total": 10, "agency": 6})
    result = assess(site, DATA)

    labour = [f for f in result.improvements if f.pillar == "labour"]
    assert {f.value for f in labour if f.code == "control"} == {
        c["id"] for c in MODEL["controls"]["items"] if c["pillar"] == "labour"
    }
    assert next(f for f in labour if f.code == "agency").points == -1.0
    # With the controls at their cap, another control lowers nothing: it is not offered.
    capped = assess(SiteInputs(country="BD", sector="textiles_apparel", controls=ALL_CONTROLS), DATA)
    assert not [f for f in capped.improvements if f.pillar == "labour" and f.code == "control"]


def test_controls_come_from_the_submitted_answers() -> None:
    answers = {
        "labour.wages.minimum_wage_paid": True,
        "labour.forced_labour.recruitment_fees": True,
        "labour.forced_labour.fees_repaid": True,
        "environment.hazardous_chemicals": True,
        "environment.spill_containment": False,
        "business_ethics.unofficial_payment_requests": "paid",
    }
    found = controls_from_answers(answers)
    assert {"wages", "recruitment_fees"} <= found
    assert "chemicals" not in found
    assert "unofficial_payments" not in found


def test_the_packaged_sources_cover_the_model() -> None:
    real = risk.data()
    assert set(real.sectors) >= {"other", "textiles_apparel", "agriculture"}
    for source in ("ituc_gri", "ti_cpi", "environment", "health_safety", "usdol_goods", "sectors"):
        about = real.sources[source]
        assert all((about["year"], about["publisher"], about["licence"])), source
    norway = assess(SiteInputs(country="NO", sector="services"), real)
    bangladesh = assess(SiteInputs(country="BD", sector="textiles_apparel", goods=("garments",)), real)
    assert bangladesh.scores["labour"] > norway.scores["labour"]
    assert band(bangladesh.overall) == "high"
    assert band(norway.overall) == "low"


# -- worse inputs never lower a score ---------------------------------------------------------------
RATINGS = ["1", "2", "3", "4", "5", "5+"]


@st.composite
def pairs(draw: st.DrawFn) -> tuple[risk.RiskData, SiteInputs, risk.RiskData, SiteInputs]:
    """A site, and the same site made worse (or left as it was) on every input at once."""

    def worse_int(low: int, high: int) -> tuple[int, int]:
        a = draw(st.integers(low, high))
        return a, draw(st.integers(a, high))

    def worse_float(low: float, high: float, higher_is_worse: bool) -> tuple[float, float]:
        a = draw(st.floats(low, high, allow_nan=False))
        b = draw(
            st.floats(a, high, allow_nan=False) if higher_is_worse else st.floats(low, a, allow_nan=False)
        )
        return a, b

    rating = worse_int(0, 5)
    cpi = worse_float(0, 100, higher_is_worse=False)
    epi = worse_float(0, 100, higher_is_worse=False)
    injuries = worse_float(0, 50, higher_is_worse=True)
    sector = [worse_int(1, 4) for _ in PILLARS]
    child, forced = worse_int(0, 1), worse_int(0, 1)
    total = draw(st.integers(0, 500))
    shares = {kind: worse_int(0, total) for kind in ("migrant", "temporary", "agency")}
    worse_controls = draw(st.frozensets(st.sampled_from(sorted(ALL_CONTROLS))))
    better_controls = worse_controls | draw(st.frozensets(st.sampled_from(sorted(ALL_CONTROLS))))
    better_flags = draw(st.frozensets(st.sampled_from(sorted(ALL_FLAGS))))
    worse_flags = better_flags | draw(st.frozensets(st.sampled_from(sorted(ALL_FLAGS))))
    saq = draw(st.booleans())

    def build(i: int) -> tuple[risk.RiskData, SiteInputs]:
        data = world(
            ituc={"XX": RATINGS[rating[i]]},
            cpi={"XX": cpi[i]},
            epi={"XX": epi[i]},
            injuries={"XX": injuries[i]},
            goods=[{"country": "XX", "good": "g", "child": bool(child[i]), "forced": bool(forced[i])}],
            sector_table=sectors(s=tuple(row[i] for row in sector)),  # type: ignore[arg-type]
        )
        workforce = {"total": total, **{kind: pair[i] for kind, pair in shares.items()}}
        controls = (better_controls if i == 0 else worse_controls) if saq else None
        flags = (better_flags if i == 0 else worse_flags) if saq else frozenset()
        return data, SiteInputs(
            country="XX", sector="s", goods=("g",), workforce=workforce, controls=controls, flags=flags
        )

    return (*build(0), *build(1))


@settings(max_examples=300, deadline=None)
@given(pairs())
def test_worse_inputs_never_lower_a_score(
    case: tuple[risk.RiskData, SiteInputs, risk.RiskData, SiteInputs],
) -> None:
    better_data, better_site, worse_data, worse_site = case
    better, worse = assess(better_site, better_data), assess(worse_site, worse_data)
    for pillar in PILLARS:
        assert worse.scores[pillar] >= better.scores[pillar], pillar
        assert worse.inherent[pillar] >= better.inherent[pillar], pillar


@settings(max_examples=100, deadline=None)
@given(pairs())
def test_a_submitted_saq_without_red_flags_never_raises_a_score(
    case: tuple[risk.RiskData, SiteInputs, risk.RiskData, SiteInputs],
) -> None:
    data, site, _, _ = case
    result = assess(SiteInputs(**{**site.__dict__, "flags": frozenset()}), data)
    for pillar in PILLARS:
        assert 0 <= result.scores[pillar] <= result.inherent[pillar] <= 10


@pytest.mark.parametrize(("score", "expected"), [(0, "low"), (3.9, "low"), (4.0, "medium"), (6.9, "medium"), (7.0, "high"), (10, "high")])  # fmt: skip
def test_bands(score: float, expected: str) -> None:
    assert band(score, DATA) == expected


def test_fewer_migrant_workers_is_never_offered_as_an_improvement() -> None:
    site = SiteInputs(
        country="BD", sector="textiles_apparel", workforce={"total": 10, "migrant": 8, "agency": 3}
    )
    result = assess(site, DATA)
    assert "migrant" in {f.code for f in result.factors}
    assert "migrant" not in {f.code for f in result.improvements}
    assert "agency" in {f.code for f in result.improvements}


def test_a_country_whose_reported_injuries_are_implausibly_low_is_floored_by_its_cpi() -> None:
    data = world(ituc={"GT": "5"}, cpi={"GT": 25}, epi={"GT": 45}, injuries={"GT": 0.14})
    health = points(assess(SiteInputs(country="GT", sector="services"), data), "health_safety")
    # 0.14 per 100,000 gives 1 point; CPI 25 gives 5, so health and safety takes 5 − 1 = 4.
    assert health == {"country_floor": 4.0, "sector": 1.0}


# -- red flags: answers that show a serious risk raise their pillar ---------------------------------
def test_red_flags_come_from_the_answers_and_their_thresholds() -> None:
    clean = {"business_ethics.legal_proceedings": False, "labour.hours.longest_week": 60,
             "labour.forced_labour.documents_withheld": False, "business_ethics.unofficial_payment_requests": "refused"}  # fmt: skip
    assert red_flags_from_answers(clean) == frozenset()
    worrying = {**clean, "business_ethics.legal_proceedings": True, "labour.hours.longest_week": 61,
                "labour.forced_labour.documents_withheld": True, "business_ethics.unofficial_payment_requests": "paid"}  # fmt: skip
    assert red_flags_from_answers(worrying) == {
        "corruption_proceedings", "weeks_over_60_hours", "documents_withheld", "unofficial_payment_made",
    }  # fmt: skip
    # An answer of another type never meets a condition (1 is not "yes", "61" is not a number).
    assert (
        red_flags_from_answers({"business_ethics.legal_proceedings": 1, "labour.hours.longest_week": "61"})
        == frozenset()
    )


def test_a_red_flag_raises_its_pillar_with_the_saq_and_says_why() -> None:
    clean = SiteInputs(country="NO", sector="services", controls=ALL_CONTROLS)
    flagged = SiteInputs(country="NO", sector="services", controls=ALL_CONTROLS,
                         flags=frozenset({"corruption_proceedings", "weeks_over_60_hours"}))  # fmt: skip
    before, after = assess(clean, DATA), assess(flagged, DATA)

    corruption, hours = FLAGS["corruption_proceedings"], FLAGS["weeks_over_60_hours"]
    assert corruption["pillar"] == "business_ethics"
    assert hours["pillar"] == "labour"
    for pillar, flag in (("business_ethics", corruption), ("labour", hours)):
        assert (
            after.scores[pillar] == round(before.scores[pillar] + flag["points"], 1) > before.scores[pillar]
        )
        assert after.inherent[pillar] == before.inherent[pillar]  # without the SAQ, no answer of it counts
        factor = next(f for f in after.factors if f.pillar == pillar and f.code == "red_flag")
        assert (factor.points, factor.value, factor.source) == (
            flag["points"],
            flag["id"],
            flag["refs"][0]["source"],
        )
        fix = next(f for f in after.improvements if f.pillar == pillar and f.code == "red_flag")
        assert fix.points == -flag["points"]
    assert after.scores["environment"] == before.scores["environment"]
    # A clean site and a corrupt one no longer score the same; without a submitted SAQ, no flag counts.
    unsent = assess(SiteInputs(country="NO", sector="services", flags=flagged.flags), DATA)
    assert "red_flag" not in {f.code for f in unsent.factors}


def test_every_red_flag_names_a_real_question_a_fitting_condition_and_its_source() -> None:
    rule = MODEL["red_flags"]
    questions = {q.id: q for q in saq.questionnaire(rule["questionnaire"]).questions}
    pillars = {f["pillar"] for f in rule["items"]}
    assert pillars == set(PILLARS)  # every pillar can be raised
    for flag in rule["items"]:
        question = questions[flag["question"]]
        assert flag["pillar"] in PILLARS
        assert flag["points"] > 0
        assert flag["label"]["nb"]
        assert flag["label"]["en"]
        ((kind, value),) = flag["when"].items()
        if question.type == "yes_no":
            assert (kind, type(value)) == ("equals", bool), flag["id"]
        elif question.type == "choice":
            assert kind == "equals", flag["id"]
            assert value in {o.value for o in question.options}, flag["id"]
        else:
            assert (question.type, kind) == ("number", "above"), flag["id"]
        assert flag["refs"]
        for ref in flag["refs"]:
            source = rule["sources"][ref["source"]]
            assert all(
                (
                    source["title"]["nb"],
                    source["title"]["en"],
                    source["publisher"],
                    source["year"],
                    source["url"],
                )
            )
            assert ref["where"]["nb"]
            assert ref["where"]["en"]
