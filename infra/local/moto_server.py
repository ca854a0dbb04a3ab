"""The embedded AWS process: moto's server, with DynamoDB requests applied one at a time, and
queries that read one partition instead of the whole table.

DynamoDB applies each conditional write and each transaction atomically. moto's threaded server does
not: two transactions could both pass their conditions before either wrote (seen as an overbooked
course in tests/api/test_members.py). Serialising moto's DynamoDB actions restores the atomicity the
portal relies on; S3 and the other services stay concurrent.

moto answers every Query by sorting every item of the table and filtering them (O(n log n) per
call: 130 ms for a 43-item partition of a 2,500-item table here), where DynamoDB reads one
partition. At the scale of issue 7 that would measure moto, not the portal. A Query here is given
only its candidates: the base table's partition (moto keeps items by hash key), or for an index the
items with that index key, from a map rebuilt after any write. moto still applies every condition,
sort, filter, limit and page to them, so answers are unchanged.

moto also writes every DynamoDB answer through its generic, model-driven serializer (80 % of its
time answering a 43-item Query, by py-spy). DynamoDB's JSON protocol is the result itself, so data
answers (items, keys, counts; no binary attributes) are written with json.dumps; anything else, and
every error, still goes through moto's serializer.

Making an item, moto re-measured every attribute it already had for each attribute it added
(O(attributes²) per item, 30 % of its time writing the generated world); here a new item is
measured once, against the same 400 KB limit.

For loading generated worlds (infra/generate.py), a request to the DynamoDB endpoint with the
header `x-ieh-bulk-load: <table>` and a JSON list of items (DynamoDB JSON) puts them directly,
skipping moto's request parsing (4 ms an item through BatchWriteItem). Only the local stack has it.

And moto deep-copies every table a transaction touches, to roll back on failure: O(table) per
transaction. Here the backup is of the items the transaction names (at most 100), restored the
same way when it fails.

For the tests, snapshots in this process's memory: POST /moto-api/ieh-snapshot/save?name=world
keeps a pickled copy of every DynamoDB and S3 backend in use, POST .../restore?name=world puts it
back (the same items, the same S3 object versions). One call where a reset, the tables and buckets
and the items 25 to a BatchWriteItem took about 15 (270 ms for the demo world; 25 ms here).
GET /moto-api/ieh-identity answers IEH_MOTO_ID, so whoever started the server can tell it is theirs.
"""

from __future__ import annotations

import copy
import inspect
import json
import os
import pickle
import threading
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.responses import DynamoHandler
from moto.moto_api._internal import urls as moto_api_urls
from moto.moto_api._internal.models import moto_api_backend
from moto.s3.models import s3_backends
from moto.server import main

_one_at_a_time = threading.RLock()
_call_action = DynamoHandler.call_action
_query = Table.query
_QUERY = inspect.signature(_query)
READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems", "DescribeTable", "ListTables",
                   "DescribeTimeToLive", "DescribeContinuousBackups", "ListTagsOfResource"})  # fmt: skip
_writes = 0  # how many write actions so far: an index map older than this is rebuilt
_index_maps: dict[tuple[int, str], tuple[int, dict[Any, list[Any]]]] = {}


def _atomic_call_action(self: DynamoHandler) -> Any:
    global _writes
    with _one_at_a_time:
        if self._get_action() not in READS:
            _writes += 1
        return _call_action(self)


def _index_map(table: Table, index_name: str, attribute: str) -> dict[Any, list[Any]]:
    built = _index_maps.get((id(table), index_name))
    if built is None or built[0] != _writes:
        by_key: dict[Any, list[Any]] = {}
        partitions: Any = table.items.values()
        for hash_set in partitions:
            for item in hash_set.values() if table.range_key_attr else (hash_set,):
                value = item.attrs.get(attribute)
                if value is not None:
                    by_key.setdefault(value, []).append(item)
        built = (_writes, by_key)
        _index_maps[(id(table), index_name)] = built
    return built[1]


def _partition_query(self: Table, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
    call = _QUERY.bind(self, hash_key, *args, **kwargs).arguments
    index_name = call.get("index_name")
    if index_name:
        index = next((i for i in self.all_indexes() if i.name == index_name), None)
        conditions = dict(call.get("hash_key_conditions") or [])
        schema = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index else []
        if len(schema) != 1 or schema[0] not in conditions:
            return _query(self, hash_key, *args, **kwargs)
        candidates = _index_map(self, index_name, schema[0]).get(conditions[schema[0]], [])
    else:
        found = self.items.get(hash_key)
        candidates = [] if found is None else list(found.values()) if self.range_key_attr else [found]
    self.all_items = lambda: list(candidates)  # type: ignore[method-assign]
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        del self.all_items


_serialized = DynamoHandler.serialized
DATA_ACTIONS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "PutItem", "UpdateItem", "DeleteItem",
                          "BatchWriteItem", "TransactWriteItems", "TransactGetItems"})  # fmt: skip


def _plain_json(self: DynamoHandler, action_result: Any) -> Any:
    result = action_result.result
    if isinstance(result, dict) and self._get_action() in DATA_ACTIONS:
        try:
            body = json.dumps(result, separators=(",", ":"))
        except TypeError:  # bytes (binary attributes) and the like: moto's serializer knows them
            return _serialized(self, action_result)
        headers = {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}
        return 200, headers, body
    return _serialized(self, action_result)


