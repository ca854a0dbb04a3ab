"""Lambda entry point of NoticeRunFunction: the daily run that tells of overdue corrective actions
and out-of-date profiles, and sends each person's digest."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.settings import Settings
from portal.usecases import notice_run

logger = Logger()
store.bind(Settings.from_environ())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    done = notice_run.run().as_dict()
    logger.info("notices told and digests sent", extra=done)
    return done
