"""E-mail notices in the table: each person's choices (on the user), the notices waiting for a daily
digest, what each person has been told (so nobody is told twice), and where the daily run is."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from pynamodb.exceptions import PutError

from portal.store.errors import is_condition_failure
from portal.store.models import (
    Finding,
    NoticeSweep,
    Organisation,
    PortalItem,
    QueuedNotice,
    Site,
    Told,
    User,
    new,
    utcnow,
)

WAITING_FOR = timedelta(days=60)  # a digest notice nobody collected (digests turned off) goes by itself
TOLD_FOR = timedelta(days=800)  # longer than a profile takes to go out of date again


def save_choices(user: User, chosen: dict[str, str], language: str) -> None:
    """The person's choices and e-mail language: only these two attributes, so a change made to the
    user meanwhile (a password, a role) is neither lost nor a conflict."""
    user.update(
        actions=[User.notifications.set(chosen), User.language.set(language)], add_version_condition=False
    )


# -- the daily digest --------------------------------------------------------------------------------
def queue(user_id: str, kind: str, params: dict[str, str]) -> QueuedNotice:
    now = utcnow()
    notice_id = uuid.uuid4().hex[:8]
    item: QueuedNotice = new(
        QueuedNotice,
        QueuedNotice.key(user_id, now, notice_id),
        user_id=user_id,
        notice_kind=kind,
        params=params,
        created_at=now,
        expires_at=now + WAITING_FOR,
    )
    item.gsi1pk, item.gsi1sk = QueuedNotice.waiting_index(user_id, now, notice_id)
    item.save()
    return item


def next_waiting_user(after: str | None) -> str | None:
    """The first person after `after` (by id) with notices waiting: one Query of one index item."""
    condition = PortalItem.gsi1sk > QueuedNotice.after_user(after) if after else None
    for item in PortalItem.by_gsi1.query(QueuedNotice.waiting(), condition, limit=1):
        if isinstance(item, QueuedNotice):
            return str(item.user_id)
    return None


def waiting(user_id: str, limit: int) -> list[QueuedNotice]:
    """A person's waiting notices, oldest first (one consistent Query on their partition)."""
    found = QueuedNotice.query(QueuedNotice.of_user(user_id), consistent_read=True, limit=limit)
    return [item for item in found if isinstance(item, QueuedNotice)]


def clear(items: Iterable[QueuedNotice]) -> None:
    with QueuedNotice.batch_write() as batch:
        for item in items:
            batch.delete(item)


# -- told once -------------------------------------------------------------------------------------
def tell_once(subject: str, user_id: str) -> bool:
    """Claim telling `user_id` of `subject`: False when someone (this run or another) already has."""
    now = utcnow()
    try:
        new(Told, Told.key(subject, user_id), created_at=now, expires_at=now + TOLD_FOR).save(
            condition=Told.pk.does_not_exist()
        )
    except PutError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def untell(subject: str, user_id: str) -> None:
    """The telling failed (the e-mail was not sent): the next run may try again."""
    Told(*Told.key(subject, user_id)).delete()


# -- the daily sweep -------------------------------------------------------------------------------
def sweep() -> NoticeSweep:
    try:
        return NoticeSweep.get(*NoticeSweep.key(), consistent_read=True)
    except NoticeSweep.DoesNotExist:
        return new(NoticeSweep, NoticeSweep.key())


def save_sweep(state: NoticeSweep) -> None:
    state.save()


def owner_of(finding: Finding) -> str:
    """The organisation whose audit a finding belongs to (its partition)."""
    return finding.pk.removeprefix("ORG#")


def sweep_page(
    cursor: dict[str, Any] | None, page_size: int
) -> tuple[list[PortalItem], dict[str, Any] | None]:
    """One page of the table's corrective actions, producer profiles and sites.

    A Scan, and the only one outside the risk recompute: no index holds actions by due date or
    profiles by the date they were confirmed, and this daily job is the only reader that would need
    one. Each page reads at most `page_size` items (the filter does not lower the read), and the run
    stops after a bounded number of pages, going on from `cursor` the next day."""
    condition = PortalItem.kind.is_in(Finding, Organisation, Site)
    pages = PortalItem.scan(condition, page_size=page_size, last_evaluated_key=cursor).page_iter
    page = next(pages, None)
    if page is None:
        return [], None
    items = [PortalItem.from_raw_data(raw) for raw in page.get("Items", [])]
    return items, pages.last_evaluated_key
