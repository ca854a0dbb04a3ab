"""Sharing on the producer's terms: buyers ask, producers decide (accept at a level, decline, change,
revoke), buyers read exactly what an active link allows, and every read is in the producer's access log.

Every lookup a buyer causes is keyed by the pair (producer, buyer) or by the buyer alone, so nothing a
buyer does touches — or takes longer because of — another buyer's link.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from portal import cursors, files, mail, policy, risk
from portal.errors import conflict, invalid, not_found
from portal.i18n import Language
from portal.members import actor_email
from portal.policy import Actor
from portal.store.errors import is_condition_failure
from portal.store.models import (
    AccessEvent,
    Link,
    LinkEvent,
    Organisation,
    PortalItem,
    SaqVersion,
    Site,
    transaction,
    utcnow,
)

PAGE = 25
ACCESS_RETENTION = timedelta(days=2 * 365)


# -- finding the other party -----------------------------------------------------------------------
def _organisation(org_id: str) -> Organisation:
    try:
        return Organisation.get(*Organisation.key(org_id))
    except DoesNotExist:
        raise not_found() from None


def _by_number(organisation_number: str) -> Organisation | None:
    pk, _ = Organisation.number_index(organisation_number)
    for item in Organisation.by_gsi1.query(pk, limit=1):
        return cast("Organisation", item)
    return None


def _producer_of_site(site_id: str) -> str | None:
    pk, _ = Site.public_index(site_id)
    for item in Site.by_gsi1.query(pk, limit=1):
        return cast("Site", item).org_id
    return None


def link(producer_id: str, buyer_id: str) -> Link | None:
    """The access check: one consistent GetItem, so a revocation holds from the next request."""
    try:
        return Link.get(*Link.key(producer_id, buyer_id), consistent_read=True)
    except DoesNotExist:
        return None


def new_link(producer: Organisation, buyer: Organisation) -> Link:
    """A link not yet decided on, with both names kept for the lists each side reads."""
    return Link(
        *Link.key(producer.org_id, buyer.org_id),
        producer_id=producer.org_id,
        buyer_id=buyer.org_id,
        producer_name=producer.name,
        producer_country=producer.country,
        buyer_name=buyer.name,
        buyer_country=buyer.country,
        requested_at=utcnow(),
    )


def _index(item: Link) -> None:
    item.gsi1pk, item.gsi1sk = Link.by_name(item.buyer_id, item.producer_name, item.producer_id)
    item.gsi2pk, item.gsi2sk = Link.by_update(item.buyer_id, item.updated_at, item.producer_id)


def decide_link(
    item: Link, status: str, level: str | None, sites: list[str] | None, by: str, expected: int | None
) -> Link:
    """The link's new state and its history entry in one transaction; a concurrent decision (accept
    against revoke) fails its version condition, so one of them wins whole and the other gets 409."""
    before = item.status if expected is not None else None
    was_active = before == "active"
    now = utcnow()
    item.status, item.level, item.sites, item.updated_at = (
        status,
        level if status == "active" else None,
        sites,
        now,
    )
    _index(item)
    if expected is not None:
        item.version = expected
    history = LinkEvent(
        *LinkEvent.key(item.producer_id, item.buyer_id, now),
        buyer_id=item.buyer_id,
        from_status=before,
        to_status=status,
        level=item.level,
        by=by,
        created_at=now,
    )
    # The buyer's risk views follow the link in the same transaction: revoked means no view left.
    views, rest = risk.link_views(item, was_active)
    try:
        with transaction() as writes:
            writes.save(item)  # VersionAttribute: new, or still the version the decider saw
            writes.save(history, condition=LinkEvent.pk.does_not_exist())
            if views:
                views(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise
    rest()
    return item


# -- buyers ----------------------------------------------------------------------------------------
def request_access(
    actor: Actor, *, site_id: str | None, organisation_number: str | None
) -> tuple[Link, bool]:
    producer_id = _producer_of_site(site_id) if site_id else None
    if organisation_number:
        found = _by_number(organisation_number)
        producer_id = found.org_id if found is not None and found.is_producer else None
    if producer_id is None or producer_id == actor.org_id:
        raise not_found()
    existing = link(producer_id, actor.org_id)
    if existing is not None and existing.status in ("pending", "active"):
        return existing, False
    item = existing or new_link(_organisation(producer_id), _organisation(actor.org_id))
    item.requested_at = utcnow()
    return decide_link(
        item, "pending", None, None, actor_email(actor), existing.version if existing else None
    ), True


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


def _cursor_out(sort: str, gsi_sk: str) -> str:
    return cursors.encode(json.dumps([sort, gsi_sk]))


def _cursor_in(cursor: str | None, sort: str, buyer_id: str) -> dict[str, Any] | None:
    """A cursor holds only the sort key; the partition is always the caller's own supplier list."""
    if not cursor:
        return None
    try:
        kind, gsi_sk = json.loads(cursors.decode(cursor))
        producer_id = str(gsi_sk).rsplit("#", 1)[1]
    except (ValueError, TypeError, IndexError):
        raise invalid(cursor="field.invalid") from None
    if kind != sort:
        raise invalid(cursor="field.invalid")
    index = "GSI1" if sort == "name" else "GSI2"
    pk, sk = Link.key(producer_id, buyer_id)
    return {
        "PK": {"S": pk},
        "SK": {"S": sk},
        f"{index}PK": {"S": f"BUYER#{buyer_id}#SUPPLIERS"},
        f"{index}SK": {"S": gsi_sk},
    }


