"""The single DynamoDB table: one base model, a discriminator, and one subclass per kind of item.

Keys are built by the classmethods of each kind (never by hand elsewhere), so they cannot drift.
Table layout (template.yaml): PK/SK, GSI1 (GSI1PK/GSI1SK), GSI2 (GSI2PK/GSI2SK), TTL on expires_at.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model


def utcnow() -> datetime:
    return datetime.now(UTC)


class Gsi1(GlobalSecondaryIndex["PortalItem"]):
    class Meta:
        index_name = "GSI1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(range_key=True, attr_name="GSI1SK")


class Gsi2(GlobalSecondaryIndex["PortalItem"]):
    class Meta:
        index_name = "GSI2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(range_key=True, attr_name="GSI2SK")


class PortalItem(Model):
    class Meta:
        table_name = "unbound"  # set by portal.store.bind()
        region = "eu-north-1"

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    sk = UnicodeAttribute(range_key=True, attr_name="SK")
    kind = DiscriminatorAttribute(attr_name="kind")
    gsi1pk = UnicodeAttribute(null=True, attr_name="GSI1PK")
    gsi1sk = UnicodeAttribute(null=True, attr_name="GSI1SK")
    gsi2pk = UnicodeAttribute(null=True, attr_name="GSI2PK")
    gsi2sk = UnicodeAttribute(null=True, attr_name="GSI2SK")
    created_at = UTCDateTimeAttribute(default=utcnow)

    by_gsi1 = Gsi1()
    by_gsi2 = Gsi2()


class Statistics(PortalItem, discriminator="statistics"):
    """Public counters, updated in the same transactions as the data they count."""

    members = NumberAttribute(default=0)
    producers = NumberAttribute(default=0)
    sites = NumberAttribute(default=0)
    countries = NumberAttribute(default=0)
    updated_at = UTCDateTimeAttribute(null=True)

    @staticmethod
    def key() -> tuple[str, str]:
        return "STATS", "GLOBAL"


class CountrySites(PortalItem, discriminator="country_sites"):
    """Sites per country: the first site in a country adds one to the public country count."""

    country = UnicodeAttribute()
    sites = NumberAttribute(default=0)

    @staticmethod
    def key(country: str) -> tuple[str, str]:
        return "STATS", f"COUNTRY#{country}"


class MembershipApplication(PortalItem, discriminator="membership_application"):
    """An application from the public form. The key is the browser's submission id, so a
    double click or a retried request stores one application."""

    application_id = UnicodeAttribute()
    status = UnicodeAttribute(default="received")
    organisation_name = UnicodeAttribute()
    organisation_number = UnicodeAttribute()
    category = UnicodeAttribute()
    annual_turnover_nok = NumberAttribute(null=True)
    inhabitants = NumberAttribute(null=True)
    contact_name = UnicodeAttribute()
    email = UnicodeAttribute()
    phone = UnicodeAttribute(null=True)
    message = UnicodeAttribute(null=True)
    consent = BooleanAttribute()
    language = UnicodeAttribute()
    fee = JSONAttribute()
    content_hash = UnicodeAttribute()
    version = VersionAttribute()

    @staticmethod
    def key(application_id: str) -> tuple[str, str]:
        return f"APPLICATION#{application_id}", "APPLICATION"

    @staticmethod
    def status_index(status: str, created_at: datetime) -> tuple[str, str]:
        """GSI1: IEH staff list applications by status, newest first."""
        return f"APPLICATIONS#{status}", created_at.isoformat()


class Organisation(PortalItem, discriminator="organisation"):
    """A member organisation: a buyer, a producer, or both."""

    org_id = UnicodeAttribute()
    name = UnicodeAttribute()
    organisation_number = UnicodeAttribute(null=True)
    org_type = UnicodeAttribute()  # buyer | producer | both
    country = UnicodeAttribute()
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", "PROFILE"

    @property
    def is_producer(self) -> bool:
        return self.org_type in ("producer", "both")


class Site(PortalItem, discriminator="site"):
    """A producer's site of employment, in the producer's partition."""

    site_id = UnicodeAttribute()
    org_id = UnicodeAttribute()
    name = UnicodeAttribute()
    country = UnicodeAttribute()
    version = VersionAttribute()

    @staticmethod
    def key(org_id: str, site_id: str) -> tuple[str, str]:
        return f"ORG#{org_id}", f"SITE#{site_id}"


class Marker(PortalItem, discriminator="marker"):
    """A fact about the table itself, e.g. which demo world version it holds."""

    @staticmethod
    def key(name: str) -> tuple[str, str]:
        return "MARKER", name


def all_models() -> list[type[PortalItem]]:
    """The base model and every kind: each caches its own connection."""
    found: list[type[PortalItem]] = [PortalItem]
    for model in found:
        found.extend(model.__subclasses__())
    return found


def new(model: type[Any], key: tuple[str, str], **attributes: Any) -> Any:
    """An item of `model` at `key` (the kind's own key function), created now."""
    pk, sk = key
    return model(pk, sk, **attributes)
