"""Dependencies shared by the routers (resolved per request by Powertools' Depends)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.request import Request

from portal.i18n import Language, language_of
from portal.policy import Actor
from portal.routes.session import current_actor


def request_language(request: Request) -> Language:
    return language_of(request.resolved_event.headers.get("accept-language"))


def today() -> date:
    return date.today()


RequestLanguage = Annotated[Language, Depends(request_language)]
# The logged-in actor of a route that needs one (the session was read by the guard, before validation).
CurrentActor = Annotated[Actor, Depends(current_actor)]
