"""Risk on the read path (the risk router's use cases): how a score is explained, a producer's own
sites, each buyer's picture of its supply chain read from its own views, IEH staff's picture of the
platform read from anonymous counts, and their exports. Knows nothing of HTTP. The scores and views
are written by usecases/risk_scores.py."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from portal import cursors
from portal.domain import reference
from portal.domain.risk import LIMITS, PILLARS, SAQ_CODES, Factor, band, data, saq_savings
from portal.errors import invalid
from portal.i18n import Language, number, text
from portal.policy import Actor
from portal.store import producers as producer_store
from portal.store import risk as risk_store
from portal.store.models import RiskView, Site
from portal.usecases.risk_scores import KEYS, Cell

PAGE = 25
HOTSPOT_MIN_SITES = 3  # a country and sector with fewer sites is not shown to staff on its own


# -- how a score is explained ------------------------------------------------------------------------
def source(source_id: str, language: Language) -> dict[str, Any]:
    about = data().sources[source_id]
    return {
        "id": source_id,
        "title": about["title"][language],
        "publisher": about["publisher"],
        "year": about["year"],
        "url": about.get("url"),
        "licence": about["licence"],
    }


def sources(language: Language) -> list[dict[str, Any]]:
    """The data the scores build on, then the standards the red flags cite (no licence: cited only)."""
    cited = [
        {"id": name, "title": about["title"][language], "publisher": about["publisher"], "year": about["year"],
         "url": about.get("url"), "licence": None}
        for name, about in data().model["red_flags"]["sources"].items()
    ]  # fmt: skip
    return [source(name, language) for name in data().sources] + cited


def _control_label(control_id: str, language: Language) -> str:
    return next(c["label"][language] for c in data().model["controls"]["items"] if c["id"] == control_id)


def _flag(flag_id: str) -> Mapping[str, Any]:
    return next(f for f in data().model["red_flags"]["items"] if f["id"] == flag_id)


def flag_references(flag: Mapping[str, Any], language: Language) -> str:
    """The standards a red flag's answer breaches: "ETI Base Code, clause 6.4; …"."""
    known = data().model["red_flags"]["sources"]
    return "; ".join(f"{known[r['source']]['title'][language]}, {r['where'][language]}" for r in flag["refs"])


def describe(raw: list[Any], language: Language, country: str, improvement: bool = False) -> dict[str, Any]:
    """One factor as a reader sees it: what it is, its points, the source it comes from; as an
    improvement, what to do."""
    f = Factor.from_list(raw)
    params: dict[str, Any] = {"country": reference.name_of("countries", country, language)}
    if f.source and f.source in data().sources:
        params["source"] = data().sources[f.source]["title"][language]
    if f.code in ("country", "country_floor"):
        params["value"] = f.value
    elif f.code == "sector":
        params["sector"] = reference.name_of("sectors", f.value, language)
    elif f.code == "goods":
        names = sorted({*f.value["child"], *f.value["forced"]})
        params["goods"] = ", ".join(reference.name_of("goods", g, language) for g in names)
        params["kinds"] = text(
            "risk.goods."
            + (
                "both"
                if f.value["child"] and f.value["forced"]
                else "child"
                if f.value["child"]
                else "forced"
            ),
            language,
        )
    elif f.code in ("migrant", "temporary", "agency"):
        params["share"] = round(f.value * 100)
    elif f.code == "control":
        params["control"] = _control_label(f.value, language)
    elif f.code == "red_flag":
        flag = _flag(f.value)
        params |= {"flag": flag["label"][language], "refs": flag_references(flag, language)}
    elif f.code in LIMITS:
        model = data().model
        limit = {"cap": model["cap"], "controls_cap": model["controls"]["max"], "floor": 0,
                 "workforce_cap": model["workforce"]["max"].get(f.pillar, 0)}[f.code]  # fmt: skip
        params |= {"limit": limit, "excess": round(abs(f.points), 1)}
    elif f.code == "saq":
        params["points"] = abs(f.points)
    return {"pillar": f.pillar, "code": f.code, "label": text(f"risk.{'improvement' if improvement else 'factor'}.{f.code}", language, **params),
            "points": f.points, "source": f.source, "limit": f.code in LIMITS}  # fmt: skip


