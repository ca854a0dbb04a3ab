"""Courses and seminars: publishing, registering, the waiting list and cancelling.

A seat is taken only in a transaction conditioned on seats_taken < capacity, and a member joins the
waiting list only in one conditioned on the course being full: however many members click at once, a
course is never overbooked and nobody waits for a free seat. A cancelled seat goes to the first on
the waiting list in the same transaction as the cancellation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError
from pynamodb.expressions.update import Action

from portal.clock import utcnow
from portal.errors import conflict, not_found, unavailable
from portal.store.errors import is_condition_failure
from portal.store.models import Course, PortalItem, Registration, User, new, transaction

ATTEMPTS = 5  # a transaction that lost a race is retried on fresh data this many times


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
    found = Registration.by_gsi2.query(f"COURSE#{course_id}#WAITING", scan_index_forward=True, limit=1)
    for entry in cast("Iterable[Registration]", found):
        return entry
    return None
