"""Opaque page cursors. A cursor carries only a sort key; the caller rebuilds the partition from the
actor, so no cursor can lead into another organisation's data."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Protocol, TypeVar

from portal.errors import invalid


class Keyed(Protocol):
    sk: str


Item = TypeVar("Item", bound=Keyed)


def encode(sort_key: str) -> str:
    return base64.urlsafe_b64encode(sort_key.encode()).decode().rstrip("=")


def decode(cursor: str) -> str:
    """The sort key, or 422 on the `cursor` field for anything that is not one of ours."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid(cursor="field.invalid") from None


def page(items: Sequence[Item], size: int) -> tuple[list[Item], str | None]:
    """A page from a query of size + 1 items: the extra one says whether there is a next page."""
    if len(items) <= size:
        return list(items), None
    return list(items[:size]), encode(items[size - 1].sk)
