"""`python -m infra.local`: the portal on one local origin with embedded AWS and the demo world."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from infra.local.stack import LocalStack
from infra.template import ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("IEH_DATA_DIR", ROOT / ".local")))
    args = parser.parse_args()
    if not (args.site / "index.html").exists():
        print(f"The site is not built: {args.site}/index.html is missing (run `make site`).", file=sys.stderr)
        return 1
    stack = LocalStack(site_dir=args.site, data_dir=args.data, port=args.port)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stack.start()
        print(stack.banner(), flush=True)
        while not stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping: saving local data …", flush=True)
        started = time.monotonic()
        stack.stop()
        print(f"Stopped ({time.monotonic() - started:.1f} s). Local data is kept in {args.data}.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
