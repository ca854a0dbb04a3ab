"""Faults, as an operator sees them on a bad day: DynamoDB throttling and outages, S3 and SES errors,
and a crash between two steps. The API answers 503 with Retry-After where trying again helps, in
the reader's language; nothing is left half-written; a retried event finishes the work."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient
from botocore.exceptions import ClientError, EndpointConnectionError

from portal.store.models import Document, PortalItem, RiskCell, RiskView, SaqVersion, Site
from tests.api.test_sharing import ANATOLIA, NORDLYS
from tests.api.test_supply import complete_answers, pdf, upload
from tests.support import logged_in


@contextmanager
def failing(service: str, operation: str, code: str = "ProvisionedThroughputExceededException",
            times: int = 1_000, after: int = 0) -> Iterator[list[str]]:  # fmt: skip
    """`operation` of `service` fails with `code` (or the connection, for code "connection"),
    after `after` calls have gone through, `times` times; the list records each failure."""
    original = BaseClient._make_api_call
    seen, failed = [0], []

    def maybe_fail(client: BaseClient, name: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == service and name == operation:
            seen[0] += 1
            if seen[0] > after and len(failed) < times:
                failed.append(name)
                if code == "connection":
                    raise EndpointConnectionError(endpoint_url="https://dynamodb.eu-north-1.amazonaws.com")
                raise ClientError({"Error": {"Code": code, "Message": "injected"}}, name)
        return original(client, name, params)

    with mock.patch.object(BaseClient, "_make_api_call", maybe_fail):
        yield failed


def stored(items: Any) -> dict[Any, Any]:
    """Items as stored, by key (without `created_at`, which a cell made by an update lacks and
    pynamodb fills with "now" when reading it)."""
    return {(i.pk, i.sk): {k: v for k, v in i.to_simple_dict().items() if k != "created_at"} for i in items}


def snapshot() -> dict[Any, Any]:
    """Everything in the table, for "nothing changed" comparisons."""
    return stored(PortalItem.scan())


def test_throttled_reads_answer_503_with_retry_after_in_the_readers_language(world):
    kari = logged_in(world, NORDLYS)
    with failing("dynamodb", "Query") as failed:
        answer = kari.get("/risk/overview", language="en")
    assert failed
    assert answer.status == 503
    assert answer.header("retry-after") == "1"
    assert answer.json()["error"]["code"] == "service_unavailable"
    assert "try again" in answer.json()["error"]["message"].lower()
    assert kari.get("/risk/overview").status == 200  # the next try succeeds


def test_a_lost_connection_is_503_too(world):
    kari = logged_in(world, NORDLYS)
    with failing("dynamodb", "Query", code="connection"):
        answer = kari.get("/buyer/suppliers")
    assert (answer.status, answer.header("retry-after")) == (503, "1")


def test_a_throttled_saq_submission_writes_nothing_and_can_be_retried(world):
    ayse = logged_in(world, ANATOLIA)
    site_id = "ZS-4KQ7-TR2"  # its SAQ is a draft, half done
    draft = ayse.get(f"/producer/sites/{site_id}/saq").json()["draft"]
    saved = ayse.call(
        "PUT",
        f"/producer/sites/{site_id}/saq/draft",
        {"answers": complete_answers(), "version": draft["version"]},
    )
    assert saved.status == 200, saved.body
    version = saved.json()["draft"]["version"]
    before = snapshot()

    with failing("dynamodb", "TransactWriteItems") as failed:
        refused = ayse.post(f"/producer/sites/{site_id}/saq/submit", {"version": version})
    assert failed
    assert refused.status == 503
    assert snapshot() == before  # no version, no count, no score, no view: all or nothing

    done = ayse.post(f"/producer/sites/{site_id}/saq/submit", {"version": version})
    assert done.status in (200, 201), done.body
    site = Site.get(*Site.key("org-anatolia", site_id))
    assert site.saq_versions == 1
    assert site.risk["saq"]
    assert SaqVersion.get(*SaqVersion.key("org-anatolia", site_id, 1))
    # The customer's view moved with the score, in the same transaction.
    assert RiskView.get(*RiskView.key("org-nordlys", site_id)).scores == site.risk["scores"]


def test_a_site_save_that_fails_leaves_score_counts_and_views_as_they_were(world):
    ayse = logged_in(world, ANATOLIA)
    site = ayse.get("/producer/sites/ZS-4KQ7-TR1").json()
    body = {k: site[k] for k in ("name", "address", "country", "sector", "certifications", "goods")}
    body |= {
        "workforce": {**site["workforce"], "agency": site["workforce"]["total"]},
        "version": site["version"],
    }
    cells, views = stored(RiskCell.query("RISKSTATS")), stored(RiskView.query("ORG#org-nordlys"))

    with failing("dynamodb", "TransactWriteItems", code="InternalServerError"):
        assert ayse.call("PUT", "/producer/sites/ZS-4KQ7-TR1", body).status == 503

    assert ayse.get("/producer/sites/ZS-4KQ7-TR1").json()["version"] == site["version"]
    assert stored(RiskCell.query("RISKSTATS")) == cells
    assert stored(RiskView.query("ORG#org-nordlys")) == views
    assert ayse.call("PUT", "/producer/sites/ZS-4KQ7-TR1", body).status == 200  # the same request again


def new_audit(person, content: bytes) -> dict:
    """An audit registered, its report not yet uploaded: the presigned form and the audit's id."""
    body = {
        "request_id": str(uuid.uuid4()), "site_id": "ZS-4KQ7-TR1", "audit_type": "smeta_4",
        "audit_date": "2026-09-15", "audit_company": "Intertek", "reference": "RPT-2026-0915",
        "announcement": "semi_announced", "lead_auditor": "Deniz Aksoy", "pillars": ["labour", "health_safety"],
        "file_name": "smeta-2026.pdf", "content_type": "application/pdf", "size_bytes": len(content),
    }  # fmt: skip
    created = person.post("/producer/audits", body)
    assert created.status == 201, created.body
    return {"id": created.json()["audit"]["id"], "upload": created.json()["upload"]}


