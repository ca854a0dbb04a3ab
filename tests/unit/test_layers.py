"""The layers keep to their lanes: keys are built only in portal/store (by the models' key
classmethods and the store's queries), and routers reach the data only through use cases."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "functions" / "portal"
MODELS = PORTAL / "store" / "models.py"
PREFIX = re.compile(r"^([A-Z][A-Z0-9_]+)(#|$)")


def _leading_text(node: ast.AST) -> str | None:
    """The text a string literal or an f-string starts with (an f-string's first literal part)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


def key_prefixes() -> set[str]:
    """Every upper-case key part the models' key functions return (ORG, LINK, APPLICATIONS, STATS, …)."""
    found: set[str] = set()
    for cls in ast.parse(MODELS.read_text()).body:
        if not isinstance(cls, ast.ClassDef):
            continue
        for method in (node for node in cls.body if isinstance(node, ast.FunctionDef)):
            for ret in (node for node in ast.walk(method) if isinstance(node, ast.Return)):
                for part in ast.walk(ret.value) if ret.value is not None else ():
                    text = _leading_text(part)
                    match = PREFIX.match(text or "")
                    if match:
                        found.add(match.group(1))
    return found


def _modules(folder: Path, *, excluding: str | None = None) -> list[Path]:
    return [p for p in sorted(folder.rglob("*.py")) if excluding is None or excluding not in p.parts]


def key_strings(path: Path, prefixes: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        text = _leading_text(node)
        match = PREFIX.match(text or "")
        if match and match.group(1) in prefixes and (match.group(2) == "#" or text == match.group(1)):
            found.append(f"{path.relative_to(PORTAL)}:{node.lineno}: {text!r}")  # type: ignore[attr-defined]
    return found


def test_the_models_name_their_key_prefixes():
    assert {"ORG", "LINK", "APPLICATIONS", "SITE", "USER", "RESOURCES", "BUYER"} <= key_prefixes()


def test_no_key_is_built_outside_the_store():
    prefixes = key_prefixes()
    found = [hit for path in _modules(PORTAL, excluding="store") for hit in key_strings(path, prefixes)]
    assert found == [], "keys are built by portal/store (the models' key classmethods), not here"


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, only for type checking) of every import in a module, at any depth."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for child in node.body
        for inner in ast.walk(child)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.extend((node.lineno, name, id(node) in typing_only) for name in names)
    return found


def test_routers_reach_the_data_only_through_use_cases():
    """A router module (portal/routes) imports no portal.store module, except the resolver's one map
    of DynamoDB failures (app.py → store.errors) and types for the type checker (TYPE_CHECKING)."""
    allowed = {("app.py", "portal.store.errors"), ("app.py", "portal.store.errors.as_portal_error")}
    found = [
        f"routes/{path.name}:{line}: {name}"
        for path in _modules(PORTAL / "routes")
        for line, name, typing_only in _imports(path)
        if (name == "portal.store" or name.startswith("portal.store."))
        and not typing_only
        and (path.name, name) not in allowed
    ]
    assert found == []
