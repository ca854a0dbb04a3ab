"""API tests: the Lambda entry points in-process, behind the local gateway, on an embedded moto."""

from __future__ import annotations

import os

import pytest

from infra.local.aws import LocalAws
from infra.local.gateway import Gateway
from tests.support import Api


@pytest.fixture(scope="session")
def aws():
    with LocalAws() as local:
        local.activate()
        yield local


@pytest.fixture
def tables(aws, seeded_state):
    """Empty tables and buckets, as template.yaml declares them, for each test."""
    aws.activate()  # another test may have started its own embedded AWS
    if seeded_state["empty"]:
        aws.put_back("empty")  # one call to the moto process: its state as it was kept, in memory
    else:
        aws.reset()
        aws.create_resources()
        aws.keep("empty")
        seeded_state["empty"] = True
    return aws


@pytest.fixture
def api(tables):
    return Api(Gateway(tables.template, inline_events=True))


@pytest.fixture(scope="session")
def seeded_state(tmp_path_factory) -> dict:
    """The demo world is seeded once per session (per xdist worker: each has its own moto) and kept
    in the moto process's memory; each test puts it back in one call (a few ms, where writing it
    back item by item took about 270 ms). It is also written to a file, for the tests that start a
    stack of their own with the same world (test_schemathesis)."""
    return {"path": tmp_path_factory.mktemp("seeded") / "state.json", "ready": False, "empty": False}


@pytest.fixture
def world(api, tables, tmp_path, seeded_state):
    """The demo world (users, courses, documents, producer data) with e-mail going to tmp_path/outbox."""
    from infra.seed import seed

    os.environ["OUTBOX_DIR"] = str(tmp_path / "outbox")
    os.environ["SITE_URL"] = "http://portal.test"
    os.environ["UPLOAD_URL"] = f"http://portal.test/_local/s3/{tables.environment()['REPORTS_BUCKET']}"
    tables.activate()
    if seeded_state["ready"]:
        tables.put_back("world")
    else:
        seed()
        tables.snapshot(seeded_state["path"])
        tables.keep("world")
        seeded_state["ready"] = True
    yield api
    os.environ.pop("OUTBOX_DIR")
