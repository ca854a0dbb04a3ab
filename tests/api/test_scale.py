"""The same pages cost the same DynamoDB calls in a small and a ten times larger world, and no
request path uses a Scan. (Bounded: scales 0.005 and 0.05; `make bench` measures 0.1 and 1.)"""

from __future__ import annotations

import re
import urllib.request

import pytest

from infra.bench.scale import login_body, measure
from infra.generate import generate
from infra.local.gateway import Gateway
from tests.support import Api


def calls_per_route(tables) -> dict[tuple[str, str], list[str]]:
    api = Api(Gateway(tables.template, inline_events=True))
    people: dict[str, Api] = {}

    def get(actor: str, path: str) -> bytes:
        if actor != "anonymous" and actor not in people:
            person = Api(api.gateway)
            body = login_body(actor)
            assert person.login(body.pop("email"), body.pop("password"), **body).status == 200, actor
            people[actor] = person
        route, _, query = path.partition("?")
        answer = (people.get(actor) or api).get(route, query=query)
        assert answer.status == 200, (actor, path, answer.status, answer.body[:300])
        return answer.body

    # The same page for another producer or site at the other size: named by its route's pattern.
    return {(m.actor, re.sub(r"ZS-[\w-]+", "{site_id}", re.sub(r"gen-p\d+", "{producer_id}", m.route))): m.calls
            for m in measure(get, runs=0)}  # fmt: skip


def reset(tables) -> None:
    urllib.request.urlopen(urllib.request.Request(f"{tables.endpoint}/moto-api/reset", method="POST")).close()  # noqa: S310
    tables.create_resources()


@pytest.mark.slow  # generates two worlds (scales 0.005 and 0.05) and measures every page in each
def test_the_same_pages_cost_the_same_calls_at_ten_times_the_size_and_never_a_scan(tables):
    generate(0.005, progress=lambda line: None)
    small = calls_per_route(tables)
    reset(tables)
    generate(0.05, progress=lambda line: None)
    large = calls_per_route(tables)

    assert small.keys() == large.keys()
    assert len(small) >= 20
    differ = {route: (small[route], large[route]) for route in small if small[route] != large[route]}
    assert not differ
    assert not [route for route, calls in large.items() if "Scan" in calls]
    assert large[("bench-buyer-1@generated.example", "/risk/overview")] == [
        "GetItem",
        "Query",
        "BatchGetItem",
    ]
