"""Data access: pynamodb models of the single table, and the operations the domain needs."""

from __future__ import annotations

from portal.settings import Settings, configure
from portal.store.models import all_models


def bind(settings: Settings) -> None:
    """Point every model at the table of this deployment (once per cold start, or per test table).

    The endpoint is left to botocore, which honours AWS_ENDPOINT_URL: the local stack and the
    tests set it; in AWS it is unset.
    """
    configure(settings)
    for model in all_models():
        model.Meta.table_name = settings.table_name
        model.Meta.region = settings.region
        model._connection = None  # a new table or region needs a new connection
