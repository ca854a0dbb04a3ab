"""A producer's own data in its partition: profile, sites, SAQ drafts and versions, audits,
findings with their corrective actions, and documents. Every key starts from the producer's org id,
so nothing here can reach another organisation's items."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from pynamodb.exceptions import DoesNotExist, PutError, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action

from portal.errors import conflict, not_found
from portal.store.errors import is_condition_failure
from portal.store.models import (
    ActionComment,
    ActionEvent,
    Audit,
    AuditCorrection,
    AuditSeen,
    Document,
    DocumentHash,
    Finding,
    Organisation,
    PortalItem,
    SaqDraft,
    SaqVersion,
    Site,
    transaction,
    utcnow,
)


# -- profile and sites ---------------------------------------------------------------------------
def organisation(org_id: str) -> Organisation:
    try:
        return Organisation.get(*Organisation.key(org_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def save_profile(org: Organisation, expected_version: int) -> bool:
    """False when the stored profile is not the version the editor started from."""
    if org.version != expected_version:
        return False
    try:
        org.save()  # VersionAttribute: the condition that nobody saved in between
    except PutError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def sites(org_id: str) -> list[Site]:
    partition, prefix = Site.of_org(org_id)
    found = Site.query(partition, Site.sk.startswith(prefix))
    return [s for s in cast("Iterable[Site]", found) if isinstance(s, Site)]


def site(org_id: str, site_id: str) -> Site:
    try:
        return Site.get(*Site.key(org_id, site_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


# -- SAQ ---------------------------------------------------------------------------------------------
def saq_items(org_id: str, site_id: str) -> tuple[SaqDraft | None, list[SaqVersion]]:
    """The draft and the submitted versions (newest first): one Query."""
    found = PortalItem.query(
        f"ORG#{org_id}", PortalItem.sk.startswith(f"SAQ#{site_id}#"), consistent_read=True
    )
    draft, versions = None, []
    for item in found:
        if isinstance(item, SaqDraft):
            draft = item
        elif isinstance(item, SaqVersion):
            versions.append(item)
    versions.sort(key=lambda v: -int(v.number))
    return draft, versions


def latest_saq_version(org_id: str, site_id: str) -> SaqVersion | None:
    """The site's last submitted SAQ, or None: one Query of one item, newest first."""
    partition, prefix = SaqVersion.of_site(org_id, site_id)
    found = SaqVersion.query(partition, SaqVersion.sk.startswith(prefix), scan_index_forward=False, limit=1)
    return next(iter(found), None)


def saq_version(org_id: str, site_id: str, number: int) -> SaqVersion:
    try:
        return SaqVersion.get(*SaqVersion.key(org_id, site_id, number))
    except DoesNotExist:
        raise not_found() from None


def save_draft(draft: SaqDraft, expected_version: int | None, summary: list[Action]) -> None:
    """The draft (versioned) and the site's SAQ summary, in one transaction. With no expected
    version the draft must be new; pynamodb's VersionAttribute writes the condition either way."""
    if expected_version is not None:
        draft.version = expected_version
    owner = Site(draft.pk, f"SITE#{draft.site_id}")
    try:
        with transaction() as writes:
            writes.save(draft)
            writes.update(owner, actions=summary, condition=Site.pk.exists())
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


def submit_saq(
    org_id: str,
    site: Site,
    draft: SaqDraft,
    expected_version: int,
    submitted_by: str,
    now: datetime,
    scored: Any,
) -> SaqVersion:
    """An immutable version, the site's count and score, the platform's risk counts, the customers'
    views, and the proof that the draft was the one the producer saw, in one transaction: nothing
    half-written, no version submitted twice. `scored` is portal.usecases.risk_scores.Scored."""
    number = int(site.saq_versions) + 1
    version = SaqVersion(
        *SaqVersion.key(org_id, site.site_id, number),
        site_id=site.site_id,
        number=number,
        questionnaire_version=draft.questionnaire_version,
        answers=draft.answers,
        submitted_at=now,
        submitted_by=submitted_by,
        created_at=now,
    )
    try:
        with transaction() as writes:
            writes.save(version, condition=SaqVersion.pk.does_not_exist())
            writes.update(
                site,
                actions=[Site.saq_versions.set(number), Site.saq_submitted_at.set(now), *scored.actions],
                condition=(Site.saq_versions == number - 1) & scored.condition,
            )
            writes.condition_check(
                SaqDraft, draft.pk, draft.sk, condition=SaqDraft.version == expected_version
            )
            scored.write(writes)
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise
    return version


