"""API tests: the Lambda entry points in-process, behind the local gateway, on an embedded moto."""

from __future__ import annotations

import os
import urllib.request

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
def tables(aws):
    """Empty tables and buckets, as template.yaml declares them, for each test."""
    aws.activate()  # another test may have started its own embedded AWS
    urllib.request.urlopen(urllib.request.Request(f"{aws.endpoint}/moto-api/reset", method="POST")).close()  # noqa: S310
    aws.create_resources()
    return aws


@pytest.fixture
def api(tables):
    return Api(Gateway(tables.template, inline_events=True))


@pytest.fixture(scope="session")
def seeded_state(tmp_path_factory) -> dict:
    """The demo world is seeded once per session and snapshotted; each test restores the snapshot
    (about a tenth of the time seeding takes: no password hashing, no document generation)."""
    return {"path": tmp_path_factory.mktemp("seeded") / "state.json", "ready": False}


@pytest.fixture
def world(api, tables, tmp_path, seeded_state):
    """The demo world (users, courses, documents, producer data) with e-mail going to tmp_path/outbox."""
    from infra.seed import seed

    os.environ["OUTBOX_DIR"] = str(tmp_path / "outbox")
    os.environ["SITE_URL"] = "http://portal.test"
    os.environ["UPLOAD_URL"] = f"http://portal.test/_local/s3/{tables.environment()['REPORTS_BUCKET']}"
    tables.activate()
    if seeded_state["ready"]:
        tables.restore(seeded_state["path"])
    else:
        seed()
        tables.snapshot(seeded_state["path"])
        seeded_state["ready"] = True
    yield api
    os.environ.pop("OUTBOX_DIR")
