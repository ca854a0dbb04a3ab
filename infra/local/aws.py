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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class LocalAws:
    """A moto server process and the resources of one template in it."""

    prefix: str = "ieh-local"
    template: Template = field(default_factory=load)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> LocalAws:
        self.port = self.port or free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.moto_server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS},
            cwd=ROOT,  # so that `-m infra.local.moto_server` is found from any working directory
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.endpoint}/moto-api/data.json", timeout=1).close()  # noqa: S310
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the embedded AWS (moto server) did not start") from None
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
        from portal.settings import Settings

        os.environ.update(self.environment())
        store.bind(Settings.from_environ())

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