def report_status(person, audit_id: str) -> str:
    return person.get(f"/producer/audits/{audit_id}").json()["document"]["status"]


def test_an_upload_check_that_crashes_between_steps_is_finished_by_the_retried_event(world):
    from portal.adapters import files

    ayse = logged_in(world, ANATOLIA)
    content = pdf("Revisjonsrapport etter en dårlig dag")
    audit = new_audit(ayse, content)
    # The check copies the file to documents/, then marks the document available: the first two
    # tries crash right after the copy (DynamoDB is down), the third (Lambda's last retry) succeeds.
    with failing("dynamodb", "TransactWriteItems", code="ServiceUnavailable", times=2) as failed:
        assert upload(ayse, audit["upload"], content, "application/pdf") in (200, 201, 204)
    assert len(failed) == 2
    assert world.gateway.failed_events == []
    assert report_status(ayse, audit["id"]) == "available"
    document = next(d for d in Document.scan() if d.audit_id == audit["id"])
    assert files.open_object(document.object_key).read() == content  # the file is where it says
    assert not files.s3_client().list_objects_v2(Bucket=_bucket(), Prefix="quarantine/").get("Contents")


def test_an_upload_check_that_keeps_failing_leaves_the_upload_waiting_not_lost(world):
    ayse = logged_in(world, ANATOLIA)
    content = pdf("S3 svarer ikke")
    audit = new_audit(ayse, content)
    with failing("s3", "GetObject", code="SlowDown") as failed:
        assert upload(ayse, audit["upload"], content, "application/pdf") in (200, 201, 204)
    assert len(failed) == 3  # the first try and Lambda's two retries
    assert len(world.gateway.failed_events) == 1  # kept aside, as the on-failure destination keeps it
    assert report_status(ayse, audit["id"]) == "uploading"  # still waiting: nothing half-accepted
    world.gateway.deliver(world.gateway.functions["UploadCheckFunction"], world.gateway.failed_events.pop())
    assert report_status(ayse, audit["id"]) == "available"


def _bucket() -> str:
    from portal.settings import current

    return current().reports_bucket


def test_a_cancelled_seat_is_cancelled_even_when_the_promotion_mail_cannot_be_sent(world, monkeypatch):
    """The seat goes to the first in line in the cancellation's transaction; the e-mail telling
    them is a notice: SES refusing it must not turn a done cancellation into an error."""
    from infra.seed import DEMO_USERS
    from portal.adapters import mail

    kari, ola = (
        logged_in(world, NORDLYS),
        logged_in(world, DEMO_USERS[2]),
    )  # the full course: Kari has its seat
    waiting = ola.post("/courses/nettverk-tekstil/registration")
    assert waiting.json()["status"] == "waiting", waiting.body

    def refused(*_: object, **__: object) -> None:
        raise ClientError({"Error": {"Code": "Throttling", "Message": "injected"}}, "SendEmail")

    monkeypatch.setattr(mail, "send", refused)
    answer = kari.call("DELETE", "/courses/nettverk-tekstil/registration")
    assert answer.status in (200, 204), answer.body
    mine = {c["id"]: c for c in ola.get("/courses").json()["items"]}["nettverk-tekstil"]
    assert mine["my_status"] == "registered"  # the seat went to Ola all the same
