"""A realistic world at a chosen size, written into the bound table in batches, resumable.

Scale 1 is Sedex in 2012: 400 buyer members and 21,500 producers with sites in 160 countries,
SAQs, audits with findings and corrective actions, and links with buyers holding from 1 to 2,000
suppliers. Scale 10 is ten times the members and producers (buyers still hold at most 2,000).

Everything is derived from (seed, index): producer p's organisation, sites, SAQ and audits are
the same whenever they are made, so a run that stops is resumed by skipping the chunks it marked
done, and the counters (public statistics, risk counts) are written last as absolute values,
computed again from the same derivation — never added twice.

    python -m infra.generate --scale 1        # against `make serve`'s embedded AWS (AWS_ENDPOINT_URL)

Bench actors (fixed, whatever the scale, so their pages can be compared across scales): buyers
`gen-b0000` (min(2000, producers) suppliers), `gen-b0001` (100) and `gen-b0002` (1), each with
an admin user `bench-buyer-<n>@generated.example`; producer `gen-p000000` with an admin user
`bench-producer@generated.example`. Password: BENCH_PASSWORD.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

BUYERS, PRODUCERS, COUNTRIES, MAX_SUPPLIERS = 400, 21_500, 160, 2_000
CHUNK = 500  # producers (or buyers) per resumable step
BENCH_PASSWORD = "generated-bench-2026"  # noqa: S105 - a local benchmark's own accounts
BENCH_BUYERS = {0: None, 1: 100, 2: 1}  # buyer index → suppliers (None: as many as allowed)
BENCH_STAFF, BENCH_TOTP = "bench-staff@generated.example", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
NOW = datetime(2026, 11, 1, tzinfo=UTC)  # a fixed "today" for the world, so it is the same every run
SECTOR_WEIGHTS = {
    "textiles_apparel": 22, "agriculture": 16, "food_processing": 12, "footwear_leather": 6,
    "electronics": 8, "furniture_wood": 6, "toys": 4, "chemicals": 4, "construction_materials": 4,
    "packaging": 4, "mining_metals": 2, "fishing_seafood": 5, "logistics": 3, "services": 3, "other": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Size:
    scale: float

    @property
    def buyers(self) -> int:
        return max(len(BENCH_BUYERS), round(BUYERS * self.scale))

    @property
    def producers(self) -> int:
        return max(2, round(PRODUCERS * self.scale))


@cache
def _countries() -> tuple[tuple[str, ...], tuple[float, ...]]:
    """160 countries: those every risk source covers, sourcing countries weighted up."""
    from portal.domain import risk

    data = risk.data()
    covered = sorted(
        set.intersection(*(set(data.sources[s]["values"]) for s in ("ituc_gri", "ti_cpi", "environment")))
    )
    sourcing = {"CN": 30, "BD": 14, "IN": 14, "VN": 10, "TR": 8, "PK": 5, "KH": 4, "ID": 5, "TH": 4, "MY": 3,
                "BR": 4, "PE": 2, "MA": 2, "PT": 3, "IT": 4, "PL": 3, "RO": 2, "LK": 2, "MM": 1, "EG": 1}  # fmt: skip
    chosen = [c for c in covered if c in sourcing] + [c for c in covered if c not in sourcing]
    chosen = chosen[:COUNTRIES]
    return tuple(chosen), tuple(float(sourcing.get(c, 0.3)) for c in chosen)


@cache
def _answers() -> tuple[dict[str, Any], ...]:
    """A few complete SAQs, from all controls in place to several missing (shared by many sites)."""
    from infra.seed_producers import sample_answers

    worries = [{}, {"labour.hours.overtime_voluntary": False, "management_systems.grievance_mechanism": False},
               {"health_safety.fire_drill": False, "environment.energy_measured": False,
                "business_ethics.gifts_recorded": False, "labour.young_workers.age_checked": False}]  # fmt: skip
    return tuple(sample_answers(w) for w in worries)


def _rng(seed: int, kind: str, index: int) -> random.Random:
    return random.Random(f"{seed}:{kind}:{index}")  # noqa: S311 - test data, not secrets


@dataclass
class ProducerWorld:
    org: Any
    sites: list[Any]
    others: list[Any]  # claims, SAQ versions, audits, findings, documents


@lru_cache(maxsize=60_000)
def producer(seed: int, p: int) -> ProducerWorld:
    """Producer p, its sites (scored), SAQ versions and audits: the same for the same (seed, p)."""
    from portal.domain.risk import data
    from portal.store.models import Audit, Document, Finding, Organisation, SaqVersion, Site, SiteIdClaim
    from portal.usecases import risk_scores

    rng = _rng(seed, "producer", p)
    countries, weights = _countries()
    country = rng.choices(countries, weights)[0]
    org_id = f"gen-p{p:06d}"
    name = f"{rng.choice(['Golden', 'Green', 'Star', 'Delta', 'Sun', 'Blue', 'Lotus', 'Atlas'])} " \
           f"{rng.choice(['Textiles', 'Farms', 'Industries', 'Foods', 'Manufacturing', 'Works'])} {p}"  # fmt: skip
    org = Organisation(
        *Organisation.key(org_id), org_id=org_id, name=name, org_type="producer", country=country,
        organisation_number=None, sectors=[], products="", created_at=NOW,
        confirmed_at=NOW - timedelta(days=rng.randint(0, 700)),
    )  # fmt: skip
    sector = rng.choices(list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values()))[0]
    org.sectors = [sector]
    goods_here = [e["good"] for e in data().goods_index.get(country, [])]
    sites: list[Any] = []
    others: list[Any] = []
    for i in range(rng.choices((1, 2, 3, 4), (60, 25, 10, 5))[0]):
        site_id = f"ZS-{p:06d}-{country}{i + 1}"
        total = rng.randint(20, 3000)
        site = Site(
            *Site.key(org_id, site_id), site_id=site_id, org_id=org_id, name=f"{name} – site {i + 1}",
            country=country, sector=sector, created_at=NOW,
            address={"street": f"Road {rng.randint(1, 400)}", "postal_code": str(rng.randint(10000, 99999)), "city": "City"},
            workforce={"total": total, "women": rng.randint(0, total), "migrant": rng.randint(0, total // 3),
                       "temporary": rng.randint(0, total // 4), "agency": rng.randint(0, total // 5)},
            goods=rng.sample(goods_here, min(len(goods_here), rng.randint(0, 2))) if goods_here and rng.random() < 0.4 else [],
            certifications=[], confirmed_at=NOW - timedelta(days=rng.randint(0, 500)),
        )  # fmt: skip
        site.gsi1pk, site.gsi1sk = Site.public_index(site_id)
        others.append(SiteIdClaim(*SiteIdClaim.key(site_id), org_id=org_id, created_at=NOW))
        if rng.random() < 0.8:
            answers = rng.choice(_answers())
            submitted = NOW - timedelta(days=rng.randint(1, 600))
            site.saq_versions, site.saq_submitted_at = 1, submitted
            risk_scores.read_saq(site, answers)
            others.append(SaqVersion(
                *SaqVersion.key(org_id, site_id, 1), site_id=site_id, number=1, questionnaire_version="2026-1",
                answers=answers, submitted_at=submitted, submitted_by=f"contact@{org_id}.example", created_at=submitted,
            ))  # fmt: skip
        site.risk, site.risk_seq = risk_scores.record(site, NOW), 1
        sites.append(site)
        if rng.random() < 0.3:
            audit_id = f"{site_id}-A1"
            others.append(Audit(
                *Audit.key(org_id, audit_id), audit_id=audit_id, site_id=site_id, site_name=site.name,
                audit_type=rng.choice(["smeta_4", "smeta_2", "amfori_bsci"]), audit_company="Generated Audits Ltd",
                audit_date=(NOW - timedelta(days=rng.randint(10, 700))).date().isoformat(),
                pillars=["labour", "health_safety"], document_id=audit_id, request_hash="generated", created_at=NOW,
            ))  # fmt: skip
            document = Document(
                *Document.key(org_id, audit_id, None, audit_id), document_id=audit_id, audit_id=audit_id,
                purpose="audit_report", file_name="report.pdf", declared_size=1000, declared_type="application/pdf",
                status="available", object_key="documents/generated/report.pdf", size_bytes=1000,
                media_type="application/pdf", sha256="0" * 64, request_hash="generated", created_at=NOW,
            )  # fmt: skip
            document.gsi1pk, document.gsi1sk = Document.id_index(audit_id, org_id)
            others.append(document)
            for f in range(rng.randint(0, 4)):
                grade = rng.choice(["critical", "major", "minor", "minor", "observation"])
                action = grade != "observation"
                others.append(Finding(
                    *Finding.key(org_id, audit_id, f"F{f + 1}"), audit_id=audit_id, finding_id=f"F{f + 1}",
                    grade=grade, pillar=rng.choice(["labour", "health_safety"]), description="Generated finding",
                    action="Generated action" if action else None, owner="HR" if action else None,
                    due_date=(NOW + timedelta(days=rng.randint(-60, 90))).date().isoformat() if action else None,
                    status=rng.choice(["open", "in_progress", "awaiting_verification", "closed"]) if action else None,
                    created_at=NOW,
                ))  # fmt: skip
    return ProducerWorld(org, sites, others)


def suppliers_of(seed: int, b: int, size: Size) -> list[int]:
    """The producers buyer b asks: 1 to 2,000, log-uniform (a few large buyers, many small ones)."""
    rng = _rng(seed, "buyer", b)
    limit = min(MAX_SUPPLIERS, size.producers)
    wanted = BENCH_BUYERS.get(b, 0) or (
        limit if b in BENCH_BUYERS else round(math.exp(rng.uniform(0, math.log(limit))))
    )
    return sorted(rng.sample(range(size.producers), min(wanted, limit)))


def _links(seed: int, b: int, size: Size) -> Iterator[tuple[Any, Any, list[Any]]]:
    """Buyer b's links, and for an active one the views of the sites it covers."""
    from portal.store.models import Link
    from portal.usecases.risk_scores import view_ops

    rng = _rng(seed, "links", b)
    buyer_id = f"gen-b{b:04d}"
    for p in suppliers_of(seed, b, size):
        world = producer(seed, p)
        status = rng.choices(["active", "pending", "declined", "revoked"], [85, 8, 4, 3])[0]
        level = rng.choice(["profile", "saq", "audits"]) if status == "active" else None
        sites = (
            [world.sites[0].site_id]
            if status == "active" and len(world.sites) > 1 and rng.random() < 0.1
            else None
        )
        changed = NOW - timedelta(days=rng.randint(0, 400))
        link = Link(
            *Link.key(world.org.org_id, buyer_id), producer_id=world.org.org_id, buyer_id=buyer_id,
            producer_name=world.org.name, producer_country=world.org.country, buyer_name=f"Buyer {b}",
            buyer_country="NO", status=status, level=level, sites=sites, requested_at=changed, updated_at=changed,
            version=1, created_at=changed,
        )  # fmt: skip
        link.gsi1pk, link.gsi1sk = Link.by_name(buyer_id, world.org.name, world.org.org_id)
        link.gsi2pk, link.gsi2sk = Link.by_update(buyer_id, changed, world.org.org_id)
        views = [view for op, view in view_ops(link, world.sites, deletes=False) if op == "put"]
        yield link, world, views


