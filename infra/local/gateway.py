"""The local API Gateway and CloudFront: one origin serving the built site and /api/*.

Each /api/* request is matched against the HttpApi routes of template.yaml and handed, as an
API Gateway HTTP API (payload 2.0) event, to the Lambda entry point the template names — the
same code that runs in AWS, cookies in event["cookies"] included.
"""

from __future__ import annotations

import base64
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.convertors import PathConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from infra.local import s3_post
from infra.template import Route as ApiRoute
from infra.template import Template

logger = logging.getLogger(__name__)
MAX_BODY = 10 * 1024 * 1024  # API Gateway's payload limit
MAX_HEAD = 10240  # API Gateway's limit on the request line and the header values together, in bytes
UPLOAD_PATH = "/_local/s3/"  # the reports bucket's form uploads, on the site's own origin locally
MAX_UPLOAD = 25 * 1024 * 1024 + 64 * 1024  # a 25 MB file and its form fields
ASYNC_ATTEMPTS = 3  # Lambda's asynchronous invocation: the first try and two retries
ASYNC_RETRY_SECONDS = 0.2
# The same headers the CloudFront response headers policy in template.yaml adds.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
}


# The public request form is one built page for every organisation: /innsyn/<slug>/ (and
# /en/innsyn/<slug>/) serves innsyn/skjema/index.html, as the CloudFront function in template.yaml
# (DirectoryIndexFunction) does; /innsyn/sak/ is the requester's own page, a page of its own.
REQUEST_PAGE = re.compile(r"^/((?:en/)?)innsyn/([a-z0-9]+(?:-[a-z0-9]+)*)/$")
REQUEST_PAGE_BUILT = "innsyn/skjema/"


def site_path(path: str) -> str:
    """The built file's path for a site address (before the directory index is added)."""
    match = REQUEST_PAGE.match(path)
    if match and match.group(2) != "sak":
        return f"/{match.group(1)}{REQUEST_PAGE_BUILT}"
    return path


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-north-1:000000000000:function:local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class LocalFunction:
    """A Lambda function: its handler, imported on first use, one invocation at a time."""

    # One invocation at a time in the whole process, not per function: Powertools keeps the event
    # being resolved on a class attribute (BaseRouter.current_event) that every resolver in the
    # process shares. In AWS each function has its own process; here two functions served at once
    # answered with each other's event: a body gone (400/422), or another caller's cookies.
    # (Found by the load test, infra/load.) Reentrant for an event delivered inline from a handler.
    _process_lock = threading.RLock()

    def __init__(self, logical_id: str, handler: str) -> None:
        self.logical_id = logical_id
        self.handler_path = handler
        self._handler: Callable[[dict[str, Any], Any], dict[str, Any]] | None = None

    def invoke(self, event: dict[str, Any]) -> dict[str, Any]:
        with LocalFunction._process_lock:  # a Lambda instance serves one event at a time
            if self._handler is None:
                module, _, name = self.handler_path.rpartition(".")
                self._handler = getattr(import_module(module), name)
            return self._handler(event, LambdaContext(self.logical_id, str(uuid.uuid4())))


@dataclass(frozen=True)
class HttpRequest:
    """What the gateway needs of an HTTP request, whichever server received it."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"


@dataclass(frozen=True)
class HttpResponse:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def json(self) -> Any:
        import json

        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def header_values(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]


def to_event(request: HttpRequest, route: ApiRoute, path_params: dict[str, str]) -> dict[str, Any]:
    """An API Gateway HTTP API payload 2.0 event, as AWS would send it."""
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for key, value in request.headers:
        key = key.lower()
        if key == "cookie":
            cookies.extend(c.strip() for c in value.split(";") if c.strip())
        else:
            headers[key] = f"{headers[key]},{value}" if key in headers else value
    query: dict[str, str] = {}
    for key, value in parse_qsl(request.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value
    now = datetime.now(UTC)
    try:
        text, encoded = request.body.decode("utf-8"), False
    except UnicodeDecodeError:
        text, encoded = base64.b64encode(request.body).decode(), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": f"{route.method} {route.path}",
        "rawPath": request.path,
        "rawQueryString": request.query,
        "headers": headers,
        "requestContext": {
            "accountId": "000000000000",
            "apiId": "local",
            "domainName": headers.get("host", "127.0.0.1").split(":")[0],
            "domainPrefix": "local",
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": f"{route.method} {route.path}",
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(now.timestamp() * 1000),
        },
        "isBase64Encoded": encoded,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_params:
        event["pathParameters"] = path_params
    if request.body:
        event["body"] = text
    return event


def from_result(result: dict[str, Any]) -> HttpResponse:
    """The HTTP answer API Gateway makes of a function's payload 2.0 result."""
    body = result.get("body") or ""
    content = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    headers = [(k.lower(), str(v)) for k, v in (result.get("headers") or {}).items()]
    for key, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((key.lower(), str(v)) for v in values)
    headers.extend(("set-cookie", cookie) for cookie in result.get("cookies") or [])
    return HttpResponse(int(result.get("statusCode", 200)), tuple(headers), content)


