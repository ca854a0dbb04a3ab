"""People read Norwegian (default) or English: the language of a request and the texts we answer with."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

Language = Literal["nb", "en"]
DEFAULT_LANGUAGE: Language = "nb"


def language_of(accept_language: str | None) -> Language:
    """The first supported language in an Accept-Language header; Norwegian when none is."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith(("nb", "no", "nn")):
            return "nb"
    return DEFAULT_LANGUAGE


@cache
def _messages() -> dict[str, dict[str, str]]:
    return json.loads(resources.files("portal.data").joinpath("messages.json").read_text("utf-8"))


def text(key: str, language: Language, **params: object) -> str:
    """The message for `key`; unknown keys fall back to a generic message rather than leaking the key."""
    entry = _messages().get(key) or _messages()["error.generic"]
    message = entry.get(language) or entry[DEFAULT_LANGUAGE]
    return message.format(**params) if params else message


def has_text(key: str) -> bool:
    return key in _messages()
