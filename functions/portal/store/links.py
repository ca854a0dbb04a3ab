"""Links between producers and buyers in the table: the link (P, B) in the producer's partition, its
history, the buyer's own requests, the buyer's supplier list (GSI1 by name, GSI2 by last change) and
the producer's access log. Every lookup is keyed by the pair or by one party alone."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from portal import cursors
from portal.errors import conflict, invalid
from portal.store.errors import is_condition_failure
from portal.store.models import (
    AccessEvent,
    Link,
    LinkEvent,
    Organisation,
    PortalItem,
    SupplierRequest,
    transaction,
    utcnow,
)

Writes = Callable[[TransactWrite], None]
ACCESS_RETENTION = timedelta(days=2 * 365)
# What the buyer's supplier list shows of a link: the producer's name only once the producer has
# granted access. Before that (pending, declined) the buyer sees only its own SupplierRequest.
KNOWN_TO_BUYER = ("active", "revoked")


# -- links ---------------------------------------------------------------------------------------
def link(producer_id: str, buyer_id: str) -> Link | None:
    """The access check: one consistent GetItem, so a revocation holds from the next request."""
    try:
        return Link.get(*Link.key(producer_id, buyer_id), consistent_read=True)
    except DoesNotExist:
        return None


def producer_links(producer_id: str) -> list[Link]:
    """Every link of a producer, whatever its status: one Query on its partition."""
    partition, prefix = Link.of_producer(producer_id)
    found = Link.query(partition, Link.sk.startswith(prefix), consistent_read=True)
    return [item for item in cast("Iterable[Link]", found) if isinstance(item, Link)]


def customers(producer_id: str) -> list[Link]:
    """The producer's customer list (as it reads it: not a consistent read)."""
    partition, prefix = Link.of_producer(producer_id)
    found = PortalItem.query(partition, PortalItem.sk.startswith(prefix))
    return [item for item in found if isinstance(item, Link)]


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
    if item.status in KNOWN_TO_BUYER:
        item.gsi1pk, item.gsi1sk = Link.by_name(item.buyer_id, item.producer_name, item.producer_id)
        item.gsi2pk, item.gsi2sk = Link.by_update(item.buyer_id, item.updated_at, item.producer_id)
    else:
        item.gsi1pk = item.gsi1sk = item.gsi2pk = item.gsi2sk = None


