"""Schemathesis over the whole OpenAPI document, as each kind of actor, against the local stack.

Every operation gets generated requests: schema-valid ones, then schema-violating ones where the
operation has a body or a query to violate. Each request goes out as every actor in turn (nobody, a
buyer member and admin, a producer member and admin, IEH staff with their second factor), with the
session cookie and the X-CSRF-Token header. Each answer must
- not be a 5xx (`not_a_server_error`);
- agree with the document: a documented status, content type and body (`status_code_conformance`,
  `content_type_conformance`, `response_headers_conformance`, `response_schema_conformance`), and a
  4xx for schema-violating data (`negative_data_rejection`);
- be JSON in the error shape, {"error": {"code", "message"}}, whenever it is a 4xx or 5xx
  (`shape_problem`);
- agree with the authorization matrix: 401 without a session, 401 or 404 (never 2xx) to an actor
  that the matrix does not allow, and never 401 to an allowed actor whose session is live. (A path
  parameter that the functions' router cannot take is 404 for everyone: see `routable`.)
Then what the document cannot generate (`fuzz_edge`, EDGE_KINDS): bodies nested far deeper than
portal/routes/edge.py allows, JSON sent as another content type, paths and methods (OPTIONS and HEAD
too) that no route takes; each must be a 4xx in the error shape (404, or 405 for a known path).
Then two hand-made stateful runs, since the document has no OpenAPI links: `run_story` (a site
created, read, updated with its version; a link asked for, decided, read, revoked, in that order)
and `SupplyChain` (the same steps in any order), each step against a model of what should happen.

Schemathesis checks left out, and why:
- `positive_data_acceptance`: the document cannot say all that a field must be (an organisation
  number's check digit, a country or sector from the reference lists, the current password, a date in
  the future, a cursor that the API issued). Those get 422 by design.
- `ignored_auth`: needs `securitySchemes`, and the document declares none (the session is a cookie
  that the matrix checks). The matrix check above replaces it, and is stricter: it checks each kind
  of actor, not only "some credentials or none".
- `use_after_free`, `ensure_resource_availability`: they follow OpenAPI links, and the document has
  none; the stateful runs above stand in for them.
- `unsupported_method`, `allow_header_conformance`, `missing_required_header`,
  `object_level_authorization`: probes of schemathesis' own runner (its coverage and stateful phases).
  A method that a path does not have is covered by `fuzz_edge` ("unrouted": 405 with Allow).
- `max_response_time`: timing is for `make bench`.

What generated requests could break for the actors that come after them:
- logging out and ending the other sessions: those operations go last (SESSION_ENDING), then the
  login, as nobody (LOGIN: each failed login counts towards this client's login throttle);
- changing the password, turning TOTP off: both need the current password, which generated data
  does not have (422); starting a TOTP setup only stores a pending secret, and confirming it needs a
  code from that secret; ending one session, changing or re-inviting a user need real ids, which
  generated data does not have (404). So they run with the rest.

`tests/api/test_schemathesis.py` runs it bounded (SCHEMATHESIS_EXAMPLES, default 2 per operation
and generation mode). `main()` runs it with many more for `make soak`:
`python -m infra.bench.schemathesis_run [examples]` (default: SCHEMATHESIS_EXAMPLES, else 25).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    rule,
    run_state_machine_as_test,
)
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.local.stack import LocalStack
from infra.seed import DEMO_USERS, DemoUser
from portal.policy import ANONYMOUS, LEVELS, Actor, matrix

API = "/api/v1"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Kinds of actor: the demo user that stands for each (None: no session).
ACTORS: dict[str, str | None] = {
    "anonymous": None,
    "buyer member": "ola@nordlys.example",
    "buyer admin": "kari@nordlys.example",
    "producer member": "mehmet@anatolia.example",
    "producer admin": "ayse@anatolia.example",
    "staff": "admin@etiskhandel.example",
}
SESSION_ENDING = ("POST /api/v1/account/sessions/end-others", "POST /api/v1/auth/logout")
LOGIN = ("POST /api/v1/auth/login",)
LAST = (*SESSION_ENDING, *LOGIN)
DEFAULT_EXAMPLES = 2


def examples_from_environment(default: int = DEFAULT_EXAMPLES) -> int:
    return max(1, int(os.environ.get("SCHEMATHESIS_EXAMPLES") or default))


def document() -> dict[str, Any]:
    from portal.routes.catalogue import openapi_json

    loaded: dict[str, Any] = json.loads(openapi_json())
    return loaded


def operation_labels() -> list[str]:
    """Every operation of the document ("METHOD /api/v1/path"), the LAST ones last, in that order."""
    labels = [
        f"{method.upper()} {path}" for path, methods in document()["paths"].items() for method in methods
    ]
    return [label for label in labels if label not in LAST] + [label for label in LAST if label in labels]


# -- actors ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Login:
    name: str
    headers: dict[str, str]
    kinds: frozenset[str] = frozenset()  # the matrix's kinds; none: anonymous


def http_session() -> requests.Session:
    """Keeps no cookies: each request carries the session of the actor it is sent as."""
    http = requests.Session()
    http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return http


def demo_user(email: str) -> DemoUser:
    return next(user for user in DEMO_USERS if user.email == email)


def log_in(base_url: str, name: str, email: str | None, http: requests.Session) -> Login:
    if email is None:
        return Login(name, {"X-CSRF-Token": "anonymous"})
    import pyotp

    user = demo_user(email)
    body: dict[str, str] = {"email": user.email, "password": user.password}
    if user.totp_secret:
        body["totp_code"] = pyotp.TOTP(user.totp_secret).now()
    answer = http.post(
        f"{base_url}{API}/auth/login", json=body, headers={"X-CSRF-Token": "anonymous"}, timeout=30
    )
    if answer.status_code != 200:
        raise RuntimeError(f"{email} could not log in: {answer.status_code} {answer.text}")
    me = answer.json()
    actor = Actor(
        user_id=me["user_id"],
        org_id=me["organisation"]["id"],
        role=me["role"],
        org_type=me["organisation"]["type"],
        is_staff=me["is_staff"],
        mfa=not me["mfa_setup_required"],
        session_id="",
        csrf_token=me["csrf_token"],
        duties=tuple(me.get("duties") or ()),
    )
    # The cookie is Secure: requests would not send it to http://127.0.0.1, so it goes as a header.
    cookie = answer.headers["set-cookie"].split(";")[0]
    return Login(name, {"Cookie": cookie, "X-CSRF-Token": me["csrf_token"]}, actor.kinds)


def log_in_everyone(base_url: str, http: requests.Session) -> dict[str, Login]:
    return {name: log_in(base_url, name, email, http) for name, email in ACTORS.items()}


def routable(operation_path: str, sent_path: str) -> bool:
    """Whether the functions' router can route this path. API Gateway hands a function any path
    parameter (decoded), but Powertools routes only some characters in one (its own pattern is used
    here); any other path is not found, whoever asks, before the session is read."""
    from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver

    rule = re.sub(r"\{(\w+)\}", r"<\1>", operation_path)
    # fullmatch: the pattern ends in "$", which also matches before a trailing newline (see app.py)
    return APIGatewayHttpResolver._compile_regex(rule).fullmatch(unquote(sent_path)) is not None


def auth_problem(method: str, path: str, sent_path: str, login: Login, status: int) -> str | None:
    """What is wrong, if anything, with this status for this actor, by the authorization matrix."""
    rule = matrix().get(f"{method.upper()} {path.removeprefix(API)}")
    if rule is None:
        return "the route is not in the authorization matrix"
    if not routable(path, sent_path):
        return None if status == 404 else f"{status} to a path that no route takes (404)"
    if ANONYMOUS in rule.actors:
        return None
    if not login.kinds:
        return None if status == 401 else f"{status} without a session (the matrix wants one: 401)"
    if login.kinds & rule.actors:
        return f"401 to {login.name}, whom the matrix allows" if status == 401 else None
    if status in (401, 404):
        return None
    return f"{status} to {login.name}, whom the matrix does not allow (401 or 404)"


# -- generated requests, operation by operation -------------------------------------------------------
@dataclass
class Tally:
    operations: int = 0
    examples: int = 0
    requests: int = 0
    failures: dict[str, str] = field(default_factory=dict)  # operation → what failed first
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, status: int) -> None:
        self.requests += 1
        self.statuses[status] = self.statuses.get(status, 0) + 1


def send(
    case: Any, base_url: str, login: Login, http: requests.Session, tally: Tally | None = None
) -> tuple[Any, list[str]]:
    """One call as one actor, and what the checks and the matrix found wrong with its answer."""
    response = case.call(base_url=base_url, session=http, headers=login.headers, timeout=30)
    if tally is not None:
        tally.count(response.status_code)
    problems = []
    try:
        case.validate_response(response, checks=CHECKS, headers=login.headers)
    except FailureGroup as group:
        problems.append(f"as {login.name}: {group}")
    problem = auth_problem(case.method, case.operation.path, case.formatted_path, login, response.status_code)
    problem = problem or shape_problem(case.method, response)
    if problem:
        problems.append(f"as {login.name}: {case.method} {case.formatted_path}: {problem}")
    return response, problems


def shape_problem(method: str, response: Any) -> str | None:
    """What is wrong, if anything, with a refusal: each is JSON {"error": {"code", "message"}}
    (a HEAD answer has no body to check, only its type)."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type")
    if isinstance(content_type, list):  # schemathesis keeps every value of a header
        content_type = content_type[0] if len(content_type) == 1 else content_type
    if content_type != "application/json":
        return f"{response.status_code} as {content_type}, not JSON"
    if method.upper() == "HEAD":
        return None
    try:
        error = response.json()["error"]
        if isinstance(error["code"], str) and isinstance(error["message"], str) and error["message"]:
            return None
    except (ValueError, KeyError, TypeError):
        pass
    return f"{response.status_code} outside the error shape: {response.text[:200]}"


