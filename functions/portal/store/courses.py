"""Courses and seminars: publishing, editing, registering, the waiting list and cancelling.

A seat is taken only in a transaction conditioned on seats_taken < capacity, and a member joins the
waiting list only in one conditioned on the course being full: however many members click at once, a
course is never overbooked and nobody waits for a free seat. A cancelled seat goes to the first on
the waiting list in the same transaction as the cancellation, and the seats a larger capacity adds go
to the first on the waiting list in the same transaction as the edit. A cancelled course takes no
registrations: every registration is conditioned on the course not being cancelled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from portal.clock import utcnow
from portal.errors import PortalError, conflict, not_found, unavailable
from portal.store.errors import is_condition_failure
from portal.store.models import Course, PortalItem, Registration, User, new, transaction

ATTEMPTS = 5  # a transaction that lost a race is retried on fresh data this many times
# Waiting-list members moved up in one transaction with the edit (DynamoDB takes 100 items in one);
# any further free seats are filled right after, a transaction per group of this size.
PROMOTED_AT_ONCE = 90


def course(course_id: str) -> Course:
    try:
        return Course.get(*Course.key(course_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def publish(item: Course) -> None:
    item.gsi1pk, item.gsi1sk = Course.calendar_index(item.starts_at, item.course_id)
    try:
        item.save(condition=Course.pk.does_not_exist())
    except PutError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


def upcoming(now: datetime, limit: int = 100) -> list[Course]:
    """Courses that have not started, soonest first: one Query."""
    found = Course.by_gsi1.query(
        "COURSES", PortalItem.gsi1sk >= now.isoformat(), scan_index_forward=True, limit=limit
    )
    return [c for c in cast("Iterable[Course]", found) if isinstance(c, Course)]


def calendar(now: datetime, *, past: bool, limit: int, after: str | None = None) -> list[Course]:
    """Staff's list, cancelled courses included: the upcoming soonest first, or the past most recent
    first; `after` is the calendar key of the last course of the page before. One Query."""
    start = now.isoformat()
    if past:
        condition = PortalItem.gsi1sk < min(after, start) if after else PortalItem.gsi1sk < start
    else:
        condition = PortalItem.gsi1sk > after if after else PortalItem.gsi1sk >= start
    found = Course.by_gsi1.query("COURSES", condition, scan_index_forward=not past, limit=limit)
    return [c for c in cast("Iterable[Course]", found) if isinstance(c, Course)]


def registrations_of(user_id: str) -> dict[str, Registration]:
    """A member's registrations by course: one Query."""
    found = cast("Iterable[Registration]", Registration.by_gsi1.query(f"USER#{user_id}#COURSES"))
    return {r.course_id: r for r in found}


def registration(course_id: str, user_id: str) -> Registration | None:
    try:
        return Registration.get(*Registration.key(course_id, user_id), consistent_read=True)
    except DoesNotExist:
        return None


def participants(course_id: str) -> list[Registration]:
    """Everyone registered or waiting, for IEH staff: one Query on the course's partition."""
    found = Registration.query(f"COURSE#{course_id}", Registration.sk.startswith("REGISTRATION#"))
    return list(cast("Iterable[Registration]", found))


def waiting_position(entry: Registration) -> int:
    """1 for the first in the waiting list."""
    if entry.status != "waiting" or not entry.gsi2sk:
        return 0
    return int(
        Registration.by_gsi2.count(f"COURSE#{entry.course_id}#WAITING", PortalItem.gsi2sk <= entry.gsi2sk)
    )


@dataclass(frozen=True)
class Outcome:
    entry: Registration
    created: bool


