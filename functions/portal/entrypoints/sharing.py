"""Lambda entry point of SharingFunction: links between producers and their customers, and what
buyers may read through them."""

from portal.entrypoints import http_handler
from portal.routes import sharing

handler = http_handler(sharing.make_router)
