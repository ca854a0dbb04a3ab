"""Lambda entry point of InformationRequestReminderFunction: the daily reminders of open
information requests (day 14 and the deadline day) to their handlers and the org admins."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.settings import Settings
from portal.usecases import request_reminders

logger = Logger()
store.bind(Settings.from_environ())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    done = request_reminders.run().as_dict()
    logger.info("information request reminders sent", extra=done)
    return done
