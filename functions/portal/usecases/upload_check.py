"""The upload check: a file in quarantine becomes an available document only after its content
(not its name) has been verified: type by its bytes, a PDF that parses, an image that decodes, the
size, and a SHA-256 that also keeps the same file from becoming two documents.

Each step can be repeated: the event is delivered again if the function fails (Lambda retries an
asynchronous invocation), so a crash between any two steps ends, on the next delivery, where an
uninterrupted run would have: the checked copy is written before the document says "available",
and the quarantined original is removed only after that.

What becomes available is exactly what was checked. The upload form can be used again until it
expires, so another file may land at the same quarantine key while one is being checked: the check
reads one version of the object (the event's, or the one its read returned), copies that version by
its id to a key no form can write (Document.checked_key), compares the SHA-256 S3 computed over the
copy with the one it checked, and the document names the copy's version. Once a document is no
longer "uploading", later uploads to its form change nothing: their events are ignored."""

from __future__ import annotations

from dataclasses import dataclass

from portal import uploads
from portal.adapters import files
from portal.errors import PortalError
from portal.store import producers as producer_store
from portal.store.models import Document


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str  # available | rejected | ignored
    reason: str | None = None


class ChangedWhileCopiedError(RuntimeError):
    """The copy's checksum is not the checked one: nothing becomes available; Lambda tries again."""


def check_object(key: str, version_id: str | None = None) -> Outcome:
    """Check the upload at `key` (the version the event names, else the current one)."""
    parts = key.split("/")
    if len(parts) != 5 or parts[0] != "quarantine":
        return Outcome(key, "ignored", "not a quarantine upload")
    _, org_id, audit_id, finding, document_id = parts
    finding_id = None if finding == "-" else finding
    try:
        item = producer_store.document(org_id, audit_id, finding_id, document_id)
    except PortalError:
        files.delete(key, version_id)  # nobody asked for this upload: do not keep it
        return Outcome(key, "ignored", "no such document")
    if item.status != "uploading":
        # A repeated event (perhaps after a crash before the clean-up), or the form used again
        # after the check: the document stays as it was checked.
        files.delete(key, version_id)
        return Outcome(key, "ignored", "already checked")
    body, version_id = files.open_version(key, version_id)
    if version_id is None:
        raise RuntimeError("the reports bucket must be versioned: the check pins what it read")
    try:
        verdict = uploads.check(body, int(item.declared_size), item.purpose)
    finally:
        body.close()
    if not verdict.ok:
        producer_store.reject_document(item, verdict.reason or "upload.unreadable")
        files.delete(key, version_id)
        return Outcome(key, "rejected", verdict.reason)
    target = Document.checked_key(org_id, audit_id, document_id)
    copied = files.copy(key, target, version_id)
    if copied.version_id is None or copied.sha256 != verdict.sha256:
        if copied.version_id is not None:
            files.delete(target, copied.version_id)
        raise ChangedWhileCopiedError(key)
    checked = {
        "sha256": verdict.sha256,
        "size": verdict.size,
        "media_type": verdict.media_type,
        "object_key": target,
        "object_version": copied.version_id,
    }
    if not producer_store.accept_document(item, checked, org_id):
        files.delete(target, copied.version_id)  # only this run's copy: never the one a document names
        if producer_store.document(org_id, audit_id, finding_id, document_id).status != "uploading":
            files.delete(key, version_id)
            return Outcome(key, "ignored", "already checked")  # another delivery got there first
        producer_store.reject_document(item, "upload.duplicate")
        files.delete(key, version_id)
        return Outcome(key, "rejected", "upload.duplicate")
    files.delete(key, version_id)
    return Outcome(key, "available")
