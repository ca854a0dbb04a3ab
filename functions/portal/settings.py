"""The environment a function runs in, read and checked once at cold start.

A plain dataclass rather than a pydantic model: it is imported by every function before anything
else, and pydantic would cost every cold start ~100 ms for three strings.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


class SettingsError(RuntimeError):
    """The function was deployed without the configuration it needs: fail at cold start, loudly."""


@dataclass(frozen=True)
class Settings:
    table_name: str
    region: str
    reports_bucket: str | None = None
    site_url: str = ""  # where links in e-mails point
    outbox_dir: str | None = None  # local stack: e-mail is written here instead of sent
    case_retention_days: int = 3 * 365  # information requests are deleted this long after closing

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        table_name = environ.get("TABLE_NAME", "").strip()
        if not table_name:
            raise SettingsError("TABLE_NAME is not set")
        return cls(
            table_name=table_name,
            region=environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "eu-north-1",
            reports_bucket=environ.get("REPORTS_BUCKET") or None,
            site_url=environ.get("SITE_URL", "").rstrip("/"),
            outbox_dir=environ.get("OUTBOX_DIR") or None,
            case_retention_days=int(environ.get("CASE_RETENTION_DAYS") or 3 * 365),
        )


_current: Settings | None = None


def configure(settings: Settings) -> None:
    global _current  # set once per cold start, by the entry point
    _current = settings


def current() -> Settings:
    if _current is None:
        raise SettingsError("settings are not configured: the entry point calls portal.store.bind()")
    return _current
