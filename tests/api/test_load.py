"""The bounded load test: 20 members, buyers, producers and visitors at once for 15 s on loopback,
with no errors, and nothing acknowledged lost (infra/load; `python -m infra.load.run` is the full run).
Locust runs in a subprocess: it monkey-patches the standard library with gevent."""

from __future__ import annotations

import pytest

from infra.load.run import WEIGHTS, run, split

USERS, SPAWN_RATE, SECONDS = 20, 20, 15


def test_users_are_split_by_weight_and_every_kind_is_there():
    assert split(USERS) == {"member": 8, "buyer": 6, "producer": 4, "visitor": 2}
    for users in range(1, 60):
        counts = split(users)
        assert sum(counts.values()) == users
        if users >= len(WEIGHTS):
            assert min(counts.values()) >= 1


@pytest.mark.slow
def test_many_members_at_once_without_errors_or_lost_writes(tmp_path):
    result = run(USERS, SPAWN_RATE, SECONDS, workdir=tmp_path)
    report = result.report()
    print(report)

    assert result.errors == {}, report  # no 5xx, no unexpected 4xx, no connection errors
    assert result.verification.ok, report
    checked = result.verification.checked
    # every kind of write happened (each simulated user makes one as it starts) and was checked
    assert checked["applications"] >= 1, report
    assert checked["links"] >= 1, report
    assert checked["SAQ saves"] >= 1, report
    assert any(k.startswith("course ") for k in result.outcomes), report
    assert result.requests > USERS * 3, report
