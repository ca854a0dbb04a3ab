"""Helpers the test layers share: calling the API through the gateway, counting DynamoDB calls."""

from __future__ import annotations

import json
import re
from typing import Any

from infra.local.gateway import Gateway, HttpRequest, HttpResponse
from infra.local.metering import dynamodb_calls

__all__ = ["Api", "browser", "decimal_points", "dynamodb_calls", "fresh_totp_code", "logged_in", "outbox"]


class Api:
    """Calls /api/v1 through the local gateway in-process: template routes → Lambda entry points."""

    def __init__(self, gateway: Gateway, language: str = "nb") -> None:
        self.gateway = gateway
        self.language = language
        self.cookie: str | None = None  # the session cookie, as a browser would keep it
        self.csrf: str | None = None

    def login(self, email: str, password: str, **extra: str) -> HttpResponse:
        answer = self.post("/auth/login", {"email": email, "password": password, **extra})
        if answer.status == 200:
            self.cookie = answer.header("set-cookie").split(";")[0]  # type: ignore[union-attr]
            self.csrf = answer.json()["csrf_token"]
        return answer

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: str = "",
        headers: dict[str, str] | None = None,
        language: str | None = None,
        raw: bytes | None = None,
    ) -> HttpResponse:
        sent = {"accept-language": language or self.language, "host": "127.0.0.1:8000"}
        if method not in ("GET", "HEAD"):
            sent["x-csrf-token"] = self.csrf or "anonymous"
        if self.cookie:
            sent["cookie"] = self.cookie
        if body is not None or raw is not None:
            sent["content-type"] = "application/json"
        sent.update(headers or {})
        payload = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
        return self.gateway.handle(HttpRequest(method, f"/api/v1{path}", query, tuple(sent.items()), payload))

    def get(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> HttpResponse:
        return self.call("POST", path, body, **kwargs)


def browser(api: Api) -> Api:
    """Another browser on the same portal: its own cookie jar."""
    return Api(api.gateway)


def logged_in(world: Api, who: Any) -> Api:
    """A new browser on the same portal, logged in as the demo user `who` (with a fresh second-factor
    code when the user has one)."""
    person = browser(world)
    extra = {"totp_code": fresh_totp_code(who.email, who.totp_secret)} if who.totp_secret else {}
    assert person.login(who.email, who.password, **extra).status == 200
    return person


def outbox(tmp_path: Any) -> list[dict[str, Any]]:
    """E-mail the portal sent, oldest first (OUTBOX_DIR is tmp_path/outbox in the API tests)."""
    folder = tmp_path / "outbox"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))] if folder.exists() else []


def fresh_totp_code(email: str, secret: str) -> str:
    """A second-factor code the portal will take for `email`. A code works once (RFC 6238 §5.2)
    and a later login needs a later time step; tests log a user in many times within one 30-second
    step, each standing for a later login, so the step last accepted is forgotten first (in the
    table the test reads: the API tests' moto, or the e2e stack's)."""
    import pyotp

    from portal.store.accounts import user_by_email
    from portal.store.models import User

    user = user_by_email(email)
    if user is not None and user.totp_last_step is not None:
        user.update(actions=[User.totp_last_step.remove()], add_version_condition=False)
    return pyotp.TOTP(secret).now()


_DECIMAL_POINT = re.compile(r"(?<![\d.])\d+\.\d+(?![\d.])")  # "11.47", not "8.8.1"
_CLAUSES = re.compile(r"\b(?:punkt|clauses?) \d+(?:\.\d+)*(?: (?:og|and) \d+(?:\.\d+)*)?")  # "punkt 6.4"


def decimal_points(text: str) -> list[str]:
    """Numbers written with a decimal point in a text (a standard's clause numbers left out): none
    may be in a Norwegian text, which writes a decimal comma."""
    return _DECIMAL_POINT.findall(_CLAUSES.sub("", text))
