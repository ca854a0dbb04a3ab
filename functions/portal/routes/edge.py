"""The API's edge: what a request must be before any route reads it, and the answer to one no route takes.

Every bound here is checked without parsing: a body's size, its content type, how deep its JSON
nests (a linear scan: Python's JSON parser recurses per level and raised RecursionError, a 500, at
about a thousand). Then the body is parsed into plain data only: no NaN or Infinity (DynamoDB and
JSON itself have neither), no duplicate keys (two parsers could read two different values), no
number longer than any field needs (int() refuses over 4,300 digits with a ValueError, a 500).
"""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import accumulate
from typing import Any

from portal.errors import PortalError
from portal.policy import matrix

# API Gateway takes 10 MB and Lambda 6 MB, but no JSON operation of the portal needs more than a
# few kilobytes (documents go straight to S3 by presigned POST): 1 MiB leaves a wide margin.
MAX_BODY = 1024 * 1024
MAX_DEPTH = 32  # the deepest body the document describes nests 2 levels (an object in an object)
MAX_DIGITS = 40  # a number's digits: more than any amount, count or version needs
JSON_MEDIA_TYPE = "application/json"

# A JSON string, escapes included; an unterminated one runs to the end (the parser stops there
# too). Written as an "unrolled loop": linear, it cannot backtrack.
_STRING = re.compile(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*"?')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def depth(text: str) -> int:
    """How deep brackets nest outside strings, in one pass that does not recurse."""
    brackets = _NOT_BRACKETS.sub("", _STRING.sub("", text)).encode("ascii")
    return max(accumulate(map(_DEPTH.__getitem__, brackets)), default=0)


def _refuse_constant(name: str) -> Any:
    raise PortalError(400, "bad_request")  # NaN, Infinity, -Infinity


def _int(literal: str) -> int:
    if len(literal) > MAX_DIGITS:
        raise PortalError(400, "bad_request")
    return int(literal)


def _float(literal: str) -> float:
    number = float(literal) if len(literal) <= MAX_DIGITS else float("inf")
    if number in (float("inf"), float("-inf")):  # 1e999 overflows to infinity
        raise PortalError(400, "bad_request")
    return number


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    made = dict(pairs)
    if len(made) != len(pairs):
        raise PortalError(400, "bad_request")
    return made


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_refuse_constant, parse_int=_int, parse_float=_float
)


def loads(text: str) -> Any:
    """The request body as plain JSON data (Powertools' json_body), or a 400."""
    if depth(text) > MAX_DEPTH:
        raise PortalError(400, "too_deep", params={"depth": MAX_DEPTH})
    value = _DECODER.decode(text)  # a JSONDecodeError: Powertools answers json_invalid (400)
    if _SURROGATE_ESCAPE.search(text):  # "\ud800" alone is no character: it would fail when stored
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise PortalError(400, "bad_request") from None
    return value


def body_size(body: str | None, base64: bool) -> int:
    if not body:
        return 0
    return len(body) * 3 // 4 if base64 else len(body.encode("utf-8", "surrogatepass"))


def is_json(content_type: str) -> bool:
    """application/json, with no parameter but an optional UTF-8 charset (RFC 8259 allows no other)."""
    media_type, *parameters = (part.strip().lower() for part in content_type.split(";"))
    return media_type == JSON_MEDIA_TYPE and all(
        p in ("charset=utf-8", 'charset="utf-8"') for p in parameters
    )


def check_body(body: str | None, base64: bool, content_type: str, takes_body: bool) -> None:
    """413 for a body over the bound, 415 for a body that an operation taking JSON gets as
    anything else (operations without a body ignore what is sent)."""
    if body_size(body, base64) > MAX_BODY:
        raise PortalError(413, "payload_too_large")
    if body and takes_body and not is_json(content_type):
        raise PortalError(415, "unsupported_media_type")


@cache
def _routes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Every route of the API (the authorization matrix names each), as (method, path pattern)."""
    routes = []
    for key in matrix():
        method, path = key.split(" ", 1)
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path))
        routes.append((method, re.compile(f"(?s:{pattern})")))
    return tuple(routes)


def unrouted(method: str, path: str) -> PortalError:
    """What to answer a request that no route takes: 405 (with Allow) for a path that other
    methods have, else 404 — for everyone alike, before the session is read."""
    allowed = sorted({m for m, pattern in _routes() if pattern.fullmatch(path)})
    if allowed and method not in allowed:
        return PortalError(405, "method_not_allowed", headers={"Allow": ", ".join(allowed)})
    return PortalError(404, "not_found")  # a path no route takes, or a parameter no route takes
