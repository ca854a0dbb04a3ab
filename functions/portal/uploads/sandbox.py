"""The sandbox the parsers run in: a forked child with a CPU-time and a memory limit, killed when it
overruns or has not answered in time. Process control, not a rule: a file that cannot be read within
the limits is refused as unreadable (by the caller), never a crash or a hang of the function."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import selectors
import signal
import sys
import time
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from types import FrameType


# Reading a file's content (PDF parse, image decode) happens in a child process with this much CPU
# time and this much memory beyond what the function already uses; it is killed when it overruns, or
# when it has not answered after CHECK_WALL_FACTOR times as long (starved or stuck). Real files need
# a fraction of it (CPU time of a 25 MB PDF: a quarter of a second; of a 48 MP progressive JPEG, the
# slowest photo: one second); hostile ones are refused as unreadable.
CHECK_SECONDS = 5.0
CHECK_WALL_FACTOR = 3
CHECK_MEMORY = 512 * 1024 * 1024
CHECK_RECURSION = 1000  # frames for the parse: nesting in real files is a few dozen levels at most


Answer = tuple[str | None, int | None]  # (refusal reason or None, pages)


def contained(work: Callable[[], Answer], failed: str) -> Answer:
    """`work()` in a forked child with CHECK_SECONDS of CPU and CHECK_MEMORY; `(failed, None)` when it
    overruns or dies. Where there is no fork (not Linux or macOS), it runs here with the parsers'
    limits alone."""
    if not hasattr(os, "fork"):
        return work()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # out of processes or memory: better a slower check here than none
        os.close(read_end)
        os.close(write_end)
        return work()
    if pid == 0:  # pragma: no cover - the child; its outcome is seen through the pipe
        try:
            os.close(read_end)
            _limit_child()
            os.write(write_end, json.dumps(work()).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    payload = None
    try:
        payload = _read_until(read_end, time.monotonic() + CHECK_SECONDS * CHECK_WALL_FACTOR)
    finally:
        os.close(read_end)
        if payload is None:  # past the deadline (or interrupted): it goes now
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):  # already reaped, where SIGCHLD is ignored
            os.waitpid(pid, 0)
    try:
        reason, pages = json.loads(payload or b"null")
    except (TypeError, ValueError):
        return failed, None
    if (reason is None or isinstance(reason, str)) and (pages is None or isinstance(pages, int)):
        return reason, pages
    return failed, None


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All that the child writes until it exits (b"" when it died without a word), or None at the deadline."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(left):
                chunk = os.read(fd, 65536)
                if not chunk:
                    return data
                data += chunk
    return None


def _limit_child() -> None:  # pragma: no cover - runs in the child
    import resource  # POSIX only, and only the forked child sets limits

    # A broken file warns thousands of times: nobody reads that in the function's log.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    warnings.simplefilter("ignore")
    # The same recursion depth for the parse whatever the depth of the caller's stack, so that a
    # deeply nested file is read alike in the function and in the tests.
    depth, frame = 0, cast("FrameType | None", sys._getframe())
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    sys.setrecursionlimit(depth + CHECK_RECURSION)
    # SIGXCPU (the end) at the soft limit, SIGKILL a second later should it be caught.
    seconds = max(1, math.ceil(CHECK_SECONDS))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        return  # no /proc (macOS): the parsers' limits alone
    resource.setrlimit(resource.RLIMIT_AS, (size + CHECK_MEMORY, size + CHECK_MEMORY))
