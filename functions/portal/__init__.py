"""The IEH portal: domain, data access, API routers and Lambda entry points."""
