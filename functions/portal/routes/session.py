"""The session at the edge: cookie in, actor out; the route check and the anti-CSRF check.

Behind API Gateway HTTP API cookies arrive in event["cookies"]; other proxies send a Cookie header:
both are read. The session check is one GetItem (plus an UpdateItem at most once a minute).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from portal import policy
from portal.clock import utcnow
from portal.errors import PortalError
from portal.policy import Actor
from portal.usecases import auth

COOKIE = "ieh_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def _cookies(event: Any) -> dict[str, str]:
    raw: list[str] = list(event.get("cookies") or [])
    header = (event.get("headers") or {}).get("cookie") or (event.get("headers") or {}).get("Cookie")
    if header:
        raw.extend(header.split(";"))
    found = {}
    for pair in raw:
        name, _, value = pair.strip().partition("=")
        if name and name not in found:
            found[name] = value
    return found


def session_token(event: Any) -> str | None:
    return _cookies(event).get(COOKIE) or None


def session_cookie(token: str, max_age: int) -> Cookie:
    return Cookie(
        name=COOKIE,
        value=token,
        path="/",
        secure=True,
        http_only=True,
        same_site=SameSite.STRICT_MODE,
        max_age=max_age,
    )


def expired_cookie() -> Cookie:
    return session_cookie("", 0)


def guard(app: ApiGatewayResolver, next_middleware: Callable[[ApiGatewayResolver], Any]) -> Any:
    """Every route: anti-CSRF header on state changes, the session, then the authorization matrix."""
    request = app.request
    method = request.method.upper()
    event = app.current_event.raw_event
    route = request.route.removeprefix("/api/v1")
    if method not in SAFE_METHODS and not (event.get("headers") or {}).get(CSRF_HEADER):
        raise PortalError(403, "csrf_failed")
    rule = policy.matrix().get(f"{method} {route}")
    # Public routes never read the session: no DynamoDB call, and a stale cookie cannot stop them.
    actor = (
        None
        if rule is not None and policy.ANONYMOUS in rule.actors
        else auth.actor_for(session_token(event), utcnow())
    )
    if actor is not None and method not in SAFE_METHODS:
        sent = (event.get("headers") or {}).get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), actor.csrf_token.encode()):
            raise PortalError(403, "csrf_failed")
    policy.authorize_route(actor, method, route)
    app.append_context(actor=actor)
    return next_middleware(app)


def current_actor(request: Request) -> Actor:
    actor = request.context.get("actor")
    if actor is None:  # the matrix let an anonymous actor through to a route that needs one
        raise PortalError(401, "not_authenticated")
    return actor


def optional_actor(request: Request) -> Actor | None:
    return request.context.get("actor")