def _buyer(b: int) -> Any:
    from portal.store.models import Organisation

    org_id = f"gen-b{b:04d}"
    return Organisation(*Organisation.key(org_id), org_id=org_id, name=f"Buyer {b}", org_type="buyer",
                        country="NO", organisation_number=None, created_at=NOW)  # fmt: skip


def _write(items: list[Any]) -> None:
    _bulk_or_batch_put([item.serialize() for item in items])


def _bulk_or_batch_put(items: list[dict[str, Any]]) -> None:
    """BatchWriteItem (25 a call), or on the local stack its bulk load (infra/local/moto_server.py)."""
    import os

    from portal.store.models import PortalItem

    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if endpoint.startswith("http://127.0.0.1:"):
        _bulk_load(endpoint, items)
        return
    client = PortalItem._get_connection().connection.client
    for start in range(0, len(items), 25):
        pending = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
        while pending:
            answer = client.batch_write_item(RequestItems={PortalItem.Meta.table_name: pending})
            pending = answer.get("UnprocessedItems", {}).get(PortalItem.Meta.table_name, [])
            if pending:
                time.sleep(0.1)


def _bulk_load(endpoint: str, items: list[dict[str, Any]]) -> None:
    import json
    import urllib.request

    from portal.store.models import PortalItem

    for start in range(0, len(items), 2_000):
        request = urllib.request.Request(  # noqa: S310 - the embedded AWS on loopback
            endpoint,
            data=json.dumps(items[start : start + 2_000]).encode(),
            headers={
                "X-Amz-Target": "DynamoDB_20120810.PutItem",
                "Authorization": "AWS4-HMAC-SHA256 Credential=local/20261101/eu-north-1/dynamodb/aws4_request",
                "Content-Type": "application/x-amz-json-1.0",
                "x-ieh-bulk-load": PortalItem.Meta.table_name,
            },
            method="POST",
        )
        with urllib.request.urlopen(request) as answer:  # noqa: S310
            assert answer.status == 200


