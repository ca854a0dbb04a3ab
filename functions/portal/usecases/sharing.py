"""Sharing on the producer's terms: buyers ask, producers decide (accept at a level, decline, change,
revoke), buyers read exactly what an active link allows, and every read is in the producer's access log.

Every lookup a buyer causes is keyed by the pair (producer, buyer) or by the buyer alone, so nothing a
buyer does touches — or takes longer because of — another buyer's link.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal import cursors, policy
from portal.adapters import files, mail
from portal.clock import utcnow
from portal.errors import conflict, invalid, not_found
from portal.i18n import Language
from portal.policy import Actor
from portal.store import links, organisations
from portal.store import producers as producer_store
from portal.store.links import Writes, is_request, new_link, new_request
from portal.store.models import AccessEvent, Link, Organisation, RiskView, SaqVersion, Site, SupplierRequest
from portal.usecases import notifications, risk_scores, supply
from portal.usecases.members import actor_email

__all__ = ["is_request", "new_link", "new_request"]  # the seed and the benchmarks build links as we do

PAGE = 25


# -- finding the other party -----------------------------------------------------------------------
def _organisation(org_id: str) -> Organisation:
    return organisations.organisation(org_id)


def link(producer_id: str, buyer_id: str) -> Link | None:
    """The access check: one consistent GetItem, so a revocation holds from the next request."""
    return links.link(producer_id, buyer_id)


def decide_link(
    item: Link,
    status: str,
    level: str | None,
    sites: list[str] | None,
    by: str,
    expected: int | None,
    also: Writes | None = None,
    *,
    may_be_named: bool | None = None,
) -> Link:
    """The link's new state and its history entry in one transaction; a concurrent decision (accept
    against revoke) fails its version condition, so one of them wins whole and the other gets 409.
    An acceptance takes the buyer's requests that reached this producer out of its list: from now
    on the list shows the producer itself. `may_be_named` None keeps the naming decision as it was;
    a link that is not active never allows it, so a new grant starts with it off."""
    before = item.status if expected is not None else None
    was_active = before == "active"
    item.status, item.level, item.sites, item.updated_at = (
        status,
        level if status == "active" else None,
        sites,
        utcnow(),
    )
    if status != "active":
        item.may_be_named = False
    elif may_be_named is not None:
        item.may_be_named = may_be_named
    else:
        item.may_be_named = bool(item.may_be_named) and was_active
    answered = list(item.requested_as or []) if status == "active" else []
    if answered:
        item.requested_as = None
    if expected is not None:
        item.version = expected
    # The buyer's risk views follow the link in the same transaction: revoked means no view left.
    views, rest = risk_scores.link_views(item, was_active)
    links.save_decision(item, before, by, answered, (views, also))
    rest()
    return item


# -- buyers ----------------------------------------------------------------------------------------
def _reached(actor: Actor, site_id: str | None, organisation_number: str | None) -> str | None:
    """The producer a reference names, or None: an unknown reference, a member that is not a
    producer and the buyer itself are all "nobody" (the buyer is told the same either way)."""
    if site_id:
        producer_id = organisations.producer_of_site(site_id)
    else:
        found = organisations.organisation_by_number(organisation_number or "")
        producer_id = found.org_id if found is not None and found.is_producer else None
    return None if producer_id == actor.org_id else producer_id


def request_access(actor: Actor, *, site_id: str | None, organisation_number: str | None) -> SupplierRequest:
    """Ask for access by a site id or an organisation number. The answer and the buyer's list show
    only the buyer's own request (what it typed, when), whatever the reference names, so asking
    cannot be used to find out which companies are IEH producers; the producer it reached (if any)
    gets a pending customer to decide on."""
    reference = site_id or organisation_number or ""
    now = utcnow()
    request = links.request(actor.org_id, reference)
    asked_before = request is not None
    if request is None:
        kind = "site_id" if site_id else "organisation_number"
        producer_id = _reached(actor, site_id, organisation_number)
        request = new_request(actor.org_id, reference, kind, producer_id, now)
    record = None if asked_before else links.record_request(request)

    existing = link(request.producer_id, actor.org_id) if request.producer_id else None
    if request.producer_id is not None and (existing is None or existing.status in ("declined", "revoked")):
        # asked (again): the producer has a request to decide on, as before a decline or revocation
        item = existing or new_link(_organisation(request.producer_id), _organisation(actor.org_id))
        item.requested_at, item.requested_by = now, actor.user_id
        item.requested_as = [*(r for r in item.requested_as or [] if r != reference), reference]
        version = existing.version if existing else None
        decide_link(item, "pending", None, None, actor_email(actor), version, also=record)
        _tell_producer(item)
        return request
    if asked_before:
        return request  # waiting, granted or reaching nobody: nothing changes
    pending = existing if existing is not None and existing.status == "pending" else None
    if pending is not None:
        pending.requested_as = [*(pending.requested_as or []), reference]
    links.save_request(request, pending)  # 409: asked at the same moment, or decided in between
    return request


def invite_producer(
    actor: Actor, email: str, company_name: str, message: str | None, language: Language
) -> None:
    buyer = _organisation(actor.org_id)
    mail.send(
        email,
        "producer_invitation",
        language,
        buyer=buyer.name,
        company=company_name,
        message=message or "",
        link=mail.link("/membership/", language),
    )


@dataclass(frozen=True)
class SupplierSummary:
    """What the supplier list shows of an active supplier beside its link, as far as the link allows:
    the highest risk band of its sites, how many of them have a submitted SAQ (level saq and up),
    and its non-conformities not closed (level audits)."""

    risk_band: str | None
    saq_submitted: int | None
    sites: int
    open_ncs: int | None


def suppliers(
    actor: Actor, *, sort: str, status: str | None, level: str | None, country: str | None, cursor: str | None
) -> tuple[list[Link | SupplierRequest], str | None, list[str] | None]:
    """One page of the buyer's own links and requests, with each active supplier's summary, and on
    the first page the countries its suppliers are in (for the filter): a bounded number of calls,
    however many suppliers there are."""
    items, next_cursor = links.supplier_page(
        actor.org_id,
        sort=sort,
        filters={"status": status, "level": level, "country": country},
        cursor=cursor,
        limit=PAGE,
    )
    active = [item for item in items if isinstance(item, Link) and item.status == "active"]
    _mark_stale(active)
    _summarise(actor.org_id, active)
    countries = links.supplier_countries(actor.org_id) if cursor is None else None
    return items, next_cursor, countries


def _mark_stale(items: list[Link]) -> None:
    """Whether each active supplier's profile is out of date: one BatchGetItem for the page (the
    list does not grow in calls with the number of suppliers)."""
    found = organisations.organisations({i.producer_id for i in items})
    for item in items:
        org = found.get(item.producer_id)
        item.profile_stale = supply.is_stale(org.confirmed_at) if org is not None else None  # type: ignore[attr-defined]


def _summarise(buyer_id: str, items: list[Link]) -> None:
    """Each active supplier's summary: the buyer's own risk views (one Query), and the sites behind
    them where the level shows SAQs or audits (one BatchGetItem per 100 sites)."""
    from portal.domain import risk  # the model's bands: only the supplier list needs them here
    from portal.store import risk as risk_store

    if not items:
        return
    by_producer: dict[str, list[RiskView]] = {}
    for view in risk_store.views(buyer_id):
        by_producer.setdefault(view.producer_id, []).append(view)
    deeper = [
        (item.producer_id, view.site_id)
        for item in items
        if policy.link_allows(item, "saq")
        for view in by_producer.get(item.producer_id, [])
    ]
    sites = risk_store.sites_by_key(deeper)
    for item in items:
        views = by_producer.get(item.producer_id, [])
        covered = [sites[v.site_id] for v in views if v.site_id in sites]
        counts = [site.open_ncs for site in covered]
        item.summary = SupplierSummary(  # type: ignore[attr-defined]
            risk_band=risk.band(max(float(v.scores["overall"]) for v in views)) if views else None,
            saq_submitted=sum(1 for site in covered if site.saq_versions)
            if policy.link_allows(item, "saq")
            else None,
            sites=len(views),
            open_ncs=int(sum(counts)) if policy.link_allows(item, "audits") and None not in counts else None,
        )


def _log(
    producer_id: str, actor: Actor, buyer_name: str, action: str, subject: str | None, **seen: str | None
) -> None:
    links.log_access(producer_id, actor.org_id, buyer_name, action, subject, **seen)


def _allowed(actor: Actor, producer_id: str, kind: str, site_id: str | None = None) -> Link:
    found = link(producer_id, actor.org_id)
    policy.require_link(found, kind, site_id)
    assert found is not None
    return found


def supplier(actor: Actor, producer_id: str) -> tuple[Link, Organisation, list[Site]]:
    granted = _allowed(actor, producer_id, "profile")
    producer = _organisation(producer_id)
    sites = [
        s for s in producer_store.sites(producer_id) if policy.link_allows(granted, "profile", s.site_id)
    ]
    _log(producer_id, actor, granted.buyer_name, "viewed_profile", None)
    return granted, producer, sites


def supplier_saq(actor: Actor, producer_id: str, site_id: str) -> SaqVersion:
    granted = _allowed(actor, producer_id, "saq", site_id)
    version = producer_store.latest_saq_version(producer_id, site_id)
    if version is None:
        raise not_found()
    _log(producer_id, actor, granted.buyer_name, "viewed_saq", None, site_id=site_id)
    return version


def supplier_audits(actor: Actor, producer_id: str, audit_id: str | None = None) -> list[Any]:
    granted = _allowed(actor, producer_id, "audits")
    views = [
        v
        for v in supply.audit_views(producer_store.audit_tree(producer_id, audit_id), viewer=actor.org_id)
        if policy.link_allows(granted, "audits", v.audit.site_id)
    ]
    if audit_id and not views:
        raise not_found()
    if audit_id:
        a = views[0].audit
        seen = {
            "site_id": a.site_id,
            "site_name": a.site_name,
            "audit_type": a.audit_type,
            "audit_date": a.audit_date,
            "audit_id": a.audit_id,
        }
        _log(producer_id, actor, granted.buyer_name, "viewed_audit", None, **seen)
        if not views[0].seen:  # the first customer to open it: its producer may no longer delete it
            producer_store.mark_seen(producer_id, a.audit_id, actor.org_id)
    else:
        _log(producer_id, actor, granted.buyer_name, "viewed_audits", None)
    return views


def supplier_download(actor: Actor, producer_id: str, document_id: str) -> str:
    granted = _allowed(actor, producer_id, "audits")
    item = producer_store.document_by_id(producer_id, document_id)
    if item is None or item.status != "available":
        raise not_found()
    audit = producer_store.audit(producer_id, item.audit_id)
    policy.require_link(granted, "audits", audit.site_id)
    _log(producer_id, actor, granted.buyer_name, "downloaded", item.file_name, audit_id=audit.audit_id)
    producer_store.mark_seen(producer_id, audit.audit_id, actor.org_id)
    return files.download_link(
        item.object_key, item.file_name, item.media_type or item.declared_type, item.object_version
    )


# -- producers -------------------------------------------------------------------------------------
def customers(actor: Actor) -> list[Link]:
    order = {"pending": 0, "active": 1, "declined": 2, "revoked": 3}
    return sorted(
        links.customers(actor.org_id),
        key=lambda item: (order.get(item.status, 9), item.buyer_name.casefold()),
    )


def _check_sites(actor: Actor, sites: list[str] | None) -> None:
    if sites is None:
        return
    own = {s.site_id for s in producer_store.sites(actor.org_id)}
    if not sites or not set(sites) <= own:
        raise invalid(sites="field.invalid_choice")


def decide(
    actor: Actor,
    buyer_id: str,
    status: str,
    level: str | None,
    sites: list[str] | None,
    version: int,
    may_be_named: bool | None = None,
) -> Link:
    item = link(actor.org_id, buyer_id)
    if item is None:
        raise not_found()
    if status == "active" and level is None:
        raise invalid(level="field.missing")
    if status == "declined" and item.status not in ("pending", "declined"):
        raise invalid(status="field.invalid_choice")  # decline a request; revoke a grant
    _check_sites(actor, sites)
    if item.version != version:
        raise conflict()
    before = (item.status, item.level, item.sites)
    if may_be_named and status != "active":
        raise invalid(may_be_named="field.invalid_choice")  # only an active customer may name you
    decided = decide_link(item, status, level, sites, actor_email(actor), version, may_be_named=may_be_named)
    return _tell_buyer(decided, before)


def add_customer(actor: Actor, organisation_number: str, level: str, sites: list[str] | None) -> Link:
    buyer = organisations.organisation_by_number(organisation_number)
    if buyer is None or not buyer.is_buyer or buyer.org_id == actor.org_id:
        raise not_found()
    _check_sites(actor, sites)
    existing = link(actor.org_id, buyer.org_id)
    item = existing or new_link(_organisation(actor.org_id), buyer)
    before = (item.status, item.level, item.sites) if existing else (None, None, None)
    decided = decide_link(
        item, "active", level, sites, actor_email(actor), existing.version if existing else None
    )
    return _tell_buyer(decided, before)


# -- who is told -----------------------------------------------------------------------------------
def _tell_producer(item: Link) -> None:
    """A customer asks: the producer's admins decide, so they are told."""
    params = {"buyer": item.buyer_name, "producer": item.producer_name, "path": "/members/customers/"}
    notifications.notify_all(notifications.admins(item.producer_id), "access_request", params)


def _tell_buyer(item: Link, before: tuple[str | None, str | None, list[str] | None]) -> Link:
    """Access granted, changed or revoked: the buyer's user who asked is told (else its admins).
    A decline is not told: to the buyer it looks like silence (nothing is learnt before consent)."""
    status, level, sites = before
    if item.status == "active" and status != "active":
        outcome = "granted"
    elif item.status == "active" and (level, sites) != (item.level, item.sites):
        outcome = "changed"
    elif item.status == "revoked" and status == "active":
        outcome = "revoked"
    else:
        return item
    path = "/members/suppliers/" if outcome == "revoked" else f"/members/supplier/?id={item.producer_id}"
    params = {
        "producer": item.producer_name,
        "organisation": item.buyer_name,
        "outcome": outcome,
        "level": item.level or "",
        "path": path,
    }
    notifications.notify_all(notifications.who_asked(item), "access_decision", params)
    return item


def access_log(actor: Actor, cursor: str | None) -> tuple[list[AccessEvent], str | None]:
    after = cursors.decode(cursor) if cursor else None
    return cursors.page(links.access_log(actor.org_id, after=after, limit=PAGE + 1), PAGE)
