"""The upload check: a file in quarantine becomes an available document only after its content
(not its name) has been verified: type by its bytes, a PDF that parses, an image that decodes, the
size, and a SHA-256 that also keeps the same file from becoming two documents."""

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
        return Outcome(key, "ignored", "already checked")  # a repeated event
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
    files.move(key, target)
    checked = {
        "sha256": verdict.sha256,
        "size": verdict.size,
        "media_type": verdict.media_type,
        "object_key": target,
    }
    if not store.accept_document(item, checked, org_id):
        files.delete(target)
        store.reject_document(item, "upload.duplicate")
        return Outcome(key, "rejected", "upload.duplicate")
    return Outcome(key, "available")
