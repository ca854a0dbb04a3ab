"""Embedded AWS for the local stack and the tests: a moto server on 127.0.0.1 with the tables and
buckets that template.yaml declares, and snapshots so local data survives a restart."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import boto3
from botocore.config import Config

from infra.template import Template, load

ROOT = Path(__file__).resolve().parents[2]
REGION = "eu-north-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}
VERSION_ATTRIBUTE = "object_version"  # items that name an S3 object version (portal.store.models.Document)
TABLE_KEYS = (
    "AttributeDefinitions",
    "KeySchema",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "BillingMode",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@cache
def _share_botocore_data() -> None:
    """One botocore data loader for every pynamodb connection in this process.

    pynamodb gives each model (31 here) its own botocore session, and each session parses
    botocore's endpoint and service files again (about 0.2 s of JSON a connection). In AWS that is
    once per cold start; a test process binds the models again and again, so it read the same
    files hundreds of times. The files do not change while a process runs.
    """
    import botocore.session
    import pynamodb.connection.base
    from botocore.loaders import create_loader

    loader = create_loader()

    def session() -> botocore.session.Session:
        made = botocore.session.get_session()
        made.register_component("data_loader", loader)
        return made

    pynamodb.connection.base.get_session = session


@dataclass
class LocalAws:
    """A moto server process and the resources of one template in it."""

    prefix: str = "ieh-local"
    template: Template = field(default_factory=load)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    # (table, region, endpoint) the process's models were last bound to by activate()
    _bound: ClassVar[tuple[str, str, str] | None] = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalAws:
        chosen = self.port
        for _ in range(3):
            self.port = chosen or free_port()
            if self._start_on_port():
                return self
            if chosen:
                break
            # Another process (a parallel test worker) took the free port between our asking for
            # it and moto binding it: ask again.
        raise RuntimeError("the embedded AWS (moto server) did not start")

    def _start_on_port(self) -> bool:
        identity = uuid.uuid4().hex
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS, "IEH_MOTO_ID": identity},
            cwd=ROOT,  # so that `-m infra.local.moto_server` is found from any working directory
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/ieh-identity", timeout=1) as answer:  # noqa: S310
                    if json.loads(answer.read())["id"] == identity:
                        return True
                self.stop()  # another worker's server answers on this port: ours cannot bind it
                return False
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    return False
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None

    def __enter__(self) -> LocalAws:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- names and clients -------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def names(self) -> dict[str, str]:
        """Local physical name of each table and bucket, by logical id."""
        names = {name: f"{self.prefix}-{name}" for name in self.template.tables}
        names.update({name: f"{self.prefix}-{name}".lower() for name in self.template.buckets})
        return names

    def environment(self) -> dict[str, str]:
        """What a function sees: its template environment resolved to local names, plus the endpoint."""
        env: dict[str, str] = {
            **CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
        }
        for function in self.template.functions.values():
            for key, value in function.environment.items():
                resolved = self._resolve(value)
                if isinstance(resolved, str | int | float):
                    env[key] = str(resolved)
        # Set by whoever runs the stack (its URL, its outbox folder), not by the template's parameters.
        for key in ("SITE_URL", "OUTBOX_DIR"):
            if key in os.environ:
                env[key] = os.environ[key]
            else:
                env.pop(key, None)
        return env

    def activate(self) -> None:
        """Point this process's functions and models at this embedded AWS."""
        from portal import store
        from portal.settings import Settings, configure

        _share_botocore_data()
        os.environ.update(self.environment())
        settings = Settings.from_environ()
        target = (settings.table_name, settings.region, self.endpoint)
        if LocalAws._bound == target:
            # Same table and endpoint: keep the models' connections. A new one per model costs a
            # botocore session and client (about 0.3 s of JSON parsing each); made again in every
            # test, that was most of the API tests' time. The rest of the settings (an outbox) may
            # have changed, so they are configured anew.
            configure(settings)
            return
        store.bind(settings)
        LocalAws._bound = target

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"Ref"}:
            return self.names.get(value["Ref"], value["Ref"])
        return value

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's fixed test credentials
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
        )

    # -- resources from the template ----------------------------------------------------------
    def create_resources(self) -> None:
        dynamodb, s3 = self.client("dynamodb"), self.client("s3")
        existing = set(dynamodb.list_tables()["TableNames"])
        for logical_id, props in self.template.tables.items():
            name = self.names[logical_id]
            if name not in existing:
                dynamodb.create_table(TableName=name, **{k: props[k] for k in TABLE_KEYS if k in props})
                ttl = props.get("TimeToLiveSpecification")
                if ttl:
                    dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification=ttl)
        buckets = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
        for logical_id in self.template.buckets:
            name = self.names[logical_id]
            if name not in buckets:
                s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
            versioning = self.template.resources[logical_id]["Properties"].get("VersioningConfiguration")
            if versioning:  # the upload check reads and copies one pinned version
                s3.put_bucket_versioning(Bucket=name, VersioningConfiguration=versioning)

    # -- snapshots in the server's memory: the tests' world, restored per test ------------------
    def reset(self) -> None:
        """Empties the embedded AWS: no tables, no buckets (snapshots kept by `keep` stay)."""
        self._moto_api("reset")

    def keep(self, name: str) -> None:
        """Keeps everything in the embedded AWS now under `name`, in the moto process."""
        self._moto_api(f"ieh-snapshot/save?name={name}")

    def put_back(self, name: str) -> None:
        """Puts back what `keep(name)` kept: the same items and the same S3 object versions."""
        self._moto_api(f"ieh-snapshot/restore?name={name}")

    def _moto_api(self, path: str) -> None:
        request = urllib.request.Request(f"{self.endpoint}/moto-api/{path}", method="POST")  # noqa: S310
        urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 - loopback

    # -- snapshots: local data survives a restart ---------------------------------------------
    def snapshot(self, path: Path) -> None:
        dynamodb, s3 = self.client("dynamodb"), self.client("s3")
        state: dict[str, Any] = {"tables": {}, "buckets": {}}
        for logical_id in self.template.tables:
            items: list[dict[str, Any]] = []
            for page in dynamodb.get_paginator("scan").paginate(TableName=self.names[logical_id]):
                items.extend(page["Items"])  # a Scan: only this admin job, never a request path
            state["tables"][logical_id] = items
        for logical_id in self.template.buckets:
            objects = []
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.names[logical_id]):
                for entry in page.get("Contents", []):
                    try:
                        obj = s3.get_object(Bucket=self.names[logical_id], Key=entry["Key"])
                    except s3.exceptions.NoSuchKey:
                        continue  # moved or deleted since the listing (e.g. out of quarantine)
                    objects.append(
                        {
                            "key": entry["Key"],
                            "version_id": obj.get("VersionId"),
                            "content_type": obj.get("ContentType", "application/octet-stream"),
                            "body": base64.b64encode(obj["Body"].read()).decode(),
                        }
                    )
            state["buckets"][logical_id] = objects
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(state), "utf-8")
        partial.replace(path)  # atomic: a crash mid-write leaves the previous snapshot

    def restore(self, path: Path) -> bool:
        if not path.exists():
            return False
        state = json.loads(path.read_text("utf-8"))
        dynamodb, s3 = self.client("dynamodb"), self.client("s3")
        # S3 gives a restored object a new version id: items naming the old one (a document's
        # checked copy) are pointed at the new one, so that downloads still find what was checked.
        versions: dict[str, str] = {}
        for logical_id, objects in state.get("buckets", {}).items():
            if logical_id not in self.template.buckets:
                continue
            for obj in objects:
                written = s3.put_object(
                    Bucket=self.names[logical_id],
                    Key=obj["key"],
                    Body=base64.b64decode(obj["body"]),
                    ContentType=obj["content_type"],
                )
                if obj.get("version_id") and written.get("VersionId"):
                    versions[obj["version_id"]] = written["VersionId"]
        for logical_id, items in state.get("tables", {}).items():
            if logical_id not in self.template.tables:
                continue
            for item in items:
                old = item.get(VERSION_ATTRIBUTE, {}).get("S")
                if old in versions:
                    item[VERSION_ATTRIBUTE] = {"S": versions[old]}
            for start in range(0, len(items), 25):
                requests = [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]
                pending: dict[str, Any] = {self.names[logical_id]: requests}
                while pending:
                    pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        return True