# -- audits, findings, documents --------------------------------------------------------------------
def audit_tree(org_id: str, audit_id: str | None = None) -> list[PortalItem]:
    """One audit with its findings, action history and documents — or every audit: one Query."""
    prefix = f"AUDIT#{audit_id}" if audit_id else "AUDIT#"
    found = PortalItem.query(f"ORG#{org_id}", PortalItem.sk.startswith(prefix), consistent_read=True)
    # The prefix of one id is also the prefix of longer ids: keep only the audit that was asked for.
    return [item for item in found if audit_id is None or getattr(item, "audit_id", None) == audit_id]


def create_audit(audit: Audit, document: Document) -> bool:
    """False when an audit with this id is already there (a retried request)."""
    try:
        with transaction() as writes:
            writes.save(audit, condition=Audit.pk.does_not_exist())
            writes.save(document, condition=Document.pk.does_not_exist())
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def create_document(document: Document) -> bool:
    try:
        document.save(condition=Document.pk.does_not_exist())
    except PutError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def audit(org_id: str, audit_id: str) -> Audit:
    try:
        return Audit.get(*Audit.key(org_id, audit_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def set_open_ncs(org_id: str, site_id: str, count: int) -> None:
    """A site's count of non-conformities not closed (the buyer's supplier list shows it)."""
    Site(*Site.key(org_id, site_id)).update(actions=[Site.open_ncs.set(count)], condition=Site.sk.exists())


def create_finding(item: Finding) -> None:
    """A new finding (its id is new: the condition only guards against a clash)."""
    item.save(condition=Finding.pk.does_not_exist())


def finding(org_id: str, audit_id: str, finding_id: str) -> Finding:
    try:
        return Finding.get(*Finding.key(org_id, audit_id, finding_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def document(org_id: str, audit_id: str, finding_id: str | None, document_id: str) -> Document:
    try:
        return Document.get(*Document.key(org_id, audit_id, finding_id, document_id), consistent_read=True)
    except DoesNotExist:
        raise not_found() from None


def document_by_id(org_id: str, document_id: str) -> Document | None:
    """The owning organisation's document with this id. The index entry is keyed by both, so a
    document of the same id in another organisation can never answer for (or hide) this one."""
    pk, sk = Document.id_index(document_id, org_id)
    for item in Document.by_gsi1.query(pk, PortalItem.gsi1sk == sk, limit=1):
        return cast("Document", item)
    return None


def change_action(
    item: Finding,
    expected_version: int,
    by: str,
    from_status: str | None,
    event: dict[str, str | None] | None = None,
) -> None:
    """The action (versioned) and, when its status moves, the history entry (with `event`: the
    verifier's organisation and reason): one transaction."""
    if item.version != expected_version:
        raise conflict()
    now = utcnow()
    try:
        with transaction() as writes:
            writes.save(item)  # VersionAttribute adds the condition on the version
            if item.status != from_status:
                org_id = item.pk.removeprefix("ORG#")
                entry = ActionEvent(
                    *ActionEvent.key(org_id, item.audit_id, item.finding_id, now),
                    audit_id=item.audit_id,
                    finding_id=item.finding_id,
                    from_status=from_status,
                    to_status=item.status,
                    by=by,
                    created_at=now,
                )
                for name, value in (event or {}).items():
                    setattr(entry, name, value)
                writes.save(entry, condition=ActionEvent.pk.does_not_exist())
    except TransactWriteError as error:
        if is_condition_failure(error):
            raise conflict() from error
        raise


def add_comment(item: ActionComment) -> None:
    item.save(condition=ActionComment.pk.does_not_exist())


def closed_without_verification() -> list[tuple[str, Finding]]:
    """Every closed action with no verification, in any organisation: the one-off migration's Scan
    (run at deployment and by the local stack's start, never on a request), with their owners."""
    found = Finding.scan(
        (Finding.status == "closed") & Finding.verification.does_not_exist(), consistent_read=True
    )
    return [(item.pk.removeprefix("ORG#"), item) for item in found if isinstance(item, Finding)]


def accept_document(item: Document, checked: dict[str, Any], org_id: str) -> bool:
    """Available, with its checksum claimed in the organisation: False when the same content is
    already there (the same file uploaded twice makes one document)."""
    claim = DocumentHash(*DocumentHash.key(org_id, checked["sha256"]), document_id=item.document_id)
    try:
        with transaction() as writes:
            writes.save(claim, condition=DocumentHash.pk.does_not_exist())
            writes.update(
                item,
                actions=[
                    Document.status.set("available"),
                    Document.sha256.set(checked["sha256"]),
                    Document.size_bytes.set(checked["size"]),
                    Document.media_type.set(checked["media_type"]),
                    Document.object_key.set(checked["object_key"]),
                    Document.object_version.set(checked["object_version"]),
                    Document.checked_at.set(utcnow()),
                ],
                condition=Document.status == "uploading",
            )
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def reject_document(item: Document, reason: str) -> None:
    try:
        item.update(
            actions=[
                Document.status.set("rejected"),
                Document.reason.set(reason),
                Document.checked_at.set(utcnow()),
            ],
            condition=Document.status == "uploading",
        )
    except UpdateError as error:
        if not is_condition_failure(error):
            raise


# -- what a customer has seen, corrections, deletion, a replaced report ------------------------------
def mark_seen(org_id: str, audit_id: str, buyer_id: str) -> None:
    """Mark the audit as seen by a customer, once: a later mark changes nothing."""
    try:
        AuditSeen(*AuditSeen.key(org_id, audit_id), audit_id=audit_id, buyer_id=buyer_id).save(
            condition=AuditSeen.pk.does_not_exist()
        )
    except PutError as error:
        if not is_condition_failure(error):
            raise


def _unseen(org_id: str, audit_id: str) -> tuple[type[AuditSeen], str, str, Any]:
    pk, sk = AuditSeen.key(org_id, audit_id)
    return AuditSeen, pk, sk, AuditSeen.pk.does_not_exist()


def correct_audit(item: Audit, correction: AuditCorrection | None) -> bool:
    """Save the corrected record (versioned). Without a correction, only while no customer has seen
    the audit; with one (the history of a correction after that), in the same transaction. False
    when the condition fails: someone saved in between, or a customer has just seen it."""
    org_id = item.pk.removeprefix("ORG#")
    try:
        with transaction() as writes:
            writes.save(item)  # VersionAttribute: nobody saved in between
            if correction is None:
                model, pk, sk, unseen = _unseen(org_id, item.audit_id)
                writes.condition_check(model, pk, sk, condition=unseen)
            else:
                writes.save(correction, condition=AuditCorrection.pk.does_not_exist())
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


# A transaction holds at most 100 items: the audit, the check that no customer has seen it, and its
# own items; a larger audit's remaining items go after, once the audit itself is gone.
_DELETE_AT_ONCE = 98


def delete_audit(audit: Audit, items: list[PortalItem], expected_version: int) -> bool:
    """Delete the audit with its findings, history, documents and their content claims, while no
    customer has seen it: False when one has (or the audit changed since it was read)."""
    org_id = audit.pk.removeprefix("ORG#")
    claims = [
        DocumentHash(*DocumentHash.key(org_id, d.sha256))
        for d in items
        if isinstance(d, Document) and d.sha256
    ]
    rest = [i for i in items if not isinstance(i, Audit)] + claims
    first, later = rest[:_DELETE_AT_ONCE], rest[_DELETE_AT_ONCE:]
    try:
        with transaction() as writes:
            writes.delete(audit, condition=Audit.version == expected_version, add_version_condition=False)
            model, pk, sk, unseen = _unseen(org_id, audit.audit_id)
            writes.condition_check(model, pk, sk, condition=unseen)
            for item in first:
                writes.delete(item, add_version_condition=False)
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    with PortalItem.batch_write() as batch:
        for item in later:
            batch.delete(item)
    return True


def replace_report(audit: Audit, rejected: Document, report: Document) -> bool:
    """The new report in place of a rejected one: False when the old one is no longer rejected (a
    replacement is already there) or the audit changed."""
    try:
        with transaction() as writes:
            writes.save(report, condition=Document.pk.does_not_exist())
            writes.delete(rejected, condition=Document.status == "rejected")
            writes.update(audit, actions=[Audit.document_id.set(report.document_id)])
    except TransactWriteError as error:
        if is_condition_failure(error):
            return False
        raise
    return True
