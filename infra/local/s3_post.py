"""The presigned POST's policy, enforced locally as S3 enforces it: moto stores whatever a form
sends, so without this a form whose `key` was changed could overwrite any object of the bucket.

S3's rules (docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html): the
`policy` field is a base64 JSON document signed with SigV4 (`x-amz-signature` is the HMAC of the
base64 text with the signing key of the date and region in `x-amz-credential`); it expires; each of
its conditions holds (exact match, `starts-with`, `content-length-range`); and every form field
except `policy`, `x-amz-signature`, `file` and `x-ignore-*` is named by a condition. A form that
fails gets S3's answer: 403 with an XML error (400 for a file outside the size range).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from xml.sax.saxutils import escape

UNCONDITIONED = frozenset({"policy", "x-amz-signature", "file"})


@dataclass(frozen=True)
class Form:
    fields: dict[str, str]  # by lower-case name, as S3 compares them
    file_size: int


@dataclass(frozen=True)
class Refusal:
    status: int
    code: str
    message: str

    def xml(self) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{self.code}</Code><Message>{escape(self.message)}</Message></Error>"
        ).encode()


def parse(content_type: str, body: bytes) -> Form | None:
    """The form's text fields and the size of its file, or None when it is not multipart form data.
    (Split by hand: the email parser would copy a 25 MB file several times over.)"""
    boundary = (
        BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode()).get_boundary()
    )
    if not boundary:
        return None
    fields: dict[str, str] = {}
    for part in (b"\r\n" + body).split(b"\r\n--" + boundary.encode())[1:]:
        if part.startswith(b"--"):
            break  # the closing delimiter
        head, separator, data = part.partition(b"\r\n\r\n")
        if not separator:
            return None
        headers = BytesParser(policy=HTTP).parsebytes(head.lstrip(b"\r\n") + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        if name.lower() == "file":
            return Form(fields, len(data))  # S3 ignores what follows the file
        fields[name.lower()] = data.decode("utf-8", "replace")
    return Form(fields, -1)


def _signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _denied(message: str) -> Refusal:
    return Refusal(403, "AccessDenied", message)


def verify(form: Form, bucket: str, secret: str, now: datetime | None = None) -> Refusal | None:
    """None when S3 would accept the form for `bucket`; otherwise S3's refusal."""
    fields = form.fields
    if form.file_size < 0:
        return Refusal(400, "InvalidArgument", "POST requires exactly one file upload per request.")
    encoded = fields.get("policy")
    signature = fields.get("x-amz-signature")
    credential = fields.get("x-amz-credential", "").split("/")
    if (
        not encoded
        or not signature
        or len(credential) != 5
        or fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256"
    ):
        return _denied("Bucket POST must contain a valid policy and signature.")
    _access_key, day, region, service, _ = credential
    expected = hmac.new(
        _signing_key(secret, day, region, service), encoded.encode(), hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode()):  # any text a form may carry
        return Refusal(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
        expiration = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        conditions = policy["conditions"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return _denied("Invalid Policy: Invalid JSON.")
    if expiration <= (now or datetime.now(UTC)):
        return _denied("Invalid according to Policy: Policy expired.")
    values = {**fields, "bucket": bucket}
    named: set[str] = set()
    for condition in conditions:
        refused = _holds(condition, values, form.file_size, named)
        if refused:
            return refused
    extra = sorted(
        name for name in fields if name not in named | UNCONDITIONED and not name.startswith("x-ignore-")
    )
    if extra:
        return _denied(f"Invalid according to Policy: Extra input fields: {extra[0]}")
    return None


def _holds(condition: Any, values: dict[str, str], size: int, named: set[str]) -> Refusal | None:
    failed = _denied(f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
    if isinstance(condition, dict) and len(condition) == 1:
        [(name, value)] = condition.items()
        operator, name = "eq", str(name).lower()
    elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
        low, high = int(condition[1]), int(condition[2])
        if size < low:
            return Refusal(
                400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
            )
        if size > high:
            return Refusal(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
        return None
    elif isinstance(condition, list) and len(condition) == 3 and str(condition[1]).startswith("$"):
        operator, name, value = str(condition[0]).lower(), str(condition[1])[1:].lower(), condition[2]
    else:
        return _denied("Invalid Policy: Invalid Condition.")
    named.add(name)
    actual = values.get(name)
    if actual is None:
        return failed
    if operator == "eq" and actual == str(value):
        return None
    if operator == "starts-with" and actual.startswith(str(value)):
        return None
    return failed
