"""Identity documents of participants and corporate shareholders, validated per shared/specs/identifiers.md.

One entry point, `check_document`, pure (no I/O): findings with stable codes (catalogue `i18n/id_documents.json`)
and what the number encodes (birth date, sex, region ...).
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from backend.domain.id_documents.common import DocumentCheck, error, verdict
from backend.domain.id_documents.companies import check_cn_uscc, check_hk_company, check_mo_company
from backend.domain.id_documents.hong_kong import check_hk_id
from backend.domain.id_documents.macau import check_mo_id
from backend.domain.id_documents.mainland import (
    check_foreign_permanent_resident_id,
    check_residence_permit,
    check_resident_id,
)
from backend.domain.id_documents.mrz import check_passport_mrz
from backend.domain.id_documents.travel_permits import check_hk_mo_travel_permit, check_tw_travel_permit

Checker = Callable[..., DocumentCheck]

#: Every document type the check knows, in the order a form lists them.
CHECKERS: dict[str, Checker] = {
    "cn_resident_id": check_resident_id,
    "cn_residence_permit": check_residence_permit,
    "hk_id": check_hk_id,
    "mo_id": check_mo_id,
    "hk_mo_travel_permit": check_hk_mo_travel_permit,
    "tw_travel_permit": check_tw_travel_permit,
    "foreign_permanent_resident_id": check_foreign_permanent_resident_id,
    "passport_mrz": check_passport_mrz,
    "cn_uscc": check_cn_uscc,
    "hk_company": check_hk_company,
    "mo_company": check_mo_company,
}
DOCUMENT_TYPES: tuple[str, ...] = tuple(CHECKERS)

__all__ = ["CHECKERS", "DOCUMENT_TYPES", "DocumentCheck", "check_document"]


def check_document(*, type: str, number: str, today: date, expiry: str | None = None) -> DocumentCheck:  # noqa: A002
    """Check one document number of the given type; an unknown type or an empty number is a finding, never raised."""
    checker = CHECKERS.get((type or "").strip())
    if checker is None:
        return verdict([error("doc_type_unknown", type=str(type)[:40], supported=list(DOCUMENT_TYPES))])
    if not (number or "").strip():
        return verdict([error("doc_number_missing")])
    return checker(number=number, today=today, expiry=expiry)
