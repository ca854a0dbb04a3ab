"""The upload check of a PDF just under the 25 MiB limit (pages of incompressible noise images):
median time of `uploads.check`, beside the file's size and page count."""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from infra.template import ROOT

CACHE = ROOT / ".local" / "bench" / "upload-limit.pdf"
SIDE = 300  # a 300 × 300 noise image is about 270 KB in the PDF: some 95 pages
MARGIN = 512 * 1024  # "just under" the limit: within this of it


def _build(pages: int, path: Path) -> int:
    from fpdf import FPDF
    from PIL import Image

    rng = random.Random(25)  # noqa: S311 - image noise, not a secret
    document = FPDF()
    document.set_font("helvetica", size=12)
    for number in range(1, pages + 1):
        document.add_page()
        document.cell(text=f"Evidence photo {number}")
        noise = Image.frombytes("RGB", (SIDE, SIDE), rng.randbytes(SIDE * SIDE * 3))
        document.image(noise, x=10, y=20, w=190)
    document.output(str(path))
    return path.stat().st_size


def limit_pdf() -> Path:
    """A PDF between MAX_BYTES − MARGIN and MAX_BYTES, built once and kept under .local/bench/."""
    from portal.uploads import MAX_BYTES

    if CACHE.exists() and MAX_BYTES - MARGIN <= CACHE.stat().st_size <= MAX_BYTES:
        return CACHE
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    one, two = _build(1, CACHE), _build(2, CACHE)
    pages = (MAX_BYTES - (one - (two - one))) // (two - one)
    while (size := _build(pages, CACHE)) > MAX_BYTES:
        pages -= 1
    if size < MAX_BYTES - MARGIN:
        raise RuntimeError(f"{pages} pages make {size} bytes, not within {MARGIN} bytes of the limit")
    return CACHE


def handler_time(path: Path, runs: int = 3) -> list[float]:
    """The whole UploadCheckFunction on the local stack: S3 read, content check, move to documents/,
    DynamoDB transaction. Each run uploads the file for a new audit (in-process gateway, moto), then
    times the handler on the "Object Created" event."""
    import os
    import tempfile
    import uuid

    from infra.local.aws import LocalAws
    from infra.local.gateway import Gateway, s3_object_created
    from infra.seed import DEMO_USERS, seed
    from portal.store.models import DocumentHash
    from tests.support import Api

    content = path.read_bytes()
    times = []
    with LocalAws() as aws:
        aws.create_resources()
        aws.activate()
        bucket = aws.environment()["REPORTS_BUCKET"]
        os.environ.update(OUTBOX_DIR=tempfile.mkdtemp(), UPLOAD_URL=f"http://bench/_local/s3/{bucket}")
        seed()
        gateway = Gateway(aws.template)
        gateway.upload_checkers = []  # the bench delivers the event itself, to time the handler alone
        producer = Api(gateway)
        producer.login(DEMO_USERS[3].email, DEMO_USERS[3].password)
        checker = gateway.functions[aws.template.s3_event_functions[0]]
        for _ in range(runs):
            created = producer.post(
                "/producer/audits",
                {
                    "request_id": str(uuid.uuid4()),
                    "site_id": "ZS-4KQ7-TR1",
                    "audit_type": "smeta_4",
                    "audit_date": "2026-09-01",
                    "audit_company": "Bench",
                    "reference": "RPT-2026-0915",
                    "announcement": "semi_announced",
                    "lead_auditor": "Deniz Aksoy",
                    "pillars": ["labour"],
                    "file_name": "bench.pdf",
                    "content_type": "application/pdf",
                    "size_bytes": len(content),
                },
            ).json()
            form = created["upload"]
            key = form["fields"]["key"]
            aws.client("s3").put_object(Bucket=bucket, Key=key, Body=content, ContentType="application/pdf")
            event = s3_object_created(bucket, key, len(content), "127.0.0.1")
            started = time.perf_counter()
            result = checker.invoke(event)
            times.append((time.perf_counter() - started) * 1000)
            if result["checked"][0]["status"] != "available":
                raise RuntimeError(f"the bench upload was not accepted: {result}")
            for claim in DocumentHash.scan():  # the same file again next run (a bench-only Scan)
                claim.delete()
    return times


def main(runs: int = 5) -> float:
    from portal.uploads import check

    path = limit_pdf()
    size = path.stat().st_size
    times = []
    for _ in range(runs):
        with path.open("rb") as stream:
            started = time.perf_counter()
            verdict = check(stream, size, "audit_report")
            times.append((time.perf_counter() - started) * 1000)
        if not verdict.ok:
            raise RuntimeError(f"the bench PDF was refused: {verdict.reason}")
    median = statistics.median(times)
    print(
        f"Upload check of a {size / 1024 / 1024:.2f} MiB PDF ({size} bytes, {verdict.pages} pages), "
        f"median of {runs}: content check {median:.0f} ms"
    )
    whole = handler_time(path)
    print(
        f"  the whole upload-check handler on the local stack (S3 read, check, move, DynamoDB), "
        f"median of {len(whole)}: {statistics.median(whole):.0f} ms"
    )
    return median


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