def modes(operation: Any) -> list[GenerationMode]:
    """Positive always; negative where there is something to violate (a path parameter is any
    string, so an operation with only those has no schema-violating request)."""
    if len(operation.body) or len(operation.query):
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def fuzz(
    operation: Any,
    base_url: str,
    logins: Iterable[Login],
    http: requests.Session,
    examples: int,
    tally: Tally | None = None,
) -> None:
    """Generated requests for one operation, each sent as every actor; raises AssertionError on the
    first example that any check or the matrix finds wrong (derandomized: the same run every time)."""
    everyone = list(logins)
    tally = tally if tally is not None else Tally()
    tally.operations += 1
    for mode in modes(operation):
        _fuzz(operation, mode, base_url, everyone, http, examples, tally)


def repeatable(examples: int, **more: Any) -> settings:
    """Hypothesis settings for every run here: the same examples each time, no shrinking, no database."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
        print_blob=False,
        **more,
    )


def _fuzz(
    operation: Any,
    mode: GenerationMode,
    base_url: str,
    everyone: list[Login],
    http: requests.Session,
    examples: int,
    tally: Tally,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @repeatable(examples)
    def each(case: Any) -> None:
        tally.examples += 1
        problems: list[str] = []
        for login in everyone:
            problems.extend(send(case, base_url, login, http, tally)[1])
        if problems:
            raise AssertionError(f"{operation.label} ({mode.value}):\n" + "\n\n".join(problems))

    each()


# -- the edge: what no document describes --------------------------------------------------------------
# Requests the document cannot generate: bodies nested far deeper than any operation takes, JSON
# sent as another content type, paths and methods that no route takes. Each answer must be a 4xx
# (never a 5xx, never a 2xx for what is refused) in the error shape, whoever sends it.
EDGE_KINDS = ("deep nesting", "wrong content type", "unrouted")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD")
CONTENT_TYPES = (
    "text/plain",
    "text/plain; charset=UTF-8",  # what fetch() sends a string body as
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    "application/json; charset=latin-1",
    "application/json-patch+json",
    "",
)
# Path segments: plain ones, and the encodings that path handling gets wrong
SEGMENTS = st.one_of(
    st.text("abcxyz019-_.~", min_size=1, max_size=12),
    st.sampled_from(
        ["..", ".", "%2e%2e", "..%2F..", "%2F", "%00", "%0A", "%ZZ", "%", "%C2%8C", "%FF", "a%20b"]
    ),
    st.sampled_from(["producer", "sites", "buyer", "links", "admin", "v1", "api", "health", "me"]),
)


def body_operations() -> list[tuple[str, str]]:
    """(method, path with its parameters filled in) of every operation that takes a JSON body."""
    return [
        (method.upper(), re.sub(r"\{\w+\}", "x", path))
        for path, methods in document()["paths"].items()
        for method, operation in methods.items()
        if "requestBody" in operation and f"{method.upper()} {path}" not in LAST
    ]


@cache
def _templates() -> list[tuple[str, re.Pattern[str]]]:
    """(method, path pattern) of every operation, a parameter taking any one segment."""
    found = []
    for label in operation_labels():
        method, route = label.split(" ", 1)
        found.append((method, re.compile(re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route)), re.DOTALL)))
    return found


def _known(method: str | None, path: str) -> bool:
    """Whether an operation of the document has this (decoded) path, with this method if one is given."""
    return any((method is None or method == m) and pattern.fullmatch(path) for m, pattern in _templates())


def fuzz_edge(
    kind: str, base_url: str, logins: Iterable[Login], http: requests.Session, examples: int, tally: Tally
) -> None:
    """Generated requests of one kind (EDGE_KINDS), each sent as every actor; raises AssertionError
    on the first example whose answer is a 5xx, outside the error shape, or not the refusal due."""
    from portal.routes.edge import MAX_DEPTH

    everyone, operations = list(logins), st.sampled_from(body_operations())

    def refused(method: str, path: str, status: int) -> str | None:
        return None if 400 <= status < 500 else f"{status}, where a 4xx was due"

    def not_routed(method: str, path: str, status: int) -> str | None:
        """404 for a path no route has, 405 for a path that only other methods have."""
        if _known(method, path):
            return None  # the server saw a real route (the client normalised the path): any 4xx
        wanted = 405 if _known(None, path) else 404
        return None if status == wanted else f"{status}, where {wanted} was due"

    def check(
        method: str,
        path: str,
        expect: Callable[[str, str, int], str | None],
        body: bytes = b"",
        **headers: str,
    ) -> None:
        problems = []
        for login in everyone:
            answer = http.request(
                method,
                f"{base_url}{path}",
                data=body or None,
                headers={**login.headers, **headers},
                timeout=30,
            )
            tally.count(answer.status_code)
            seen = unquote(urlsplit(answer.request.url).path)  # as the server decodes it
            if not seen.startswith("/api/"):
                continue  # the client resolved "../" segments out of the API (as browsers do)
            problem = (
                (f"{answer.status_code}: {answer.text[:200]}" if answer.status_code >= 500 else None)
                or shape_problem(method, answer)
                or expect(method, seen, answer.status_code)
            )
            if problem:
                problems.append(f"as {login.name}: {method} {seen!r}: {problem}")
        if problems:
            raise AssertionError(f"edge ({kind}):\n" + "\n\n".join(problems))

    if kind == "deep nesting":

        @given(
            operation=operations,
            levels=st.integers(MAX_DEPTH + 1, 20_000),
            opener=st.sampled_from(["[", '{"a":', '{"a":[']),
        )
        @repeatable(examples)
        def deep(operation: tuple[str, str], levels: int, opener: str) -> None:
            tally.examples += 1
            method, path = operation
            check(method, path, refused, (opener * levels).encode(), **{"Content-Type": "application/json"})

        deep()
    elif kind == "wrong content type":

        @given(operation=operations, content_type=st.sampled_from(CONTENT_TYPES))
        @repeatable(examples)
        def wrong_type(operation: tuple[str, str], content_type: str) -> None:
            tally.examples += 1
            method, path = operation
            check(method, path, refused, b"{}", **{"Content-Type": content_type})

        wrong_type()
    else:
        made_up = st.lists(SEGMENTS, min_size=1, max_size=6).map(lambda parts: API + "/" + "/".join(parts))
        # a real operation's path, its parameters any segment: mostly 405 (another method) or 404
        real = st.tuples(
            st.sampled_from([label.split(" ", 1)[1] for label in operation_labels()]), SEGMENTS
        ).map(lambda route: re.sub(r"\{\w+\}", route[1], route[0]))

        @given(method=st.sampled_from(METHODS), path=made_up | real)
        @repeatable(examples)
        def unrouted(method: str, path: str) -> None:
            if _known(method, unquote(path)):
                return  # a real operation (a logout would end the sessions): the document's runs cover it
            tally.examples += 1
            check(method, path, not_routed)

        unrouted()


# -- stateful: sites and links, step by step against a model ----------------------------------------
PRODUCER, BUYER = "org-anatolia", "org-nordlys"
PRODUCERS, BUYERS = ("producer admin", "producer member"), ("buyer admin", "buyer member")


class Steps:
    """Calls by name of actor, each through its operation in the document, each answer checked by
    the schema checks and the matrix; and strategies for what a producer enters."""

    def __init__(self, schema: Any, base_url: str, logins: dict[str, Login], http: requests.Session) -> None:
        self.schema, self.base_url, self.logins, self.http = schema, base_url, logins, http
        reference = self.call("producer admin", "GET", "/reference").json()
        self.countries = st.sampled_from([c["code"] for c in reference["countries"]])
        self.sectors = [s["code"] for s in reference["sectors"]]
        self.names = st.text(
            st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=60
        ).filter(lambda name: name.strip() != "")

    def call(self, who: str, method: str, path: str, body: Any = None, **path_parameters: str) -> Any:
        operation = self.schema[API + path][method]
        parameters = path_parameters or None
        case = (
            operation.Case(path_parameters=parameters)
            if body is None
            else operation.Case(path_parameters=parameters, body=body)
        )
        response, problems = send(case, self.base_url, self.logins[who], self.http)
        assert not problems, "\n\n".join(problems)
        return response

    def link(self) -> dict[str, Any] | None:
        """The producer's view of its link with the buyer, if there is one."""
        customers = self.call("producer admin", "GET", "/producer/customers").json()["items"]
        found: dict[str, Any] | None = next((c for c in customers if c["buyer_id"] == BUYER), None)
        return found

    def sites(self) -> dict[str, int]:
        """The producer's sites: id → version."""
        items = self.call("producer admin", "GET", "/producer/sites").json()["items"]
        return {s["id"]: s["version"] for s in items}

    def create_site(self, who: str, name: str, country: str, sector: str, total: int) -> dict[str, Any]:
        body = {
            "name": name,
            "address": {},
            "country": country,
            "sector": sector,
            "workforce": {"total": total},
        }
        answer = self.call(who, "POST", "/producer/sites", body)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        assert (created["name"], created["country"], created["sector"]) == (name.strip(), country, sector)
        return created

    def update_site(self, who: str, site: str, name: str, version: int) -> Any:
        current = self.call(who, "GET", "/producer/sites/{site_id}", site_id=site).json()
        body = {
            **{k: current[k] for k in ("address", "country", "workforce", "certifications", "goods")},
            "sector": current["sector"] or self.sectors[0],
            "name": name,
            "version": version,
        }
        return self.call(who, "PUT", "/producer/sites/{site_id}", body, site_id=site)

    def decide(self, who: str, status: str, level: str | None, sites: Any, version: int) -> Any:
        body: dict[str, Any] = {"status": status, "sites": sites, "version": version}
        if level is not None:
            body["level"] = level
        return self.call(who, "PUT", "/producer/customers/{buyer_id}", body, buyer_id=BUYER)

    def check_supplier(self, who: str, link: dict[str, Any] | None, sites: Iterable[str]) -> None:
        """The buyer sees the supplier exactly as far as the link allows: nothing unless it is
        active; then its level, and the sites it names (or all of them)."""
        answer = self.call(who, "GET", "/buyer/suppliers/{producer_id}", producer_id=PRODUCER)
        if link is None or link["status"] != "active":
            assert answer.status_code == 404, answer.text
            return
        assert answer.status_code == 200, answer.text
        shown = answer.json()
        assert shown["level"] == link["level"]
        expected = set(sites) if link["sites"] == "all" else set(link["sites"]) & set(sites)
        assert {s["id"] for s in shown["sites"]} == expected