def _done(seed: int, size: Size) -> set[str]:
    from portal.store.models import Marker

    return {m.sk for m in Marker.query(f"GENERATED#{seed}#{size.scale}")}


def _mark(seed: int, size: Size, step: str) -> None:
    from portal.store.models import Marker

    Marker(f"GENERATED#{seed}#{size.scale}", step).save()


def _users(size: Size) -> list[Any]:
    from portal.domain.passwords import hash_password
    from portal.store.accounts import normalise_email
    from portal.store.models import Organisation, User, UserEmail
    from portal.store.organisations import number_claim

    hashed = hash_password(BENCH_PASSWORD)
    ieh = Organisation(*Organisation.key("org-ieh"), org_id="org-ieh", name="Etisk handel Norge (IEH)",
                       organisation_number="984590288", org_type="ieh", country="NO", created_at=NOW)  # fmt: skip
    people = [(f"bench-buyer-{b}@generated.example", f"gen-b{b:04d}") for b in BENCH_BUYERS]
    people += [("bench-producer@generated.example", "gen-p000000"), (BENCH_STAFF, "org-ieh")]
    # IEH itself, for the staff user (as in the demo world; not a member), its number claimed as
    # every organisation's is, so no application can take it
    items: list[Any] = [ieh, number_claim(ieh)]
    for email, org_id in people:
        user_id = f"bench-{org_id}"
        staff = email == BENCH_STAFF
        user = User(*User.key(user_id), user_id=user_id, email=email, name="Bench", org_id=org_id, role="admin",
                    status="active", password_hash=hashed, version=1, created_at=NOW, is_staff=staff,
                    totp_secret=BENCH_TOTP if staff else None)  # fmt: skip
        user.gsi1pk, user.gsi1sk = User.org_index(org_id, normalise_email(email))
        items += [user, UserEmail(*UserEmail.key(normalise_email(email)), user_id=user_id, created_at=NOW)]
    return items


