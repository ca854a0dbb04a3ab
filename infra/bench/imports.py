"""Cold import time of each Lambda entry point beside the floor (pynamodb.models + the Powertools
resolver alone), each measured in fresh interpreters; median of N runs.

Two columns, because Lambda cannot write `__pycache__` (the package is read-only): `source` is
our code as `sam build` packages it today, compiled at every cold start; `bytecode` is the same
code with its `.pyc` files shipped beside it. Third-party packages are pip-installed, with
bytecode, in both (as in the Lambda package)."""

from __future__ import annotations

import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from infra.template import load

FLOOR = "import pynamodb.models; from aws_lambda_powertools.event_handler import APIGatewayHttpResolver"
# What validating at the edge adds to the floor: Powertools' OpenAPI validation and pydantic.
VALIDATION = f"{FLOOR}; import aws_lambda_powertools.event_handler.middlewares.openapi_validation"
PROBE = "import time; t = time.perf_counter(); {code}; print((time.perf_counter() - t) * 1000)"
FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"


def cold_import_ms(code: str, runs: int, env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE.format(code=code)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def _package(into: Path, bytecode: bool) -> Path:
    """A copy of functions/portal as the Lambda package holds it, with or without `.pyc` files."""
    shutil.copytree(FUNCTIONS / "portal", into / "portal", ignore=shutil.ignore_patterns("__pycache__"))
    if bytecode:
        compileall.compile_dir(into / "portal", quiet=1)
    return into


def main(runs: int = 9) -> list[tuple[str, float, float, float]]:
    base = {**os.environ, "TABLE_NAME": "bench", "AWS_REGION": "eu-north-1", "PYTHONDONTWRITEBYTECODE": "1"}
    rows = []
    with tempfile.TemporaryDirectory() as source, tempfile.TemporaryDirectory() as bytecode:
        envs = {
            kind: {**base, "PYTHONPATH": str(_package(Path(folder), kind == "bytecode"))}
            for kind, folder in (("source", source), ("bytecode", bytecode))
        }
        floor = cold_import_ms(FLOOR, runs, envs["source"])
        rows.append(("floor: pynamodb.models + Powertools resolver", floor, floor, floor))
        validation = cold_import_ms(VALIDATION, runs, envs["source"])
        rows.append(("floor + request validation (pydantic)", floor, validation, validation))
        for name, function in sorted(load().functions.items()):
            module = function.handler.rpartition(".")[0]
            code = f"import {module}"
            as_source = cold_import_ms(code, runs, envs["source"])
            as_bytecode = cold_import_ms(code, runs, envs["bytecode"])
            rows.append((f"{name} ({module.rpartition('.')[2]})", floor, as_source, as_bytecode))
    print(f"Cold import, median of {runs} fresh interpreters (Python {sys.version.split()[0]}):")
    print(f"  {'':<48} {'source':>16} {'bytecode shipped':>22}")
    for label, floor_ms, as_source, as_bytecode in rows:
        print(
            f"  {label:<48} {as_source:6.0f} ms {as_source / floor_ms:4.2f} ×"
            f"   {as_bytecode:6.0f} ms {as_bytecode / floor_ms:4.2f} ×"
        )
    return rows


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
