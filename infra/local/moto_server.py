"""The embedded AWS process: moto's server, with DynamoDB requests applied one at a time.

DynamoDB applies each conditional write and each transaction atomically. moto's threaded server does
not: two transactions could both pass their conditions before either wrote (seen as an overbooked
course in tests/api/test_members.py). Serialising moto's DynamoDB actions restores the atomicity the
portal relies on; S3 and the other services stay concurrent.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.server import main

_one_at_a_time = threading.RLock()
_call_action = DynamoHandler.call_action


def _atomic_call_action(self: DynamoHandler) -> Any:
    with _one_at_a_time:
        return _call_action(self)


DynamoHandler.call_action = _atomic_call_action  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