def _totals(seed: int, size: Size) -> list[dict[str, Any]]:
    """Public statistics, sites per country and risk counts: what the table counts already (the
    demo world) plus the generated world, as absolute values (items in DynamoDB JSON)."""
    from portal.store.models import CountrySites, PortalItem, RiskCell, Statistics
    from portal.usecases.risk_scores import cell_deltas

    sites_by_country: Counter[str] = Counter()
    cells: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for p in range(size.producers):
        for site in producer(seed, p).sites:
            sites_by_country[site.country] += 1
            for key, counts in cell_deltas(None, site).items():
                cells[key].update(counts)
    stats = {i.sk: i for i in PortalItem.query("STATS")}  # the sites per country
    try:  # the counters are made by updates, without a kind: read by their own model
        existing = Statistics.get(*Statistics.key(), consistent_read=True)
    except Statistics.DoesNotExist:
        existing = Statistics(*Statistics.key())
    known = {sk.removeprefix("COUNTRY#"): item for sk, item in stats.items() if sk.startswith("COUNTRY#")}
    items: list[Any] = [
        Statistics(
            *Statistics.key(),
            members=int(existing.members) + size.buyers + size.producers,
            producers=int(existing.producers) + size.producers,
            sites=int(existing.sites) + sum(sites_by_country.values()),
            countries=int(existing.countries) + len(set(sites_by_country) - set(known)),
            updated_at=NOW,
        )
    ]
    for country, n in sites_by_country.items():
        before = int(getattr(known[country], "sites", 0)) if country in known else 0
        items.append(CountrySites(*CountrySites.key(country), country=country, sites=before + n))
    stored = {(c.country, c.sector): c for c in RiskCell.query("RISKSTATS")}
    for (country, sector), counts in cells.items():
        cell = RiskCell(*RiskCell.key(country, sector), country=country, sector=sector)
        old = stored.get((country, sector))
        for name, value in counts.items():
            setattr(cell, name, value + (int(getattr(old, name) or 0) if old is not None else 0))
        items.append(cell)
    return [item.serialize() for item in items]


