"""The API's edge: whatever arrives — too big, too deep, the wrong content type, a path or method no
route takes, odd JSON — the answer is a 4xx in the one error shape, in the caller's language."""

from __future__ import annotations

import json

import pyotp
import pytest

from infra.local.gateway import HttpRequest, LambdaContext
from infra.seed import DEMO_USERS
from portal.routes.edge import MAX_BODY, MAX_DEPTH
from tests.support import Api, browser

PRODUCER_ADMIN = DEMO_USERS[3]
SITE = "ZS-4KQ7-TR1"  # Anatolia Tekstil – Denizli, in the demo world
APPLICATION = "/membership-applications"  # takes a body, anonymously


def error_of(answer, status: int, code: str | None = None, language: str = "en") -> dict:
    """The answer is `status` in the one error shape, JSON, with a message in `language`."""
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.header("content-type") == "application/json"
    error = answer.json()["error"]
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    assert error["message"]
    if code is not None:
        assert error["code"] == code
    assert "Not Found" not in error["message"]
    assert "Traceback" not in answer.body.decode()
    return error


@pytest.fixture
def producer(world) -> Api:
    person = browser(world)
    code = pyotp.TOTP(PRODUCER_ADMIN.totp_secret).now() if PRODUCER_ADMIN.totp_secret else None
    extra = {"totp_code": code} if code else {}
    assert person.login(PRODUCER_ADMIN.email, PRODUCER_ADMIN.password, **extra).status == 200
    return person


# -- nesting and size ----------------------------------------------------------------------------------
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_a_deeply_nested_body_is_a_bad_request_not_a_server_error(api, opener):
    """5,000 levels in about 10 KB made the JSON parser raise RecursionError: 500, logged with a trace."""
    error = error_of(api.post(APPLICATION, raw=(opener * 5000).encode(), language="en"), 400, "too_deep")
    assert str(MAX_DEPTH) in error["message"]


def test_nesting_within_the_bound_reaches_validation(api):
    body = ("[" * MAX_DEPTH + "]" * MAX_DEPTH).encode()
    error_of(api.post(APPLICATION, raw=body), 400, "bad_request")  # an array, not an object


def test_brackets_inside_strings_do_not_count_as_nesting(api):
    body = json.dumps({"organisation_name": "[{" * 5000 + '\\"'}).encode()
    error_of(api.post(APPLICATION, raw=body), 422, "validation_error")


def test_a_deeply_nested_body_for_a_signed_in_producer(producer):
    answer = producer.call("PUT", f"/producer/sites/{SITE}", raw=b"[" * 5000, language="nb")
    error_of(answer, 400, "too_deep", language="nb")


def test_a_body_over_the_bound_is_too_large(api):
    body = json.dumps({"organisation_name": "x" * MAX_BODY}).encode()
    error_of(api.post(APPLICATION, raw=body), 413, "payload_too_large")


def test_a_body_over_the_gateways_limit_is_too_large_in_the_error_shape(api):
    error = error_of(
        api.post(APPLICATION, raw=b" " * (10 * 1024 * 1024 + 1), language="nb"), 413, language="nb"
    )
    assert error["message"] == "Forespørselen er for stor."


# -- content type ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", f"/producer/sites/{SITE}"),
        ("PATCH", "/org/users/nobody"),
        ("POST", "/producer/audits/nothing/findings"),
        ("POST", "/producer/sites"),
    ],
)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_json_body_sent_as_another_type_is_unsupported(producer, method, path, content_type):
    answer = producer.call(method, path, {"name": "x"}, headers={"content-type": content_type})
    error_of(answer, 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
def test_json_with_or_without_its_charset_is_accepted(api, content_type):
    answer = api.post(APPLICATION, {"email": "x"}, headers={"content-type": content_type})
    error_of(answer, 422, "validation_error")


@pytest.mark.parametrize("content_type", ["application/json; charset=latin-1", "application/jsonx", ""])
def test_json_in_another_charset_or_without_a_type_is_unsupported(api, content_type):
    answer = api.post(APPLICATION, {"email": "x"}, headers={"content-type": content_type})
    error_of(answer, 415, "unsupported_media_type")


def test_a_route_without_a_body_ignores_the_content_type(api):
    answer = api.get("/health", headers={"content-type": "text/plain"})
    assert answer.status == 200


# -- JSON that Python's parser accepts or chokes on --------------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        b'{"email": "a@b.no", "email": "c@d.no"}',  # two parsers may read different values
        b'{"inhabitants": NaN}',
        b'{"inhabitants": Infinity}',
        b'{"inhabitants": -Infinity}',
        b'{"inhabitants": 1e999}',  # a float that overflows to infinity
        b'{"inhabitants": ' + b"9" * 10_000 + b"}",  # int() refuses over 4,300 digits: ValueError
        b'{"inhabitants": 0.' + b"9" * 10_000 + b"}",
        b'"just a string"',
        b"[1, 2]",
        b"\xff\xfe{}",  # not UTF-8
        b'{"a": "\\ud800"}',  # a lone surrogate
    ],
)
def test_json_that_is_not_plain_data_is_a_bad_request(api, raw):
    error_of(api.post(APPLICATION, raw=raw), 400)


