"""Macau resident identity card, by format."""
from __future__ import annotations

import pytest

from backend.domain.id_documents import check_document
from tests.domain.id_documents.strategies import TODAY


@pytest.mark.parametrize("number", ["5215299(8)", "12281507", "5/215299/8", "７２２８１５０７", "1228150 7"])
def test_valid(number: str) -> None:
    assert check_document(type="mo_id", number=number, today=TODAY).valid


@pytest.mark.parametrize("number", ["22281507", "1228150", "122815070", "1228150A"])
def test_invalid(number: str) -> None:
    result = check_document(type="mo_id", number=number, today=TODAY)
    assert [f.code for f in result.findings] == ["doc_mo_id_format_invalid"]


def test_validity_period() -> None:
    ok = check_document(type="mo_id", number="12281507", today=TODAY, expiry="2030年1月2日")
    assert ok.valid and ok.derived == {"expiry": "2030-01-02"}
    expired = check_document(type="mo_id", number="12281507", today=TODAY, expiry="2025/05/31")
    assert [f.code for f in expired.findings] == ["doc_expired"]