def run_story(
    schema: Any, base_url: str, logins: dict[str, Login], http: requests.Session, examples: int
) -> None:
    """The whole story in order, its values generated: a producer creates a site, reads it, updates
    it with its version and then with the stale one (409, with what is stored now); the producer
    ends the link; a buyer asks for access (202, a pending link), the producer grants a level for all sites
    or some (a producer member may not: 404), the buyer reads the supplier as far as the grant goes;
    the producer revokes, and the buyer sees nothing from the very next request."""
    steps = Steps(schema, base_url, logins, http)

    @given(
        maker=st.sampled_from(PRODUCERS),
        asker=st.sampled_from(BUYERS),
        name=steps.names,
        rename=steps.names,
        country=steps.countries,
        sector=st.sampled_from(steps.sectors),
        total=st.integers(0, 1_000_000),
        level=st.sampled_from(LEVELS),
        only_new=st.booleans(),
    )
    @repeatable(examples)
    def story(
        maker: str,
        asker: str,
        name: str,
        rename: str,
        country: str,
        sector: str,
        total: int,
        level: str,
        only_new: bool,
    ) -> None:
        site = steps.create_site(maker, name, country, sector, total)
        read = steps.call(maker, "GET", "/producer/sites/{site_id}", site_id=site["id"])
        assert (read.status_code, read.json()) == (200, site)
        updated = steps.update_site(maker, site["id"], rename, site["version"])
        assert updated.status_code == 200, updated.text
        assert (updated.json()["name"], updated.json()["version"]) == (rename.strip(), site["version"] + 1)
        stale = steps.update_site(maker, site["id"], name, site["version"])
        assert stale.status_code == 409, stale.text
        assert stale.json()["error"]["current"] == updated.json()

        link = steps.link()
        if link is not None and link["status"] in ("pending", "active"):
            ended = steps.decide("producer admin", "revoked", None, "all", link["version"])
            assert ended.status_code == 200, ended.text
        asked = steps.call(asker, "POST", "/buyer/links", {"site_id": site["id"]})
        assert (asked.status_code, asked.json()["request"]["status"]) == (202, "sent"), asked.text
        steps.check_supplier(asker, steps.link(), ())
        pending = steps.link()
        assert pending is not None
        sites = [site["id"]] if only_new else "all"
        refused = steps.decide("producer member", "active", level, sites, pending["version"])
        assert refused.status_code == 404, refused.text
        granted = steps.decide("producer admin", "active", level, sites, pending["version"])
        assert granted.status_code == 200, granted.text
        assert (granted.json()["level"], granted.json()["sites"]) == (level, sites)
        for buyer in BUYERS:
            steps.check_supplier(buyer, granted.json(), steps.sites())
        revoked = steps.decide("producer admin", "revoked", None, "all", granted.json()["version"])
        assert revoked.status_code == 200, revoked.text
        steps.check_supplier(asker, revoked.json(), ())

    story()


