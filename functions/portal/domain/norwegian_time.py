"""Times as people in Norway read them: Central European Time, and summer time as the EU sets it
(from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October).

The rule is written out rather than read from a time-zone database, which a Lambda runtime need not
carry; e-mails and spreadsheets give course times in Norwegian time with it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

WINTER, SUMMER = timedelta(hours=1), timedelta(hours=2)


def _last_sunday(year: int, month: int) -> datetime:
    first_of_next = datetime(year + (month == 12), month % 12 + 1, 1, 1, tzinfo=UTC)  # 01:00 UTC
    last_day = first_of_next - timedelta(days=1)
    return last_day - timedelta(days=(last_day.weekday() + 1) % 7)


def offset(moment: datetime) -> timedelta:
    """How far Norwegian time is ahead of UTC at that moment."""
    instant = moment.astimezone(UTC)
    summer = _last_sunday(instant.year, 3) <= instant < _last_sunday(instant.year, 10)
    return SUMMER if summer else WINTER


def local(moment: datetime) -> datetime:
    """The wall-clock time in Norway (naive: what a spreadsheet cell shows)."""
    instant = moment.astimezone(UTC)
    return (instant + offset(instant)).replace(tzinfo=None)
