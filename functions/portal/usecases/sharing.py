"""Sharing on the producer's terms: buyers ask, producers decide (accept at a level, decline, change,
revoke), buyers read exactly what an active link allows, and every read is in the producer's access log.

Every lookup a buyer causes is keyed by the pair (producer, buyer) or by the buyer alone, so nothing a
buyer does touches — or takes longer because of — another buyer's link.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from portal import cursors, policy
from portal.adapters import files, mail
from portal.errors import conflict, invalid, not_found
from portal.i18n import Language
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
    SupplierRequest,
    transaction,
    utcnow,
)
from portal.store.organisations import organisation_by_number, producer_of_site
from portal.usecases import risk
from portal.usecases.members import actor_email

PAGE = 25
ACCESS_RETENTION = timedelta(days=2 * 365)


# -- finding the other party -----------------------------------------------------------------------
def _organisation(org_id: str) -> Organisation:
    try:
        return Organisation.get(*Organisation.key(org_id))
    except DoesNotExist:
        raise not_found() from None


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


# What the buyer's supplier list shows of a link: the producer's name only once the producer has
# granted access. Before that (pending, declined) the buyer sees only its own SupplierRequest.
KNOWN_TO_BUYER = ("active", "revoked")


def _index(item: Link) -> None:
    if item.status in KNOWN_TO_BUYER:
        item.gsi1pk, item.gsi1sk = Link.by_name(item.buyer_id, item.producer_name, item.producer_id)
        item.gsi2pk, item.gsi2sk = Link.by_update(item.buyer_id, item.updated_at, item.producer_id)
    else:
        item.gsi1pk = item.gsi1sk = item.gsi2pk = item.gsi2sk = None


def decide_link(
    item: Link,
    status: str,
    level: str | None,
    sites: list[str] | None,
    by: str,
    expected: int | None,
    also: Callable[[TransactWrite], None] | None = None,
) -> Link:
    """The link's new state and its history entry in one transaction; a concurrent decision (accept
    against revoke) fails its version condition, so one of them wins whole and the other gets 409.
    An acceptance takes the buyer's requests that reached this producer out of its list: from now
    on the list shows the producer itself."""
    before = item.status if expected is not None else None
    was_active = before == "active"
    now = utcnow()
    item.status, item.level, item.sites, item.updated_at = (
        status,
        level if status == "active" else None,
        sites,
        now,
    )
    answered = list(item.requested_as or []) if status == "active" else []
    if answered:
        item.requested_as = None
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
            for reference in answered:
                writes.delete(SupplierRequest(*SupplierRequest.key(item.buyer_id, reference)))
            if views:
                views(writes)
            if also:
                also(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise
    rest()
    return item


# -- buyers ----------------------------------------------------------------------------------------
def _reached(actor: Actor, site_id: str | None, organisation_number: str | None) -> str | None:
    """The producer a reference names, or None: an unknown reference, a member that is not a
    producer and the buyer itself are all "nobody" (the buyer is told the same either way)."""
    if site_id:
        producer_id = producer_of_site(site_id)
    else:
        found = organisation_by_number(organisation_number or "")
        producer_id = found.org_id if found is not None and found.is_producer else None
    return None if producer_id == actor.org_id else producer_id


def new_request(
    buyer_id: str, reference: str, kind: str, producer_id: str | None, at: datetime
) -> SupplierRequest:
    """A buyer's request as its supplier list shows it (by what it typed, in both sort orders)."""
    request = SupplierRequest(
        *SupplierRequest.key(buyer_id, reference),
        buyer_id=buyer_id,
        reference=reference,
        reference_kind=kind,
        producer_id=producer_id,
        requested_at=at,
        updated_at=at,
        created_at=at,
    )
    request.gsi1pk, request.gsi1sk = SupplierRequest.by_name(buyer_id, reference)
    request.gsi2pk, request.gsi2sk = SupplierRequest.by_update(buyer_id, at, reference)
    return request