def supply_chain(steps: Steps) -> type[RuleBasedStateMachine]:
    """The same steps as a state machine, in any order hypothesis picks: sites created, read and
    updated (with the version, or a stale one: 409); links asked for by either buyer user, decided
    by either producer user (only the admin may: 404), read by either buyer user, each step
    against a model of what should happen."""
    producers, buyers = st.sampled_from(PRODUCERS), st.sampled_from(BUYERS)

    class SupplyChain(RuleBasedStateMachine):
        sites = Bundle("sites")

        def __init__(self) -> None:
            super().__init__()
            self.versions: dict[str, int] = {}  # site id → version
            self.link: dict[str, Any] | None = None  # the producer's view of the link, or None

        @initialize(target=sites)
        def known(self) -> Any:
            self.link, self.versions = steps.link(), steps.sites()
            return multiple(*self.versions)

        @rule(
            target=sites,
            who=producers,
            name=steps.names,
            country=steps.countries,
            sector=st.sampled_from(steps.sectors),
            total=st.integers(0, 1_000_000),
        )
        def create_site(self, who: str, name: str, country: str, sector: str, total: int) -> str:
            created = steps.create_site(who, name, country, sector, total)
            self.versions[created["id"]] = created["version"]
            return str(created["id"])

        @rule(who=producers, site=sites)
        def read_site(self, who: str, site: str) -> None:
            answer = steps.call(who, "GET", "/producer/sites/{site_id}", site_id=site)
            assert answer.status_code == 200, answer.text
            assert answer.json()["version"] == self.versions[site]

        @rule(who=producers, site=sites, name=steps.names, stale=st.booleans())
        def update_site(self, who: str, site: str, name: str, stale: bool) -> None:
            version = self.versions[site] - (1 if stale else 0)
            answer = steps.update_site(who, site, name, version)
            if stale:
                assert answer.status_code == 409, answer.text
                assert answer.json()["error"]["current"]["version"] == self.versions[site]
            else:
                assert answer.status_code == 200, answer.text
                assert answer.json()["version"] == self.versions[site] + 1
                assert answer.json()["name"] == name.strip()
                self.versions[site] = answer.json()["version"]

        @rule(who=buyers, site=sites)
        def request_link(self, who: str, site: str) -> None:
            before = self.link["status"] if self.link else None
            answer = steps.call(who, "POST", "/buyer/links", {"site_id": site})
            # the same answer whatever the link's state: the buyer learns nothing of the producer
            assert (answer.status_code, answer.json()["request"]["status"]) == (202, "sent"), answer.text
            self.link = steps.link()
            assert self.link is not None
            assert self.link["status"] == (before if before in ("pending", "active") else "pending")

        @rule(
            who=producers,
            status=st.sampled_from(["active", "declined", "revoked"]),
            level=st.none() | st.sampled_from(LEVELS),
            some=st.none() | st.integers(1, 3),
            stale=st.booleans(),
        )
        def decide(self, who: str, status: str, level: str | None, some: int | None, stale: bool) -> None:
            sites = "all" if some is None else sorted(self.versions)[:some]
            version = (self.link["version"] if self.link else 1) - (1 if stale else 0)
            answer = steps.decide(who, status, level, sites, version)
            if who == "producer member" or self.link is None:
                expected = 404  # a producer admin decides; there is nothing to decide without a request
            elif status == "active" and level is None:
                expected = 422
            elif status == "declined" and self.link["status"] not in ("pending", "declined"):
                expected = 422  # a request is declined, a grant revoked
            else:
                expected = 409 if stale else 200
            assert answer.status_code == expected, (expected, answer.text)
            if expected == 200:
                decided = answer.json()
                assert (decided["status"], decided["sites"]) == (status, sites)
                assert decided["level"] == (level if status == "active" else None)
                self.link = steps.link()
                assert self.link == decided

        @rule(who=buyers)
        def read_supplier(self, who: str) -> None:
            steps.check_supplier(who, self.link, self.versions)

    return SupplyChain