def s3_object_created(
    bucket: str, key: str, size: int, source_ip: str, version_id: str | None = None
) -> dict[str, Any]:
    """The EventBridge event S3 sends for a new object (in a versioned bucket, with its version)."""
    now = datetime.now(UTC)
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": "000000000000",
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": "eu-north-1",
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, **({"version-id": version_id} if version_id else {})},
            "request-id": uuid.uuid4().hex,
            "requester": "000000000000",
            "source-ip-address": source_ip,
            "reason": "PostObject",
        },
    }


def _refusal(status: int, code: str, request: HttpRequest) -> HttpResponse:
    """An answer the gateway gives itself, in the API's one error shape and the caller's language
    (where API Gateway answers {"message": ...} in English: the portal's functions answer for it
    wherever a route can, see the catch-all route in template.yaml)."""
    import json

    from portal.i18n import language_of, text

    language = language_of(next((v for k, v in request.headers if k.lower() == "accept-language"), None))
    body = {"error": {"code": code, "message": text(f"error.{code}", language)}}
    headers = (("content-type", "application/json"), ("cache-control", "no-store"))
    return HttpResponse(status, headers, json.dumps(body, ensure_ascii=False).encode())


class Gateway:
    """API Gateway in miniature: the template's routes, each to its function. It also stands in
    for the reports bucket's form uploads (UPLOAD_PATH): the presigned POST goes on to the embedded
    S3, then the "Object Created" event goes to the function whose EventBridge rule takes it, as
    S3 and EventBridge do in AWS (`inline_events` delivers it before answering, for tests)."""

    def __init__(self, template: Template, *, inline_events: bool = False) -> None:
        self.functions = {name: LocalFunction(name, f.handler) for name, f in template.functions.items()}
        self.routes = template.routes
        self.upload_checkers = template.s3_event_functions
        self.inline_events = inline_events
        self.failed_events: list[dict[str, Any]] = []

    def upload(self, request: HttpRequest) -> HttpResponse:
        import os
        import urllib.error
        import urllib.request

        bucket = request.path.removeprefix(UPLOAD_PATH).strip("/")
        if not bucket or "/" in bucket or request.method != "POST":
            return _refusal(404, "not_found", request)
        if len(request.body) > MAX_UPLOAD:
            return _refusal(413, "payload_too_large", request)
        content_type = next((v for k, v in request.headers if k.lower() == "content-type"), "")
        # S3 refuses a form that breaks its signed policy (another key, type or size, expired);
        # moto stores anything, so the refusal is made here, as S3 makes it.
        form = s3_post.parse(content_type, request.body)
        if form is None:
            return _refusal(400, "bad_request", request)
        refused = s3_post.verify(form, bucket, os.environ.get("AWS_SECRET_ACCESS_KEY", ""))
        if refused:
            return HttpResponse(refused.status, (("content-type", "application/xml"),), refused.xml())
        forwarded = urllib.request.Request(  # noqa: S310 - the embedded S3 on loopback
            f"{os.environ['AWS_ENDPOINT_URL']}/{bucket}",
            data=request.body,
            headers={"Content-Type": content_type},
            method="POST",
        )
        try:
            with urllib.request.urlopen(forwarded) as answer:  # noqa: S310
                status, body = answer.status, answer.read()
                version_id = answer.headers.get("x-amz-version-id")
        except urllib.error.HTTPError as error:
            return HttpResponse(error.code, (("content-type", "application/xml"),), error.read())
        key = form.fields.get("key")
        if key:
            event = s3_object_created(bucket, key, form.file_size, request.source_ip, version_id)
            for name in self.upload_checkers:
                function = self.functions[name]
                if self.inline_events:
                    self.deliver(function, event)
                else:
                    threading.Thread(target=self.deliver, args=(function, event), daemon=True).start()
        return HttpResponse(status, (), body)

    def deliver(self, function: LocalFunction, event: dict[str, Any]) -> None:
        """An asynchronous invocation as Lambda makes it: a failed attempt is tried twice more
        (in AWS after about one and two minutes; here after a moment), then the event is kept
        aside (`failed_events`, in AWS the on-failure destination)."""
        for attempt in range(ASYNC_ATTEMPTS):
            try:
                function.invoke(event)
                return
            except Exception:  # whatever failed, Lambda tries again
                if attempt + 1 < ASYNC_ATTEMPTS:
                    time.sleep(ASYNC_RETRY_SECONDS)
        self.failed_events.append(event)

    def route(self, method: str, path: str) -> tuple[ApiRoute, dict[str, str]] | None:
        """The route API Gateway picks: a route of this method and path, else a greedy one."""
        for route in sorted(self.routes, key=lambda r: r.greedy):
            match = route.pattern.match(path)
            if match and route.takes(method):
                return route, match.groupdict()
        return None

    def handle(self, request: HttpRequest) -> HttpResponse:
        try:
            return self._handle(request)
        except Exception:  # API Gateway's own 500 when a function fails outright
            logger.exception("the function failed")
            return _refusal(500, "internal_error", request)

    def _handle(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(UPLOAD_PATH):
            return self.upload(request)
        head = len(f"{request.method} {request.path}?{request.query} HTTP/1.1".encode("utf-8", "replace"))
        if head + sum(len(v.encode("utf-8", "replace")) for _, v in request.headers) > MAX_HEAD:
            return _refusal(413, "request_too_large", request)
        if len(request.body) > MAX_BODY:
            return _refusal(413, "payload_too_large", request)
        found = self.route(request.method, request.path)
        if found is None:  # with the template's catch-all route, a function answers these
            return _refusal(404, "not_found", request)
        route, params = found
        return from_result(self.functions[route.function].invoke(to_event(request, route, params)))


class AnyPath(PathConvertor):
    """Any path, a newline in it too: Starlette's `path` stops at one, and its plain-text 404 would
    answer where API Gateway hands the request on to a route."""

    regex = "(?s:.*)"


register_url_convertor("anypath", AnyPath())


class AsgiEndpoint:
    """Starlette routes a plain ASGI callable for every method; a function only for those listed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


class SitePaths:
    """The CloudFront function's rewrite in front of the static files (site_path)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            rewritten = site_path(scope["path"])
            if rewritten != scope["path"]:
                scope = {**scope, "path": rewritten, "raw_path": rewritten.encode()}
        await self.app(scope, receive, send)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [
                    (k.encode(), v.encode())
                    for k, v in SECURITY_HEADERS.items()
                    if k.encode() not in existing
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


def create_app(
    template: Template, site_dir: Path | None, on_write: Callable[[], None] | None = None
) -> Starlette:
    gateway = Gateway(template)

    async def api(request: Request) -> Response:
        started = time.perf_counter()
        incoming = HttpRequest(
            method=request.method,
            path=request.scope["path"],  # decoded, as API Gateway passes it (url.path drops a newline)
            query=request.url.query,
            headers=tuple(request.headers.items()),
            body=await request.body(),
            source_ip=request.client.host if request.client else "127.0.0.1",
        )
        answer = await run_in_threadpool(gateway.handle, incoming)
        if on_write and request.method not in ("GET", "HEAD", "OPTIONS"):
            on_write()
        response = Response(content=answer.body, status_code=answer.status)
        for key, value in answer.headers:
            response.headers.append(key, value)
        response.headers["server-timing"] = f"gateway;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    async def every_method(scope: Scope, receive: Receive, send: Send) -> None:
        response = await api(Request(scope, receive))
        await response(scope, receive, send)

    app_routes: list[Any] = [
        # An ASGI app, not a function, so Starlette takes every method (OPTIONS, HEAD, any other)
        # and leaves the answer to the gateway, as API Gateway hands them to the catch-all route.
        Route("/api/{path:anypath}", AsgiEndpoint(every_method)),
        Route(UPLOAD_PATH + "{bucket}", api, methods=["POST"]),
    ]
    if site_dir is not None:
        site = SitePaths(StaticFiles(directory=site_dir, html=True))
        app_routes.append(Mount("/", app=site, name="site"))
    app = Starlette(routes=app_routes)
    app.add_middleware(SecurityHeaders)
    return app
