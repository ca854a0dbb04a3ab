"""The reports bucket: presigned links for downloads and uploads, and moving checked files.

Presigning needs no call to S3 (the link is signed locally). A presigned POST can be used again
until it expires, so the bytes at a quarantine key may change while they are checked: the check reads
one version of the object and copies that same version (the bucket is versioned), and a download
names the checked copy's version. (The local stand-in for S3 enforces the form's policy as S3 does:
infra/local/s3_post.py.)
"""

from __future__ import annotations

import base64
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from portal.settings import SettingsError, current

DOWNLOAD_SECONDS = 60  # long enough to start a download, too short to pass around
UPLOAD_SECONDS = 600  # a 25 MB upload on a slow line


def s3_client() -> Any:
    return _s3_client(os.environ.get("AWS_ENDPOINT_URL"), current().region)


@cache
def _s3_client(endpoint: str | None, region: str) -> Any:
    """One client per process and endpoint (tests and the local stack may each run their own S3)."""
    import boto3  # 16 ms at import: a function pays for it with its first S3 call, not at cold start
    from botocore.config import Config

    return boto3.client(
        "s3",
        region_name=region,
        endpoint_url=endpoint,
        # moto wants path-style addressing; AWS takes virtual-hosted style
        config=Config(signature_version="s3v4", s3={"addressing_style": "path" if endpoint else "virtual"}),
    )


def _bucket() -> str:
    bucket = current().reports_bucket
    if not bucket:
        raise SettingsError("REPORTS_BUCKET is not set")
    return bucket


def safe_file_name(file_name: str) -> str:
    """The uploaded name as a download may carry it (the producer's text, never a path or a header):
    its last path segment (a backslash or a look-alike of a slash separates one too), with control
    and separator characters, quotes, percent signs and semicolons made underscores."""
    name = unicodedata.normalize("NFC", file_name)
    name = re.sub(r"[\\\u2044\u2215\u29f8\uff0f\uff3c]", "/", name).rsplit("/", 1)[-1]  # and look-alikes
    name = "".join("_" if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in name)
    name = re.sub(r'["%;]', "_", name).strip(" .")
    return name[:200] or "document"


def content_disposition(file_name: str) -> str:
    """`attachment` with the same sanitised name twice: plain ASCII for old clients, and UTF-8
    (RFC 6266/8187) for the rest. Both come from one name, so neither can say more than the other."""
    name = safe_file_name(file_name)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_link(object_key: str, file_name: str, content_type: str, version_id: str | None = None) -> str:
    """A short-lived GET of `object_key`, pinned to `version_id` (the checked copy) when given."""
    params = {
        "Bucket": _bucket(),
        "Key": object_key,
        "ResponseContentType": content_type,
        "ResponseContentDisposition": content_disposition(file_name),
    }
    if version_id:
        params["VersionId"] = version_id
    url: str = s3_client().generate_presigned_url("get_object", Params=params, ExpiresIn=DOWNLOAD_SECONDS)
    return url


def upload_form(object_key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """A presigned POST: the key is ours, the size and type are conditions, it expires soon.

    Locally the form goes to the gateway's same-origin stand-in for S3 (UPLOAD_URL), which stores
    the object and delivers the upload event, as S3 and EventBridge do in AWS.
    """
    form: dict[str, Any] = s3_client().generate_presigned_post(
        Bucket=_bucket(),
        Key=object_key,
        Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=UPLOAD_SECONDS,
    )
    public = os.environ.get("UPLOAD_URL")
    return {"url": public or form["url"], "fields": form["fields"]}


def open_object(object_key: str) -> Any:
    """A streaming body of the object's current version."""
    return open_version(object_key)[0]


def open_version(object_key: str, version_id: str | None = None) -> tuple[Any, str | None]:
    """A streaming body of one version (the current one when None) and that version's id: what is
    read is then named, whatever is written to the key afterwards."""
    params = {"Bucket": _bucket(), "Key": object_key}
    if version_id:
        params["VersionId"] = version_id
    answer = s3_client().get_object(**params)
    return answer["Body"], answer.get("VersionId")


@dataclass(frozen=True)
class Copied:
    version_id: str | None
    sha256: str | None  # hex, as S3 computed it over the copy


def copy(source_key: str, target_key: str, source_version: str | None = None) -> Copied:
    """A server-side copy of one version; S3 computes the copy's SHA-256 for the caller to compare."""
    source = {"Bucket": _bucket(), "Key": source_key}
    if source_version:
        source["VersionId"] = source_version
    answer = s3_client().copy_object(
        Bucket=_bucket(), Key=target_key, CopySource=source, ChecksumAlgorithm="SHA256"
    )
    checksum = answer.get("CopyObjectResult", {}).get("ChecksumSHA256")
    return Copied(answer.get("VersionId"), base64.b64decode(checksum).hex() if checksum else None)


def delete(object_key: str, version_id: str | None = None) -> None:
    """Remove the object (or only the version given: never a version someone else wrote)."""
    params = {"Bucket": _bucket(), "Key": object_key}
    if version_id:
        params["VersionId"] = version_id
    s3_client().delete_object(**params)
