"""Login through the local stack (HTTP, gateway, AuthFunction, moto): median of N, beside the
argon2id hash time alone, and the DynamoDB calls of a logged-in request's session check."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from infra.local.metering import dynamodb_calls
from infra.local.stack import LocalStack
from infra.seed import DEMO_USERS


def _refused(url: str, body: dict[str, str]) -> None:
    """A refused login, then its throttle records cleared, so every run is a first failure."""
    import hashlib
    import urllib.error

    from portal.store.accounts import clear_throttle, normalise_email

    try:
        _post(url, body)
    except urllib.error.HTTPError as error:
        error.close()
    clear_throttle("account", hashlib.sha256(normalise_email(body["email"]).encode()).hexdigest())
    clear_throttle("client", "127.0.0.1")


def _post(url: str, body: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": "anonymous"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback
        return answer.status, answer.headers["set-cookie"]


def main(runs: int = 20) -> None:
    from portal.domain.passwords import hash_password, verify_password

    user = DEMO_USERS[1]
    hashed = hash_password(user.password)
    hash_ms = statistics.median(_timed(lambda: verify_password(hashed, user.password)) for _ in range(runs))
    with LocalStack(site_dir=None, data_dir=Path(tempfile.mkdtemp())) as stack:
        _post(f"{stack.url}/api/v1/auth/login", {"email": user.email, "password": user.password})  # warm
        times = [
            _timed(
                lambda: _post(
                    f"{stack.url}/api/v1/auth/login", {"email": user.email, "password": user.password}
                )
            )
            for _ in range(runs)
        ]
        login = f"{stack.url}/api/v1/auth/login"
        wrong = [
            _timed(lambda: _refused(login, {"email": user.email, "password": "not it at all"}))
            for _ in range(runs)
        ]
        unknown = [
            _timed(lambda: _refused(login, {"email": "nobody@nowhere.example", "password": "not it at all"}))
            for _ in range(runs)
        ]
        _, cookie = _post(f"{stack.url}/api/v1/auth/login", {"email": user.email, "password": user.password})
        with dynamodb_calls() as calls:
            me = f"{stack.url}/api/v1/me"
            request = urllib.request.Request(me, headers={"Cookie": cookie.split(";")[0]})  # noqa: S310
            urllib.request.urlopen(request).close()  # noqa: S310 - loopback
    print(
        f"Login through the local stack, median of {runs}: {statistics.median(times):.0f} ms "
        f"(p95 {sorted(times)[int(runs * 0.95) - 1]:.0f} ms); argon2id verify alone: {hash_ms:.0f} ms"
    )
    print(
        f"Refused login, median of {runs} (each including one throttle clean-up): wrong password "
        f"{statistics.median(wrong):.0f} ms, unknown e-mail {statistics.median(unknown):.0f} ms"
    )
    print(f"GET /me DynamoDB calls: {calls} (session check: the first GetItem)")


def _timed(action: object) -> float:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
