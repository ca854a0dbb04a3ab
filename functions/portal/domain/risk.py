"""Inherent risk of a site, per pillar, on 0–10, with the reason for every point.

The model (data/risk/model.json, documented on the site's risk model page): per pillar,
country (1–6) + sector (1–4) + high-risk goods (0–2), capped at 10; the share of migrant,
temporary and agency workers raises it; the management controls in the newest submitted SAQ lower
it, and its red-flag answers (a corruption investigation, 60-hour weeks, withheld papers…) raise the
pillar they belong to; the result is kept within 0–10 and rounded to one decimal. Nothing here reads a database: the
inputs are a site's own fields, the figures come from the data files, each named by its source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

from portal import data as packaged

Pillar = Literal["labour", "health_safety", "environment", "business_ethics"]
PILLARS: tuple[Pillar, ...] = ("labour", "health_safety", "environment", "business_ethics")
Band = Literal["low", "medium", "high"]
BANDS: tuple[Band, ...] = ("low", "medium", "high")
# The source files besides model.json, by the name model.json uses for them.
SOURCE_FILES = ("ituc_gri", "ti_cpi", "environment", "health_safety", "usdol_goods", "sectors")


@dataclass(frozen=True)
class RiskData:
    """The model's parameters and its sources; `version` changes whenever any of them does."""

    model: Mapping[str, Any]
    sources: Mapping[str, Mapping[str, Any]]
    version: str
    goods_index: Mapping[str, list[Mapping[str, Any]]]  # country → its entries on the goods list

    @property
    def sectors(self) -> Mapping[str, Any]:
        return self.sources["sectors"]["sectors"]

    def goods_listed(self, country: str, goods: Iterable[str]) -> dict[str, tuple[bool, bool]]:
        """The site's goods that the goods list names for its country: good → (child, forced)."""
        wanted = set(goods)
        listed: dict[str, tuple[bool, bool]] = {}
        for entry in self.goods_index.get(country, ()):
            if entry["good"] in wanted:
                child, forced = listed.get(entry["good"], (False, False))
                listed[entry["good"]] = (child or entry["child"], forced or entry["forced"])
        return listed


# Bumped with any change to how this module reads the model: stored scores then count as old.
ALGORITHM = 3


def make_data(model: Mapping[str, Any], sources: Mapping[str, Mapping[str, Any]]) -> RiskData:
    digest = hashlib.sha256(json.dumps([ALGORITHM, model, sources], sort_keys=True).encode()).hexdigest()
    index: dict[str, list[Mapping[str, Any]]] = {}
    for entry in sources[model["goods"]["source"]]["entries"]:
        index.setdefault(entry["country"], []).append(entry)
    return RiskData(model, sources, f"{model['version']}-{digest[:12]}", index)


def _read(name: str) -> Any:
    return packaged.load("risk", f"{name}.json")


@cache
def model() -> Mapping[str, Any]:
    """The weights, thresholds and bands alone (what the SAQ and the bands need)."""
    return _read("model")


@cache
def data() -> RiskData:
    return make_data(model(), {name: _read(name) for name in SOURCE_FILES})


@dataclass(frozen=True)
class Factor:
    """One reason for points on a pillar: what it is, how many points, the value behind it and the
    source that value comes from. SAQ controls have negative points, SAQ red flags positive ones."""

    pillar: Pillar
    code: str  # country | country_not_covered | country_floor | sector | goods | cap | migrant | temporary | agency | workforce_cap | control | controls_cap | floor | red_flag
    points: float
    value: Any = None
    source: str | None = None

    def as_list(self) -> list[Any]:
        return [self.pillar, self.code, self.points, self.value, self.source]

    @staticmethod
    def from_list(raw: list[Any]) -> Factor:
        return Factor(raw[0], raw[1], raw[2], raw[3], raw[4])


# Factors that keep a sum within a limit: their points make the explanation add up, but a reader is
# told the limit, not a signed figure.
LIMITS = frozenset({"cap", "workforce_cap", "controls_cap", "floor"})
# Factors that come from the SAQ's answers: left out of what a customer without the SAQ sees.
SAQ_CODES = frozenset({"control", "controls_cap", "floor", "red_flag"})


def saq_savings(pillar: Pillar, score: float, risk: RiskData | None = None) -> float:
    """The most the SAQ's controls can deduct from a pillar scoring `score` (as points, negative)."""
    rule = (risk or data()).model["controls"]
    items = sum(c["points"] for c in rule["items"] if c["pillar"] == pillar)
    return -round(min(rule["max"], items, score), 1)


