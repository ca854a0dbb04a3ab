"""Lambda entry point of RequestsFunction: a member's Transparency Act cases for its handlers."""

from portal.entrypoints import http_handler
from portal.routes import information_requests

handler = http_handler(information_requests.make_router)