# -- paths and methods no route takes ------------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/no-such-thing",
        "/producer/sites/../../admin/stats",  # an encoded ../ arrives decoded
        "/producer/sites/a/b/c",
        "/producer/sites/\x00",
        "/producer/sites/a\x07b",
        "/health\n",  # Powertools' "$" matched before a trailing newline: this was /health
    ],
)
@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_path_no_route_takes_is_not_found_in_the_callers_language(api, path, language):
    error = error_of(api.get(path, language=language), 404, "not_found", language=language)
    assert (
        error["message"]
        == {"nb": "Fant ikke det du ba om.", "en": "What you asked for was not found."}[language]
    )


@pytest.mark.parametrize("site", ["%ZZ", "%", "a" * 5000, "..", "%2e%2e"])
def test_a_parameter_a_route_takes_but_no_item_has_is_not_found(producer, site):
    error_of(producer.get(f"/producer/sites/{site}"), 404, "not_found")


def test_a_path_no_route_takes_is_not_found_whatever_the_method(api):
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"):
        error_of(api.call(method, "/no-such-thing"), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/health", "GET"),
        ("POST", "/health", "GET"),
        ("GET", APPLICATION, "POST"),
        ("OPTIONS", APPLICATION, "POST"),
        ("HEAD", "/health", "GET"),
        ("DELETE", f"/producer/sites/{SITE}", "GET, PUT"),
    ],
)
def test_a_known_path_with_another_method_is_not_allowed(api, method, path, allowed):
    """Before the session and the anti-CSRF check: the answer does not depend on who asks."""
    answer = api.call(method, path, headers={"x-csrf-token": ""})
    error_of(answer, 405, "method_not_allowed")
    assert answer.header("allow") == allowed


def test_the_lambda_function_itself_answers_a_route_the_gateway_sends_it(api):
    """In AWS the catch-all route (template.yaml) hands every other /api/* request to a function."""
    from portal.entrypoints.public import handler

    event = {
        "version": "2.0",
        "routeKey": "ANY /api/{proxy+}",
        "rawPath": "/api/v1/producer/sites/x/y",
        "rawQueryString": "",
        "headers": {"accept-language": "en"},
        "requestContext": {
            "http": {"method": "PATCH", "path": "/api/v1/producer/sites/x/y"},
            "stage": "$default",
        },
        "pathParameters": {"proxy": "v1/producer/sites/x/y"},
        "isBase64Encoded": False,
    }
    result = handler(event, LambdaContext("PublicFunction", "test"))
    assert result["statusCode"] == 404
    assert json.loads(result["body"])["error"]["message"] == "What you asked for was not found."


# -- queries and headers ------------------------------------------------------------------------------
def test_a_huge_accept_language_is_answered(api):
    answer = api.get("/no-such-thing", headers={"accept-language": "xx;q=0.1," * 900 + "en"})
    error_of(answer, 404, "not_found")


def test_request_line_and_headers_over_api_gateways_limit_are_too_large(api):
    answer = api.get("/health", headers={"x-filler": "a" * 11_000})
    error_of(answer, 413, "request_too_large")


@pytest.mark.parametrize(
    "query",
    [
        "category=municipality&inhabitants=" + "9" * 5000,
        "category=municipality&inhabitants=1&inhabitants=2",
        "category=municipality&" + "&".join(f"p{i}=1" for i in range(500)),
        "category=%ff%fe&inhabitants=%00",
    ],
)
def test_odd_queries_are_refused_in_the_error_shape(api, query):
    answer = api.get("/membership-fee", query=query)
    assert answer.status < 500
    if answer.status >= 400:
        error_of(answer, answer.status)


def test_the_gateway_answers_its_own_server_error_in_the_error_shape(api, monkeypatch):
    """A function that fails outright is API Gateway's 500; locally it is the error shape."""
    gateway = api.gateway
    function = next(iter(gateway.functions.values()))

    def crash(event):
        raise RuntimeError("boom")

    for each in gateway.functions.values():
        monkeypatch.setattr(each, "invoke", crash)
    answer = gateway.handle(HttpRequest("GET", "/api/v1/health", "", (("accept-language", "en"),)))
    error_of(answer, 500, "internal_error")
    assert function is not None