def explanation(rec: Mapping[str, Any], country: str, language: Language, *, saq: bool) -> dict[str, Any]:
    """Per pillar: score, band, factors and what would lower it. Without `saq`, the score before the
    SAQ and none of its factors (what a customer with a profile-only link may see)."""
    scores = rec["scores" if saq else "inherent"]
    pillars = []
    for pillar in PILLARS:
        factors = [
            describe(f, language, country)
            for f in rec["factors"]
            if f[0] == pillar and (saq or f[1] not in SAQ_CODES)
        ]
        lower = [
            describe(f, language, country, improvement=True) for f in rec["improvements"] if f[0] == pillar
        ]
        if not saq:
            # What the SAQ's controls could deduct, the same whether or not the supplier has sent
            # it (a customer without the SAQ must not learn which controls are missing, or whether
            # there is an SAQ at all): never "nothing would lower this" when the SAQ would.
            lower = [f for f in lower if f["code"] not in SAQ_CODES]
            savings = saq_savings(pillar, scores[pillar])
            if savings < 0:
                lower.insert(0, describe([pillar, "saq", savings, None, None], language, country, True))
        pillars.append({"pillar": pillar, "name": reference.name_of("pillars", pillar, language),
                        "score": scores[pillar], "band": band(scores[pillar]),
                        "factors": factors, "improvements": lower})  # fmt: skip
    return {
        "score": scores["overall"],
        "band": band(scores["overall"]),
        "saq_applied": saq,
        "pillars": pillars,
    }


# -- a producer's own sites --------------------------------------------------------------------------
def producer_risk(actor: Actor, language: Language) -> list[dict[str, Any]]:
    rows = []
    for site in sorted(producer_store.sites(actor.org_id), key=lambda s: s.name.lower()):
        if not site.risk:
            continue
        rows.append({
            "site_id": site.site_id, "name": site.name, "country": site.country,
            "country_name": reference.name_of("countries", site.country, language),
            "sector": site.sector, "sector_name": reference.name_of("sectors", site.sector or "other", language),
            "computed_at": site.risk["computed_at"], "saq_submitted": site.risk["saq"],
            **explanation(site.risk, site.country, language, saq=True),
        })  # fmt: skip
    rows.sort(key=lambda row: -row["score"])
    return rows


# -- overviews -----------------------------------------------------------------------------------------
@dataclass
class Tally:
    """Sites in one country and sector: per key (a pillar or "overall"), counts by band and the sum
    of scores in tenths."""

    country: str
    sector: str
    sites: int
    counts: dict[str, dict[str, int]]


def _tally_views(views: Iterable[RiskView]) -> list[Tally]:
    tallies: dict[Cell, Tally] = {}
    for view in views:
        tally = tallies.setdefault(
            (view.country, view.sector),
            Tally(view.country, view.sector, 0, {k: Counter() for k in KEYS}),
        )
        tally.sites += 1
        for key in KEYS:
            score = view.scores[key]
            tally.counts[key][band(score)] += 1
            tally.counts[key]["sum"] += round(score * 10)
    return list(tallies.values())


def _tally_cells(cells: Iterable[Mapping[str, Any]]) -> list[Tally]:
    tallies = []
    for values in cells:
        if int(values.get("sites", 0)) > 0:
            counts = {k: {part: int(values.get(f"{k}_{part}", 0)) for part in PARTS} for k in KEYS}
            tallies.append(Tally(values["country"], values["sector"], int(values["sites"]), counts))
    return tallies


PARTS = ("low", "medium", "high", "sum")


