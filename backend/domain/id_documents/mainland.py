"""Mainland identity card, residence permit for HK/Macau/Taiwan residents, foreign permanent resident ID card.

The GB 11643 check character (ISO 7064 MOD 11-2), the date parsing and the region table come from python-stdnum via
`backend.domain.identifiers.check_mainland_id`, which also applies the region rule of the spec.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from stdnum.cn import ric

from backend.domain.findings import Finding
from backend.domain.id_documents.common import DocumentCheck, check_validity, error, mask, normalise, verdict
from backend.domain.identifiers import PERMIT_REGIONS, InvalidIdentifier, MainlandId, check_mainland_id

#: Codes of `identifiers.check_mainland_id` -> codes of this package's catalogue.
_CODES = {
    "id_format_invalid": "doc_cn_id_format_invalid",
    "id_checksum_invalid": "doc_check_char_invalid",
    "id_birth_date_invalid": "doc_birth_date_invalid",
    "id_birth_date_future": "doc_birth_date_future",
    "id_region_unknown": "doc_cn_id_region_unknown",
    "id_region_abolished": "doc_cn_id_region_abolished",
}
_LONG_TERM_AGE = 46  # 居民身份证法 art. 10: cards issued at 46 or older are valid 长期
_FPR_2023 = re.compile(r"9[0-9]{16}[0-9X]")
_FPR_2017 = re.compile(r"([A-Z]{3})([0-9]{12})")


def _parse(number: str, *, today: date) -> tuple[MainlandId | None, list[Finding]]:
    try:
        return check_mainland_id(number, today=today), []
    except InvalidIdentifier as exc:
        return None, [error(_CODES.get(exc.code, "doc_cn_id_format_invalid"), **exc.params)]


def _person(parsed: MainlandId) -> dict[str, Any]:
    return {"birth_date": parsed.birth_date.isoformat(), "sex": parsed.sex}


def check_resident_id(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a mainland resident identity card number (GB 11643) and its validity period."""
    cleaned = normalise(number)
    parsed, findings = _parse(cleaned, today=today)
    if parsed is None:
        return verdict(findings)
    if parsed.permit_region is not None:
        return verdict([error("doc_cn_id_is_permit", number=mask(cleaned), permit_region=parsed.permit_region)])
    derived = _person(parsed) | {"region_code": parsed.region_code, "region_name": parsed.region_name}
    findings = check_validity(expiry, today=today, long_term_allowed=True, derived=derived)
    age = parsed.age_on(today)
    if derived.get("expiry") == "long_term" and age < _LONG_TERM_AGE:
        findings.append(error("doc_long_term_too_young", age=age, minimum=_LONG_TERM_AGE))
    return verdict(findings, derived)


def check_residence_permit(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a residence permit number for HK (810000), Macau (820000) or Taiwan (830000) residents."""
    cleaned = normalise(number)
    parsed, findings = _parse(cleaned, today=today)
    if parsed is None:
        # a mistyped prefix shows as a wrong check character; say which prefixes a permit has once the rest is right
        return verdict(findings)
    if parsed.permit_region is None:
        return verdict([
            error("doc_permit_region_invalid", number=mask(cleaned), region_code=parsed.region_code,
                  expected=sorted(PERMIT_REGIONS))
        ])
    derived = _person(parsed) | {"permit_region": parsed.permit_region}
    findings = check_validity(expiry, today=today, long_term_allowed=False, derived=derived)
    return verdict(findings, derived)


def check_foreign_permanent_resident_id(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a foreign permanent resident ID card: the 2023 edition fully (GB 11643 check), the 2017 edition by format."""
    cleaned = normalise(number)
    derived: dict[str, Any] = {}
    if _FPR_2023.fullmatch(cleaned):
        expected = ric.calc_check_digit(cleaned)  # same MOD 11-2 check character as the mainland card
        if cleaned[-1] != expected:
            return verdict([error("doc_check_char_invalid", number=mask(cleaned), expected=expected, found=cleaned[-1])])
        derived["edition"] = "2023"
    elif (old := _FPR_2017.fullmatch(cleaned)) is not None:
        derived |= {"edition": "2017", "nationality": old.group(1)}
    else:
        return verdict([error("doc_fpr_format_invalid", number=mask(cleaned), length=len(cleaned))])
    findings = check_validity(expiry, today=today, long_term_allowed=False, derived=derived)
    return verdict(findings, derived)
