"""The OpenAPI document is generated from the code: a refactoring must leave it byte for byte as it
was, and a change to the API must show up here, on purpose.

The snapshot holds the document's SHA-256 and one digest per path and per schema (the document is
1.4 MB: the digests say where it changed without keeping a copy). To accept a change on purpose:

    PYTHONPATH=$PWD/functions:$PWD .venv/bin/python -m tests.unit.test_openapi_snapshot
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from portal.routes.catalogue import openapi_json

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def _digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digests(document: str) -> dict[str, Any]:
    parsed = json.loads(document)
    return {
        "sha256": _digest(document),
        "paths": {path: _digest(item) for path, item in sorted(parsed["paths"].items())},
        "schemas": {name: _digest(item) for name, item in sorted(parsed["components"]["schemas"].items())},
    }


def test_the_openapi_document_is_the_one_in_the_snapshot():
    now, kept = digests(openapi_json()), json.loads(SNAPSHOT.read_text("utf-8"))
    changed = {
        part: sorted(k for k in set(now[part]) | set(kept[part]) if now[part].get(k) != kept[part].get(k))
        for part in ("paths", "schemas")
    }
    assert changed == {"paths": [], "schemas": []}, "refresh the snapshot (see the module docstring) if meant"
    assert now["sha256"] == kept["sha256"], "the same paths and schemas, in another order or form"


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(digests(openapi_json()), indent=2) + "\n", "utf-8")
    print(f"wrote {SNAPSHOT}")