def register(course_id: str, user: User, language: str, now: datetime | None = None) -> Outcome:
    """A seat if one is free, else a place in the waiting list. Registering twice changes nothing."""
    now = now or utcnow()
    for _ in range(ATTEMPTS):
        current = course(course_id)
        if current.cancelled_at is not None:
            raise conflict("course_cancelled")
        if current.starts_at <= now:
            raise conflict("course_closed")
        existing = registration(course_id, user.user_id)
        if existing is not None:
            return Outcome(existing, created=False)
        entry = new(
            Registration,
            Registration.key(course_id, user.user_id),
            course_id=course_id,
            user_id=user.user_id,
            org_id=user.org_id,
            name=user.name,
            email=user.email,
            language=language,
            created_at=now,
        )
        entry.gsi1pk, entry.gsi1sk = Registration.user_index(user.user_id, course_id)
        seat_free = current.seats_taken < current.capacity
        if seat_free:
            entry.status = "registered"
            change: list[Action] = [Course.seats_taken.add(1)]
            condition = Course.seats_taken < Course.capacity
        else:
            entry.status = "waiting"
            entry.gsi2pk, entry.gsi2sk = Registration.waiting_index(course_id, now, user.user_id)
            change = [Course.waiting.add(1)]
            condition = Course.seats_taken >= Course.capacity
        condition &= Course.cancelled_at.does_not_exist()
        try:
            with transaction() as writes:
                writes.save(entry, condition=Registration.pk.does_not_exist())
                writes.update(current, actions=change, condition=condition)
            return Outcome(entry, created=True)
        except TransactWriteError as error:
            if not is_condition_failure(error):
                raise
            # Lost a race (the last seat went, a seat came free, or a double click): look again.
    raise unavailable()


def cancel(course_id: str, user_id: str) -> Registration | None:
    """Leave the course or its waiting list. Returns whoever got the freed seat, if anyone."""
    for _ in range(ATTEMPTS):
        entry = registration(course_id, user_id)
        if entry is None:
            raise not_found()
        current = Course(*Course.key(course_id))
        if entry.status == "waiting":
            try:
                with transaction() as writes:
                    writes.delete(entry, condition=Registration.status == "waiting")
                    writes.update(current, actions=[Course.waiting.add(-1)])
                return None
            except TransactWriteError as error:
                if not is_condition_failure(error):
                    raise
                continue
        first = _first_waiting(course_id)
        try:
            with transaction() as writes:
                writes.delete(entry, condition=Registration.status == "registered")
                if first is None:
                    # Only while nobody waits: else the seat would stay free with people waiting.
                    writes.update(
                        current, actions=[Course.seats_taken.add(-1)], condition=Course.waiting == 0
                    )
                else:
                    writes.update(
                        first,
                        actions=[
                            Registration.status.set("registered"),
                            Registration.gsi2pk.remove(),
                            Registration.gsi2sk.remove(),
                        ],
                        condition=Registration.status == "waiting",
                    )
                    writes.update(current, actions=[Course.waiting.add(-1)])
        except TransactWriteError as error:
            if not is_condition_failure(error):
                raise
            continue  # the waiting list or my registration changed meanwhile: look again
        if first is not None:
            first.status = "registered"
        return first
    raise unavailable()


def _first_waiting(course_id: str) -> Registration | None:
    first = _waiting_list(course_id, 1)
    return first[0] if first else None


def _waiting_list(course_id: str, count: int) -> list[Registration]:
    """The first `count` on the waiting list, first come first served: one Query on GSI2 (which holds
    the keys; each is read again, consistently, by the transaction that moves it up)."""
    found = Registration.by_gsi2.query(f"COURSE#{course_id}#WAITING", scan_index_forward=True, limit=count)
    return list(cast("Iterable[Registration]", found))[:count]


def _revision_is(revision: int) -> Any:
    # Courses published before edits existed carry no revision: theirs is 0.
    if revision:
        return Course.revision == revision
    return Course.revision.does_not_exist() | (Course.revision == 0)


def _promote(writes: Any, entries: list[Registration]) -> None:
    for entry in entries:
        writes.update(
            entry,
            actions=[
                Registration.status.set("registered"),
                Registration.gsi2pk.remove(),
                Registration.gsi2sk.remove(),
            ],
            condition=Registration.status == "waiting",
        )
        entry.status = "registered"


@dataclass(frozen=True)
class Edited:
    before: Course
    course: Course
    promoted: list[Registration]  # moved up from the waiting list by a larger capacity


EDITABLE = ("title_nb", "title_en", "description_nb", "description_en", "starts_at", "location", "capacity")


