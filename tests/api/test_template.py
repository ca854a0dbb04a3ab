"""template.yaml is the one description of the system: the local stack, the models and the routes
in the code must agree with it, or these tests fail."""

from __future__ import annotations

import re
from importlib import import_module

import pytest

from infra.template import load
from portal.routes.catalogue import AREAS, router_factory
from portal.store.models import PortalItem

TEMPLATE = load()


def _key_schema(schema):
    return sorted((k["AttributeName"], k["KeyType"]) for k in schema)


def test_local_tables_are_the_template_tables(tables):
    dynamodb = tables.client("dynamodb")
    assert set(dynamodb.list_tables()["TableNames"]) == {tables.names[name] for name in TEMPLATE.tables}
    for logical_id, declared in TEMPLATE.tables.items():
        name = tables.names[logical_id]
        actual = dynamodb.describe_table(TableName=name)["Table"]
        assert _key_schema(actual["KeySchema"]) == _key_schema(declared["KeySchema"])
        assert sorted(map(tuple, (d.values() for d in actual["AttributeDefinitions"]))) == sorted(
            map(tuple, (d.values() for d in declared["AttributeDefinitions"]))
        )
        actual_gsis = {g["IndexName"]: g for g in actual.get("GlobalSecondaryIndexes", [])}
        declared_gsis = {g["IndexName"]: g for g in declared.get("GlobalSecondaryIndexes", [])}
        assert set(actual_gsis) == set(declared_gsis)
        for index, gsi in declared_gsis.items():
            assert _key_schema(actual_gsis[index]["KeySchema"]) == _key_schema(gsi["KeySchema"])
            assert actual_gsis[index]["Projection"]["ProjectionType"] == gsi["Projection"]["ProjectionType"]
        ttl = dynamodb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        assert ttl["TimeToLiveStatus"] == "ENABLED"
        assert ttl["AttributeName"] == declared["TimeToLiveSpecification"]["AttributeName"]


def test_local_buckets_are_the_template_buckets(tables):
    s3 = tables.client("s3")
    assert {b["Name"] for b in s3.list_buckets()["Buckets"]} == {tables.names[b] for b in TEMPLATE.buckets}


def test_the_models_use_the_template_keys_and_indexes():
    [declared] = TEMPLATE.tables.values()
    hash_key = next(k["AttributeName"] for k in declared["KeySchema"] if k["KeyType"] == "HASH")
    range_key = next(k["AttributeName"] for k in declared["KeySchema"] if k["KeyType"] == "RANGE")
    assert PortalItem._hash_key_attribute().attr_name == hash_key
    assert PortalItem._range_key_attribute().attr_name == range_key
    indexes = {i.Meta.index_name: i for i in PortalItem._indexes.values()}
    for gsi in declared["GlobalSecondaryIndexes"]:
        index = indexes[gsi["IndexName"]]
        keys = {a.attr_name: ("HASH" if a.is_hash_key else "RANGE") for a in index.Meta.attributes.values()}
        assert sorted(keys.items()) == _key_schema(gsi["KeySchema"])
    ttl = declared["TimeToLiveSpecification"]["AttributeName"]
    assert ttl == "expires_at"


def _code_routes():
    found = set()
    for function in AREAS:
        for rule, method, *_ in router_factory(function)()._routes:
            methods = method if isinstance(method, list | tuple) else [method]
            path = "/api/v1" + re.sub(r"<(\w+)>", r"{\1}", rule)
            found.update((m.upper(), path, function) for m in methods)
    return found


def test_every_route_in_the_code_is_routed_to_its_function_in_the_template():
    declared = {(r.method, r.path, r.function) for r in TEMPLATE.routes if not r.greedy}
    assert _code_routes() == declared


def test_every_other_api_request_goes_to_a_function_not_to_api_gateways_own_answer():
    """API Gateway answers a request no route takes itself ({"message":"Not Found"}, English):
    the one catch-all route hands them to a function, which answers 404/405 in the error shape."""
    [catch_all] = [r for r in TEMPLATE.routes if r.greedy]
    assert (catch_all.method, catch_all.path) == ("ANY", "/api/{proxy+}")
    assert catch_all.function in AREAS


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_every_function_handler_exists(function, aws):
    # A handler module reads its settings and binds the table when imported (as Lambda does at a
    # cold start): import it with this worker's embedded AWS active, whichever test ran before.
    aws.activate()
    module, _, name = TEMPLATE.functions[function].handler.rpartition(".")
    assert callable(getattr(import_module(module), name))


def _statements(policies):
    documents = policies if isinstance(policies, list) else [policies]
    for document in documents:
        if isinstance(document, dict) and "Statement" in document:
            yield from document["Statement"]


@pytest.mark.parametrize("function", sorted(TEMPLATE.functions))
def test_functions_have_least_privilege(function):
    statements = list(_statements(TEMPLATE.functions[function].policies))
    assert statements, "each function states its permissions explicitly"
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert all("*" not in action for action in actions), statement
        assert statement.get("Resource") != "*", statement


def test_table_is_protected():
    [(logical_id, declared)] = TEMPLATE.tables.items()
    resource = TEMPLATE.resources[logical_id]
    assert declared["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert declared["SSESpecification"]["SSEEnabled"] is True
    assert declared["DeletionProtectionEnabled"] is True
    assert resource["DeletionPolicy"] == "Retain"


def test_reports_bucket_is_private_versioned_and_encrypted():
    props = TEMPLATE.resources["ReportsBucket"]["Properties"]
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    rules = props["LifecycleConfiguration"]["Rules"]
    assert any(
        rule.get("Prefix") == "quarantine/" or "quarantine/" in str(rule.get("Filter", "")) for rule in rules
    )


def test_every_route_of_the_openapi_document_is_in_the_authorization_matrix():
    import json

    from portal.policy import matrix
    from portal.routes.catalogue import openapi_json

    document = json.loads(openapi_json())
    routes = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, operations in document["paths"].items()
        for method in operations
    }
    routes.add("GET /openapi.json")  # served, but not described in itself
    assert routes == set(matrix())


def _granted(function: str, resource_suffix: str) -> set[str]:
    granted: set[str] = set()
    for statement in _statements(TEMPLATE.functions[function].policies):
        if resource_suffix in str(statement.get("Resource")):
            actions = statement["Action"]
            granted.update(actions if isinstance(actions, list) else [actions])
    return granted


def test_the_upload_check_and_downloads_may_use_the_pinned_versions_they_name():
    """The check reads, copies and removes one version of an upload (a form can be used again while
    it is checked), and download links name the checked copy's version: each needs its *Version
    permission, which moto does not enforce."""
    assert {"s3:GetObjectVersion", "s3:DeleteObjectVersion"} <= _granted(
        "UploadCheckFunction", "/quarantine/*"
    )
    assert {"s3:PutObject", "s3:DeleteObjectVersion"} <= _granted("UploadCheckFunction", "/documents/*")
    for function in ("SupplyFunction", "SharingFunction"):
        assert "s3:GetObjectVersion" in _granted(function, "/documents/*"), function
