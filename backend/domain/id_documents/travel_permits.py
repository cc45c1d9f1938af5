"""Mainland travel permits for Hong Kong / Macau residents (回乡证) and for Taiwan residents (台胞证).

No check digit is published for either, so they are validated by format: `H`/`M` + 8 digits (+ a 2-digit renewal
count), or for non-Chinese permanent residents (from 2024-07-10) 9 characters beginning `HA`/`MA`; and 8 digits
(+ a 2-digit renewal count) for Taiwan residents.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from backend.domain.id_documents.common import DocumentCheck, check_validity, error, mask, normalise, verdict

_HK_MO = re.compile(r"([HM])([0-9]{8})([0-9]{2})?")
# The spec gives only "9 characters beginning HA or MA"; the other 7 are not restricted to digits so as not to
# refuse a real permit.
_HK_MO_FOREIGN = re.compile(r"([HM])A[0-9A-Z]{7}")
_TW = re.compile(r"([0-9]{8})([0-9]{2})?")
_REGIONS = {"H": "HK", "M": "MO"}


def check_hk_mo_travel_permit(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a mainland travel permit number for Hong Kong / Macau residents by format, and its validity period."""
    cleaned = normalise(number, drop="()")
    derived: dict[str, Any]
    if (found := _HK_MO.fullmatch(cleaned)) is not None:
        derived = {"region": _REGIONS[found.group(1)], "holder": "chinese_resident"}
        if found.group(3):
            derived["renewal_count"] = int(found.group(3))
    elif (found := _HK_MO_FOREIGN.fullmatch(cleaned)) is not None:
        derived = {"region": _REGIONS[found.group(1)], "holder": "non_chinese_permanent_resident"}
    else:
        return verdict([error("doc_hk_mo_permit_format_invalid", number=mask(cleaned), length=len(cleaned))])
    findings = check_validity(expiry, today=today, long_term_allowed=False, derived=derived)
    return verdict(findings, derived)


def check_tw_travel_permit(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a mainland travel permit number for Taiwan residents by format, and its validity period."""
    cleaned = normalise(number, drop="()")
    found = _TW.fullmatch(cleaned)
    if found is None:
        return verdict([error("doc_tw_permit_format_invalid", number=mask(cleaned), length=len(cleaned))])
    derived: dict[str, Any] = {}
    if found.group(2):
        derived["renewal_count"] = int(found.group(2))
    findings = check_validity(expiry, today=today, long_term_allowed=False, derived=derived)
    return verdict(findings, derived)
