"""Lambda entry point of RiskFunction: a producer's site risks, a buyer's and IEH staff's overviews."""

from portal.entrypoints import http_handler
from portal.routes import risk

handler = http_handler(risk.make_router)
