"""Lambda entry points: one module per function in template.yaml, each a line or two."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver, Router
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.api.app import build_app
from portal.settings import Settings

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def http_handler(make_router: Callable[[], Router]) -> Handler:
    """Configure once per cold start (settings checked, table bound) and serve the area's routes."""
    logger = Logger()
    store.bind(Settings.from_environ())
    app = build_app(APIGatewayHttpResolver, make_router())

    @logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler
