"""Auditors' credentials: the APSCA membership number (the Association of Professional Social
Compliance Auditors gives each member auditor an eight-digit number, shown as "APSCA 21700001")."""

from __future__ import annotations

import re

APSCA_NUMBER = re.compile(r"(?:(?:APSCA|ASCA|CSCA)[\s#:-]*)?(\d{8})", re.IGNORECASE)


def apsca_number(typed: str) -> str | None:
    """The eight digits of an APSCA number as typed ("APSCA 21700001", "CSCA 21700001", "21700001"),
    or None when it is not one."""
    found = APSCA_NUMBER.fullmatch(typed.strip())
    return found.group(1) if found else None
