"""Lambda entry point of AdminFunction: IEH staff decide membership applications."""

from portal.entrypoints import http_handler
from portal.routes import admin

handler = http_handler(admin.make_router)
