"""Lambda entry point of AuthFunction: login, logout, me, invitations, password reset, account."""

from portal.api import auth
from portal.entrypoints import http_handler

handler = http_handler(auth.make_router)
