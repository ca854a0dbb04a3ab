"""The one error type of the portal: it carries its HTTP status and code and is mapped to a response once."""

from __future__ import annotations

from collections.abc import Mapping

# AWS error codes (DynamoDB through pynamodb or boto3, S3, SES) that mean "try again shortly": each
# is answered 503 with Retry-After, by the resolver's map (routes/app.py) and the store's (store/errors.py).
RETRYABLE_AWS = frozenset(
    {
        *("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"),
        *("InternalServerError", "ServiceUnavailable", "TransactionInProgressException"),
        *("SlowDown", "InternalError", "RequestTimeout", "Throttling", "TooManyRequestsException"),
    }
)


class PortalError(Exception):
    """A refusal the user should understand.

    `code` is stable for clients and is also the key of the message in the catalogues (locales/<language>.json);
    `fields` maps a request field to the message key explaining what is wrong with it.
    """

    def __init__(
        self,
        status: int,
        code: str,
        *,
        fields: Mapping[str, str] | None = None,
        retry_after: int | None = None,
        params: Mapping[str, object] | None = None,
        current: object = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.fields = dict(fields or {})
        self.retry_after = retry_after
        self.params = dict(params or {})
        self.current = current  # on a 409: what is stored now (JSON-ready), so nothing is overwritten unseen
        self.headers = dict(headers or {})  # what HTTP asks of some statuses: Allow on a 405


def invalid(**fields: str) -> PortalError:
    return PortalError(422, "validation_error", fields=fields)


def not_found() -> PortalError:
    return PortalError(404, "not_found")


def conflict(code: str = "conflict") -> PortalError:
    return PortalError(409, code)


def unavailable(retry_after: int = 1) -> PortalError:
    return PortalError(503, "service_unavailable", retry_after=retry_after)
