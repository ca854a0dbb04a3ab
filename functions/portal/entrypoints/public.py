"""Lambda entry point of PublicFunction: health, statistics, fees, membership applications."""

from portal.api import public
from portal.entrypoints import http_handler

handler = http_handler(public.make_router)
