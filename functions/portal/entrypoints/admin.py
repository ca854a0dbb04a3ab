"""Lambda entry point of AdminFunction: IEH staff decide membership applications."""

from portal.api import admin
from portal.entrypoints import http_handler

handler = http_handler(admin.make_router)