def suppliers(
    actor: Actor, *, sort: str, status: str | None, level: str | None, country: str | None, cursor: str | None
) -> tuple[list[Link], str | None]:
    """One page of the buyer's own links: one Query, however many suppliers there are."""
    condition = None
    for attribute, value in ((Link.status, status), (Link.level, level), (Link.producer_country, country)):
        if value:
            clause = attribute == value
            condition = clause if condition is None else condition & clause
    index = Link.by_gsi1 if sort == "name" else Link.by_gsi2
    found = index.query(
        f"BUYER#{actor.org_id}#SUPPLIERS",
        scan_index_forward=sort == "name",
        filter_condition=condition,
        limit=PAGE,
        last_evaluated_key=_cursor_in(cursor, sort, actor.org_id),
    )
    items = [cast("Link", item) for item in found]
    last = found.last_evaluated_key
    _mark_stale(items)
    next_cursor = None
    if last:
        key = "GSI1SK" if sort == "name" else "GSI2SK"
        next_cursor = _cursor_out(sort, last[key]["S"])
    return items, next_cursor


def _mark_stale(items: list[Link]) -> None:
    """Whether each active supplier's profile is out of date: one BatchGetItem for the page (the
    list does not grow in calls with the number of suppliers)."""
    from portal.producer import is_stale

    active = {i.producer_id for i in items if i.status == "active"}
    found = (
        {o.org_id: o for o in Organisation.batch_get([Organisation.key(p) for p in active])} if active else {}
    )
    for item in items:
        org = found.get(item.producer_id)
        item.profile_stale = is_stale(org.confirmed_at) if org is not None else None  # type: ignore[attr-defined]


def _log(producer_id: str, actor: Actor, buyer_name: str, action: str, subject: str | None) -> None:
    now = utcnow()
    AccessEvent(
        *AccessEvent.key(producer_id, now, uuid.uuid4().hex[:8]),
        buyer_id=actor.org_id,
        buyer_name=buyer_name,
        action=action,
        subject=subject,
        created_at=now,
        expires_at=now + ACCESS_RETENTION,
    ).save()


def _allowed(actor: Actor, producer_id: str, kind: str, site_id: str | None = None) -> Link:
    found = link(producer_id, actor.org_id)
    policy.require_link(found, kind, site_id)
    assert found is not None
    return found


