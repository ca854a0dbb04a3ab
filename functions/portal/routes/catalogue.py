"""Every area's router factory and the Lambda function that serves it (template.yaml must agree)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import import_module

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.api_gateway import Router

from portal.routes.app import build_app

# function logical id in template.yaml → module whose make_router() builds its routes
AREAS: dict[str, str] = {
    "PublicFunction": "portal.routes.public",
    "AuthFunction": "portal.routes.auth",
    "MembersFunction": "portal.routes.members",
    "SupplyFunction": "portal.routes.supply",
    "SharingFunction": "portal.routes.sharing",
    "AdminFunction": "portal.routes.admin",
    "RiskFunction": "portal.routes.risk",
    "AuditingFunction": "portal.routes.auditing",
    "RequestsFunction": "portal.routes.information_requests",
}


def router_factory(function: str) -> Callable[[], Router]:
    factory: Callable[[], Router] = import_module(AREAS[function]).make_router
    return factory


@cache
def openapi_json() -> str:
    """The whole API's OpenAPI document, built from the code of every area (fresh routers: a
    Router binds to the resolver that includes it last, so the serving resolver is left alone)."""
    app = build_app(APIGatewayHttpResolver, *(router_factory(name)() for name in AREAS))
    return app.get_openapi_json_schema(
        title="IEH portal API",
        version="1",
        summary="Ethical Trade Norway's portal: membership, supplier data, sharing on the producer's terms",
    )
