"""Information requests at a member with 1,000 cases, through the local stack (HTTP, gateway,
RequestsFunction / PublicFunction, moto): the case list's first page and the public submission,
median and p95 of N, with their DynamoDB calls."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

from infra.local.metering import dynamodb_calls
from infra.local.stack import LocalStack
from infra.seed import DEMO_USERS

CASES = 1000
OPEN = 120  # the rest closed: a member a few years in


def _write_cases(org_id: str) -> None:
    """1,000 cases in Nordlys's partition (120 open, due over the coming weeks), batch-written."""
    from portal.clock import utcnow
    from portal.domain import transparency as law
    from portal.store import information_requests as store
    from portal.store.models import InformationRequest, new
    from portal.usecases.information_requests import today

    day = today()
    with InformationRequest.batch_write() as batch:
        for n in range(CASES):
            received = day - timedelta(days=n % 700)
            open_ = n < OPEN
            received = day - timedelta(days=n % 20) if open_ else received
            case_id = uuid.uuid4().hex[:12]
            case = new(
                InformationRequest,
                InformationRequest.key(org_id, case_id),
                org_id=org_id,
                case_id=case_id,
                case_number=f"IR-{received.year}-{n + 1000:04d}",
                state="in_progress" if open_ else "answered",
                language="nb",
                requester={"name": f"Person {n}", "email": f"p{n}@example.org", "postal_address": None},
                question="Hvor er varene produsert, og hva gjør dere med risikoen for tvangsarbeid? " * 4,
                received_on=received.isoformat(),
                due_on=law.answer_due(received).isoformat(),
                answered_on=None if open_ else (received + timedelta(days=10)).isoformat(),
                messages=[],
                closed_at=None if open_ else utcnow() - timedelta(days=n % 700),
            )
            store.index(case)
            batch.save(case)


def _call(
    url: str, body: dict | None = None, cookie: str | None = None, csrf: str = "anonymous"
) -> tuple[int, bytes, str]:
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf}
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, data=json.dumps(body).encode() if body is not None else None, headers=headers,
        method="POST" if body is not None else "GET",
    )  # fmt: skip
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback
        return answer.status, answer.read(), answer.headers.get("set-cookie") or ""


def _timed(work) -> float:
    start = time.perf_counter()
    work()
    return (time.perf_counter() - start) * 1000


def _line(name: str, times: list[float], calls: list[str], size: int) -> str:
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    return (
        f"  {name}: median {statistics.median(times):.0f} ms (p95 {p95:.0f} ms), {size} bytes, "
        f"DynamoDB {len(calls)} calls ({', '.join(calls)})"
    )


def main(runs: int = 20) -> None:
    from portal.usecases import information_requests

    # one client sends every bench submission: the per-client throttle (5 in ten minutes) is lifted
    # for the bench alone, the per-organisation one (100 an hour) stays and is not reached
    information_requests.CLIENT_LIMIT = 10**6
    kari = DEMO_USERS[1]
    with LocalStack(site_dir=None, data_dir=Path(tempfile.mkdtemp())) as stack:
        _write_cases("org-nordlys")
        api = f"{stack.url}/api/v1"
        _, _, cookie = _call(f"{api}/auth/login", {"email": kari.email, "password": kari.password})
        session = cookie.split(";")[0]
        listing = f"{api}/information-requests?view=open"
        _call(listing, cookie=session)  # warm
        list_times = [_timed(lambda: _call(listing, cookie=session)) for _ in range(runs)]
        with dynamodb_calls() as list_calls:
            _, page, _ = _call(listing, cookie=session)
        every = f"{api}/information-requests?view=all"
        with dynamodb_calls() as all_calls:
            _, all_page, _ = _call(every, cookie=session)
        form = {
            "name": "Bench Requester", "email": "bench@example.org", "postal_address": None,
            "question": "Hvilke fabrikker lager varene deres?", "concerns": None, "language": "nb", "website": "",
        }  # fmt: skip
        submit = f"{api}/request-pages/nordlys-dagligvare-as/requests"
        _call(submit, form)  # warm
        submit_times = [_timed(lambda: _call(submit, form)) for _ in range(runs)]
        with dynamodb_calls() as submit_calls:
            _, receipt, _ = _call(submit, form)
    items = json.loads(page)["items"]
    print(
        f"Information requests, a member with {CASES} cases ({OPEN} open), median of {runs} through the local stack:"
    )
    print(_line(f"case list, first page (open, {len(items)} items)", list_times, list_calls, len(page)))
    print(
        f"  case list, view=all first page: {len(all_page)} bytes, DynamoDB {len(all_calls)} calls ({', '.join(all_calls)})"
    )
    print(_line("public submission (with receipt e-mail)", submit_times, submit_calls, len(receipt)))


if __name__ == "__main__":
    main()