def supplier(actor: Actor, producer_id: str) -> tuple[Link, Organisation, list[Site]]:
    granted = _allowed(actor, producer_id, "profile")
    producer = _organisation(producer_id)
    found = Site.query(f"ORG#{producer_id}", Site.sk.startswith("SITE#"))
    sites = [
        s
        for s in cast("Iterable[Site]", found)
        if isinstance(s, Site) and policy.link_allows(granted, "profile", s.site_id)
    ]
    _log(producer_id, actor, granted.buyer_name, "viewed_profile", None)
    return granted, producer, sites


def supplier_saq(actor: Actor, producer_id: str, site_id: str) -> SaqVersion:
    granted = _allowed(actor, producer_id, "saq", site_id)
    found = SaqVersion.query(
        f"ORG#{producer_id}", SaqVersion.sk.startswith(f"SAQ#{site_id}#V#"), scan_index_forward=False, limit=1
    )
    for version in found:
        _log(producer_id, actor, granted.buyer_name, "viewed_saq", site_id)
        return version
    raise not_found()


def supplier_audits(actor: Actor, producer_id: str, audit_id: str | None = None) -> list[Any]:
    from portal import producer as producer_data
    from portal.store import producers as store

    granted = _allowed(actor, producer_id, "audits")
    views = [
        v
        for v in producer_data.audit_views(store.audit_tree(producer_id, audit_id))
        if policy.link_allows(granted, "audits", v.audit.site_id)
    ]
    if audit_id and not views:
        raise not_found()
    subject = None
    if audit_id:
        a = views[0].audit
        subject = f"{a.audit_type} {a.site_name} {a.audit_date}"
    _log(producer_id, actor, granted.buyer_name, "viewed_audit" if audit_id else "viewed_audits", subject)
    return views


def supplier_download(actor: Actor, producer_id: str, document_id: str) -> str:
    from portal.store import producers as store

    granted = _allowed(actor, producer_id, "audits")
    item = store.document_by_id(document_id)
    if item is None or item.gsi1sk != producer_id or item.status != "available":
        raise not_found()
    audit = store.audit(producer_id, item.audit_id)
    policy.require_link(granted, "audits", audit.site_id)
    _log(producer_id, actor, granted.buyer_name, "downloaded", item.file_name)
    return files.download_link(
        item.object_key, item.file_name, item.media_type or item.declared_type, item.object_version
    )


# -- producers -------------------------------------------------------------------------------------
def customers(actor: Actor) -> list[Link]:
    found = PortalItem.query(f"ORG#{actor.org_id}", PortalItem.sk.startswith("LINK#"))
    links = [item for item in found if isinstance(item, Link)]
    order = {"pending": 0, "active": 1, "declined": 2, "revoked": 3}
    return sorted(links, key=lambda item: (order.get(item.status, 9), item.buyer_name.casefold()))


def _check_sites(actor: Actor, sites: list[str] | None) -> None:
    if sites is None:
        return
    from portal.store import producers as store

    own = {s.site_id for s in store.sites(actor.org_id)}
    if not sites or not set(sites) <= own:
        raise invalid(sites="field.invalid_choice")


def decide(
    actor: Actor, buyer_id: str, status: str, level: str | None, sites: list[str] | None, version: int
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
    return decide_link(item, status, level, sites, actor_email(actor), version)


def add_customer(actor: Actor, organisation_number: str, level: str, sites: list[str] | None) -> Link:
    buyer = _by_number(organisation_number)
    if buyer is None or not buyer.is_buyer or buyer.org_id == actor.org_id:
        raise not_found()
    _check_sites(actor, sites)
    existing = link(actor.org_id, buyer.org_id)
    item = existing or new_link(_organisation(actor.org_id), buyer)
    return decide_link(
        item, "active", level, sites, actor_email(actor), existing.version if existing else None
    )


def access_log(actor: Actor, cursor: str | None) -> tuple[list[AccessEvent], str | None]:
    start = None
    if cursor:
        start = {"PK": {"S": f"ORG#{actor.org_id}#ACCESS"}, "SK": {"S": cursors.decode(cursor)}}
    found = list(
        AccessEvent.query(
            f"ORG#{actor.org_id}#ACCESS", scan_index_forward=False, limit=PAGE + 1, last_evaluated_key=start
        )
    )
    return cursors.page(found, PAGE)
