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


@pytest.fixture
def world(api, tables, tmp_path):
    """The demo world (users, courses, documents) with e-mail going to tmp_path/outbox."""
    from infra.seed import seed

    os.environ["OUTBOX_DIR"] = str(tmp_path / "outbox")
    os.environ["SITE_URL"] = "http://portal.test"
    os.environ["UPLOAD_URL"] = f"http://portal.test/_local/s3/{tables.environment()['REPORTS_BUCKET']}"
    tables.activate()
    seed()
    yield api
    os.environ.pop("OUTBOX_DIR")
