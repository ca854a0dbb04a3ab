"""The load test: many members at once on the local stack for a fixed time, then proof from the
store that nothing acknowledged was lost.

`run(users, spawn_rate, seconds)` starts a LocalStack (or uses one already started in this
process: the preparation and the check read and write its store directly), makes an organisation
and accounts for every simulated user, runs locust (infra/load/locustfile.py) in a subprocess on
loopback, and then compares what the simulated users were told with what the store holds:

- membership applications stored == the distinct submission ids acknowledged, each created once;
- course registrations: each member is registered or waiting exactly where the last acknowledged
  action left them; a course's seats taken == its registered members, never above capacity; its
  waiting count == its waiting list, and nobody waits while a seat is free;
- SAQ drafts hold the answers of the highest version acknowledged, and no version was
  acknowledged twice (two saves on one version would be a lost update);
- link requests acknowledged == links stored, each created once.

`python -m infra.load.run [--users 50 --spawn-rate 10 --seconds 60]` prints the figures; it
exits 1 on an error or a failed check.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from infra.local.stack import LocalStack

LOCUSTFILE = Path(__file__).with_name("locustfile.py")
# Who is on the portal at once, by share: members of member organisations (courses), buyers,
# producers and visitors of the public site. Each simulated user gets its own account.
WEIGHTS = {"member": 4, "buyer": 3, "producer": 2, "visitor": 1}


def split(users: int) -> dict[str, int]:
    """Users per kind by WEIGHTS (largest remainders), at least one of each from four users on."""
    total = sum(WEIGHTS.values())
    shares = {kind: users * weight / total for kind, weight in WEIGHTS.items()}
    counts = {kind: int(share) for kind, share in shares.items()}
    by_remainder = sorted(WEIGHTS, key=lambda kind: shares[kind] - counts[kind], reverse=True)
    for kind in by_remainder[: users - sum(counts.values())]:
        counts[kind] += 1
    if users >= len(WEIGHTS):
        for kind in WEIGHTS:
            if counts[kind] == 0:
                counts[kind] = 1
                counts[max(counts, key=lambda k: counts[k])] -= 1
    return counts


@dataclass
class Verification:
    checked: dict[str, int] = field(default_factory=dict)  # what was compared, how many of it
    problems: list[str] = field(default_factory=list)
    uncertain: int = 0  # writes whose outcome the client never learnt: failed, or cut off at the end

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Result:
    users: int
    seconds: int
    requests: int
    throughput: float  # requests per second
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: dict[str, int]  # by kind: 5xx, 4xx (unexpected), connection, exceptions
    verification: Verification
    outcomes: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    by_route: dict[str, dict[str, Any]] = field(default_factory=dict)
    workdir: Path | None = None
    logins: int = 0  # accounts logged in over HTTP before the timed run
    login_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # seconds each step of the run took

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.verification.ok

    def report(self) -> str:
        lines = [
            f"Load test: {self.users} users for {self.seconds} s on loopback",
            f"  {self.logins} accounts logged in over HTTP first, in {self.login_seconds:.1f} s",
            f"  requests {self.requests}, throughput {self.throughput:.1f} req/s, "
            f"p50 {self.p50_ms:.0f} ms, p95 {self.p95_ms:.0f} ms, max {self.max_ms:.0f} ms",
            f"  errors: {self.error_count} {dict(sorted(self.errors.items())) or ''}".rstrip(),
            *(f"    {sample}" for sample in self.error_samples[:10]),
            "  outcomes: "
            + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()) if not k.startswith("started")),
            "  verified against the store: "
            + ", ".join(f"{k} {v}" for k, v in self.verification.checked.items())
            + (
                f"; {self.verification.uncertain} writes of unknown outcome"
                if self.verification.uncertain
                else ""
            ),
            f"  verification: {'passed' if self.verification.ok else 'FAILED'}",
            *(f"    {problem}" for problem in self.verification.problems[:20]),
            "  steps: " + ", ".join(f"{name} {took:.1f} s" for name, took in self.phases.items()),
        ]
        return "\n".join(lines)


# -- preparation: organisations and accounts, made directly in the store ----------------------------
def prepare(users: int, tag: str, log_dir: Path) -> dict[str, Any]:
    """An account for every simulated user but the visitors: buyers (admins) and members in buyer
    organisations, producers two to an organisation with one site; and three courses."""
    from datetime import timedelta

    from infra.seed import DEMO_WORLD
    from portal.clock import utcnow
    from portal.domain import saq
    from portal.domain.passwords import hash_password
    from portal.store import accounts, courses
    from portal.store.models import Course, Site, User, new
    from portal.store.organisations import create_organisation, register_site
    from portal.usecases import risk_scores

    password = f"lasttest-{tag}-passord"
    hashed = hash_password(password)  # one hash for every account: argon2id is slow on purpose

    def user(user_id: str, org_id: str, role: str) -> dict[str, Any]:
        email = f"{user_id}@lasttest.example"
        accounts.create_user(
            new(
                User,
                User.key(user_id),
                user_id=user_id,
                email=email,
                name=user_id,
                org_id=org_id,
                role=role,
                is_staff=False,
                status="active",
                password_hash=hashed,
            )
        )
        return {"user_id": user_id, "email": email, "org_id": org_id}

    counts = split(users)
    members: list[dict[str, Any]] = []
    buyers: list[dict[str, Any]] = []
    producers: list[dict[str, Any]] = []
    sites: list[dict[str, Any]] = []
    for i in range(max(counts["buyer"], counts["member"])):
        org_id = f"org-load-{tag}-buyer-{i}"
        create_organisation(
            org_id,
            f"Lasttest {tag} innkjøper {i} AS",
            org_type="buyer",
            country="NO",
            organisation_number=None,
        )
        if i < counts["buyer"]:
            buyers.append(user(f"load-{tag}-buyer-{i}", org_id, "admin"))
        if i < counts["member"]:
            members.append(user(f"load-{tag}-member-{i}", org_id, "member"))
    for i in range(math.ceil(counts["producer"] / 2)):
        org_id = f"org-load-{tag}-producer-{i}"
        create_organisation(
            org_id,
            f"Lasttest {tag} produsent {i}",
            org_type="producer",
            country="BD",
            organisation_number=None,
        )
        site_id = f"ZS-L{tag[:3].upper()}-{i:03d}"
        site = new(
            Site, Site.key(org_id, site_id), site_id=site_id, org_id=org_id, name=f"Fabrikk {i}", country="BD"
        )
        site.gsi1pk, site.gsi1sk = Site.public_index(site_id)
        register_site(site)
        sites.append({"site_id": site_id, "org_id": org_id})
        for colleague, role in (("a", "admin"), ("b", "member")):  # next to each other: they share the site
            if len(producers) < counts["producer"]:
                producers.append(
                    {**user(f"load-{tag}-producer-{i}{colleague}", org_id, role), "site_id": site_id}
                )
    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    course_ids = []
    for name, capacity in (("small", 2), ("medium", max(3, counts["member"] // 2)), ("large", 10 * users)):
        course_id = f"load-{tag}-{name}"
        item = new(
            Course,
            Course.key(course_id),
            course_id=course_id,
            title_nb=f"Lasttest {name}",
            title_en=f"Load test {name}",
            description_nb="Lasttest",
            description_en="Load test",
            starts_at=start,
            location="Oslo",
            capacity=capacity,
        )
        courses.publish(item)
        course_ids.append(course_id)
    risk_scores.recompute()  # the new sites scored, as sites made through the API are
    demo_sites = [
        {"site_id": site_id, "org_id": demo.org_id}
        for demo in DEMO_WORLD
        for site_id, _, _ in demo.sites
        if demo.org_type in ("producer", "both")
    ]
    shown = saq.visible(saq.questionnaire(), {})
    return {
        "tag": tag,
        "log_dir": str(log_dir),
        "password": password,
        "counts": counts,
        "accounts": {"member": members, "buyer": buyers, "producer": producers},
        "courses": course_ids,
        "sites": sites,
        "link_sites": sites + demo_sites,
        "saq": {
            "text": next(q.id for q in shown if q.type == "text"),
            "number": next(q.id for q in shown if q.type == "number"),
        },
        "application_prefix": f"Lasttest {tag}",
    }


# -- the check: what the users were told against what the store holds --------------------------------
def _records(log_dir: Path) -> list[dict[str, Any]]:
    """Every user's log in its own order (one file per simulated user, one account each). A write
    is logged as an attempt before it is sent and with its outcome after; an attempt with no
    outcome (the user stopped, or failed, in between) counts as a write of unknown outcome."""
    found = []
    for path in sorted(log_dir.glob("*.jsonl")):
        pending: dict[str, Any] | None = None
        for line in path.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            if entry.pop("attempt", False):
                if pending is not None:
                    found.append({**pending, "uncertain": True})
                pending = entry
                continue
            pending = None
            found.append(entry)
        if pending is not None:
            found.append({**pending, "uncertain": True})
    return found


def verify(plan: dict[str, Any], records: list[dict[str, Any]]) -> Verification:
    result = Verification()
    result.uncertain = sum(1 for r in records if r.get("uncertain"))
    _verify_applications(plan, [r for r in records if r["kind"] == "application"], result)
    _verify_courses(plan, [r for r in records if r["kind"] == "course"], result)
    _verify_saq(plan, [r for r in records if r["kind"] == "saq" and not r.get("refused")], result)
    _verify_links(plan, [r for r in records if r["kind"] == "link"], result)
    return result


def _verify_applications(plan: dict[str, Any], records: list[dict[str, Any]], result: Verification) -> None:
    from portal.store.models import MembershipApplication

    acked = {r["id"] for r in records if not r.get("uncertain")}
    unsure = {r["id"] for r in records if r.get("uncertain")} - acked
    created = Counter(r["id"] for r in records if r.get("created"))
    stored = {
        item.application_id
        for item in MembershipApplication.by_gsi1.query("APPLICATIONS#received")
        if isinstance(item, MembershipApplication)
        and item.organisation_name.startswith(plan["application_prefix"] + " ")
    }
    result.checked["applications"] = len(stored)
    if lost := acked - stored:
        result.problems.append(f"applications acknowledged but not stored: {len(lost)} (e.g. {min(lost)})")
    if extra := stored - acked - unsure:
        result.problems.append(f"applications stored but never acknowledged: {len(extra)}")
    if twice := [i for i, n in created.items() if n > 1]:
        result.problems.append(f"applications created more than once (201 twice): {len(twice)}")
    if not_created := [i for i in acked if created[i] == 0 and i not in unsure]:
        result.problems.append(
            f"applications acknowledged only as repeats, never created: {len(not_created)}"
        )


def _verify_courses(plan: dict[str, Any], records: list[dict[str, Any]], result: Verification) -> None:
    from portal.store import courses
    from portal.store.models import Registration

    state: dict[tuple[str, str], str] = {}  # (user, course): in, out or uncertain, after the last action
    for r in records:  # each user's records are in its own order
        outcome = "uncertain" if r.get("uncertain") else {"register": "in", "cancel": "out"}[r["action"]]
        state[(r["user"], r["course"])] = outcome
    checked = 0
    for account in plan["accounts"]["member"]:
        for course_id in plan["courses"]:
            expected = state.get((account["user_id"], course_id), "out")
            if expected == "uncertain":
                continue
            stored = courses.registration(course_id, account["user_id"])
            checked += 1
            if expected == "in" and stored is None:
                result.problems.append(f"{account['user_id']}: registration for {course_id} lost")
            if expected == "out" and stored is not None:
                result.problems.append(
                    f"{account['user_id']}: registered ({stored.status}) for {course_id} without an acknowledged registration"
                )
    result.checked["member×course registrations"] = checked
    for course_id in plan["courses"]:
        course = courses.course(course_id)
        everyone = courses.participants(course_id)
        registered = sum(1 for e in everyone if e.status == "registered")
        waiting = [e for e in everyone if e.status == "waiting"]
        capacity, taken = int(course.capacity), int(course.seats_taken)
        listed = int(Registration.by_gsi2.count(f"COURSE#{course_id}#WAITING"))
        facts = (
            f"{course_id}: capacity {capacity}, seats taken {taken}, registered {registered}, "
            f"waiting {int(course.waiting)}/{len(waiting)}/{listed} (counter/entries/list)"
        )
        if registered > capacity or taken > capacity:
            result.problems.append(f"overbooked: {facts}")
        if taken != registered or int(course.waiting) != len(waiting) or listed != len(waiting):
            result.problems.append(f"counts disagree: {facts}")
        if waiting and registered < capacity:
            result.problems.append(f"members wait while a seat is free: {facts}")
    result.checked["courses"] = len(plan["courses"])


def _verify_saq(plan: dict[str, Any], records: list[dict[str, Any]], result: Verification) -> None:
    from pynamodb.exceptions import DoesNotExist

    from portal.store.models import SaqDraft

    by_site: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_site[r["site"]].append(r)
    owners = {s["site_id"]: s["org_id"] for s in plan["sites"]}
    saves = 0
    for site_id, org_id in owners.items():
        acks = [r for r in by_site.get(site_id, []) if not r.get("uncertain")]
        unsure = len(acks) < len(by_site.get(site_id, []))
        saves += len(acks)
        versions = Counter(r["version"] for r in acks)
        if twice := sorted(v for v, n in versions.items() if n > 1):
            result.problems.append(
                f"SAQ draft of {site_id}: version(s) {twice} acknowledged twice (lost update)"
            )
        try:
            stored: SaqDraft | None = SaqDraft.get(*SaqDraft.key(org_id, site_id), consistent_read=True)
        except DoesNotExist:
            stored = None
        if not acks:
            if stored is not None and not unsure:
                result.problems.append(f"SAQ draft of {site_id} stored without an acknowledged save")
            continue
        last = max(acks, key=lambda r: r["version"])
        if stored is None:
            result.problems.append(f"SAQ draft of {site_id} lost (acknowledged version {last['version']})")
        elif int(stored.version) != last["version"] and not unsure:
            result.problems.append(
                f"SAQ draft of {site_id} at version {stored.version}, last acknowledged {last['version']}"
            )
        elif int(stored.version) == last["version"] and stored.answers != last["answers"]:
            result.problems.append(f"SAQ draft of {site_id}: version {stored.version} holds other answers")
    result.checked["SAQ drafts"] = len(owners)
    result.checked["SAQ saves"] = saves


def _verify_links(plan: dict[str, Any], records: list[dict[str, Any]], result: Verification) -> None:
    """Every acknowledged request is a pending link (read by its key: a pending link is not in the
    buyer's list, which shows the buyer's own request instead) and one request item per site asked."""
    from portal.store.models import Link, SupplierRequest

    acked = {(r["buyer"], r["producer"]) for r in records if not r.get("uncertain") and "site_id" in r}
    unsure = {(r["buyer"], r["producer"]) for r in records if r.get("uncertain")} - acked
    asked = {(r["buyer"], r["site_id"]) for r in records if not r.get("uncertain") and "site_id" in r}
    stored: set[tuple[str, str]] = set()
    for buyer, producer in acked | unsure:
        try:
            item = Link.get(*Link.key(producer, buyer), consistent_read=True)
        except Link.DoesNotExist:
            continue
        stored.add((buyer, producer))
        if item.status != "pending":
            result.problems.append(f"link {buyer} → {producer} is {item.status}")
    requests = {
        (item.buyer_id, item.reference)
        for account in plan["accounts"]["buyer"]
        for item in SupplierRequest.by_gsi1.query(f"BUYER#{account['org_id']}#SUPPLIERS")
        if isinstance(item, SupplierRequest)
    }
    result.checked["links"] = len(stored)
    if lost := acked - stored:
        result.problems.append(f"link requests acknowledged but not stored: {len(lost)} (e.g. {min(lost)})")
    if unlisted := asked - requests:
        result.problems.append(f"requests acknowledged but not in the buyer's list: {len(unlisted)}")


# -- the run --------------------------------------------------------------------------------------------
def _request(
    url: str, method: str, path: str, body: Any = None, account: dict[str, Any] | None = None
) -> Any:
    import urllib.request

    headers = {"Content-Type": "application/json", "X-CSRF-Token": "anonymous"}
    if account and account.get("cookie"):
        headers |= {"Cookie": account["cookie"], "X-CSRF-Token": account["csrf"]}
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{url}/api/v1{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - loopback
        if account is not None and path == "/auth/login":
            account["cookie"] = answer.headers["set-cookie"].split(";")[0]
        return json.loads(answer.read() or b"null")


def log_in(url: str, plan: dict[str, Any]) -> float:
    """Every account logged in once over HTTP before the timed run (argon2id makes a login cost a
    tenth of a second or more by design: at the start of a short run they would be most of it).
    The session cookie and CSRF token go into the plan. Returns the seconds it took."""
    started = time.monotonic()
    for accounts in plan["accounts"].values():
        for account in accounts:
            me = _request(
                url, "POST", "/auth/login", {"email": account["email"], "password": plan["password"]}, account
            )
            account["csrf"] = me["csrf_token"]
    return time.monotonic() - started


def warm_up(url: str, plan: dict[str, Any]) -> None:
    """One request to every function the load reaches: the cold starts (imports) out of the figures."""
    _request(url, "GET", "/stats")
    for buyer in plan["accounts"]["buyer"][:1]:
        for path in ("/me", "/courses", "/buyer/suppliers", "/risk/overview"):
            _request(url, "GET", path, account=buyer)
    for producer in plan["accounts"]["producer"][:1]:
        _request(url, "GET", f"/producer/sites/{producer['site_id']}/saq", account=producer)


def _locust(url: str, plan_path: Path, users: int, spawn_rate: float, seconds: int, workdir: Path) -> None:
    from urllib.parse import urlsplit

    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the load test runs on loopback only, not {url}")
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        # A user stops after the task it is in; one asleep between tasks is ended at once, and may
        # just have woken into a write: logged as an attempt, that write may or may not be stored.
        "15",
        "--host",
        url,
        "--csv",
        str(workdir / "locust"),
        "--only-summary",
        "--exit-code-on-error",
        "0",  # errors are counted by kind in the summary instead
    ]
    with (workdir / "locust.out").open("w") as out:
        subprocess.run(
            command,
            env={**os.environ, "LOAD_PLAN": str(plan_path)},
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=seconds + 120,
            check=True,
        )


def _exceptions(workdir: Path) -> int:
    """Exceptions in the simulated users themselves (locust's exceptions CSV), not HTTP errors."""
    import csv

    path = workdir / "locust_exceptions.csv"
    if not path.exists():
        return 0
    with path.open(newline="") as rows:
        return sum(int(row.get("Count") or 0) for row in csv.DictReader(rows))


def run(
    users: int = 50,
    spawn_rate: float = 10,
    seconds: int = 60,
    *,
    stack: LocalStack | None = None,
    workdir: Path | None = None,
    snapshots: bool = False,
) -> Result:
    """Load the portal, then check the store. With `stack`, that running stack (of this process) is
    used (give it a data_dir, or set OUTBOX_DIR before starting it: without an outbox the portal's
    e-mail goes to the embedded SES, which refuses it); otherwise a new one with the demo world is
    started and stopped. `snapshots` has the new stack save its data every second or so after a
    change, as `make serve` does: a whole-table scan in the gateway's process, which the load then
    shares the machine with."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="ieh-load-"))
    log_dir = workdir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    own = stack is None
    phases: dict[str, float] = {}
    mark = time.monotonic()

    def phase(name: str) -> None:
        nonlocal mark
        now = time.monotonic()
        phases[name] = now - mark
        mark = now

    environment = dict(os.environ)  # a stack of our own sets its URLs and AWS here: put back after
    if stack is None:
        os.environ["OUTBOX_DIR"] = str(workdir / "outbox")  # e-mail (a freed seat's) as files
        stack = LocalStack(site_dir=None, data_dir=workdir / "data" if snapshots else None).start()
        phase("stack")
    try:
        stack.aws.activate()
        plan = prepare(users, secrets.token_hex(3), log_dir)
        phase("prepare")
        login_seconds = log_in(stack.url, plan)
        phase("log in")
        warm_up(stack.url, plan)
        phase("warm up")
        plan_path = workdir / "plan.json"
        plan_path.write_text(json.dumps(plan), "utf-8")
        _locust(stack.url, plan_path, users, spawn_rate, seconds, workdir)
        phase("locust")
        summary = json.loads((log_dir / "summary.json").read_text("utf-8"))
        verification = verify(plan, _records(log_dir))
        phase("verify")
    finally:
        if own:
            stack.stop()
            os.environ.clear()
            os.environ.update(environment)
            phase("stop")
    errors = {kind: n for kind, n in summary["errors"].items() if n}
    if exceptions := _exceptions(workdir):
        errors["exceptions"] = exceptions
    return Result(
        users=users,
        seconds=seconds,
        requests=summary["requests"],
        throughput=summary["throughput"],
        p50_ms=summary["p50_ms"],
        p95_ms=summary["p95_ms"],
        max_ms=summary["max_ms"],
        errors=errors,
        verification=verification,
        outcomes=summary["outcomes"],
        error_samples=summary["error_samples"],
        by_route=summary["by_route"],
        workdir=workdir,
        logins=sum(len(a) for a in plan["accounts"].values()),
        login_seconds=login_seconds,
        phases=phases,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--snapshots", action="store_true", help="the stack saves its data as `make serve` does"
    )
    parser.add_argument("--by-route", action="store_true", help="also print each route's figures")
    options = parser.parse_args(argv)
    started = time.monotonic()
    result = run(options.users, options.spawn_rate, options.seconds, snapshots=options.snapshots)
    print(result.report())
    if options.by_route:
        for name, figures in sorted(result.by_route.items()):
            print(
                f"    {name:<52} {figures['requests']:>6}  p50 {figures['p50_ms']:>5.0f} ms  "
                f"p95 {figures['p95_ms']:>5.0f} ms  failures {figures['failures']}"
            )
    print(f"  (whole run {time.monotonic() - started:.0f} s; logs in {result.workdir})")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
