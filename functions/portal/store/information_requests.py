"""Information requests (Transparency Act cases): in the organisation's partition, listed through
GSI1 (open first by due date), by year through GSI2; the requester's link, the case counters, the
reminders by day and the submission throttles. No Scan anywhere."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError

from portal.domain import transparency
from portal.errors import PortalError, not_found
from portal.store.errors import is_condition_failure
from portal.store.models import (
    CaseCounter,
    InformationRequest,
    RequestReminder,
    RequestToken,
    Throttle,
    new,
    transaction,
    utcnow,
)

REMINDER_KEEP = timedelta(days=90)


def index(case: InformationRequest) -> None:
    """Set the list and year keys from the case's state (every write goes through here)."""
    closed_on = case.closed_at.date().isoformat() if case.closed_at else None
    case.gsi1pk, case.gsi1sk = InformationRequest.list_index(
        case.org_id,
        open_=transparency.is_open(case.state),
        due_on=case.due_on,
        closed_on=closed_on,
        case_id=case.case_id,
    )
    case.gsi2pk, case.gsi2sk = InformationRequest.year_index(case.org_id, case.received_on, case.case_id)


def next_number(org_id: str, year: int) -> int:
    """The organisation's next case number in the year: one UpdateItem (an atomic counter)."""
    counter = CaseCounter(*CaseCounter.key(org_id, year))
    counter.update(actions=[CaseCounter.last.add(1), CaseCounter.kind.set(CaseCounter)])
    return int(counter.last)


def reminder(day: date, case: InformationRequest, what: str) -> RequestReminder:
    return new(
        RequestReminder,
        RequestReminder.key(day.isoformat(), case.org_id, case.case_id, what),
        org_id=case.org_id,
        case_id=case.case_id,
        what=what,
        expires_at=datetime.combine(day, datetime.min.time()).replace(tzinfo=utcnow().tzinfo) + REMINDER_KEEP,
    )


def create(case: InformationRequest, token_hash: str | None, reminders: Iterable[RequestReminder]) -> None:
    """The case, the requester's link and its reminders in one transaction."""
    index(case)
    with transaction() as writes:
        writes.save(case, condition=InformationRequest.pk.does_not_exist())
        if token_hash:
            token = new(RequestToken, RequestToken.key(token_hash), org_id=case.org_id, case_id=case.case_id)
            writes.save(token, condition=RequestToken.pk.does_not_exist())
        for item in reminders:
            writes.save(item)


def save(case: InformationRequest, reminders: Iterable[RequestReminder] = ()) -> None:
    """A change of state or a new message: conditioned on the version (two handlers at once: the
    second is told, 409), with any new reminder (an extension's new deadline)."""
    index(case)
    extra = list(reminders)
    try:
        if not extra:
            case.save()
            return
        with transaction() as writes:
            writes.save(case)  # pynamodb adds the version condition
            for item in extra:
                writes.save(item)
    except (TransactWriteError, PutError) as error:
        if is_condition_failure(error):
            raise PortalError(409, "conflict") from error
        raise


def case(org_id: str, case_id: str) -> InformationRequest:
    """One case of the organisation (one GetItem), or 404: another organisation's is never found."""
    try:
        return InformationRequest.get(*InformationRequest.key(org_id, case_id))
    except DoesNotExist:
        raise not_found() from None


def case_by_token(token_hash: str) -> InformationRequest | None:
    """The requester's case by their link: two GetItems."""
    try:
        token = RequestToken.get(*RequestToken.key(token_hash))
        found = InformationRequest.get(*InformationRequest.key(token.org_id, token.case_id))
    except DoesNotExist:
        return None
    return found if found.token_hash == token_hash else None


def forget_token(token_hash: str) -> None:
    RequestToken(*RequestToken.key(token_hash)).delete()


