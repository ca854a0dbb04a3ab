"""Schemathesis over the whole OpenAPI document, as each kind of actor, against the local stack on
loopback: generated requests for every operation, sent as nobody, a buyer member and admin, a
producer member and admin, and IEH staff with their second factor. No answer may be a 5xx, contradict
the document, or disagree with the authorization matrix. A hand-made stateful run (the document has
no OpenAPI links) follows sites and links step by step. infra/bench/schemathesis_run.py holds the
run, and says which schemathesis checks are left out and why.

Bounded here: SCHEMATHESIS_EXAMPLES examples per operation and generation mode (default 2),
derandomized, so CI sees the same run every time; `python -m infra.bench.schemathesis_run` (for
`make soak`) runs the same with many more. The session-ending operations and the login go last,
in that order (see LAST).
"""

from __future__ import annotations

import pytest

from infra.bench.schemathesis_run import (
    API,
    EDGE_KINDS,
    LAST,
    LOGIN,
    SESSION_ENDING,
    Tally,
    demo_stack,
    document,
    examples_from_environment,
    fuzz,
    fuzz_edge,
    http_session,
    load_schema,
    log_in,
    log_in_everyone,
    operation_labels,
    routable,
    run_story,
    run_supply_chain,
)
from portal.policy import ANONYMOUS, matrix

pytestmark = pytest.mark.slow

EXAMPLES = examples_from_environment()
FIRST = [label for label in operation_labels() if label not in LAST]


@pytest.fixture(scope="module")
def stack(seeded_state):
    """The whole stack on a loopback port, with the demo world: restored from the snapshot that the
    API tests' `world` fixture takes when one was taken in this session, else seeded."""
    with demo_stack(seeded_state["path"] if seeded_state["ready"] else None) as running:
        yield running


@pytest.fixture(scope="module")
def http():
    with http_session() as session:
        yield session


@pytest.fixture(scope="module")
def schema(stack):
    return load_schema(stack.url)


@pytest.fixture(scope="module")
def logins(stack, http):
    return log_in_everyone(stack.url, http)


# -- regressions: what schemathesis found ---------------------------------------------------------
def test_every_operation_documents_its_success_and_its_errors():
    """Given `responses`, Powertools used to leave out a route's own answer: most operations
    documented no 2xx at all, and none documented 401, 403 or 404 (see ERRORS in schemas.py)."""
    missing = []
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            label, responses = f"{method.upper()} {path}", operation["responses"]
            successes = [status for status in responses if status.startswith("2")]
            if not successes:
                missing.append(f"{label}: no 2xx")
            for status in successes:
                media = responses[status].get("content", {}).values()
                if status not in ("202", "204") and not any("schema" in m for m in media):
                    missing.append(f"{label}: {status} has no body schema")
            errors = ["422"]
            if ANONYMOUS not in matrix()[f"{method.upper()} {path.removeprefix(API)}"].actors:
                errors += ["401", "403", "404"]
            missing.extend(f"{label}: no {status}" for status in errors if status not in responses)
    assert missing == []


def test_a_body_that_is_not_utf8_is_a_bad_request_not_a_server_error(stack, http, logins):
    """API Gateway hands a function such a body in base64; Powertools' decoding of it raised
    UnicodeDecodeError, answered 500 (found by schemathesis' negative data)."""
    for who, path in (
        ("anonymous", "/membership-applications"),
        ("buyer admin", "/buyer/links"),
        ("producer admin", "/producer/sites"),
    ):
        answer = http.post(
            f"{stack.url}{API}{path}",
            data=b"\x91\xdc{}",
            headers={**logins[who].headers, "Content-Type": "application/json"},
            timeout=30,
        )
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "bad_request"), who
    # …and the session check still comes first
    answer = http.post(
        f"{stack.url}{API}/buyer/links",
        data=b"\x91",
        headers={"X-CSRF-Token": "anonymous", "Content-Type": "application/json"},
        timeout=30,
    )
    assert answer.status_code == 401


def test_a_path_parameter_no_route_takes_is_not_found_for_everyone(stack, http, logins):
    """API Gateway passes any path parameter; Powertools routes only some characters in one. Such
    a path is not found before the session is read, so it is 404 even without a session (the
    matrix check in the run allows exactly that: routable()). A newline in it was answered by the
    local server itself, in plain text, outside the error shape (found by schemathesis)."""
    for route, path in (
        ("/producer/sites/{site_id}", "/producer/sites/%C2%8C"),
        ("/producer/sites/{site_id}/saq", "/producer/sites/a%0Ab/saq"),
    ):
        assert not routable(API + route, API + path)
        for who in ("anonymous", "producer admin"):
            answer = http.get(f"{stack.url}{API}{path}", headers=logins[who].headers, timeout=30)
            assert answer.headers["content-type"] == "application/json", (path, who)
            assert (answer.status_code, answer.json()["error"]["code"]) == (404, "not_found"), (path, who)


# -- the run ----------------------------------------------------------------------------------------
def test_the_served_document_is_the_one_the_operations_come_from(schema):
    assert schema.raw_schema == document()


@pytest.mark.parametrize("label", FIRST)
def test_generated_requests_as_every_actor(label, stack, schema, logins, http):
    method, path = label.split(" ", 1)
    fuzz(schema[path][method], stack.url, logins.values(), http, EXAMPLES)


@pytest.mark.parametrize("kind", EDGE_KINDS)
def test_the_edge_refuses_what_no_document_describes_in_the_error_shape(kind, stack, logins, http):
    """Deep nesting (a 500 from the JSON parser's RecursionError), JSON as another content type (a
    500 from Powertools), paths and methods no route takes: a 4xx in the error shape, for everyone.
    At least 10 examples: each kind draws from a few hundred shapes."""
    fuzz_edge(kind, stack.url, logins.values(), http, max(EXAMPLES, 10), Tally())


def test_a_site_and_a_link_from_start_to_end(stack, schema, logins, http):
    """Create a site → read it → update it with its version (a stale one: 409); a buyer asks for
    access → the producer decides → the buyer reads the supplier as far as the decision allows."""
    run_story(schema, stack.url, logins, http, examples=EXAMPLES)


def test_sites_and_links_in_any_order(stack, schema, logins, http):
    run_supply_chain(schema, stack.url, logins, http, examples=EXAMPLES, steps=8)


@pytest.mark.parametrize("label", SESSION_ENDING)
def test_session_ending_operations_go_last(label, stack, schema, logins, http):
    method, path = label.split(" ", 1)
    fuzz(schema[path][method], stack.url, logins.values(), http, EXAMPLES)
    if label.endswith("/auth/logout"):  # and logging out ended the session it was sent with
        for login in logins.values():
            answer = http.get(f"{stack.url}{API}/me", headers=login.headers, timeout=30)
            assert answer.status_code == 401, login.name


def test_login_goes_last(stack, schema, http):
    """Its failures count towards this client's login throttle, so nothing logs in after it."""
    [label] = LOGIN
    method, path = label.split(" ", 1)
    fuzz(schema[path][method], stack.url, [log_in(stack.url, "anonymous", None, http)], http, EXAMPLES)
