"""The reports bucket: presigned links for downloads and uploads, and moving checked files.

Presigning needs no call to S3 (the link is signed locally). Moto does not enforce presigned-POST
conditions, expiry or signatures, so nothing here is trusted on its own: the upload check verifies
every file by its content before it becomes available.
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import Any
from urllib.parse import quote

from portal.settings import current

DOWNLOAD_SECONDS = 60  # long enough to start a download, too short to pass around
UPLOAD_SECONDS = 600  # a 25 MB upload on a slow line


def s3_client() -> Any:
    return _s3_client(os.environ.get("AWS_ENDPOINT_URL"), current().region)


@cache
def _s3_client(endpoint: str | None, region: str) -> Any:
    """One client per process and endpoint (tests and the local stack may each run their own S3)."""
    import boto3
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
        from portal.settings import SettingsError

        raise SettingsError("REPORTS_BUCKET is not set")
    return bucket


def download_link(object_key: str, file_name: str, content_type: str) -> str:
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", file_name)
    url: str = s3_client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": _bucket(),
            "Key": object_key,
            "ResponseContentType": content_type,
            "ResponseContentDisposition": (
                f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file_name)}"
            ),
        },
        ExpiresIn=DOWNLOAD_SECONDS,
    )
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
    """A streaming body: the upload check reads it in chunks."""
    return s3_client().get_object(Bucket=_bucket(), Key=object_key)["Body"]


def copy(source_key: str, target_key: str) -> None:
    s3_client().copy_object(
        Bucket=_bucket(), Key=target_key, CopySource={"Bucket": _bucket(), "Key": source_key}
    )


def delete(object_key: str) -> None:
    s3_client().delete_object(Bucket=_bucket(), Key=object_key)
