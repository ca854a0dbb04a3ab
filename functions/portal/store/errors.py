"""DynamoDB failures mapped once: a failed condition is a conflict, throttling and outages are retryable."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pynamodb.exceptions import PynamoDBException

from portal.errors import RETRYABLE_AWS, PortalError, conflict, unavailable


def is_condition_failure(error: PynamoDBException) -> bool:
    if error.cause_response_code == "ConditionalCheckFailedException":
        return True
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(reason is not None and reason.code == "ConditionalCheckFailed" for reason in reasons)


# Why a transaction was cancelled, when trying again may succeed.
RETRYABLE_REASONS = {"ThrottlingError", "TransactionConflict", "ProvisionedThroughputExceeded"}


def is_retryable(error: PynamoDBException) -> bool:
    """Throttling, an outage, a lost connection, or a transaction that met another one."""
    if error.cause_response_code in RETRYABLE_AWS or error.cause_response_code is None:
        return True
    reasons = getattr(error, "cancellation_reasons", None) or []
    return any(reason is not None and reason.code in RETRYABLE_REASONS for reason in reasons)


def as_portal_error(error: PynamoDBException) -> PortalError:
    if is_condition_failure(error):
        return conflict()
    if is_retryable(error):
        return unavailable(retry_after=1)
    return PortalError(500, "internal_error")


@contextmanager
def mapped_errors() -> Iterator[None]:
    """Wrap a unit of data access whose failures were not handled closer to the cause."""
    try:
        yield
    except PynamoDBException as error:
        raise as_portal_error(error) from error
