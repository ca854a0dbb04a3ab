"""The packaged data files: rules as data with their sources (authorization matrix, reference
lists, fee table, SAQ versions, risk model and sources), read by one loader. The texts are in
portal/locales, one catalogue per language (portal.i18n)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def exists(*path: str) -> bool:
    return resources.files(__name__).joinpath(*path).is_file()


def load(*path: str) -> Any:
    """The JSON file at `path` under portal/data (e.g. load("risk", "model.json"))."""
    return json.loads(resources.files(__name__).joinpath(*path).read_text("utf-8"))
