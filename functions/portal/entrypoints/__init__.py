"""Lambda entry points: one module per function in template.yaml, each a line or two."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler.api_gateway import Router

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def http_handler(make_router: Callable[[], Router]) -> Handler:
    """Configure once per cold start (settings checked, table bound) and serve the area's routes.
    The HTTP stack is imported here, not by the package: the event-driven functions (upload check,
    risk recompute) import this package too and do not pay for it."""
    from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver
    from aws_lambda_powertools.logging import correlation_paths
    from aws_lambda_powertools.logging.logger import Logger

    from portal import store
    from portal.routes.app import build_app
    from portal.settings import Settings

    logger = Logger()
    store.bind(Settings.from_environ())
    app = build_app(APIGatewayHttpResolver, make_router())

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler
