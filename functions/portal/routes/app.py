"""Builds a resolver for a set of routers, with the portal's one error shape mapped in one place."""

from __future__ import annotations

import binascii
import inspect
import json
from typing import Any, TypeVar

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver, Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import (
    OpenAPIRequestValidationMiddleware,
    OpenAPIResponseValidationMiddleware,
)
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from botocore.exceptions import BotoCoreError, ClientError
from pynamodb.exceptions import PynamoDBException

from portal.errors import RETRYABLE_AWS, PortalError, unavailable
from portal.i18n import Language, has_text, language_of, text
from portal.policy import matrix
from portal.routes import edge
from portal.routes.session import guard
from portal.store.errors import as_portal_error

API_PREFIX = "/api/v1"
logger = Logger(child=True)
Resolver = TypeVar("Resolver", bound=ApiGatewayResolver)

# pydantic error types → our message keys (field-specific custom types use their own key)
_NOT_AN_OBJECT = frozenset({"json_invalid", "model_attributes_type", "dict_type", "model_type"})
_FIELD_MESSAGES = {
    "missing": "field.missing",
    "string_too_short": "field.too_short",
    "string_too_long": "field.too_long",
    "string_type": "field.invalid",
    "int_parsing": "field.not_a_number",
    "int_type": "field.not_a_number",
    "int_from_float": "field.not_a_number",
    "greater_than_equal": "field.too_small",
    "greater_than": "field.too_small",
    "less_than_equal": "field.too_large",
    "less_than": "field.too_large",
    "literal_error": "field.invalid_choice",
    "enum": "field.invalid_choice",
    "uuid_parsing": "field.uuid",
    "uuid_type": "field.uuid",
    "extra_forbidden": "field.not_expected",
}
NO_STORE = {"Cache-Control": "no-store"}


def error_response(error: PortalError, language: Language) -> Response:
    body: dict[str, Any] = {
        "code": error.code,
        "message": text(f"error.{error.code}", language, **error.params),
    }
    if error.fields:
        body["fields"] = {name: text(key, language, **error.params) for name, key in error.fields.items()}
    if error.current is not None:
        body["current"] = error.current
    headers = {**NO_STORE, **error.headers}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    return Response(
        status_code=error.status,
        content_type="application/json",
        body=json.dumps({"error": body}, ensure_ascii=False),
        headers=headers,
    )


def _field_message(detail: dict[str, Any], language: Language) -> str:
    kind = detail.get("type", "")
    key = f"field.{kind}" if has_text(f"field.{kind}") else _FIELD_MESSAGES.get(kind, "field.invalid")
    params = {k: v for k, v in (detail.get("ctx") or {}).items() if isinstance(v, int | float | str)}
    try:
        return text(key, language, **params)
    except (KeyError, IndexError):
        return text("field.invalid", language)


def validation_response(error: RequestValidationError, language: Language) -> Response:
    fields: dict[str, str] = {}
    for detail in error.errors():
        location = [str(part) for part in detail.get("loc", ())]
        if len(location) < 2:
            if detail.get("type") in _NOT_AN_OBJECT:  # the body as a whole is not JSON or not an object
                return error_response(PortalError(400, "bad_request"), language)
            # a rule across fields (a model validator) names the field to show it by
            location.append(str((detail.get("ctx") or {}).get("field", "body")))
        fields.setdefault(
            location[-1] if location[-1] != "body" else location[1], _field_message(detail, language)
        )
    body = {"code": "validation_error", "message": text("error.validation_error", language), "fields": fields}
    return Response(
        status_code=422,
        content_type="application/json",
        body=json.dumps({"error": body}, ensure_ascii=False),
        headers=dict(NO_STORE),
    )


class AreaRouter(Router):
    """The routers of the areas: Powertools' own validation is off on each route (its request
    validation always runs first, before any middleware), so that build_app can put the guard in
    front of it; the resolver keeps enable_validation=True, which is what the OpenAPI document is
    generated from."""

    def route(self, rule: str, method: Any, *args: Any, **kwargs: Any) -> Any:
        bound = _ROUTE_SIGNATURE.bind(self, rule, method, *args, **kwargs)
        if bound.arguments.get("enable_validation") is None:
            bound.arguments["enable_validation"] = False
        return Router.route(*bound.args, **bound.kwargs)


_ROUTE_SIGNATURE = inspect.signature(Router.route)


class GuardThenValidate(OpenAPIRequestValidationMiddleware):
    """A route at all (404/405), the session check and the authorization matrix, the body's bounds
    (413/415), then Powertools' request validation, which parses the body (edge.loads)."""

    def handler(self, app: ApiGatewayResolver, next_middleware: NextMiddleware) -> Response:
        method, route = app.request.method.upper(), app.request.route.removeprefix(API_PREFIX)
        # Powertools' own not-found route: no session read. Its route patterns end in "$", which
        # matches before a trailing newline too: "/health\n" is no route either.
        matched = app.context["_route"].rule.fullmatch(app.context.get("_path", ""))
        if f"{method} {route}" not in matrix() or matched is None:
            raise edge.unrouted(method, app.context.get("_path", route).removeprefix(API_PREFIX))

        def validate(guarded: ApiGatewayResolver) -> Response:
            event = guarded.current_event
            content_type = event.headers.get("content-type") or ""
            takes_body = bool(guarded.context["_route"].dependant.body_params)
            edge.check_body(event.body, bool(event.is_base64_encoded), content_type, takes_body)
            if takes_body and content_type and content_type != edge.JSON_MEDIA_TYPE:
                # a media type is case-insensitive, but Powertools parses only "application/json…"
                headers = event.raw_event.get("headers") or {}
                for name in [name for name in headers if name.lower() == "content-type"]:
                    headers[name] = edge.JSON_MEDIA_TYPE
            try:  # a base64 body (API Gateway's way with bytes) must be UTF-8 text, as JSON is
                guarded.current_event.decoded_body  # noqa: B018 - cached: Powertools reads it next
            except (UnicodeDecodeError, binascii.Error):
                raise PortalError(400, "bad_request") from None
            return super(GuardThenValidate, self).handler(guarded, next_middleware)

        return guard(app, validate)


def build_app(resolver_class: type[Resolver], *routers: Router) -> Resolver:
    # Every body is parsed by edge.loads: bounded depth, plain data only.
    app = resolver_class(enable_validation=True, json_body_deserializer=edge.loads)

    def language() -> Language:
        return language_of(app.current_event.headers.get("accept-language"))

    @app.exception_handler(PortalError)
    def portal_error(error: PortalError) -> Response:
        return error_response(error, language())

    @app.exception_handler(RequestValidationError)
    def invalid_request(error: RequestValidationError) -> Response:
        return validation_response(error, language())

    @app.exception_handler(RequestUnsupportedContentType)
    def unsupported_type(_: RequestUnsupportedContentType) -> Response:  # edge.check_body comes first
        return error_response(PortalError(415, "unsupported_media_type"), language())

    @app.exception_handler(PynamoDBException)
    def data_error(error: PynamoDBException) -> Response:
        logger.warning("DynamoDB refused a request", extra={"code": error.cause_response_code})
        return error_response(as_portal_error(error), language())

    @app.exception_handler(ClientError)
    def aws_error(error: ClientError) -> Response:
        code = error.response.get("Error", {}).get("Code", "")
        logger.warning("AWS refused a request", extra={"code": code})
        if code in RETRYABLE_AWS:
            return error_response(unavailable(retry_after=1), language())
        return error_response(PortalError(500, "internal_error"), language())

    @app.exception_handler(BotoCoreError)
    def aws_unreachable(error: BotoCoreError) -> Response:
        logger.warning("AWS could not be reached", extra={"error": type(error).__name__})
        return error_response(unavailable(retry_after=1), language())

    @app.not_found
    def not_found(_: NotFoundError) -> Response:
        return error_response(PortalError(404, "not_found"), language())

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response:
        logger.exception("Unhandled error")
        return error_response(PortalError(500, "internal_error"), language())

    # The session and the authorization matrix come before request validation: an actor who may not
    # call a route learns nothing of its shape (401/404, not 422). Powertools always runs its own
    # request validation before any middleware, so the area routes turn it off (AreaRouter) and run it
    # here, as global middlewares in this order: guard and request validation, then the response's
    # (tests/api/test_authorization.py and test_edge.py check the order).
    app.use([GuardThenValidate(), OpenAPIResponseValidationMiddleware(validation_serializer=None)])
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)
    return app
