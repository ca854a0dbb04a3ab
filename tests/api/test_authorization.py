"""The authorization matrix (portal/data/authorization.json), route by route and actor by actor.

Every route is called by every kind of actor: those the matrix does not admit must get 401
(no session) or 404 (a session, but not theirs to see) — never a hint of what is behind it.
"""

from __future__ import annotations

import re

from infra.seed import DEMO_USERS
from portal.policy import ANONYMOUS, matrix
from tests.support import Api, browser, fresh_totp_code

STAFF, BUYER_ADMIN, BUYER_MEMBER, PRODUCER_ADMIN = DEMO_USERS[:4]
AUDITOR_ADMIN, AUDITOR = (
    next(u for u in DEMO_USERS if u.email == e)
    for e in ("sofie@nordicaudit.example", "jonas@nordicaudit.example")
)
ACTORS = {  # who → (demo user, the kinds the policy gives that user)
    ANONYMOUS: (None, {ANONYMOUS}),
    "buyer member": (BUYER_MEMBER, {"member", "buyer", "request_handler"}),  # Ola handles the requests
    "buyer admin": (BUYER_ADMIN, {"member", "org_admin", "buyer", "buyer_admin", "request_handler"}),
    "producer admin": (
        PRODUCER_ADMIN,
        {"member", "org_admin", "producer", "producer_admin", "request_handler"},
    ),
    "producer member": (DEMO_USERS[6], {"member", "producer"}),
    "auditor admin": (AUDITOR_ADMIN, {"member", "org_admin", "auditor", "auditor_admin"}),
    "auditor": (AUDITOR, {"member", "auditor"}),
    "staff": (STAFF, {"staff"}),
}


def session_of(world: Api, who) -> Api:
    person = browser(world)
    if who is not None:
        extra = {"totp_code": fresh_totp_code(who.email, who.totp_secret)} if who.totp_secret else {}
        assert person.login(who.email, who.password, **extra).status == 200
    return person


def test_every_route_admits_exactly_the_actors_of_the_matrix(world):
    # Logout ends the caller's session, so it goes last.
    routes = sorted(matrix().items(), key=lambda item: item[0] == "POST /auth/logout")
    wrong = []
    for kind, (who, kinds) in ACTORS.items():
        person = session_of(world, who)
        for route, rule in routes:
            method, path = route.split(" ", 1)
            concrete = re.sub(r"\{\w+\}", "no-such-thing", path)
            body = {} if method in ("POST", "PATCH", "PUT") else None
            answer = person.call(method, concrete, body)
            admitted = bool(rule.actors & kinds) or ANONYMOUS in rule.actors
            if admitted:
                ok = answer.status not in (401, 403) and ("{" in path or answer.status != 404)
            else:
                ok = answer.status == (401 if who is None else 404)
            if not ok:
                wrong.append(f"{kind:14} {route}: {answer.status}")
    assert wrong == []