class _TablesByReference:
    """`copy` for moto's transactions: a table "copy" is the table itself (see _transact)."""

    @staticmethod
    def deepcopy(value: Any, memo: Any = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, Any, Any, Any]]:
    """(table, hash key, range key, a copy of the item as it is now or None) for each item named."""
    found = []
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None or op_type == "ConditionCheck":
            continue
        key = op["Item"] if op_type == "Put" else op["Key"]
        if table.hash_key_attr not in key or (table.range_key_attr and table.range_key_attr not in key):
            continue
        hash_key = DynamoType(key[table.hash_key_attr])
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
        current = table.items.get(hash_key)
        if current is not None and range_key is not None:
            current = current.get(range_key)
        found.append((table, hash_key, range_key, copy.deepcopy(current)))
    return found


def _restore(touched: list[tuple[Any, Any, Any, Any]]) -> None:
    for table, hash_key, range_key, item in reversed(touched):
        if range_key is None:
            if item is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = item
            continue
        partition = table.items.get(hash_key)
        if item is None:
            if partition is not None:
                partition.pop(range_key, None)
                if not partition:
                    table.items.pop(hash_key, None)
        else:
            table.items[hash_key][range_key] = item


def _transact(self: Any, transact_items: list[dict[str, Any]]) -> None:
    touched = _touched(self, transact_items)
    try:
        _transact_write_items(self, transact_items)
    except Exception:
        _restore(touched)
        raise


def _size(key: str, value: Any) -> int:
    return bytesize(key) + (value.size() if type(value) is DynamoType else bytesize(str(value)))


def _new_item(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    """moto's Item.__init__, measuring the item once instead of once per attribute."""
    self.hash_key, self.range_key = hash_key, range_key
    values = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(_size(key, value) for key, value in values.items()) > ITEM_LIMIT:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict()
    dict.update(self.attrs, values)  # later changes still go through moto's own size check


ITEM_LIMIT = 405_000  # moto's own figure: DynamoDB's 400 KB, measured between 409 and 410 KB
_dispatch = DynamoHandler._dispatch


def _bulk_or_dispatch(
    self: DynamoHandler, request: Any, full_url: str | None = None, headers: Any = None
) -> Any:
    table_name = request.headers.get("x-ieh-bulk-load")
    if not table_name:
        return _dispatch(self, request, full_url, headers)
    global _writes
    items = json.loads(request.get_data())
    with _one_at_a_time:
        _writes += 1
        backend = dynamodb_models.dynamodb_backends[DEFAULT_ACCOUNT_ID][
            request.headers.get("x-ieh-region", "eu-north-1")
        ]
        table = backend.get_table(table_name)
        for attrs in items:
            table.put_item(attrs)
    return 200, {"Content-Type": "application/json"}, json.dumps({"loaded": len(items)})


DynamoHandler.call_action = _atomic_call_action  # type: ignore[method-assign]
DynamoHandler._dispatch = _bulk_or_dispatch  # type: ignore[method-assign,assignment]
Item.__init__ = _new_item  # type: ignore[method-assign]
DynamoHandler.serialized = _plain_json  # type: ignore[method-assign,assignment]
dynamodb_models.copy = _TablesByReference  # type: ignore[assignment]
_transact_write_items = DynamoDBBackend.transact_write_items
DynamoDBBackend.transact_write_items = _transact  # type: ignore[method-assign]
Table.query = _partition_query  # type: ignore[method-assign]


_snapshots: dict[str, list[tuple[Any, str, str, bytes]]] = {}


def _backends_in_use() -> list[tuple[Any, str, str, Any]]:
    """(service, account, region, backend) for each DynamoDB and S3 backend a request has made."""
    found: list[tuple[Any, str, str, Any]] = []
    services: tuple[Any, ...] = (dynamodb_models.dynamodb_backends, s3_backends)
    for service in services:
        for account, regions in service.items():
            # dict.items: the regions made so far (the mapping's own lookups would make backends)
            found.extend((service, account, region, backend) for region, backend in dict.items(regions))
    return found


def _snapshot(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    global _writes
    action = full_url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
    name = request.args.get("name", "default")
    if request.method != "POST" or action not in ("save", "restore"):
        return 400, {}, json.dumps({"error": "POST /moto-api/ieh-snapshot/save|restore?name=..."})
    with _one_at_a_time:  # no DynamoDB action sees half a snapshot
        if action == "save":
            _snapshots[name] = [
                (service, account, region, pickle.dumps(backend.__dict__))
                for service, account, region, backend in _backends_in_use()
            ]
            return 200, {}, json.dumps({"saved": name})
        if name not in _snapshots:
            return 404, {}, json.dumps({"error": f"no snapshot {name!r}"})
        moto_api_backend.reset()  # what was made after the save (another region, a new backend) goes
        for service, account, region, state in _snapshots[name]:
            service[account][region].__dict__ = pickle.loads(state)  # noqa: S301 - our own bytes
        # the tables are new objects: no index map built before may be reused (ids can be recycled)
        _writes += 1
        _index_maps.clear()
    return 200, {}, json.dumps({"restored": name})


def _identity(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    """Who started this server (IEH_MOTO_ID): a parallel test worker that was handed the same free
    port must not take another worker's server for its own."""
    return 200, {}, json.dumps({"id": os.environ.get("IEH_MOTO_ID", "")})


moto_api_urls.url_paths["{0}/moto-api/ieh-identity"] = _identity
moto_api_urls.url_paths["{0}/moto-api/ieh-snapshot/save"] = _snapshot
moto_api_urls.url_paths["{0}/moto-api/ieh-snapshot/restore"] = _snapshot

if __name__ == "__main__":
    main()
