"""Lambda entry point of SupplyFunction: a producer's profiles, SAQ, audits, actions and documents."""

from portal.api import supply
from portal.entrypoints import http_handler

handler = http_handler(supply.make_router)
