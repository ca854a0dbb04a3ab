"""The yearly Transparency Act account's data-fed sections for a buyer: the facts gathered from what
the buyer's active links allow (the same isolation as the risk overview), counted by
portal.domain.account.

DynamoDB calls: one Query for the active links, one for the buyer's risk views, one BatchGetItem
per 100 sites behind links at level saq and up, one Query per supplier at level audits (its audits,
findings and evidence), one Query for the year's information requests."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from portal import policy
from portal.domain import account
from portal.policy import Actor
from portal.store import links as link_store
from portal.store import producers as producer_store
from portal.store import risk as risk_store
from portal.store.models import Audit, Document, Finding, Link, PortalItem, RiskView, Site
from portal.usecases import information_requests


def _may_be_named(link: Link) -> bool:
    """The producer's own decision, per link; off unless it has said yes."""
    return bool(link.may_be_named)


def _audits(link: Link, views: dict[str, RiskView]) -> list[account.AuditFacts]:
    """The supplier's audits at the sites its link covers, with findings and their evidence."""
    items: list[PortalItem] = producer_store.audit_tree(link.producer_id)
    evidence = Counter(
        (d.audit_id, d.finding_id)
        for d in items
        if isinstance(d, Document) and d.purpose == "evidence" and d.finding_id and d.status == "available"
    )
    findings: dict[str, list[account.FindingFacts]] = {}
    for f in items:
        if isinstance(f, Finding):
            findings.setdefault(f.audit_id, []).append(
                account.FindingFacts(
                    grade=f.grade,
                    pillar=f.pillar,
                    clause=f.clause,
                    status=f.status,
                    due_date=f.due_date,
                    evidence=evidence[(f.audit_id, f.finding_id)],
                )
            )
    return [
        account.AuditFacts(
            producer_id=link.producer_id,
            site_id=a.site_id,
            country=views[a.site_id].country,
            audit_date=a.audit_date,
            findings=tuple(findings.get(a.audit_id, ())),
        )
        for a in items
        if isinstance(a, Audit) and a.site_id in views and policy.link_allows(link, "audits", a.site_id)
    ]


def draft_sections(actor: Actor, year: int, today: date | None = None) -> dict[str, Any]:
    """Sections 1–6 of the buyer's account for `year`, from its active links only."""
    links = {item.producer_id: item for item in link_store.active_links(actor.org_id)}
    # A view exists while an active link covers its site; the link is checked again all the same.
    views = {
        v.site_id: v
        for v in risk_store.views(actor.org_id)
        if policy.link_allows(links.get(v.producer_id), "profile", v.site_id)
    }
    deeper = [
        (v.producer_id, v.site_id)
        for v in views.values()
        if policy.link_allows(links[v.producer_id], "saq", v.site_id)
    ]
    stored: dict[str, Site] = risk_store.sites_by_key(deeper)
    sites = [
        account.SiteFacts(
            producer_id=v.producer_id,
            site_id=v.site_id,
            country=v.country,
            sector=v.sector,
            scores={k: float(s) for k, s in v.scores.items()},
            saq_submitted=bool(stored[v.site_id].saq_versions) if v.site_id in stored else None,
        )
        for v in views.values()
    ]
    gaps = Counter(flag for site in stored.values() for flag in site.saq_flags or [])
    audits = [
        a
        for link in links.values()
        if policy.link_allows(link, "audits")
        for a in _audits(link, {k: v for k, v in views.items() if v.producer_id == link.producer_id})
    ]
    suppliers = [
        account.Supplier(link.producer_id, link.producer_name, link.producer_country, _may_be_named(link))
        for link in links.values()
    ]
    requests = information_requests.statistics(actor, year)
    return account.sections(
        year=year,
        today=today or information_requests.today(),
        suppliers=suppliers,
        sites=sites,
        audits=audits,
        requests={k: v for k, v in requests.items() if k != "year"},
        saq_gaps=dict(gaps),
    )
