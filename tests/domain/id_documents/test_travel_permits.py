"""Mainland travel permits for Hong Kong / Macau residents and for Taiwan residents, by format."""
from __future__ import annotations

import pytest

from backend.domain.id_documents import check_document
from tests.domain.id_documents.strategies import TODAY


@pytest.mark.parametrize("number, derived", [
    ("H12345678", {"region": "HK", "holder": "chinese_resident"}),
    ("m1234567803", {"region": "MO", "holder": "chinese_resident", "renewal_count": 3}),
    ("H12345678(01)", {"region": "HK", "holder": "chinese_resident", "renewal_count": 1}),
    ("HA1234567", {"region": "HK", "holder": "non_chinese_permanent_resident"}),
    ("ＭＡ１２３４５６７", {"region": "MO", "holder": "non_chinese_permanent_resident"}),
])
def test_hk_mo_permit_valid(number: str, derived: dict) -> None:
    result = check_document(type="hk_mo_travel_permit", number=number, today=TODAY)
    assert result.valid and result.derived == derived


@pytest.mark.parametrize("number", ["H1234567", "H123456789", "K12345678", "HA123456", "TA1234567", "12345678"])
def test_hk_mo_permit_invalid(number: str) -> None:
    result = check_document(type="hk_mo_travel_permit", number=number, today=TODAY)
    assert [f.code for f in result.findings] == ["doc_hk_mo_permit_format_invalid"]


def test_hk_mo_permit_expired() -> None:
    result = check_document(type="hk_mo_travel_permit", number="H12345678", today=TODAY, expiry="2019.01.01-2024.12.31")
    assert not result.valid and result.findings[0].params["expiry"] == "2024-12-31"


@pytest.mark.parametrize("number, derived", [("12345678", {}), ("1234567801", {"renewal_count": 1})])
def test_tw_permit_valid(number: str, derived: dict) -> None:
    result = check_document(type="tw_travel_permit", number=number, today=TODAY)
    assert result.valid and result.derived == derived


@pytest.mark.parametrize("number", ["1234567", "123456789", "T12345678", "H12345678"])
def test_tw_permit_invalid(number: str) -> None:
    result = check_document(type="tw_travel_permit", number=number, today=TODAY)
    assert [f.code for f in result.findings] == ["doc_tw_permit_format_invalid"]


def test_tw_permit_is_never_long_term() -> None:
    result = check_document(type="tw_travel_permit", number="12345678", today=TODAY, expiry="长期")
    assert [f.code for f in result.findings] == ["doc_expiry_long_term_not_applicable"]
