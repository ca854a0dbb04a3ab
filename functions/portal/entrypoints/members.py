"""Lambda entry point of MembersFunction: courses, members-only documents, an organisation's users."""

from portal.api import members
from portal.entrypoints import http_handler

handler = http_handler(members.make_router)
