"""The error shape every route documents is the one pydantic makes of ErrorOut."""

from portal.routes.schemas import ERROR_SCHEMA, FAILURES, ErrorOut


def test_documented_error_shape_is_the_models() -> None:
    assert ErrorOut.model_json_schema() == ERROR_SCHEMA
    assert all(f["content"]["application/json"]["schema"] is ERROR_SCHEMA for f in FAILURES.values())
