"""Cold import time of each Lambda entry point beside the floor (pynamodb.models + the Powertools
resolver alone), each measured in fresh interpreters; median of N runs."""

from __future__ import annotations

import statistics
import subprocess
import sys

from infra.template import load

FLOOR = "import pynamodb.models; from aws_lambda_powertools.event_handler import APIGatewayHttpResolver"
PROBE = "import time; t = time.perf_counter(); {code}; print((time.perf_counter() - t) * 1000)"


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


def main(runs: int = 9) -> list[tuple[str, float, float]]:
    import os

    env = {**os.environ, "TABLE_NAME": "bench", "AWS_REGION": "eu-north-1"}
    floor = cold_import_ms(FLOOR, runs, env)
    rows = [("floor: pynamodb.models + Powertools resolver", floor, 1.0)]
    for name, function in sorted(load().functions.items()):
        module = function.handler.rpartition(".")[0]
        took = cold_import_ms(f"import {module}", runs, env)
        rows.append((f"{name} ({module})", took, took / floor))
    print(f"Cold import, median of {runs} fresh interpreters (Python {sys.version.split()[0]}):")
    for label, ms, ratio in rows:
        print(f"  {label:<60} {ms:7.0f} ms  {ratio:4.2f} × floor")
    return rows


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
