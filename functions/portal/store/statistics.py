"""Public statistics: one GetItem on counters kept current by the writes that change them."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from portal.store.errors import mapped_errors
from portal.store.models import Statistics


def read() -> Statistics:
    pk, sk = Statistics.key()
    with mapped_errors():
        try:
            return Statistics.get(pk, sk)
        except DoesNotExist:
            return Statistics(pk, sk)  # nothing counted yet
