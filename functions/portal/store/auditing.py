"""Audit companies and their invitations to producers' sites; the producer's remarks on their audits.

An invitation lives in the company's partition (one GetItem decides what its auditors may reach)
and in the producer's GSI1 partition (its list). Nothing here is keyed so that one company could
reach another's invitations, or a producer another producer's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from pynamodb.exceptions import DoesNotExist, PutError

from portal.errors import conflict
from portal.store.errors import is_condition_failure
from portal.store.models import AuditInvitation, AuditRemark, Organisation, PortalItem, transaction


# -- audit companies -------------------------------------------------------------------------------
def create_company(org: Organisation) -> None:
    """A new audit company: not a member, so no public counter changes."""
    org.gsi1pk, org.gsi1sk = Organisation.audit_company_index(org.name, org.org_id)
    with transaction() as writes:
        writes.save(org, condition=Organisation.pk.does_not_exist())


def companies() -> list[Organisation]:
    """Every approved audit company, by name: one Query on their GSI1 partition."""
    found = Organisation.by_gsi1.query(Organisation.audit_companies())
    return [o for o in cast("Iterable[Organisation]", found) if isinstance(o, Organisation)]


# -- invitations -----------------------------------------------------------------------------------
def invitation(company_id: str, site_id: str) -> AuditInvitation | None:
    """The company's invitation for the site (one consistent GetItem), or None."""
    try:
        return AuditInvitation.get(*AuditInvitation.key(company_id, site_id), consistent_read=True)
    except DoesNotExist:
        return None


def company_invitations(company_id: str) -> list[AuditInvitation]:
    """Every invitation the company has had: one Query on its partition."""
    partition, prefix = AuditInvitation.of_company(company_id)
    found = AuditInvitation.query(partition, AuditInvitation.sk.startswith(prefix), consistent_read=True)
    return [i for i in cast("Iterable[AuditInvitation]", found) if isinstance(i, AuditInvitation)]


def producer_invitations(producer_id: str) -> list[AuditInvitation]:
    """Every invitation the producer has sent: one Query on its GSI1 partition."""
    found = AuditInvitation.by_gsi1.query(AuditInvitation.producer_list(producer_id))
    return [i for i in cast("Iterable[AuditInvitation]", found) if isinstance(i, AuditInvitation)]


def save_invitation(item: AuditInvitation, expected_version: int | None) -> None:
    """A new invitation (expected_version None: none there yet) or a change to the stored one, on
    the version that was read: two decisions at once cannot both win (409)."""
    item.gsi1pk, item.gsi1sk = AuditInvitation.producer_index(item.producer_id, item.site_id, item.company_id)
    try:
        if expected_version is None:
            item.save(condition=AuditInvitation.pk.does_not_exist())
        else:
            item.version = expected_version
            item.save()  # VersionAttribute: the condition that nobody changed it in between
    except PutError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


# -- remarks on audits -----------------------------------------------------------------------------
def add_remark(remark: AuditRemark) -> None:
    """A remark is written once (its id is new: the condition only guards against a clash)."""
    remark.save(condition=PortalItem.pk.does_not_exist())
