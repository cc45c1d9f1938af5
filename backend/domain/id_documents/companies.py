"""Corporate shareholders: mainland USCC (GB 32100), Hong Kong CR / BR numbers and Macau commercial registration numbers.

The USCC check character comes from python-stdnum via `backend.domain.identifiers.check_uscc`. Hong Kong and Macau
numbers have no published check digit: they are validated by format and kept as given.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from backend.domain.findings import Finding
from backend.domain.id_documents.common import DocumentCheck, error, no_expiry, normalise, verdict, warning
from backend.domain.identifiers import InvalidIdentifier, check_uscc, org_code_check_char, org_code_valid, region_table

_USCC_CODES = {
    "uscc_format_invalid": "doc_uscc_format_invalid",
    "uscc_characters_invalid": "doc_uscc_characters_invalid",
}
_HK_COMPANY = re.compile(r"[0-9]{1,8}")
_MO_COMPANY = re.compile(r"([0-9]{1,10})(SO)?")  # the registry prints "12345(SO)" for companies (sociedades)


def check_cn_uscc(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a unified social credit code of a mainland corporate shareholder; derive what its positions encode."""
    try:
        code = check_uscc(number)
    except InvalidIdentifier as exc:
        if exc.code == "uscc_checksum_invalid":
            params = {"number": exc.params["code"], "expected": exc.params["expected"], "found": exc.params["found"]}
            return verdict([error("doc_check_char_invalid", **params)])
        return verdict([error(_USCC_CODES.get(exc.code, "doc_uscc_format_invalid"), **exc.params)])
    findings: list[Finding] = no_expiry(expiry)
    if not org_code_valid(code):
        # GB 11714 check inside the code: old organisation codes are not always right, so only a warning
        findings.append(warning("doc_uscc_org_code_warning", code=code, org_code=code[8:17],
                                expected=_org_expected(code[8:16])))
    region = region_table().get(code[2:8])
    derived: dict[str, Any] = {
        "number": code,
        "registering_department": code[0],
        "entity_type": code[1],
        "region_code": code[2:8],
        "region_name": region.name if region else None,
        "organisation_code": code[8:17],
    }
    return verdict(findings, derived)


def _org_expected(first8: str) -> str:
    try:
        return org_code_check_char(first8)
    except ValueError:
        return "?"


def check_hk_company(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a Hong Kong Companies Registry number (up to 8 digits) or BR number (its first 8 digits) by format."""
    cleaned = normalise(number, drop="()")
    if not _HK_COMPANY.fullmatch(cleaned):
        return verdict([error("doc_hk_company_format_invalid", number=cleaned[:40], length=len(cleaned))])
    return verdict(no_expiry(expiry), {"number": cleaned})


def check_mo_company(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a Macau commercial registration number by format (digits, optionally marked SO)."""
    cleaned = normalise(number, drop="()")
    found = _MO_COMPANY.fullmatch(cleaned)
    if found is None:
        return verdict([error("doc_mo_company_format_invalid", number=cleaned[:40], length=len(cleaned))])
    return verdict(no_expiry(expiry), {"number": found.group(1)})
