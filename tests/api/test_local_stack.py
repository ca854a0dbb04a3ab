"""The local stack: one origin for the site and the API, and data that survives a restart."""

from __future__ import annotations

import base64
import json
import urllib.request
import uuid

import pytest

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


@pytest.mark.slow  # two stacks started one after the other, each seeding the demo world
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


def _raw(stack, method, target, headers=()):
    """A request as sent on the wire (http.client does not check or re-encode the target)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", stack.port, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (("Accept-Language", "en"), ("X-CSRF-Token", "anonymous"), *headers):
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.getheader("content-type"), answer.read()
    finally:
        connection.close()


def test_the_local_server_answers_whatever_arrives_in_the_error_shape():
    """What the server or the gateway answered itself (Starlette's plain-text 405 for OPTIONS or an
    unknown method, the gateway's English "Not Found") is now the API's error shape in the caller's
    language, as the functions behind API Gateway's catch-all route answer."""
    with LocalStack(site_dir=None, data_dir=None, seed=False) as stack:
        for method, target, status, code in (
            ("OPTIONS", "/api/v1/health", 405, "method_not_allowed"),
            ("FOO", "/api/v1/health", 405, "method_not_allowed"),
            ("DELETE", "/api/v1/health", 405, "method_not_allowed"),
            ("GET", "/api/v1/%ZZ", 404, "not_found"),
            ("GET", "/api/v1/%", 404, "not_found"),
            ("GET", "/api/v1/producer/sites/..%2F..%2Fadmin%2Fstats", 404, "not_found"),
            ("GET", "/api/v1/health%0A", 404, "not_found"),
            ("GET", "/api/v1/health%00", 404, "not_found"),
            ("GET", "/api/" + "a" * 12_000, 413, "request_too_large"),
            ("GET", "/api/v1/health?" + "a=1&" * 3000, 413, "request_too_large"),
        ):
            got, content_type, body = _raw(stack, method, target)
            assert (got, content_type) == (status, "application/json"), (method, target[:60], body[:200])
            error = json.loads(body)["error"]
            assert error["code"] == code, (method, target[:60])
            assert "Not Found" not in error["message"]
        got, _, body = _raw(stack, "GET", "/api/v1/health", (("Accept-Language", "x;q=0.1," * 1300),))
        assert got == 413
        assert json.loads(body)["error"]["code"] == "request_too_large"


def _signed_form(tables, **conditions_and_fields):
    """A boto3 presigned POST for the local reports bucket, as portal.adapters.files makes it."""
    s3 = tables.client("s3")
    bucket = tables.names["ReportsBucket"]
    form = s3.generate_presigned_post(
        Bucket=bucket,
        Key="quarantine/org/audit/-/doc",
        Fields={"Content-Type": "application/pdf"},
        Conditions=[
            {"Content-Type": "application/pdf"},
            ["content-length-range", 1, 100],
            *conditions_and_fields.pop("conditions", []),
        ],
        ExpiresIn=600,
    )
    return bucket, form["fields"]


def _verdict(bucket, fields, size=10, bucket_posted=None):
    from infra.local import s3_post

    refused = s3_post.verify(
        s3_post.Form({k.lower(): v for k, v in fields.items()}, size), bucket_posted or bucket, "testing"
    )
    return None if refused is None else (refused.status, refused.code)


def test_the_local_s3_enforces_the_signed_policy_of_a_form(tables):
    """What S3 refuses, the local stand-in refuses: otherwise local tests would pass where AWS fails."""
    bucket, fields = _signed_form(tables)
    assert _verdict(bucket, fields) is None
    assert _verdict(bucket, {**fields, "key": "documents/org/audit/doc"}) == (403, "AccessDenied")
    assert _verdict(bucket, {**fields, "Content-Type": "text/html"}) == (403, "AccessDenied")
    assert _verdict(bucket, fields, bucket_posted="another-bucket") == (403, "AccessDenied")
    assert _verdict(bucket, fields, size=101) == (400, "EntityTooLarge")
    assert _verdict(bucket, fields, size=0) == (400, "EntityTooSmall")
    assert _verdict(bucket, {**fields, "x-amz-meta-note": "extra"}) == (403, "AccessDenied")
    assert _verdict(bucket, {**fields, "x-ignore-note": "S3 ignores these"}) is None
    assert _verdict(bucket, {**fields, "x-amz-signature": "0" * 64}) == (403, "SignatureDoesNotMatch")
    tampered = json.loads(base64.b64decode(fields["policy"]))
    tampered["conditions"] = [c for c in tampered["conditions"] if "key" not in c]
    forged = base64.b64encode(json.dumps(tampered).encode()).decode()
    assert _verdict(bucket, {**fields, "policy": forged}) == (403, "SignatureDoesNotMatch")
    _, prefixed = _signed_form(tables, conditions=[["starts-with", "$x-amz-meta-note", "ok-"]])
    assert _verdict(bucket, {**prefixed, "x-amz-meta-note": "ok-fine"}) is None
    assert _verdict(bucket, {**prefixed, "x-amz-meta-note": "not-fine"}) == (403, "AccessDenied")


def test_a_kept_state_is_put_back_exactly_items_objects_and_versions(tables):
    """What the API tests' `world` fixture relies on: after put_back, every item and every S3
    object version is as it was kept, and nothing written since is left."""
    dynamodb, s3 = tables.client("dynamodb"), tables.client("s3")
    table, bucket = tables.names["Table"], tables.names["ReportsBucket"]
    dynamodb.put_item(TableName=table, Item={"PK": {"S": "kept"}, "SK": {"S": "1"}, "n": {"N": "1"}})
    version = s3.put_object(Bucket=bucket, Key="kept.pdf", Body=b"%PDF-kept")["VersionId"]
    tables.keep("test")

    dynamodb.put_item(TableName=table, Item={"PK": {"S": "kept"}, "SK": {"S": "1"}, "n": {"N": "2"}})
    dynamodb.put_item(TableName=table, Item={"PK": {"S": "later"}, "SK": {"S": "1"}})
    s3.put_object(Bucket=bucket, Key="kept.pdf", Body=b"%PDF-changed")
    s3.put_object(Bucket=bucket, Key="later.pdf", Body=b"%PDF-later")
    tables.put_back("test")

    items = dynamodb.scan(TableName=table)["Items"]
    assert items == [{"PK": {"S": "kept"}, "SK": {"S": "1"}, "n": {"N": "1"}}]
    versions = s3.list_object_versions(Bucket=bucket).get("Versions", [])
    assert [(v["Key"], v["VersionId"]) for v in versions] == [("kept.pdf", version)]
    assert s3.get_object(Bucket=bucket, Key="kept.pdf", VersionId=version)["Body"].read() == b"%PDF-kept"
    # a query after the put_back reads the restored partition, not an index map built before it
    found = dynamodb.query(
        TableName=table, KeyConditionExpression="PK = :pk", ExpressionAttributeValues={":pk": {"S": "kept"}}
    )["Items"]
    assert [item["n"] for item in found] == [{"N": "1"}]


def test_a_port_taken_by_another_workers_server_is_not_mistaken_for_ours(tables, monkeypatch):
    """Parallel workers each start a moto server on a free port; if two are handed the same port,
    the second must start its own elsewhere, not share the first one's data."""
    from infra.local import aws as local_aws

    ports = iter([tables.port, local_aws.free_port()])
    monkeypatch.setattr(local_aws, "free_port", lambda: next(ports))
    with local_aws.LocalAws() as other:
        assert other.port != tables.port
        assert other.client("dynamodb").list_tables()["TableNames"] == []  # its own, empty
