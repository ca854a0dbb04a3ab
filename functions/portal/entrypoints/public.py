"""Lambda entry point of PublicFunction: health, statistics, fees, membership applications."""

from portal.entrypoints import http_handler
from portal.routes import public

handler = http_handler(public.make_router)