def run_supply_chain(
    schema: Any, base_url: str, logins: dict[str, Login], http: requests.Session, examples: int, steps: int
) -> None:
    run_state_machine_as_test(
        supply_chain(Steps(schema, base_url, logins, http)),
        settings=repeatable(examples, stateful_step_count=steps),
    )


# -- the local stack, with the demo world ------------------------------------------------------------
@contextmanager
def demo_stack(snapshot: Path | None = None) -> Iterator[LocalStack]:
    """The local stack on loopback with the demo world: restored from a snapshot of a seeded world
    when there is one (a second or two), else seeded (slower: password hashes, documents). The
    process environment is put back afterwards (the stack points it at its own embedded AWS)."""
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        os.environ["OUTBOX_DIR"] = str(Path(folder) / "outbox")  # e-mail as files, not through SES
        restore = snapshot is not None and snapshot.exists()
        try:
            with LocalStack(site_dir=None, data_dir=None, seed=not restore) as stack:
                if restore:
                    assert snapshot is not None
                    stack.aws.restore(snapshot)
                yield stack
        finally:
            os.environ.clear()
            os.environ.update(saved)


def load_schema(base_url: str) -> Any:
    """The document as the running API serves it."""
    return schemathesis.openapi.from_url(f"{base_url}{API}/openapi.json")


