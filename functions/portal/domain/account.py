"""The data-fed sections of the yearly Transparency Act account (åpenhetsloven §5), from plain facts.

Nothing here reads a database or decides access: portal.usecases.account hands in only what the
buyer's active links allow (portal.policy.link_allows), and these functions count it. A supplier is
named only where its producer has allowed it (`may_be_named`); otherwise it is in the counts only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from portal.domain import actions
from portal.domain import risk as model

TOP = 5  # the highest-risk countries and sectors the account lists
ACTION_STATUSES = ("open", "in_progress", "awaiting_verification", "closed")


@dataclass(frozen=True)
class Supplier:
    """An active supplier as the buyer's link shows it."""

    producer_id: str
    name: str
    country: str
    may_be_named: bool = False


@dataclass(frozen=True)
class SiteFacts:
    """A site an active link covers: where it is, its sector, its scores as the buyer's view holds
    them (pillar → score and "overall"), and whether it has a submitted SAQ (None: the link's
    level does not show SAQs)."""

    producer_id: str
    site_id: str
    country: str
    sector: str
    scores: Mapping[str, float]
    saq_submitted: bool | None = None


@dataclass(frozen=True)
class AuditFacts:
    """An audit the buyer may see (level audits, a covered site), with its findings."""

    producer_id: str
    site_id: str
    country: str
    audit_date: str  # YYYY-MM-DD
    findings: tuple[FindingFacts, ...] = ()


@dataclass(frozen=True)
class FindingFacts:
    grade: str
    pillar: str
    clause: str | None = None
    status: str | None = None  # a non-compliance's corrective action
    due_date: str | None = None
    evidence: int = 0  # checked evidence files of its action


