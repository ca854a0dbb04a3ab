"""Risk: the batch recompute of every site (the demo world, then with a buyer of 500 suppliers),
and the buyer's overview through the local stack: latency, DynamoDB calls, bytes; the export."""

from __future__ import annotations

import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from infra.bench.login import _post
from infra.local.metering import dynamodb_calls
from infra.local.stack import LocalStack
from infra.seed import DEMO_USERS

SUPPLIERS = 100
COUNTRIES = ("BD", "CN", "IN", "TR", "VN", "PK", "KH", "ID", "PE", "BR", "MA", "PT", "IT", "PL", "NO")
SECTORS = ("textiles_apparel", "footwear_leather", "electronics", "agriculture", "food_processing", "toys")


def supply_chain(buyer_id: str, suppliers: int) -> int:
    """`suppliers` producers with two sites each, every one linked to the buyer at some level."""
    from portal.store.models import Organisation, Site
    from portal.store.organisations import create_organisation, register_site
    from portal.usecases import risk_scores
    from portal.usecases.sharing import decide_link, new_link

    buyer = Organisation.get(*Organisation.key(buyer_id))
    for n in range(suppliers):
        country = COUNTRIES[n % len(COUNTRIES)]
        org = create_organisation(
            f"org-bench-{n:04d}",
            f"Bench Produsent {n:04d}",
            org_type="producer",
            country=country,
            organisation_number=None,
        )
        for s in range(2):
            site_id = f"ZS-B{n:04d}-{country}{s + 1}"
            total = 100 + n
            site = Site(
                *Site.key(org.org_id, site_id), site_id=site_id, org_id=org.org_id, name=f"Anlegg {n:04d}-{s + 1}",
                country=country, sector=SECTORS[(n + s) % len(SECTORS)], goods=["garments"] if s == 0 else [],
                workforce={"total": total, "women": total // 2, "migrant": (n % 4) * total // 6, "temporary": 0,
                           "agency": (n % 3) * total // 5},
            )  # fmt: skip
            site.gsi1pk, site.gsi1sk = Site.public_index(site_id)
            scored = risk_scores.score_new_site(site)
            register_site(site, also=scored.write)
        level = ("profile", "saq", "audits")[n % 3]
        decide_link(new_link(org, buyer), "active", level, None, "bench", None)
    return suppliers * 2


def _get(url: str, cookie: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 - loopback
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback
        body = answer.read()
    return body, (time.perf_counter() - started) * 1000


def _overview(stack: LocalStack, cookie: str, runs: int, label: str) -> None:
    url = f"{stack.url}/api/v1/risk/overview"
    _get(url, cookie)  # warm
    with dynamodb_calls() as calls:
        body, _ = _get(url, cookie)
    times = [_get(url, cookie)[1] for _ in range(runs)]
    xlsx, xlsx_ms = _get(f"{stack.url}/api/v1/risk/export?format=xlsx", cookie)
    p95 = sorted(times)[int(runs * 0.95) - 1]
    print(
        f"Buyer's risk overview, {label}: median {statistics.median(times):.0f} ms (p95 {p95:.0f} ms) "
        f"of {runs}, {len(body):,} bytes, DynamoDB calls {calls}; XLSX export {xlsx_ms:.0f} ms, {len(xlsx):,} bytes"
    )


def _recompute(label: str) -> None:
    from portal.usecases import risk_scores

    runs = [risk_scores.recompute(force=True) for _ in range(3)]
    median = statistics.median(r.seconds for r in runs)
    print(f"Recompute every site ({label}: {runs[0].checked} sites), median of 3: {median:.2f} s "
          f"({median / runs[0].checked * 1000:.1f} ms per site, with its counts and customers' views)")  # fmt: skip


def main(runs: int = 20) -> None:
    user = DEMO_USERS[1]  # Kari, a buyer at Nordlys
    with LocalStack(site_dir=None, data_dir=Path(tempfile.mkdtemp())) as stack:
        _, cookie = _post(f"{stack.url}/api/v1/auth/login", {"email": user.email, "password": user.password})
        cookie = cookie.split(";")[0]
        _recompute("the demo world")
        _overview(stack, cookie, runs, "the demo world's 3 sites")
        started = time.perf_counter()
        sites = supply_chain("org-nordlys", SUPPLIERS)
        print(
            f"(wrote {SUPPLIERS} more suppliers with {sites} sites in {time.perf_counter() - started:.0f} s)"
        )
        _overview(stack, cookie, runs, f"{SUPPLIERS + 2} suppliers, {sites + 3} sites")
        _recompute(f"with the {SUPPLIERS} suppliers")


if __name__ == "__main__":
    main()