def edit(
    course_id: str, fields: dict[str, Any], revision: int, check: Callable[[Course], None] = lambda _: None
) -> Edited:
    """Staff's edit, conditioned on the revision they read (409 "conflict" when someone else saved
    meanwhile); `check` may refuse it on the stored course. A capacity below the seats already taken
    is refused; a larger one moves the first on the waiting list up, in the same transaction. Costs
    a GetItem, a Query when people wait, and the transaction."""
    for _ in range(ATTEMPTS):
        current = course(course_id)
        check(current)
        if current.cancelled_at is not None:
            raise conflict("course_cancelled")
        if int(current.revision or 0) != revision:
            raise conflict()
        taken, waiting, capacity = int(current.seats_taken), int(current.waiting), int(fields["capacity"])
        if capacity < taken:
            raise PortalError(
                422,
                "validation_error",
                fields={"capacity": "field.below_seats_taken"},
                params={"taken": taken},
            )
        moving = _waiting_list(course_id, min(waiting, capacity - taken, PROMOTED_AT_ONCE)) if waiting else []
        after = Course.from_raw_data(current.to_dynamodb_dict())
        for name in EDITABLE:
            setattr(after, name, fields[name])
        after.gsi1pk, after.gsi1sk = Course.calendar_index(after.starts_at, course_id)
        after.revision, after.seats_taken, after.waiting = (
            revision + 1,
            taken + len(moving),
            waiting - len(moving),
        )
        actions: list[Action] = [
            getattr(Course, name).set(fields[name])
            for name in EDITABLE
            if fields[name] != getattr(current, name)
        ]
        if after.gsi1sk != current.gsi1sk:
            actions.append(PortalItem.gsi1sk.set(after.gsi1sk))
        actions.append(Course.revision.set(revision + 1))
        if moving:
            actions += [Course.seats_taken.add(len(moving)), Course.waiting.add(-len(moving))]
        # Counted on the numbers read: a registration in between means reading them again.
        condition = _revision_is(revision) & (Course.seats_taken == taken) & (Course.waiting == waiting)
        condition &= Course.cancelled_at.does_not_exist()
        try:
            with transaction() as writes:
                writes.update(current, actions=actions, condition=condition)
                _promote(writes, moving)
        except TransactWriteError as error:
            if not is_condition_failure(error):
                raise
            continue
        if len(moving) < PROMOTED_AT_ONCE:
            return Edited(current, after, moving)
        more = fill_free_seats(course_id)  # more seats and more people waiting than one transaction takes
        return Edited(current, course(course_id), moving + more)
    raise unavailable()


def fill_free_seats(course_id: str) -> list[Registration]:
    """Free seats go to the waiting list, in order, until none is free or nobody waits."""
    promoted: list[Registration] = []
    for _ in range(ATTEMPTS * 100):
        current = course(course_id)
        taken, waiting = int(current.seats_taken), int(current.waiting)
        free = int(current.capacity) - taken
        if current.cancelled_at is not None or free <= 0 or waiting <= 0:
            return promoted
        moving = _waiting_list(course_id, min(waiting, free, PROMOTED_AT_ONCE))
        condition = (
            (Course.seats_taken == taken) & (Course.waiting == waiting) & Course.cancelled_at.does_not_exist()
        )
        try:
            with transaction() as writes:
                writes.update(
                    current,
                    actions=[Course.seats_taken.add(len(moving)), Course.waiting.add(-len(moving))],
                    condition=condition,
                )
                _promote(writes, moving)
        except TransactWriteError as error:
            if not is_condition_failure(error):
                raise
            continue
        promoted += moving
    return promoted


def cancel_course(course_id: str, now: datetime) -> Course:
    """Cancelled once and for good: registration closes, and open edit forms meet a new revision."""
    current = course(course_id)
    if current.cancelled_at is not None:
        raise conflict("course_cancelled")
    try:
        current.update(
            actions=[Course.cancelled_at.set(now), Course.revision.set(int(current.revision or 0) + 1)],
            condition=Course.cancelled_at.does_not_exist(),
        )
    except UpdateError as error:
        if is_condition_failure(error):
            raise conflict("course_cancelled") from error
        raise
    return current
