"""Lambda entry point of MembersFunction: courses, members-only documents, an organisation's users."""

from portal.entrypoints import http_handler
from portal.routes import members

handler = http_handler(members.make_router)
