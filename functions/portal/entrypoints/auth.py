"""Lambda entry point of AuthFunction: login, logout, me, invitations, password reset, account."""

from portal.entrypoints import http_handler
from portal.routes import auth

handler = http_handler(auth.make_router)
