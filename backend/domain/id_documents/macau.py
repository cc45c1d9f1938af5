"""Macau resident identity card (BIR): 8 digits, printed X/NNNNNN/Y or XNNNNNN(Y).

No check-digit algorithm is published, so only the format is validated (first digit 1, 5 or 7 for residents).
"""
from __future__ import annotations

import re
from datetime import date

from backend.domain.id_documents.common import DocumentCheck, check_validity, error, mask, normalise, verdict

_SHAPE = re.compile(r"[157][0-9]{7}")


def check_mo_id(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a Macau resident identity card number by format, and its validity period."""
    cleaned = normalise(number, drop="()/")
    if not _SHAPE.fullmatch(cleaned):
        return verdict([error("doc_mo_id_format_invalid", number=mask(cleaned), length=len(cleaned))])
    derived: dict[str, str] = {}
    findings = check_validity(expiry, today=today, long_term_allowed=False, derived=derived)
    return verdict(findings, derived)
