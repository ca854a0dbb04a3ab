"""Membership applications: the rules an application must meet and what it records."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from portal.domain.fees import Category, FeeQuote, missing, quote
from portal.errors import invalid

# The applicant's reference: "IEH-" and six characters of Crockford's base32 (no I, L, O or U, so
# none is mistaken for another when read out on the phone): 32⁶ ≈ 1.07 billion, claimed once.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 6
_READ_AS = str.maketrans("OIL", "011")


@dataclass(frozen=True)
class ApplicationForm:
    """What the applicant typed, already checked field by field at the edge."""

    submission_id: str
    organisation_name: str
    organisation_number: str
    category: Category
    annual_turnover_nok: int | None
    inhabitants: int | None
    employees: int | None
    contact_name: str
    email: str
    phone: str | None
    message: str | None
    consent: bool


@dataclass(frozen=True)
class Application:
    form: ApplicationForm
    language: str
    fee: FeeQuote
    content_hash: str


def _content_hash(form: ApplicationForm) -> str:
    """Identifies the content, so a repeated submission can be told from a different one."""
    payload = json.dumps(asdict(form), sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(payload).hexdigest()


def prepare(form: ApplicationForm, *, language: str, today: date) -> Application:
    """Apply the cross-field rules and price the application."""
    problems = missing(form.category, asdict(form))
    if not form.consent:
        problems["consent"] = "field.consent_required"
    if problems:
        raise invalid(**problems)
    fee = quote(
        form.category,
        annual_turnover_nok=form.annual_turnover_nok,
        inhabitants=form.inhabitants,
        employees=form.employees,
        joined=today,
    )
    return Application(form=form, language=language, fee=fee, content_hash=_content_hash(form))


def new_reference() -> str:
    return "IEH-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_of(typed: str) -> str | None:
    """A reference as someone types it (any case, with or without "IEH-" and spaces, O for 0 and I or
    L for 1), written the one way it is stored; None for what cannot be one."""
    code = "".join(typed.split()).upper().replace("-", "").removeprefix("IEH").translate(_READ_AS)
    if len(code) != REFERENCE_LENGTH or any(c not in REFERENCE_ALPHABET for c in code):
        return None
    return f"IEH-{code}"


def fee_view(fee: FeeQuote, note: str) -> dict[str, Any]:
    return {**asdict(fee), "note": note}
