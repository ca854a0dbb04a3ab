"""Lambda entry point of PublicFunction: health, statistics, fees, membership applications."""

from aws_lambda_powertools.event_handler.api_gateway import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.api import public
from portal.api.app import build_app
from portal.settings import Settings

logger = Logger()
store.bind(Settings.from_environ())
app = build_app(APIGatewayHttpResolver, public.make_router())


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    return app.resolve(event, context)
