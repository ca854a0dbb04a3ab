"""Locust scenario for the load test: members, buyers, producers and visitors on the portal at once.

Run only in its own process (infra/load/run.py starts it; locust monkey-patches with gevent). The
plan (LOAD_PLAN, a JSON file written by run.py) names the prepared accounts, courses, sites and the
folder for the write logs. Every write the portal acknowledges is logged, one JSON line each, to
that user's own file, so run.py can check afterwards that the store holds exactly that.

Expected outcomes are not errors: a 409 on a stale SAQ draft version (retried with the version the
409 carries), a 200 for a repeated membership application or link request. Anything else
that is not the expected status counts as an error by kind: 5xx, unexpected 4xx, connection.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar, TextIO

from locust import FastHttpUser, between, events, task
from locust.env import Environment

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOAD_PLAN"]).read_text("utf-8"))
LOG_DIR = Path(PLAN["log_dir"])
API = "/api/v1"
POOLS: dict[str, Iterator[dict[str, Any]]] = {kind: iter(PLAN["accounts"][kind]) for kind in PLAN["accounts"]}
ERRORS: Counter[str] = Counter()  # by kind: 5xx, 4xx, connection
OUTCOMES: Counter[str] = Counter()  # expected non-2xx outcomes and writes, for the report
ERROR_SAMPLES: list[str] = []
CHOOSE = random.Random()  # noqa: S311 - picks what a simulated user does next, not a secret


class Answer:
    def __init__(self, status: int, body: Any) -> None:
        self.status = status
        self.body = body

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    kind: ClassVar[str] = ""
    language: ClassVar[str] = "nb"

    def on_start(self) -> None:
        self.account: dict[str, Any] = next(POOLS[self.kind]) if self.kind in POOLS else {}
        self.cookie: str | None = None
        self.csrf = "anonymous"
        self.number = OUTCOMES[f"started {self.kind}"]
        OUTCOMES[f"started {self.kind}"] += 1
        self.log: TextIO = (LOG_DIR / f"{type(self).__name__.lower()}-{self.number}.jsonl").open(
            "a", encoding="utf-8"
        )
        if self.account:  # logged in over HTTP by run.py before the timed run
            # The session cookie is Secure: a cookie jar keeps it off plain http (as a browser
            # would on anything but localhost), so it is sent by hand, with the CSRF token.
            self.cookie, self.csrf = self.account["cookie"], self.account["csrf"]

    def on_stop(self) -> None:
        self.log.close()

    def record(self, **entry: Any) -> None:
        self.log.write(json.dumps({"at": time.time(), "user": self.account.get("user_id"), **entry}) + "\n")
        self.log.flush()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        name: str | None = None,
        expect: tuple[int, ...] = (200,),
        expected_refusals: tuple[int, ...] = (),
    ) -> Answer:
        """One request; anything but `expect` (or an expected refusal) is an error by kind."""
        headers = {"Accept-Language": self.language}
        if method != "GET":
            headers["X-CSRF-Token"] = self.csrf
        if self.cookie:
            headers["Cookie"] = self.cookie
        with self.client.request(
            method,
            API + path,
            name=name or path,
            json=body,
            headers=headers,
            catch_response=True,
        ) as response:
            status = int(response.status_code or 0)
            try:
                content = response.json() if response.text else None
            except ValueError:
                content = None
            code = (content or {}).get("error", {}).get("code") if isinstance(content, dict) else None
            if status in expect or status in expected_refusals:
                response.success()
                if status in expected_refusals:
                    OUTCOMES[f"expected {status} {name or path}"] += 1
            else:
                kind = "connection" if status == 0 else "5xx" if status >= 500 else "4xx"
                ERRORS[kind] += 1
                message = f"{kind}: {method} {name or path} -> {status} {code or response.error or ''}"
                if len(ERROR_SAMPLES) < 20:
                    ERROR_SAMPLES.append(message)
                response.failure(message)
            return Answer(status, content)


class MemberUser(PortalUser):
    """A member organisation's employee: reads the members' area, signs up for courses and cancels."""

    fixed_count = PLAN["counts"]["member"]  # run.py splits the users by its WEIGHTS
    kind = "member"

    def on_start(self) -> None:
        super().on_start()
        self.mine: set[str] = set()  # courses this member is registered for or waiting on
        self.course()  # what the member came for

    @task(6)
    def browse(self) -> None:
        self.call("GET", "/me")
        self.call("GET", "/courses")
        if CHOOSE.random() < 0.3:
            self.call("GET", "/resources")

    @task(3)
    def course(self) -> None:
        course_id = CHOOSE.choice(PLAN["courses"])
        path, name = f"/courses/{course_id}/registration", "/courses/[id]/registration"
        if course_id in self.mine:
            self.record(kind="course", action="cancel", course=course_id, attempt=True)
            answer = self.call("DELETE", path, name=name, expect=(204,))
            if answer.ok:
                self.mine.discard(course_id)
                self.record(kind="course", action="cancel", course=course_id)
            else:
                self.record(kind="course", action="cancel", course=course_id, uncertain=True)
            return
        self.record(kind="course", action="register", course=course_id, attempt=True)
        answer = self.call("POST", path, name=name, expect=(201, 200))
        if answer.ok:
            self.mine.add(course_id)
            OUTCOMES[f"course {answer.body['status']}"] += 1
            self.record(
                kind="course",
                action="register",
                course=course_id,
                status=answer.body["status"],
                created=answer.status == 201,
            )
        else:
            self.record(kind="course", action="register", course=course_id, uncertain=True)


class BuyerUser(PortalUser):
    """A buyer: its suppliers and risk overview, and requests for access to producers."""

    fixed_count = PLAN["counts"]["buyer"]  # run.py splits the users by its WEIGHTS
    kind = "buyer"

    def on_start(self) -> None:
        super().on_start()
        self.request_link()

    @task(6)
    def browse(self) -> None:
        self.call("GET", "/me")
        self.call("GET", "/buyer/suppliers")
        self.call("GET", "/risk/overview")
        if CHOOSE.random() < 0.3:
            self.call("GET", "/courses")

    @task(2)
    def request_link(self) -> None:
        site = CHOOSE.choice(PLAN["link_sites"])
        pair = {"buyer": self.account["org_id"], "producer": site["org_id"]}
        self.record(kind="link", **pair, attempt=True)
        answer = self.call(
            "POST", "/buyer/links", {"site_id": site["site_id"]}, name="/buyer/links", expect=(202,)
        )
        if answer.ok:  # the answer names only what was asked: the plan knows whose site it is
            OUTCOMES[f"link {answer.status}"] += 1
            self.record(kind="link", **pair, site_id=site["site_id"])
        else:
            self.record(kind="link", **pair, uncertain=True)


class ProducerUser(PortalUser):
    """A producer's employee: its sites and the SAQ draft of one, saved often. Two colleagues share a
    site (run.py pairs them), so one often saves on a version the other has moved on from: the 409
    carries the current draft, and the save is repeated on its version, as the page does."""

    fixed_count = PLAN["counts"]["producer"]  # run.py splits the users by its WEIGHTS
    kind = "producer"

    def on_start(self) -> None:
        super().on_start()
        self.site: str = self.account["site_id"]
        self.version: int | None = None
        self.saves = 0
        self.reload()
        self.save_draft()

    @task(4)
    def browse(self) -> None:
        self.call("GET", "/me")
        self.call("GET", "/producer/sites")
        if CHOOSE.random() < 0.5:
            self.reload()  # the SAQ page opened again: its version is the newest

    def reload(self) -> None:
        answer = self.call("GET", f"/producer/sites/{self.site}/saq", name="/producer/sites/[id]/saq")
        if answer.ok:
            draft = answer.body["draft"]
            self.version = draft["version"] if draft else None

    @task(3)
    def save_draft(self) -> None:
        self.saves += 1
        answers = {
            PLAN["saq"]["text"]: f"{self.account['user_id']} save {self.saves}",
            PLAN["saq"]["number"]: CHOOSE.randint(1, 5000),
        }
        for _ in range(5):
            self.record(kind="saq", site=self.site, attempt=True)
            answer = self.call(
                "PUT",
                f"/producer/sites/{self.site}/saq/draft",
                {"answers": answers, "version": self.version},
                name="/producer/sites/[id]/saq/draft",
                expect=(200,),
                expected_refusals=(409,),
            )
            if answer.status == 200:
                self.version = answer.body["draft"]["version"]
                self.record(kind="saq", site=self.site, version=self.version, answers=answers)
                return
            if answer.status != 409:
                self.record(kind="saq", site=self.site, uncertain=True)
                return
            self.record(kind="saq", site=self.site, refused=True)  # a 409 changes nothing
            current = (answer.body["error"].get("current") or {}).get("draft")
            self.version = current["version"] if current else None  # someone else's save: build on it
        OUTCOMES["saq gave up after 5 conflicts"] += 1


class VisitorUser(PortalUser):
    """Someone on the public site: the figures, a fee quote, and now and then a membership
    application, sometimes sent twice with the same submission id (a double click, a retry)."""

    fixed_count = PLAN["counts"]["visitor"]  # run.py splits the users by its WEIGHTS
    kind = "visitor"

    def on_start(self) -> None:
        super().on_start()
        self.sent: list[dict[str, Any]] = []
        self.apply()

    @task(4)
    def browse(self) -> None:
        self.call("GET", "/stats")
        self.call(
            "GET",
            "/membership-fee?category=company&annual_turnover_nok=35000000",
            name="/membership-fee",
        )

    @task(2)
    def apply(self) -> None:
        form = {
            "submission_id": str(uuid.uuid4()),
            "organisation_name": f"{PLAN['application_prefix']} {uuid.uuid4().hex[:8]} AS",
            "organisation_number": "923609016",
            "category": "company",
            "annual_turnover_nok": CHOOSE.randint(1, 900) * 1_000_000,
            "contact_name": "Kari Lasttest",
            "email": "kari@lasttest.no",
            "consent": True,
        }
        self.submit(form, expect=(201,))
        if CHOOSE.random() < 0.25:
            self.submit(form, expect=(200,))  # the double click
        if self.sent and CHOOSE.random() < 0.1:
            self.submit(CHOOSE.choice(self.sent), expect=(200,))  # a retry, later

    def submit(self, form: dict[str, Any], expect: tuple[int, ...]) -> None:
        self.record(kind="application", id=form["submission_id"], attempt=True)
        answer = self.call(
            "POST", "/membership-applications", form, name="/membership-applications", expect=expect
        )
        if answer.ok:
            self.sent.append(form)
            OUTCOMES[f"application {answer.status}"] += 1
            self.record(kind="application", id=form["submission_id"], created=answer.status == 201)
        else:
            self.record(kind="application", id=form["submission_id"], uncertain=True)


@events.quitting.add_listener
def _summary(environment: Environment, **_: Any) -> None:
    """What run.py reads: totals, latency percentiles and the errors by kind."""
    total = environment.stats.total
    summary = {
        "requests": total.num_requests,
        "failures": total.num_failures,
        "throughput": total.total_rps,
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "max_ms": total.max_response_time,
        "errors": dict(ERRORS),
        "error_samples": ERROR_SAMPLES,
        "outcomes": dict(OUTCOMES),
        "by_route": {
            f"{s.method} {s.name}": {
                "requests": s.num_requests,
                "failures": s.num_failures,
                "p50_ms": s.get_response_time_percentile(0.5),
                "p95_ms": s.get_response_time_percentile(0.95),
            }
            for s in environment.stats.entries.values()
        },
    }
    (LOG_DIR / "summary.json").write_text(json.dumps(summary, indent=2), "utf-8")
