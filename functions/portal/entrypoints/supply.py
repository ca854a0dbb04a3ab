"""Lambda entry point of SupplyFunction: a producer's profiles, SAQ, audits, actions and documents."""

from portal.entrypoints import http_handler
from portal.routes import supply

handler = http_handler(supply.make_router)
