"""Members-only documents (guides, templates, reports) in one partition of their own."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist

from portal.store.models import Resource


def resources() -> list[Resource]:
    """Every members-only document: one Query."""
    partition, prefix = Resource.listing()
    return list(Resource.query(partition, Resource.sk.startswith(prefix)))


def resource(resource_id: str) -> Resource | None:
    try:
        return Resource.get(*Resource.key(resource_id))
    except DoesNotExist:
        return None
