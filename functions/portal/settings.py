"""The environment a function runs in, read and validated once at cold start."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, Field


class Settings(BaseModel):
    table_name: str = Field(min_length=1)
    reports_bucket: str | None = None
    region: str = Field(min_length=1)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        return cls(
            table_name=environ.get("TABLE_NAME", ""),
            reports_bucket=environ.get("REPORTS_BUCKET") or None,
            region=environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "eu-north-1",
        )