@dataclass(frozen=True)
class SiteInputs:
    country: str
    sector: str | None
    goods: tuple[str, ...] = ()
    workforce: Mapping[str, int] | None = None
    controls: frozenset[str] | None = None  # None: no SAQ submitted
    flags: frozenset[str] = frozenset()  # the red flags the newest submitted SAQ raises


@dataclass(frozen=True)
class Assessment:
    """`inherent` is the score before the SAQ (what a customer with a profile-only link sees);
    `scores` includes the SAQ. Factors explain both; improvements are what would lower `scores`."""

    scores: dict[Pillar, float]
    inherent: dict[Pillar, float]
    factors: tuple[Factor, ...]
    improvements: tuple[Factor, ...] = field(default=())

    @property
    def overall(self) -> float:
        return max(self.scores.values())


def band(score: float, risk: RiskData | None = None) -> Band:
    limits = (risk.model if risk else model())["bands"]
    if score >= limits["high"]:
        return "high"
    return "medium" if score >= limits["medium"] else "low"


def country_points(risk: RiskData, pillar: Pillar, country: str) -> Factor:
    rule = risk.model["country"][pillar]
    source = rule["source"]
    value = risk.sources[source]["values"].get(country)
    if value is None:
        factor = Factor(pillar, "country_not_covered", float(risk.model["country_not_covered"]), None, source)
    elif "ratings" in rule:
        factor = Factor(pillar, "country", float(rule["ratings"][str(value)]), value, source)
    elif "better_at_least" in rule:  # a score where higher is better: each threshold missed adds one
        factor = Factor(
            pillar,
            "country",
            float(1 + sum(value < limit for limit in rule["better_at_least"])),
            value,
            source,
        )
    else:  # a rate where higher is worse: each threshold exceeded adds one
        factor = Factor(
            pillar, "country", float(1 + sum(value > limit for limit in rule["worse_above"])), value, source
        )
    floor = rule.get("floor")
    if floor:  # a self-reported figure is not taken below what another pillar's index implies
        other = country_points(risk, floor["pillar"], country)
        if other.code == "country" and other.points - floor["less"] > factor.points:
            return Factor(pillar, "country_floor", other.points - floor["less"], other.value, other.source)
    return factor


def _share_points(risk: RiskData, pillar: Pillar, workforce: Mapping[str, int] | None) -> list[Factor]:
    rule = risk.model["workforce"]
    by_kind = rule["points"].get(pillar, {})
    total = (workforce or {}).get("total") or 0
    if not by_kind or total <= 0:
        return []
    factors = []
    for kind, steps in by_kind.items():
        share = (workforce or {}).get(kind, 0) / total
        points = max(
            (p for limit, p in zip(rule["shares"], steps, strict=True) if share >= limit), default=0.0
        )
        if points:
            factors.append(Factor(pillar, kind, float(points), round(share, 3)))
    excess = sum(f.points for f in factors) - rule["max"][pillar]
    if excess > 0:
        factors.append(Factor(pillar, "workforce_cap", -excess))
    return factors


def controls_from_answers(answers: Mapping[str, Any], risk: RiskData | None = None) -> frozenset[str]:
    """The model's management controls that a submitted SAQ shows to be in place."""
    items = (risk.model if risk else model())["controls"]["items"]
    return frozenset(
        c["id"]
        for c in items
        if any(all(answers.get(q) in good for q, good in alt.items()) for alt in c["any_of"])
    )


def _raised(when: Mapping[str, Any], answer: Any) -> bool:
    """Whether an answer meets a red flag's condition: `equals` an answer (of the same type, so
    that 1 is not True), or a number `above` a limit."""
    if "equals" in when:
        wanted = when["equals"]
        return type(answer) is type(wanted) and answer == wanted
    if "above" in when:
        return isinstance(answer, int | float) and not isinstance(answer, bool) and answer > when["above"]
    raise ValueError(f"a red flag's condition is equals or above: {dict(when)}")


def red_flags_from_answers(answers: Mapping[str, Any], risk: RiskData | None = None) -> frozenset[str]:
    """The model's red flags that a submitted SAQ's answers raise."""
    items = (risk.model if risk else model())["red_flags"]["items"]
    return frozenset(f["id"] for f in items if _raised(f["when"], answers.get(f["question"])))


