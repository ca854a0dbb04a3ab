"""Lambda entry point of SharingFunction: links between producers and their customers, and what
buyers may read through them."""

from portal.api import sharing
from portal.entrypoints import http_handler

handler = http_handler(sharing.make_router)