# -- make soak ---------------------------------------------------------------------------------------
def run_all(base_url: str, examples: int, tally: Tally, steps: int = 20) -> None:
    """Everything, in the order that keeps the sessions alive while they are needed: the operations,
    the stateful run, then the session-ending operations, then the login (anonymous: its failures
    count towards this client's login throttle). Failures are collected in the tally."""
    schema, http = load_schema(base_url), http_session()
    logins = log_in_everyone(base_url, http)

    def each(labels: Iterable[str], who: Iterable[Login]) -> None:
        for label in labels:
            method, path = label.split(" ", 1)
            try:
                fuzz(schema[path][method], base_url, who, http, examples, tally)
            except Exception as failure:  # an AssertionError, or hypothesis' Flaky…
                tally.failures[label] = str(failure)

    each([label for label in operation_labels() if label not in LAST], logins.values())
    for kind in EDGE_KINDS:
        try:
            fuzz_edge(kind, base_url, logins.values(), http, examples, tally)
        except Exception as failure:
            tally.failures[f"edge: {kind}"] = str(failure)
    stories = max(1, examples // 5)
    stateful: dict[str, Callable[[], None]] = {
        "stateful: a site and a link from start to end": partial(
            run_story, schema, base_url, logins, http, stories
        ),
        "stateful: sites and links in any order": partial(
            run_supply_chain, schema, base_url, logins, http, stories, steps
        ),
    }
    for name, run in stateful.items():
        try:
            run()
        except Exception as failure:
            tally.failures[name] = str(failure)
    each(SESSION_ENDING, logins.values())
    each(LOGIN, [logins["anonymous"]])


def main(examples: int | None = None, out: Callable[[str], None] = print) -> int:
    if examples is None:
        examples = int(sys.argv[1]) if len(sys.argv) > 1 else examples_from_environment(25)
    started = time.perf_counter()
    tally = Tally()
    with demo_stack() as stack:
        ready = time.perf_counter()
        run_all(stack.url, examples, tally)
    took = time.perf_counter() - started
    out(
        f"schemathesis {schemathesis.__version__}: {tally.operations} operations × up to {examples} "
        f"examples per generation mode = {tally.examples} examples, {tally.requests} requests as "
        f"{len(ACTORS)} actors; stateful: {max(1, examples // 5)} stories, {max(1, examples // 5)} runs of up to 20 steps: "
        f"{took:.0f} s ({ready - started:.0f} s to start the stack)"
    )
    out("statuses: " + ", ".join(f"{s}×{n}" for s, n in sorted(tally.statuses.items())))
    out(f"failures: {len(tally.failures)}")
    for label, failure in tally.failures.items():
        out(f"\n== {label}\n{failure[:4000]}")
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
