"""How long a login must wait after failures: growing delays, short for an account (so an attacker
cannot lock its owner out for long) and longer for one client (which is what a guesser is)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    free_failures: int  # failures allowed before any delay
    max_delay: int  # seconds
    window: int  # seconds after the last failure that the count is kept


ACCOUNT = Rule(free_failures=5, max_delay=30, window=15 * 60)
CLIENT = Rule(free_failures=20, max_delay=15 * 60, window=60 * 60)


def delay(rule: Rule, failures: int) -> int:
    """Seconds to wait after the last failure: 1, 2, 4 … once the free failures are used up."""
    over = failures - rule.free_failures
    if over < 0:
        return 0
    return int(min(2**over, rule.max_delay))


def wait_seconds(rule: Rule, failures: int, last_failure_at: float, now: float) -> int:
    if now - last_failure_at > rule.window:
        return 0
    remaining = last_failure_at + delay(rule, failures) - now
    return max(0, int(remaining + 0.999))
