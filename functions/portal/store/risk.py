"""Stored risk: a site's scores on the site item, a view of them per buyer allowed to see them, and
platform-wide counts per country and sector. Every write of a score goes with the counts it changes
in one transaction; every view is written under the condition that its link has not changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, cast

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from portal.store.errors import is_condition_failure
from portal.store.models import Link, PortalItem, RiskCell, RiskView, Site, transaction

# A transaction holds at most 100 items; one is the link's condition check.
VIEWS_PER_TRANSACTION = 99
CellDeltas = Mapping[tuple[str, str], Mapping[str, int]]
ViewOp = tuple[str, RiskView]  # ("put" | "delete", view)


def add_cells(writes: TransactWrite, deltas: CellDeltas) -> None:
    for (country, sector), changes in deltas.items():
        cell = RiskCell(*RiskCell.key(country, sector))
        # An update creates the cell the first time: it names its own kind, as a put would.
        actions: list[Action] = [
            RiskCell.kind.set(RiskCell),
            RiskCell.country.set(country),
            RiskCell.sector.set(sector),
        ]
        actions += [getattr(RiskCell, name).add(amount) for name, amount in changes.items()]
        writes.update(cell, actions=actions)


def cells() -> list[dict[str, Any]]:
    """Every country and sector with sites (one Query on the platform's counts, paged), as plain
    values: at Sedex scale there are thousands, and building a model object for each cost the
    staff overview 0.6 s of its answer."""
    connection = PortalItem._get_connection()
    names = {attribute.attr_name: name for name, attribute in RiskCell.get_attributes().items()}
    found: list[dict[str, Any]] = []
    start = None
    while True:
        page = connection.query("RISKSTATS", exclusive_start_key=start)
        found += [
            {names[name]: value["S"] if "S" in value else int(value["N"]) for name, value in item.items() if name in names}
            for item in page.get("Items", [])
        ]  # fmt: skip
        start = page.get("LastEvaluatedKey")
        if not start:
            return found


def write_site_risk(
    site: Site,
    condition: Any,
    changes: list[Action],
    deltas: CellDeltas,
    also: Callable[[TransactWrite], None],
) -> bool:
    """The site's new fields and score with the counts they change and (`also`) its customers'
    views, in one transaction; False if `condition` or a link's version check failed."""
    try:
        with transaction() as writes:
            writes.update(site, actions=changes, condition=condition)
            add_cells(writes, deltas)
            also(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def add_views(writes: TransactWrite, planned: list[tuple[Link, ViewOp]]) -> None:
    """Views, each link checked once to be still the version they were planned from."""
    checked: set[str] = set()
    for link, op in planned:
        if link.sk not in checked:
            writes.condition_check(Link, link.pk, link.sk, condition=Link.version == link.version)
            checked.add(link.sk)
        _apply(writes, [op])


def _apply(writes: TransactWrite, ops: Iterable[ViewOp]) -> None:
    for op, view in ops:
        if op == "put":
            writes.save(view)
        else:
            writes.delete(view)


def _chunks(ops: list[ViewOp], size: int) -> Iterator[list[ViewOp]]:
    for start in range(0, len(ops), size):
        yield ops[start : start + size]


def write_views(link: Link, ops: list[ViewOp]) -> bool:
    """The views, each batch under the condition that the link is still the version read; False
    when it was not (the link's own decision then writes its views)."""
    for chunk in _chunks(ops, VIEWS_PER_TRANSACTION):
        try:
            with transaction() as writes:
                writes.condition_check(Link, link.pk, link.sk, condition=Link.version == link.version)
                _apply(writes, chunk)
        except TransactWriteError as error:
            if is_condition_failure(error):
                return False
            raise
    return True


def with_views(ops: list[ViewOp], room: int) -> tuple[Callable[[TransactWrite], None], list[ViewOp]]:
    """Views that fit into another transaction (`room` items), and the ones left for after it."""
    first, rest = ops[:room], ops[room:]
    return (lambda writes: _apply(writes, first)), rest


def views(buyer_id: str) -> list[RiskView]:
    """Everything a buyer may see of its supply chain's risk: one Query on its own partition
    (DynamoDB pages it at 1 MB, about 4,000 views)."""
    found = RiskView.query(f"ORG#{buyer_id}", RiskView.sk.startswith("RISKVIEW#"))
    return [v for v in cast("Iterable[RiskView]", found) if isinstance(v, RiskView)]


def sites_by_key(keys: list[tuple[str, str]]) -> dict[str, Site]:
    """Sites by (producer, site id): one BatchGetItem for a page."""
    if not keys:
        return {}
    found = Site.batch_get([Site.key(producer, site) for producer, site in keys])
    return {s.site_id: s for s in cast("Iterable[Site]", found)}


def all_sites() -> Iterator[Site]:
    """Every site of every producer: for the batch recompute only (a Scan, never on a request)."""
    found = Site.scan()
    return (s for s in cast("Iterable[Site]", found) if isinstance(s, Site))
