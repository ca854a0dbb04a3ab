"""Routes at scale: the same pages, as the generated world's bench actors, at two world sizes —
DynamoDB calls (the same at every size, and never a Scan), latency and bytes through the local
stack. `make bench` runs scales 1 and 10 (about 20 GiB of memory and an hour at 10×);
`python -m infra.bench.scale 0.1 1` any others."""

from __future__ import annotations

import json
import statistics
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from infra.generate import BENCH_PASSWORD, BENCH_STAFF, BENCH_TOTP

BUYER, PRODUCER = "bench-buyer-1@generated.example", "bench-producer@generated.example"  # 100 suppliers


def routes() -> dict[str, list[str]]:
    """Per actor, the GET routes a working day is made of, with ids from the generated world."""
    from portal.store.models import Link, Site

    links = [item for item in Link.by_gsi1.query("BUYER#gen-b0001#SUPPLIERS") if isinstance(item, Link)]
    supplier = next(link.producer_id for link in links if link.status == "active" and link.level == "audits")
    site = next(s.site_id for s in Site.query("ORG#gen-p000000", Site.sk.startswith("SITE#")))
    return {
        "anonymous": ["/stats", "/health"],
        BUYER: ["/me", "/buyer/suppliers", "/buyer/suppliers?sort=updated", f"/buyer/suppliers/{supplier}",
                f"/buyer/suppliers/{supplier}/audits", "/risk/overview", "/risk/overview?pillar=labour"],
        PRODUCER: ["/me", "/producer/profile", "/producer/sites", f"/producer/sites/{site}",
                   f"/producer/sites/{site}/saq", "/producer/audits", "/producer/customers",
                   "/producer/access-log", "/producer/risk"],
        BENCH_STAFF: ["/me", "/admin/applications", "/admin/risk/overview"],
    }  # fmt: skip


def login_body(who: str) -> dict[str, str]:
    import pyotp

    body = {"email": who, "password": BENCH_PASSWORD}
    if who == BENCH_STAFF:
        body["totp_code"] = pyotp.TOTP(BENCH_TOTP).now()
    return body


@dataclass
class Measured:
    actor: str
    route: str
    calls: list[str]
    median_ms: float
    p95_ms: float
    size: int


def measure(get: Callable[[str, str], bytes], runs: int) -> list[Measured]:
    """Each route as its actor: the DynamoDB calls of one request (after a warm-up), then `runs`
    timed requests."""
    from infra.local.metering import dynamodb_calls

    found = []
    for actor, paths in routes().items():
        for path in paths:
            get(actor, path)  # warm: imports, the session's sliding expiry
            with dynamodb_calls() as calls:
                body = get(actor, path)
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                get(actor, path)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            median = statistics.median(times) if times else 0.0
            p95 = times[max(0, int(runs * 0.95) - 1)] if times else 0.0
            found.append(Measured(actor, path, calls, median, p95, len(body)))
    return found


def _http(url: str) -> Callable[[str, str], bytes]:
    cookies: dict[str, str] = {}

    def get(actor: str, path: str) -> bytes:
        headers = {}
        if actor != "anonymous":
            if actor not in cookies:
                request = urllib.request.Request(  # noqa: S310 - loopback
                    f"{url}/api/v1/auth/login", data=json.dumps(login_body(actor)).encode(),
                    headers={"Content-Type": "application/json", "X-CSRF-Token": "anonymous"}, method="POST",
                )  # fmt: skip
                with urllib.request.urlopen(request) as answer:  # noqa: S310
                    cookies[actor] = answer.headers["set-cookie"].split(";")[0]
            headers["Cookie"] = cookies[actor]
        request = urllib.request.Request(f"{url}/api/v1{path}", headers=headers)  # noqa: S310
        with urllib.request.urlopen(request) as answer:  # noqa: S310
            return answer.read()

    return get


# What the embedded AWS holds per 1× of generated world (measured: 1.8 GB at 1×, 15.8 GB at 10×; the generator holds 1.5 GB more).
GIB_PER_SCALE = 1.9


def available_gib() -> float:
    import os

    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30


def main(scales: tuple[float, ...] = (1.0, 10.0), runs: int = 20) -> None:
    from infra.generate import generate
    from infra.local.stack import LocalStack

    results: dict[float, list[Measured]] = {}
    for scale in scales:
        needed, free = GIB_PER_SCALE * scale + 1.5, available_gib()
        if needed > free:
            print(
                f"Scale {scale}: skipped, it needs about {needed:.0f} GiB of memory and {free:.0f} GiB is free"
            )
            continue
        # No data folder: no snapshots (they Scan the whole table, which is not what is measured).
        with LocalStack(site_dir=None, data_dir=None) as stack:
            started = time.perf_counter()
            written = generate(scale, progress=lambda line: None)
            print(f"Scale {scale}: generated {sum(written.values()):,} items in {time.perf_counter() - started:.0f} s "
                  f"({', '.join(f'{k} {v:,}' for k, v in sorted(written.items()))})")  # fmt: skip
            results[scale] = measure(_http(stack.url), runs)
    print(f"Per route through the local stack (median / p95 of {runs}, bytes, DynamoDB calls), by scale:")
    scales = tuple(results)
    if not scales:
        return
    first = results[scales[0]]
    for i, row in enumerate(first):
        cells = []
        for scale in scales:
            m = results[scale][i]
            cells.append(f"{scale}×: {m.median_ms:.0f}/{m.p95_ms:.0f} ms {m.size:,} B {len(m.calls)} calls")
        same = "same calls" if all(results[s][i].calls == row.calls for s in scales) else "CALLS DIFFER"
        scans = " SCAN!" if any("Scan" in results[s][i].calls for s in scales) else ""
        print(
            f"  {row.actor.split('@')[0]:>16} GET {row.route:<44} {' | '.join(cells)} [{same}{scans}] {row.calls}"
        )


if __name__ == "__main__":
    main(tuple(float(a) for a in sys.argv[1:]) or (1.0, 10.0))
