"""Lambda entry point of UploadCheckFunction: S3 "Object Created" events for quarantine/ (through
EventBridge in AWS; the local stack delivers the same event after a form upload)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.settings import Settings
from portal.usecases.upload_check import check_object

logger = Logger()
store.bind(Settings.from_environ())


def _objects(event: dict[str, Any]) -> list[tuple[str, str | None]]:
    """(key, version id) of each new object: the version is what the check reads and copies."""
    if "detail" in event:  # EventBridge
        found = event["detail"]["object"]
        return [(found["key"], found.get("version-id"))]
    return [  # S3 notification
        (unquote_plus(r["s3"]["object"]["key"]), r["s3"]["object"].get("versionId"))
        for r in event.get("Records", [])
    ]


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    outcomes = [check_object(key, version) for key, version in _objects(event)]
    for outcome in outcomes:
        logger.info(
            "upload checked", extra={"key": outcome.key, "status": outcome.status, "reason": outcome.reason}
        )
    return {"checked": [o.__dict__ for o in outcomes]}