def _group(tallies: Iterable[Tally], key: str, by: Callable[[Tally], str]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {}
    for tally in tallies:
        group = groups.setdefault(by(tally), dict.fromkeys(("sites", *PARTS), 0))
        group["sites"] += tally.sites
        counts = tally.counts[key]
        for part in PARTS:
            group[part] += counts.get(part, 0)
    return groups


def _summary(counts: Mapping[str, int]) -> dict[str, Any]:
    sites = counts.get("sites", 0)
    return {
        "sites": sites,
        "average": round(counts.get("sum", 0) / sites / 10, 1) if sites else None,
        "bands": {b: counts.get(b, 0) for b in ("low", "medium", "high")},
    }


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    sector: str | None = None
    pillar: str | None = None

    @property
    def key(self) -> str:
        return self.pillar or "overall"

    def keep(self, country: str, sector: str) -> bool:
        return (self.country in (None, country)) and (self.sector in (None, sector))


def _overview(tallies: list[Tally], filters: Filters, language: Language) -> dict[str, Any]:
    kept = [t for t in tallies if filters.keep(t.country, t.sector)]
    key = filters.key
    total = _summary(_group(kept, key, lambda t: "all").get("all", {}))
    by_pillar = [
        {"pillar": p, "name": reference.name_of("pillars", p, language), **_summary(_group(kept, p, lambda t: "all").get("all", {}))}
        for p in PILLARS
    ]  # fmt: skip

    def ranked(by: Callable[[Tally], str], kind: str) -> list[dict[str, Any]]:
        rows = [{"code": code, "name": reference.name_of(kind, code, language), **_summary(counts)}
                for code, counts in _group(kept, key, by).items()]  # fmt: skip
        return sorted(rows, key=lambda r: (-(r["average"] or 0), r["name"]))

    def options(by: Callable[[Tally], str], kind: str) -> list[dict[str, str]]:
        codes = {by(t) for t in tallies}
        names = [{"code": c, "name": reference.name_of(kind, c, language)} for c in codes]
        return sorted(names, key=lambda n: reference.sort_key(n["name"], language))

    return {
        "filters": {"country": filters.country, "sector": filters.sector, "pillar": filters.pillar},
        "total": total,
        "by_pillar": by_pillar,
        "by_country": ranked(lambda t: t.country, "countries"),
        "by_sector": ranked(lambda t: t.sector, "sectors"),
        "options": {
            "countries": options(lambda t: t.country, "countries"),
            "sectors": options(lambda t: t.sector, "sectors"),
        },
        "bands": dict(data().model["bands"]),
    }


def check_filters(country: str | None, sector: str | None, pillar: str | None) -> Filters:
    errors = {}
    if country is not None and not reference.is_country(country):
        errors["country"] = "field.invalid"
    if sector is not None and sector not in reference.codes("sectors"):
        errors["sector"] = "field.invalid"
    if pillar is not None and pillar not in PILLARS:
        errors["pillar"] = "field.invalid"
    if errors:
        raise invalid(**errors)
    return Filters(country, sector, pillar)


def _sorted_views(actor: Actor, filters: Filters) -> tuple[list[RiskView], list[RiskView]]:
    views = risk_store.views(actor.org_id)
    kept = [v for v in views if filters.keep(v.country, v.sector)]
    kept.sort(
        key=lambda v: (-v.scores[filters.key], v.producer_name.casefold(), v.site_name.casefold(), v.site_id)
    )
    return views, kept


def buyer_overview(actor: Actor, filters: Filters, cursor: str | None, language: Language) -> dict[str, Any]:
    """The buyer's supply chain as its links allow it: one Query on its own views, and one
    BatchGetItem for the explanations of the page's sites."""
    views, kept = _sorted_views(actor, filters)
    start = _offset(cursor)
    page = kept[start : start + PAGE]
    sites = risk_store.sites_by_key([(v.producer_id, v.site_id) for v in page])
    rows = [_site_row(v, sites.get(v.site_id), filters, language) for v in page]
    more = start + PAGE < len(kept)
    return {
        **_overview(_tally_views(views), filters, language),
        "suppliers": len({v.producer_id for v in kept}),
        "sites": rows,
        "next_cursor": cursors.encode(str(start + PAGE)) if more else None,
        "sources": sources(language),
    }


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    raw = cursors.decode(cursor)
    if not raw.isdigit():
        raise invalid(cursor="field.invalid")
    return int(raw)


def _site_row(view: RiskView, site: Site | None, filters: Filters, language: Language) -> dict[str, Any]:
    row: dict[str, Any] = {
        "site_id": view.site_id, "site_name": view.site_name,
        "producer_id": view.producer_id, "producer_name": view.producer_name,
        "country": view.country, "country_name": reference.name_of("countries", view.country, language),
        "sector": view.sector, "sector_name": reference.name_of("sectors", view.sector, language),
        "score": view.scores[filters.key], "band": band(view.scores[filters.key]),
        "scores": {p: view.scores[p] for p in PILLARS}, "saq_applied": view.saq_applied,
    }  # fmt: skip
    # The explanation is the site's current one at the link's level; the view's scores match it
    # unless the site changed a moment ago (its views follow right after).
    if site is not None and site.risk:
        row["explanation"] = explanation(site.risk, site.country, language, saq=view.saq_applied)
    return row


def staff_overview(filters: Filters, language: Language) -> dict[str, Any]:
    """Every site on the platform, counted by country and sector: no producer or buyer named, and
    no figure that tells anything about fewer than HOTSPOT_MIN_SITES sites, whatever the filters —
    neither on its own nor subtracted from another figure (see `shown_groups` for the rule)."""
    tallies = _tally_cells(risk_store.cells())
    overview = _overview(tallies, filters, language)
    kept = [t for t in tallies if filters.keep(t.country, t.sector)]
    shown = shown_groups(tallies)
    whole = frozenset((t.country, t.sector) for t in kept)
    visible = whole in shown
    key = filters.key
    overview["total"] = _protected(overview["total"], visible)
    overview["by_pillar"] = [{**row, **_protected(row, visible)} for row in overview["by_pillar"]]
    overview["by_country"] = _rows(kept, key, _country_of, "countries", shown, visible, language)
    overview["by_sector"] = _rows(kept, key, _sector_of, "sectors", shown, visible, language)
    for kind, by in (("countries", _country_of), ("sectors", _sector_of)):
        sites: Counter[str] = Counter()
        for tally in tallies:
            sites[by(tally)] += tally.sites
        overview["options"][kind] = [
            o for o in overview["options"][kind] if sites[o["code"]] >= HOTSPOT_MIN_SITES
        ]
    hotspots = [
        {"country": t.country, "country_name": reference.name_of("countries", t.country, language),
         "sector": t.sector, "sector_name": reference.name_of("sectors", t.sector, language),
         **_summary({"sites": t.sites, **t.counts[key]}), "suppressed": False}
        for t in kept if frozenset([(t.country, t.sector)]) in shown
    ]  # fmt: skip
    hotspots.sort(key=lambda h: (-h["average"], h["country_name"], h["sector_name"]))
    return {**overview, "hotspots": hotspots, "min_sites": HOTSPOT_MIN_SITES, "sources": sources(language)}


Group = frozenset[Cell]  # the sites of some country-and-sector cells, as a figure covers them


def shown_groups(tallies: list[Tally]) -> set[Group]:
    """Which groups of sites staff may see a figure of (complementary suppression, decided from the
    site counts alone, so the same platform always gives the same answer).

    The groups a staff filter can ask for are the platform, a country, a sector and a country with
    a sector. Taken widest first (then most sites, then by code), a group is shown only if it has at
    least HOTSPOT_MIN_SITES sites and, for every group already shown inside or around it, the sites
    in one and not the other are none or at least HOTSPOT_MIN_SITES: otherwise subtracting one
    figure from the other would describe one or two sites (a country of 4 sites less its 3 textile
    sites is its one food site). Within one answer, the total less the rows shown is a figure too
    (the "others" row, or the total less the hotspots listed): it must obey the same rule, so while
    it does not, the smallest row shown in that answer is hidden everywhere and joins it. Hiding
    only ever adds at least HOTSPOT_MIN_SITES sites to what is left over, so this ends."""
    sizes = {(t.country, t.sector): t.sites for t in tallies}
    platform: Group = frozenset(sizes)
    countries: dict[str, set[Cell]] = defaultdict(set)
    sectors: dict[str, set[Cell]] = defaultdict(set)
    for cell in sizes:
        countries[cell[0]].add(cell)
        sectors[cell[1]].add(cell)

    counted: dict[Group, int] = {}

    def count(group: Group) -> int:
        if group not in counted:
            counted[group] = sum(sizes[cell] for cell in group)
        return counted[group]

    def apart(one: Group, other: Group) -> bool:
        """The two figures cannot be subtracted to describe fewer than the minimum group."""
        if not (one <= other or other <= one):
            return True
        left = abs(count(one) - count(other))
        return left == 0 or left >= HOTSPOT_MIN_SITES

    middle = [frozenset(g) for g in (*countries.values(), *sectors.values())]
    cells = [frozenset([cell]) for cell in sizes]
    candidates = [
        platform,
        *sorted(middle, key=lambda g: (-count(g), sorted(g))),
        *sorted(cells, key=lambda g: (-count(g), sorted(g))),
    ]
    shown: set[Group] = set()
    near: dict[Cell, list[Group]] = defaultdict(list)  # the shown groups holding each cell
    for group in candidates:
        if group in shown or count(group) < HOTSPOT_MIN_SITES:
            continue
        if all(apart(group, other) for other in _sharing(group, near)):
            shown.add(group)
            for cell in group:
                near[cell].append(group)

    # Each answer's whole and the pieces it is split into (countries, sectors, cells).
    answers = [
        (platform, [frozenset(g) for g in countries.values()]),
        (platform, [frozenset(g) for g in sectors.values()]),
        (platform, cells),
    ]
    answers += [
        (frozenset(g), [frozenset([cell]) for cell in g]) for g in (*countries.values(), *sectors.values())
    ]

    def left_over() -> list[tuple[Group, list[Group]]]:
        rests = []
        for whole, pieces in answers:
            if whole in shown:
                rest = whole.difference(*(p for p in pieces if p in shown))
                rests.append((rest, [p for p in pieces if p in shown and p != whole]))
        return rests

    changed = True
    while changed:
        changed = False
        rests = left_over()
        near = defaultdict(list)
        for figure in {*shown, *(rest for rest, _ in rests)}:
            for cell in figure:
                near[cell].append(figure)
        for rest, pieces in rests:
            if not rest or (
                count(rest) >= HOTSPOT_MIN_SITES and all(apart(rest, f) for f in _sharing(rest, near))
            ):
                continue
            # With no row left, the rest is the whole, shown and so apart from every shown group:
            # its clash is with another answer's rest, which loses a row on its own turn.
            if pieces:
                shown.discard(min(pieces, key=lambda p: (count(p), sorted(p))))
                changed = True
                break
    return shown


def _sharing(group: Group, near: Mapping[Cell, list[Group]]) -> set[Group]:
    """The groups with a cell in common with `group`: the only ones it can be inside or around."""
    return {other for cell in group for other in near.get(cell, ())}


def _protected(summary: Mapping[str, Any], visible: bool = True) -> dict[str, Any]:
    """A summary as staff may see it: unless its group may be shown (over fewer than
    HOTSPOT_MIN_SITES sites, or one that another figure would single some out from) nothing of it
    is shown, not even the count ("no site" and "one site" must not be told apart)."""
    if visible and summary["sites"] >= HOTSPOT_MIN_SITES:
        return {**summary, "suppressed": False}
    return {"sites": None, "average": None, "bands": None, "suppressed": True}


def _country_of(tally: Tally) -> str:
    return tally.country


def _sector_of(tally: Tally) -> str:
    return tally.sector


def _rows(
    kept: list[Tally],
    key: str,
    by: Callable[[Tally], str],
    kind: str,
    shown: set[Group],
    visible: bool,
    language: Language,
) -> list[dict[str, Any]]:
    """One row per group that may be shown, highest average first; the rest counted together in
    one "others" row, hidden when the answer's total is (it would be the total less the rows)."""
    groups = _group(kept, key, by)
    members: dict[str, set[Cell]] = defaultdict(set)
    for tally in kept:
        members[by(tally)].add((tally.country, tally.sector))
    pooled: Counter[str] = Counter()
    rows = []
    for code, counts in groups.items():
        if frozenset(members[code]) in shown:
            rows.append({"code": code, "name": reference.name_of(kind, code, language), **_summary(counts), "suppressed": False})  # fmt: skip
        else:
            pooled.update(counts)
    rows.sort(key=lambda r: (-(r["average"] or 0), r["name"]))
    if pooled:
        others = {"code": "others", "name": text("risk.others", language, min=HOTSPOT_MIN_SITES)}
        rows.append({**others, **_protected(_summary(pooled), visible)})
    return rows


# -- exports -----------------------------------------------------------------------------------------
def signed(points: float, language: Language) -> str:
    """Points with their sign as the language writes them: "+5,0", "−0,5" (a true minus)."""
    written = number(abs(points), language, decimals=1)
    return f"+{written}" if points > 0 else f"\u2212{written}" if points < 0 else written


def factor_text(factor: Mapping[str, Any], language: Language) -> str:
    """One line of an explanation as plain text: what it is and its points (a limit says what it is
    and has no points of its own)."""
    if factor.get("limit"):
        return str(factor["label"])
    return f"{factor['label']} ({signed(factor['points'], language)})"


def buyer_rows(actor: Actor, filters: Filters, language: Language) -> tuple[list[str], list[list[Any]]]:
    """Every site of the filtered overview, highest risk first: its scores as numbers, and for each
    pillar a column with why it scores as it does (each factor and its points)."""
    _, kept = _sorted_views(actor, filters)
    sites: dict[str, Site] = {}
    for start in range(0, len(kept), 100):
        sites |= risk_store.sites_by_key([(v.producer_id, v.site_id) for v in kept[start : start + 100]])
    header = [text(f"risk.column.{c}", language) for c in
              ("supplier", "site", "site_id", "country", "sector", *PILLARS, "overall", "band", "saq")]  # fmt: skip
    header += [
        text("risk.column.explanation_of", language, pillar=reference.name_of("pillars", p, language))
        for p in PILLARS
    ]
    rows = []
    for view in kept:
        site = sites.get(view.site_id)
        why = [""] * len(PILLARS)
        if site is not None and site.risk:
            shown = explanation(site.risk, site.country, language, saq=view.saq_applied)
            why = ["; ".join(factor_text(f, language) for f in p["factors"]) for p in shown["pillars"]]
        rows.append([
            view.producer_name, view.site_name, view.site_id,
            reference.name_of("countries", view.country, language), reference.name_of("sectors", view.sector, language),
            *(view.scores[p] for p in PILLARS), view.scores["overall"],
            text(f"risk.band.{band(view.scores[filters.key])}", language),
            text("risk.yes" if view.saq_applied else "risk.no", language), *why,
        ])  # fmt: skip
    return header, rows


def staff_rows(filters: Filters, language: Language) -> tuple[list[str], list[list[Any]]]:
    overview = staff_overview(filters, language)
    header = [
        text(f"risk.column.{c}", language)
        for c in ("country", "sector", "sites", "average", "low", "medium", "high")
    ]
    rows = [[h["country_name"], h["sector_name"], h["sites"], h["average"], *h["bands"].values()]
            for h in sorted(overview["hotspots"], key=lambda h: (h["country_name"], h["sector_name"]))]  # fmt: skip
    return header, rows
