"""Lambda entry point of RiskRecomputeFunction: the daily (or after-deployment) batch recompute of
every site whose score is from an older model or data version."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging.logger import Logger

from portal import store
from portal.settings import Settings
from portal.usecases import risk_scores

logger = Logger()
store.bind(Settings.from_environ())


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    done = risk_scores.recompute(force=bool(event.get("force")))
    logger.info("risk recomputed", extra=done.__dict__)
    return done.__dict__