def _add_totals(seed: int, size: Size) -> None:
    """The counts, exactly once: the absolute values are planned and kept in a marker first (a
    put that fails if a plan is there), then written; a resumed run writes the same plan again."""
    import base64
    import json
    import zlib

    from portal.store.models import PortalItem

    client, table = PortalItem._get_connection().connection.client, PortalItem.Meta.table_name
    key = {"PK": {"S": f"GENERATED#{seed}#{size.scale}"}, "SK": {"S": "totals-plan"}}
    if "Item" not in client.get_item(TableName=table, Key=key, ConsistentRead=True):
        packed = base64.b64encode(zlib.compress(json.dumps(_totals(seed, size)).encode())).decode()
        with suppress(client.exceptions.ConditionalCheckFailedException):  # another run planned first
            client.put_item(
                TableName=table,
                Item={**key, "kind": {"S": "marker"}, "plan": {"S": packed}},
                ConditionExpression="attribute_not_exists(PK)",
            )
    stored = client.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]["plan"]["S"]
    _bulk_or_batch_put(json.loads(zlib.decompress(base64.b64decode(stored))))


def generate(scale: float, seed: int = 2012, progress: Callable[[str], None] = print) -> dict[str, int]:
    """Write the world of `scale` into the bound table; returns how many items of each kind."""
    size = Size(scale)
    done = _done(seed, size)
    written: Counter[str] = Counter()
    started = time.perf_counter()

    def step(name: str, make: Callable[[], list[Any]]) -> None:
        if name in done:
            return
        items = make()
        _write(items)
        _mark(seed, size, name)
        written.update(type(i).__name__ for i in items)
        total = sum(written.values())
        progress(f"  {name}: {len(items):,} items ({total:,} in {time.perf_counter() - started:.0f} s)")

    progress(f"Generating scale {scale}: {size.buyers:,} buyers, {size.producers:,} producers (seed {seed})")
    for start in range(0, size.producers, CHUNK):

        def producers_chunk(start: int = start) -> list[Any]:
            items: list[Any] = []
            for p in range(start, min(start + CHUNK, size.producers)):
                world = producer(seed, p)
                items += [world.org, *world.sites, *world.others]
            return items

        step(f"producers#{start:07d}", producers_chunk)
    for start in range(0, size.buyers, CHUNK // 10):

        def buyers_chunk(start: int = start) -> list[Any]:
            items: list[Any] = []
            for b in range(start, min(start + CHUNK // 10, size.buyers)):
                items.append(_buyer(b))
                for link, _, views in _links(seed, b, size):
                    items += [link, *views]
            return items

        step(f"buyers#{start:05d}", buyers_chunk)
    step("users", lambda: _users(size))
    if "totals" not in done:
        _add_totals(seed, size)
        _mark(seed, size, "totals")
        progress("  totals: public statistics, sites per country and risk counts")
    progress(f"Done: {sum(written.values()):,} items written in {time.perf_counter() - started:.0f} s")
    return dict(written)


def main() -> None:
    import argparse

    from infra.local.aws import LocalAws

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2012)
    parser.add_argument(
        "--port", type=int, required=True, help="the embedded AWS's port (printed by make serve)"
    )
    args = parser.parse_args()
    LocalAws(port=args.port).activate()
    generate(args.scale, args.seed)


if __name__ == "__main__":
    main()
