"""Counting the DynamoDB calls a piece of work makes (tests assert budgets; benchmarks report them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from botocore.client import BaseClient


@contextmanager
def dynamodb_calls() -> Iterator[list[str]]:
    """Records the DynamoDB operations made inside the block (boto3 and pynamodb alike)."""
    calls: list[str] = []
    original = BaseClient._make_api_call

    def recording(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            calls.append(operation)
        return original(client, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", recording):
        yield calls