def save_decision(
    item: Link, before: str | None, by: str, answered: list[str], also: Iterable[Writes | None]
) -> None:
    """The link's new state (already set on `item`), its history entry and the removal of the
    buyer's requests it answered, in one transaction with whatever `also` writes; a concurrent
    decision fails the link's version condition: 409."""
    _index(item)
    history = LinkEvent(
        *LinkEvent.key(item.producer_id, item.buyer_id, item.updated_at),
        buyer_id=item.buyer_id,
        from_status=before,
        to_status=item.status,
        level=item.level,
        may_be_named=bool(item.may_be_named),
        by=by,
        created_at=item.updated_at,
    )
    try:
        with transaction() as writes:
            writes.save(item)  # VersionAttribute: new, or still the version the decider saw
            writes.save(history, condition=LinkEvent.pk.does_not_exist())
            for reference in answered:
                writes.delete(SupplierRequest(*SupplierRequest.key(item.buyer_id, reference)))
            for write in also:
                if write:
                    write(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


# -- a buyer's requests --------------------------------------------------------------------------
def request(buyer_id: str, reference: str) -> SupplierRequest | None:
    try:
        return SupplierRequest.get(*SupplierRequest.key(buyer_id, reference), consistent_read=True)
    except DoesNotExist:
        return None


def open_requests(buyer_id: str) -> list[SupplierRequest]:
    """The buyer's requests that no producer has answered yet: one Query on its own partition."""
    found = SupplierRequest.query(f"ORG#{buyer_id}", SupplierRequest.sk.startswith("SUPPLIERREQUEST#"))
    return [item for item in cast("Iterable[SupplierRequest]", found) if isinstance(item, SupplierRequest)]


def new_request(
    buyer_id: str, reference: str, kind: str, producer_id: str | None, at: datetime
) -> SupplierRequest:
    """A buyer's request as its supplier list shows it (by what it typed, in both sort orders)."""
    item = SupplierRequest(
        *SupplierRequest.key(buyer_id, reference),
        buyer_id=buyer_id,
        reference=reference,
        reference_kind=kind,
        producer_id=producer_id,
        requested_at=at,
        updated_at=at,
        created_at=at,
    )
    item.gsi1pk, item.gsi1sk = SupplierRequest.by_name(buyer_id, reference)
    item.gsi2pk, item.gsi2sk = SupplierRequest.by_update(buyer_id, at, reference)
    return item


def record_request(item: SupplierRequest) -> Writes:
    """The write of a new request, for a transaction: it must not be there yet."""
    return lambda writes: writes.save(item, condition=SupplierRequest.pk.does_not_exist())


def save_request(item: SupplierRequest, pending: Link | None) -> None:
    """A new request, and the reference added to the pending link it reached, in one transaction:
    a request made at the same moment, or a decision made in between, is a 409."""
    try:
        with transaction() as writes:
            if pending is not None:
                writes.save(pending)  # VersionAttribute: a decision made in between wins
            record_request(item)(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


def is_request(item: object) -> bool:
    """Whether a supplier list entry is the buyer's own request (not a link a producer granted)."""
    return isinstance(item, SupplierRequest)


# -- a buyer's supplier list ---------------------------------------------------------------------
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
    producer_partition, _ = Link.of_producer("")
    own_link = (pk, sk) == Link.key(pk.removeprefix(producer_partition), buyer_id)
    own_request = (pk, sk) == SupplierRequest.key(buyer_id, sk.partition("#")[2])
    if kind != sort or not (own_link or own_request):
        raise invalid(cursor="field.invalid")
    index = "GSI1" if sort == "name" else "GSI2"
    return {
        "PK": {"S": pk},
        "SK": {"S": sk},
        f"{index}PK": {"S": Link.supplier_list(buyer_id)},
        f"{index}SK": {"S": gsi_sk},
    }


def supplier_countries(buyer_id: str) -> list[str]:
    """The countries of the producers that have granted the buyer access (the list's country
    filter): one Query on the supplier list's index, reading only the country."""
    found = PortalItem.by_gsi1.query(
        Link.supplier_list(buyer_id), attributes_to_get=["PK", "SK", "kind", "producer_country"]
    )
    return sorted(
        {item.producer_country for item in found if isinstance(item, Link) and item.producer_country}
    )


def active_links(buyer_id: str) -> list[Link]:
    """Every link through which the buyer may see a supplier now: one Query on the supplier list's
    index (paged by pynamodb), keeping the active links (the list also holds revoked ones and the
    buyer's own requests)."""
    found = PortalItem.by_gsi1.query(Link.supplier_list(buyer_id), filter_condition=Link.status == "active")
    return [item for item in found if isinstance(item, Link) and item.status == "active"]


def supplier_page(
    buyer_id: str, *, sort: str, filters: dict[str, str | None], cursor: str | None, limit: int
) -> tuple[list[Link | SupplierRequest], str | None]:
    """One page of the buyer's own links and requests, filtered on status, level and country: one
    Query, however many suppliers there are."""
    condition: Condition | None = None
    attributes = {"status": Link.status, "level": Link.level, "country": Link.producer_country}
    for name, value in filters.items():
        if value:
            clause = attributes[name] == value
            condition = clause if condition is None else condition & clause
    index = PortalItem.by_gsi1 if sort == "name" else PortalItem.by_gsi2
    found = index.query(
        Link.supplier_list(buyer_id),
        scan_index_forward=sort == "name",
        filter_condition=condition,
        limit=limit,
        last_evaluated_key=_cursor_in(cursor, sort, buyer_id),
    )
    items = [item for item in found if isinstance(item, Link | SupplierRequest)]
    last = found.last_evaluated_key
    return items, _cursor_out(sort, last) if last else None


# -- the producer's access log -------------------------------------------------------------------
def log_access(
    producer_id: str, buyer_id: str, buyer_name: str, action: str, subject: str | None, **seen: str | None
) -> None:
    """`seen`: what was looked at (site_id, site_name, audit_type, audit_date, audit_id), kept as
    codes so the log reads in its reader's language."""
    now = utcnow()
    AccessEvent(
        *AccessEvent.key(producer_id, now, uuid.uuid4().hex[:8]),
        buyer_id=buyer_id,
        buyer_name=buyer_name,
        action=action,
        subject=subject,
        site_id=seen.get("site_id"),
        site_name=seen.get("site_name"),
        audit_type=seen.get("audit_type"),
        audit_date=seen.get("audit_date"),
        audit_id=seen.get("audit_id"),
        created_at=now,
        expires_at=now + ACCESS_RETENTION,
    ).save()


def access_log(producer_id: str, *, after: str | None, limit: int) -> list[AccessEvent]:
    """The producer's access log, newest first, from the sort key `after` on (its own partition)."""
    partition = AccessEvent.log(producer_id)
    start = {"PK": {"S": partition}, "SK": {"S": after}} if after else None
    return list(AccessEvent.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start))
