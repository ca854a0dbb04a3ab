"""Lambda entry point of AuditingFunction: audit companies invited to sites, their audits, the producer's remarks."""

from portal.entrypoints import http_handler
from portal.routes import auditing

handler = http_handler(auditing.make_router)
