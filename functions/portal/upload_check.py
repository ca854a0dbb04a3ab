"""The upload check: a file in quarantine becomes an available document only after its content
(not its name) has been verified: type by its bytes, a PDF that parses, an image that decodes, the
size, and a SHA-256 that also keeps the same file from becoming two documents.

Each step can be repeated: the event is delivered again if the function fails (Lambda retries an
asynchronous invocation), so a crash between any two steps ends, on the next delivery, where an
uninterrupted run would have: the checked copy is written before the document says "available",
and the quarantined original is removed only after that."""

from __future__ import annotations

from dataclasses import dataclass

from portal import files
from portal.domain import filecheck
from portal.errors import PortalError
from portal.store import producers as store


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str  # available | rejected | ignored
    reason: str | None = None


def check_object(key: str) -> Outcome:
    parts = key.split("/")
    if len(parts) != 5 or parts[0] != "quarantine":
        return Outcome(key, "ignored", "not a quarantine upload")
    _, org_id, audit_id, finding, document_id = parts
    finding_id = None if finding == "-" else finding
    try:
        item = store.document(org_id, audit_id, finding_id, document_id)
    except PortalError:
        files.delete(key)  # nobody asked for this upload: do not keep it
        return Outcome(key, "ignored", "no such document")
    if item.status != "uploading":
        files.delete(key)  # a repeated event, perhaps after a crash before the clean-up
        return Outcome(key, "ignored", "already checked")
    body = files.open_object(key)
    try:
        verdict = filecheck.check(body, int(item.declared_size), item.purpose)
    finally:
        body.close()
    if not verdict.ok:
        store.reject_document(item, verdict.reason or "upload.unreadable")
        files.delete(key)
        return Outcome(key, "rejected", verdict.reason)
    target = f"documents/{org_id}/{audit_id}/{document_id}"
    files.copy(key, target)
    checked = {
        "sha256": verdict.sha256,
        "size": verdict.size,
        "media_type": verdict.media_type,
        "object_key": target,
    }
    if not store.accept_document(item, checked, org_id):
        files.delete(target)
        store.reject_document(item, "upload.duplicate")
        files.delete(key)
        return Outcome(key, "rejected", "upload.duplicate")
    files.delete(key)
    return Outcome(key, "available")