def page(
    org_id: str, view: str, *, limit: int, after: str | None
) -> tuple[list[InformationRequest], str | None]:
    """One page of the list: one Query on GSI1 (open "0#…", closed "1#…", all: both in that order),
    from the list sort key `after` (a cursor's) on, always in the organisation's own partition."""
    partition = InformationRequest.listing(org_id)
    start: dict[str, Any] | None = None
    if after:
        pk, sk = InformationRequest.key(org_id, after.rsplit("#", 1)[1])
        start = {"PK": {"S": pk}, "SK": {"S": sk}, "GSI1PK": {"S": partition}, "GSI1SK": {"S": after}}
    condition = None
    if view == "open":
        condition = InformationRequest.gsi1sk.startswith("0#")
    elif view == "closed":
        condition = InformationRequest.gsi1sk.startswith("1#")
    result = InformationRequest.by_gsi1.query(
        partition, range_key_condition=condition, limit=limit, last_evaluated_key=start
    )
    items = [item for item in result if isinstance(item, InformationRequest)]
    last = result.last_evaluated_key
    return items, (last["GSI1SK"]["S"] if last else None)


def summary(org_id: str, today: date) -> dict[str, int]:
    """Open, overdue (due before today) and due within 7 days: one Query of the open keys (their due
    dates only; pynamodb pages on past 1 MB)."""
    found = InformationRequest.by_gsi1.query(
        InformationRequest.listing(org_id),
        InformationRequest.gsi1sk.startswith("0#"),
        attributes_to_get=["due_on"],
    )
    due = [str(getattr(item, "due_on", "")) for item in found]
    now, week = today.isoformat(), (today + timedelta(days=6)).isoformat()
    return {
        "open": len(due),
        "overdue": sum(1 for d in due if d < now),
        "due_this_week": sum(1 for d in due if now <= d <= week),
    }


def due_soon(org_id: str, today: date) -> tuple[int, int]:
    """(overdue, due within 7 days) of the open cases: one Query on the open keys up to a week ahead."""
    week = (today + timedelta(days=6)).isoformat()
    found = InformationRequest.by_gsi1.query(
        InformationRequest.listing(org_id),
        InformationRequest.gsi1sk.between("0#", f"0#{week}~"),
        attributes_to_get=["due_on"],
    )
    due = [str(getattr(item, "due_on", "")) for item in found]
    overdue = sum(1 for d in due if d < today.isoformat())
    return overdue, len(due) - overdue


def of_year(org_id: str, year: int) -> list[InformationRequest]:
    """Every case received in the year: one Query on GSI2 (paged by pynamodb)."""
    return [i for i in InformationRequest.by_gsi2.query(InformationRequest.year(org_id, year)) if isinstance(i, InformationRequest)]  # fmt: skip


def reminders_on(day: date) -> list[RequestReminder]:
    return list(RequestReminder.query(RequestReminder.on(day.isoformat())))


def cases(keys: Iterable[tuple[str, str]]) -> list[InformationRequest]:
    wanted = [InformationRequest.key(org_id, case_id) for org_id, case_id in set(keys)]
    return list(InformationRequest.batch_get(wanted)) if wanted else []


# -- the public form's throttle ------------------------------------------------------------------
def hit(scope: str, subject: str, window: int, now: datetime) -> tuple[int, int]:
    """Count one submission in the current fixed window: (count so far, seconds until the window
    ends). One UpdateItem; the item expires with its window."""
    start = math.floor(now.timestamp() / window) * window
    item = Throttle(*Throttle.key(scope, f"{subject}#{start}"))
    item.update(
        actions=[
            Throttle.failures.add(1),
            Throttle.last_failure_at.set(now.timestamp()),
            Throttle.expires_at.set(datetime.fromtimestamp(start + 2 * window, tz=now.tzinfo)),
            Throttle.kind.set(Throttle),
        ]
    )
    return int(item.failures), max(1, int(start + window - now.timestamp() + 0.999))