def request_access(actor: Actor, *, site_id: str | None, organisation_number: str | None) -> SupplierRequest:
    """Ask for access by a site id or an organisation number. The answer and the buyer's list show
    only the buyer's own request (what it typed, when), whatever the reference names, so asking
    cannot be used to find out which companies are IEH producers; the producer it reached (if any)
    gets a pending customer to decide on."""
    reference = site_id or organisation_number or ""
    now = utcnow()
    try:
        request = SupplierRequest.get(*SupplierRequest.key(actor.org_id, reference), consistent_read=True)
        asked_before = True
    except DoesNotExist:
        kind = "site_id" if site_id else "organisation_number"
        producer_id = _reached(actor, site_id, organisation_number)
        request = new_request(actor.org_id, reference, kind, producer_id, now)
        asked_before = False

    def record(writes: TransactWrite) -> None:
        if not asked_before:
            writes.save(request, condition=SupplierRequest.pk.does_not_exist())

    existing = link(request.producer_id, actor.org_id) if request.producer_id else None
    if request.producer_id is not None and (existing is None or existing.status in ("declined", "revoked")):
        # asked (again): the producer has a request to decide on, as before a decline or revocation
        item = existing or new_link(_organisation(request.producer_id), _organisation(actor.org_id))
        item.requested_at = now
        item.requested_as = [*(r for r in item.requested_as or [] if r != reference), reference]
        version = existing.version if existing else None
        decide_link(item, "pending", None, None, actor_email(actor), version, also=record)
        return request
    if asked_before:
        return request  # waiting, granted or reaching nobody: nothing changes
    try:
        with transaction() as writes:
            if existing is not None and existing.status == "pending":
                existing.requested_as = [*(existing.requested_as or []), reference]
                writes.save(existing)  # VersionAttribute: a decision made in between wins
            record(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error  # asked at the same moment, or decided in between
        raise
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


def _cursor_out(sort: str, last: dict[str, Any]) -> str:
    index = "GSI1" if sort == "name" else "GSI2"
    return cursors.encode(json.dumps([sort, last[f"{index}SK"]["S"], last["PK"]["S"], last["SK"]["S"]]))


def _cursor_in(cursor: str | None, sort: str, buyer_id: str) -> dict[str, Any] | None:
    """A cursor holds the sort key and the item it stopped at; the partition is always the caller's
    own supplier list, and the item must be one of the caller's own links or requests."""
    if not cursor:
        return None
    try:
        kind, gsi_sk, pk, sk = json.loads(cursors.decode(cursor))
        if not all(isinstance(part, str) for part in (gsi_sk, pk, sk)):
            raise TypeError
    except (ValueError, TypeError):
        raise invalid(cursor="field.invalid") from None
    own_link = (pk, sk) == Link.key(pk.removeprefix("ORG#"), buyer_id)
    own_request = (pk, sk) == SupplierRequest.key(buyer_id, sk.partition("#")[2])
    if kind != sort or not (own_link or own_request):
        raise invalid(cursor="field.invalid")
    index = "GSI1" if sort == "name" else "GSI2"
    return {
        "PK": {"S": pk},
        "SK": {"S": sk},
        f"{index}PK": {"S": f"BUYER#{buyer_id}#SUPPLIERS"},
        f"{index}SK": {"S": gsi_sk},
    }


def suppliers(
    actor: Actor, *, sort: str, status: str | None, level: str | None, country: str | None, cursor: str | None
) -> tuple[list[Link | SupplierRequest], str | None]:
    """One page of the buyer's own links and requests: one Query, however many suppliers there are."""
    condition = None
    for attribute, value in ((Link.status, status), (Link.level, level), (Link.producer_country, country)):
        if value:
            clause = attribute == value
            condition = clause if condition is None else condition & clause
    index = PortalItem.by_gsi1 if sort == "name" else PortalItem.by_gsi2
    found = index.query(
        f"BUYER#{actor.org_id}#SUPPLIERS",
        scan_index_forward=sort == "name",
        filter_condition=condition,
        limit=PAGE,
        last_evaluated_key=_cursor_in(cursor, sort, actor.org_id),
    )
    items = [item for item in found if isinstance(item, Link | SupplierRequest)]
    last = found.last_evaluated_key
    _mark_stale([item for item in items if isinstance(item, Link)])
    return items, _cursor_out(sort, last) if last else None


def _mark_stale(items: list[Link]) -> None:
    """Whether each active supplier's profile is out of date: one BatchGetItem for the page (the
    list does not grow in calls with the number of suppliers)."""
    from portal.usecases.supply import is_stale

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
    from portal.store import producers as store
    from portal.usecases import supply as producer_data

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
    item = store.document_by_id(producer_id, document_id)
    if item is None or item.status != "available":
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
    buyer = organisation_by_number(organisation_number)
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
