"""The one clock: aware UTC now, for every layer (the store stamps items with it, sessions expire by it)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
