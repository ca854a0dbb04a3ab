"""The local stack: one origin for the site and the API, and data that survives a restart."""

from __future__ import annotations

import json
import urllib.request
import uuid

from infra.local.stack import LocalStack


def _post(url, body):
    request = urllib.request.Request(  # noqa: S310 - loopback
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-CSRF-Token": "anonymous"},
        method="POST",
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - loopback
        return answer.status, json.loads(answer.read())


def _get(url):
    with urllib.request.urlopen(url) as answer:  # noqa: S310 - loopback
        return answer.status, dict(answer.headers), answer.read()


def test_site_and_api_on_one_origin_and_data_survives_a_restart(tmp_path):
    site = tmp_path / "site"
    (site / "en").mkdir(parents=True)
    (site / "index.html").write_text("<html lang=nb>Hjem</html>")
    (site / "en" / "index.html").write_text("<html lang=en>Home</html>")
    data = tmp_path / "data"
    submission = str(uuid.uuid4())

    with LocalStack(site_dir=site, data_dir=data) as stack:
        assert not stack.restored
        status, headers, body = _get(f"{stack.url}/")
        assert (status, body) == (200, b"<html lang=nb>Hjem</html>")
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert _get(f"{stack.url}/en/")[2] == b"<html lang=en>Home</html>"
        seeded = json.loads(_get(f"{stack.url}/api/v1/stats")[2])
        status, _ = _post(
            f"{stack.url}/api/v1/membership-applications",
            {
                "submission_id": submission,
                "organisation_name": "Restart AS",
                "organisation_number": "923609016",
                "category": "municipality",
                "inhabitants": 12000,
                "contact_name": "Per",
                "email": "per@example.no",
                "phone": "22334455",
                "consent": True,
            },
        )
        assert status == 201

    with LocalStack(site_dir=site, data_dir=data) as stack:
        assert stack.restored
        assert json.loads(_get(f"{stack.url}/api/v1/stats")[2]) == seeded  # restored, not seeded twice
        from portal.store.models import MembershipApplication

        stored = MembershipApplication.get(*MembershipApplication.key(submission))
        assert stored.organisation_name == "Restart AS"