def _flag_points(risk: RiskData, pillar: Pillar, flags: frozenset[str]) -> list[Factor]:
    """The red flags raised on this pillar, each with its points and the standard it breaches."""
    return [
        Factor(pillar, "red_flag", float(f["points"]), f["id"], f["refs"][0]["source"])
        for f in risk.model["red_flags"]["items"]
        if f["pillar"] == pillar and f["id"] in flags
    ]


def _control_points(
    risk: RiskData, pillar: Pillar, controls: frozenset[str] | None
) -> tuple[list[Factor], list[Factor]]:
    """(controls in place, as negative points up to the cap; controls missing, as possible savings)."""
    rule = risk.model["controls"]
    items = [c for c in rule["items"] if c["pillar"] == pillar]
    in_place = [
        Factor(pillar, "control", -float(c["points"]), c["id"])
        for c in items
        if controls and c["id"] in controls
    ]
    missing = [
        Factor(pillar, "control", -float(c["points"]), c["id"])
        for c in items
        if not controls or c["id"] not in controls
    ]
    excess = -sum(f.points for f in in_place) - rule["max"]
    if excess > 0:
        in_place.append(Factor(pillar, "controls_cap", excess))
    return in_place, missing


def _sector_points(risk: RiskData, pillar: Pillar, sector: str | None) -> Factor:
    code = sector if sector is not None and sector in risk.sectors else "other"
    return Factor(pillar, "sector", float(risk.sectors[code][pillar]["score"]), code, "sectors")


def _goods_points(risk: RiskData, pillar: Pillar, site: SiteInputs) -> list[Factor]:
    rule = risk.model["goods"]
    if pillar != rule["pillar"] or not site.goods:
        return []
    listed = risk.goods_listed(site.country, site.goods)
    if not listed:
        return []
    child = sorted(g for g, (c, _) in listed.items() if c)
    forced = sorted(g for g, (_, f) in listed.items() if f)
    points = min(rule["max"], rule["child"] * bool(child) + rule["forced"] * bool(forced))
    return [Factor(pillar, "goods", float(points), {"child": child, "forced": forced}, rule["source"])]


def _within(total: float, cap: float) -> float:
    return round(min(cap, max(0.0, total)), 1)


def assess(site: SiteInputs, risk: RiskData | None = None) -> Assessment:
    risk = risk or data()
    cap = float(risk.model["cap"])
    scores: dict[Pillar, float] = {}
    inherent: dict[Pillar, float] = {}
    factors: list[Factor] = []
    improvements: list[Factor] = []
    for pillar in PILLARS:
        base = [country_points(risk, pillar, site.country), _sector_points(risk, pillar, site.sector)]
        base += _goods_points(risk, pillar, site)
        raw = sum(f.points for f in base)
        if raw > cap:
            base.append(Factor(pillar, "cap", cap - raw))
        shares = _share_points(risk, pillar, site.workforce)
        in_place, missing = _control_points(risk, pillar, site.controls)
        # Red flags count with the SAQ they come from (a customer without it sees neither).
        flags = _flag_points(risk, pillar, site.flags) if site.controls is not None else []
        before_saq = min(cap, raw) + sum(f.points for f in shares)
        # Deductions end at 0, so that a red flag raises a pillar by its points however many
        # controls are in place (deductions past 0 would swallow it).
        deducted = round(before_saq + sum(f.points for f in in_place), 1)
        floor = [Factor(pillar, "floor", -deducted)] if deducted < 0 else []
        inherent[pillar] = _within(before_saq, cap)
        scores[pillar] = _within(before_saq + sum(f.points for f in in_place + floor + flags), cap)
        factors += base + shares + in_place + floor + flags
        # What would lower the score: putting right what each red flag says, each missing control as
        # far as the cap on controls allows, and temporary or agency work where employing people
        # directly and permanently is the remedy. Migrant workers are protected by the controls
        # (fees, papers), not by fewer of them.
        improvements += [Factor(pillar, f.code, -f.points, f.value, f.source) for f in flags]
        room = risk.model["controls"]["max"] + sum(f.points for f in in_place if f.code == "control")
        improvements += [Factor(pillar, f.code, -min(-f.points, room), f.value) for f in missing if room > 0]
        improvements += [
            Factor(pillar, f.code, -f.points, f.value) for f in shares if f.code in ("temporary", "agency")
        ]
    return Assessment(scores, inherent, tuple(factors), tuple(improvements))