def _in_year(day: str, year: int) -> bool:
    return day[:4] == str(year)


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def organisation(suppliers: list[Supplier], sites: list[SiteFacts]) -> dict[str, Any]:
    """Section 1: suppliers and sites by country and sector; the suppliers that may be named."""
    sectors_of: dict[str, set[str]] = {}
    for site in sites:
        sectors_of.setdefault(site.producer_id, set()).add(site.sector)
    named = sorted(
        ({"name": s.name, "country": s.country} for s in suppliers if s.may_be_named),
        key=lambda s: s["name"].casefold(),
    )
    return {
        "suppliers": len(suppliers),
        "sites": len(sites),
        "suppliers_by_country": _counts(s.country for s in suppliers),
        "suppliers_by_sector": _counts(
            sector for s in suppliers for sector in sectors_of.get(s.producer_id, ())
        ),
        "sites_by_country": _counts(s.country for s in sites),
        "sites_by_sector": _counts(s.sector for s in sites),
        "named_suppliers": named,
        "unnamed_suppliers": len(suppliers) - len(named),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def policies(
    suppliers: list[Supplier], sites: list[SiteFacts], audits: list[AuditFacts], year: int
) -> dict[str, Any]:
    """Section 2: the share of active suppliers with a submitted SAQ (at a site the link covers),
    and with an audit in the year that the buyer may see."""
    with_saq = {s.producer_id for s in sites if s.saq_submitted}
    audited = {a.producer_id for a in audits if _in_year(a.audit_date, year)}
    active = {s.producer_id for s in suppliers}
    return {
        "active_suppliers": len(active),
        "with_saq": len(with_saq & active),
        "with_saq_share": _share(len(with_saq & active), len(active)),
        "with_audit": len(audited & active),
        "with_audit_share": _share(len(audited & active), len(active)),
    }


def _band(score: float, risk: model.RiskData | None) -> str:
    return model.band(float(score), risk)


def _highest(sites: list[SiteFacts], key: str, risk: model.RiskData | None) -> list[dict[str, Any]]:
    """The groups with the most high-risk sites, then the highest mean score."""
    groups: dict[str, list[float]] = {}
    for site in sites:
        groups.setdefault(getattr(site, key), []).append(float(site.scores["overall"]))
    rows: list[dict[str, Any]] = [
        {
            key: name,
            "sites": len(scores),
            "high": sum(1 for s in scores if _band(s, risk) == "high"),
            "mean": round(sum(scores) / len(scores), 1),
        }
        for name, scores in groups.items()
    ]
    rows.sort(key=lambda r: (-r["high"], -r["mean"], r[key]))
    return rows[:TOP]


def risk_mapping(sites: list[SiteFacts], risk: model.RiskData | None = None) -> dict[str, Any]:
    """Section 3: the risk model with its sources (source, year, licence), the buyer's sites by
    band overall and per pillar, and the highest-risk countries and sectors."""
    risk = risk or model.data()
    sources = [
        {
            "id": name,
            "title": about["title"],
            "publisher": about["publisher"],
            "year": about["year"],
            "licence": about["licence"],
            "url": about.get("url"),
        }
        for name, about in risk.sources.items()
    ]
    by_pillar = {
        pillar: {
            b: sum(1 for s in sites if pillar in s.scores and _band(s.scores[pillar], risk) == b)
            for b in model.BANDS
        }
        for pillar in model.PILLARS
    }
    return {
        "model_version": risk.version,
        "sources": sources,
        "sites_by_band": {
            b: sum(1 for s in sites if _band(s.scores["overall"], risk) == b) for b in model.BANDS
        },
        "sites_by_pillar": by_pillar,
        "highest_risk_countries": _highest(sites, "country", risk),
        "highest_risk_sectors": _highest(sites, "sector", risk),
    }


def _findings_of_year(audits: list[AuditFacts], year: int) -> list[tuple[AuditFacts, FindingFacts]]:
    return [(a, f) for a in audits if _in_year(a.audit_date, year) for f in a.findings]


def findings(
    audits: list[AuditFacts], year: int, saq_gaps: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """Section 4: the year's audit findings by pillar, clause, grade and country (good examples
    are not adverse impacts and are left out); the SAQ's red flags raised at covered sites. When
    nothing is found the company must justify it: a bare "none found" is what the Consumer
    Authority criticised."""
    found = [(a, f) for a, f in _findings_of_year(audits, year) if f.grade != "good_example"]
    gaps = dict(sorted((saq_gaps or {}).items()))
    return {
        "audits": sum(1 for a in audits if _in_year(a.audit_date, year)),
        "findings": len(found),
        "by_pillar": _counts(f.pillar for _, f in found),
        "by_clause": _counts(f.clause for _, f in found if f.clause),
        "by_grade": {g: n for g in actions.GRADE_ORDER if (n := sum(1 for _, f in found if f.grade == g))},
        "by_country": _counts(a.country for a, _ in found),
        "saq_gaps": gaps,
        "needs_justification": not found and not any(gaps.values()),
    }


def measures(audits: list[AuditFacts], year: int, today: date) -> dict[str, Any]:
    """Section 5: the corrective actions of findings from audits up to the year's end, by status
    now, how many are overdue (on `today`, or the year's last day for a past year) and how many
    have evidence."""
    last = min(today, date(year, 12, 31))
    items = [
        f
        for a in audits
        if a.audit_date[:4] <= str(year)
        for f in a.findings
        if actions.has_action(f.grade) and f.status
    ]
    return {
        "actions": len(items),
        **{status: sum(1 for f in items if f.status == status) for status in ACTION_STATUSES},
        "overdue": sum(1 for f in items if actions.is_overdue(f.due_date, f.status, last)),
        "with_evidence": sum(1 for f in items if f.evidence),
        "evidence_files": sum(f.evidence for f in items),
    }


def sections(
    *,
    year: int,
    today: date,
    suppliers: list[Supplier],
    sites: list[SiteFacts],
    audits: list[AuditFacts],
    requests: Mapping[str, Any],
    saq_gaps: Mapping[str, int] | None = None,
    risk: model.RiskData | None = None,
) -> dict[str, Any]:
    """The account's data-fed sections 1–6 for one year (section 6: the information requests'
    statistics, portal.domain.transparency.year_statistics)."""
    return {
        "year": year,
        "organisation": organisation(suppliers, sites),
        "policies": policies(suppliers, sites, audits, year),
        "risk": risk_mapping(sites, risk),
        "findings": findings(audits, year, saq_gaps),
        "measures": measures(audits, year, today),
        "information_requests": dict(requests),
    }
