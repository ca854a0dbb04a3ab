"""Use-case tests: the use-case functions called directly, on an embedded moto, each test on a small
world it arranges itself (a producer, a buyer, a site) — no HTTP gateway, no browser, no demo seed."""

from __future__ import annotations

import os

import pytest

from infra.local.aws import LocalAws
from tests.usecases.world import Member, member


@pytest.fixture(scope="session")
def aws():
    with LocalAws() as local:
        local.activate()
        yield local


@pytest.fixture(autouse=True)
def tables(aws, tmp_path):
    """Empty tables and buckets, as template.yaml declares them; e-mail goes to tmp_path/outbox."""
    os.environ["OUTBOX_DIR"] = str(tmp_path / "outbox")  # before activate(): the settings read it
    os.environ["SITE_URL"] = "http://portal.test"
    os.environ["UPLOAD_URL"] = f"http://portal.test/_local/s3/{aws.environment()['REPORTS_BUCKET']}"
    aws.activate()
    aws.reset()
    aws.create_resources()
    yield aws
    os.environ.pop("OUTBOX_DIR")


@pytest.fixture
def producer() -> Member:
    return member("producer", "Anatolia Tekstil A.Ş.", "TR")


@pytest.fixture
def buyer() -> Member:
    return member("buyer", "Nordlys Dagligvare AS")
