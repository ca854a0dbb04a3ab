"""Rules of a membership application that need more than one field."""

from datetime import date

import pytest
from pydantic import ValidationError

from portal.domain.membership import ApplicationForm, new_reference, prepare, reference_of
from portal.errors import PortalError
from portal.routes.schemas import ApplicationIn

VALID = {
    "submission_id": "6a1f7a52-4d7c-4c39-9b55-0f1ad1f6f2a0",
    "organisation_name": "Nordlys Dagligvare AS",
    "organisation_number": "923 609 016",
    "category": "company",
    "annual_turnover_nok": 35_000_000,
    "contact_name": "Kari Nordmann",
    "email": "kari@nordlys.no",
    "phone": "+47 22 33 44 55",
    "consent": True,
}


def form(**changes):
    data = ApplicationIn.model_validate({**VALID, **changes}).model_dump()
    return ApplicationForm(**{**data, "submission_id": str(data["submission_id"])})


def test_a_valid_application_is_priced():
    application = prepare(form(), language="nb", today=date(2023, 8, 1))
    assert application.fee.annual_fee_nok == 37300
    assert application.fee.first_year_fee_nok == 18650
    assert application.form.organisation_number == "923609016"


def test_same_content_same_hash_other_content_other_hash():
    first = prepare(form(), language="nb", today=date(2023, 8, 1))
    again = prepare(form(), language="en", today=date(2023, 8, 2))
    other = prepare(form(contact_name="Ola Nordmann"), language="nb", today=date(2023, 8, 1))
    assert first.content_hash == again.content_hash
    assert first.content_hash != other.content_hash


def test_an_organisation_gives_its_employees_and_is_quoted_the_groups_range():
    application = prepare(
        form(category="organisation", annual_turnover_nok=3_000_000, employees=12),
        language="nb",
        today=date(2023, 3, 1),
    )
    assert application.form.employees == 12
    assert (application.fee.basis, application.fee.min_nok, application.fee.max_nok) == ("range", 7700, 41600)
    with pytest.raises(PortalError) as refused:
        prepare(form(category="organisation", consent=False), language="nb", today=date(2023, 3, 1))
    assert refused.value.fields == {
        "employees": "field.employees_required",
        "consent": "field.consent_required",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message_key"),
    [
        ({"annual_turnover_nok": None}, "annual_turnover_nok", "field.turnover_required"),
        (
            {"category": "municipality", "annual_turnover_nok": None},
            "inhabitants",
            "field.inhabitants_required",
        ),
        ({"consent": False}, "consent", "field.consent_required"),
    ],
)
def test_cross_field_rules_name_the_field(changes, field, message_key):
    with pytest.raises(PortalError) as refused:
        prepare(form(**changes), language="nb", today=date(2023, 1, 1))
    assert refused.value.status == 422
    assert refused.value.fields == {field: message_key}


@pytest.mark.parametrize(
    ("field", "value", "error_type"),
    [
        ("email", "kari@nordlys", "email"),
        ("email", "not an address", "email"),
        ("organisation_number", "923609017", "organisation_number"),  # wrong check digit
        ("organisation_number", "12345", "organisation_number"),
        ("phone", "22 33", "phone"),
        ("category", "club", "literal_error"),
        ("annual_turnover_nok", -1, "greater_than_equal"),
        ("employees", -1, "greater_than_equal"),
        ("employees", 10**7, "less_than_equal"),
        ("organisation_name", "   ", "string_too_short"),
        ("submission_id", "not-a-uuid", "uuid_parsing"),
    ],
)
def test_edge_validation_rejects_bad_fields(field, value, error_type):
    with pytest.raises(ValidationError) as refused:
        ApplicationIn.model_validate({**VALID, field: value})
    errors = refused.value.errors()
    assert [(e["loc"][0], e["type"]) for e in errors] == [(field, error_type)]


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError):
        ApplicationIn.model_validate({**VALID, "is_admin": True})


def test_a_reference_is_short_and_reads_back_however_it_is_typed():
    reference = new_reference()
    assert len(reference) == len("IEH-7KQ2MX")
    assert reference.startswith("IEH-")
    assert not set(reference.removeprefix("IEH-")) & set("ILOU")  # none to mistake for another
    assert reference_of(reference) == reference
    assert reference_of("ieh-7kq2mx") == "IEH-7KQ2MX"
    assert reference_of(" IEH 7KQ2MX ") == "IEH-7KQ2MX"
    assert reference_of("7kq2mx") == "IEH-7KQ2MX"
    assert reference_of("IEH-7KQ2MO") == "IEH-7KQ2M0"  # O read as 0, I and L as 1
    assert reference_of("IEH-7KQ2MI") == reference_of("IEH-7KQ2ML") == "IEH-7KQ2M1"
    for typed in (
        "",
        "IEH-",
        "IEH-7KQ2M",
        "IEH-7KQ2MXX",
        "IEH-7KQ2MU",
        "6a1f7a52-4d7c-4c39-9b55-0f1ad1f6f2a0",
    ):
        assert reference_of(typed) is None, typed
