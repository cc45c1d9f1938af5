"""Corporate shareholders: USCC vectors and property tests, Hong Kong and Macau registration numbers by format."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from backend.domain.id_documents import check_document
from tests.domain.id_documents.strategies import TODAY, TYPED, substitute, swap, usccs

VALID = ["91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
         "91620105L015101280", "92340602MA2PBQAH7E"]
INVALID = [
    ("12345", "doc_uscc_format_invalid"),
    ("A1110000600037341L", "doc_uscc_characters_invalid"),
    ("9111000060003IOZSV", "doc_uscc_characters_invalid"),
    ("91110000600037341N", "doc_check_char_invalid"),
    ("91440101MA9X0000X1", "doc_check_char_invalid"),
]


def _check(kind: str, number: str, **kwargs):
    return check_document(type=kind, number=number, today=TODAY, **kwargs)


@pytest.mark.parametrize("code", VALID)
def test_spec_valid_uscc(code: str) -> None:
    result = _check("cn_uscc", code)
    assert result.valid and result.findings == []
    assert result.derived["number"] == code and result.derived["organisation_code"] == code[8:17]


@pytest.mark.parametrize("code, finding", INVALID)
def test_spec_invalid_uscc(code: str, finding: str) -> None:
    result = _check("cn_uscc", code)
    assert not result.valid and [f.code for f in result.findings] == [finding]


def test_uscc_derived_and_normalised() -> None:
    result = _check("cn_uscc", " 9144 0300-71526726xg")
    assert result.valid
    assert result.derived == {
        "number": "9144030071526726XG", "registering_department": "9", "entity_type": "1",
        "region_code": "440300", "region_name": "深圳市", "organisation_code": "71526726X",
    }


def test_a_wrong_organisation_code_inside_is_only_a_warning() -> None:
    body = "91440112MA0000000"  # organisation code MA000000 should end in 7
    code = body + uscc.calc_check_digit(body)
    result = _check("cn_uscc", code)
    assert result.valid
    assert [(f.code, f.severity, f.params["expected"]) for f in result.findings] == [
        ("doc_uscc_org_code_warning", "warning", "7")]


@given(usccs())
def test_generated_codes_pass(code: str) -> None:
    result = _check("cn_uscc", code)
    assert result.valid and result.findings == []


@given(usccs(), st.data())
def test_any_single_character_change_is_caught(code: str, data) -> None:
    index = data.draw(st.integers(0, 17))
    char = data.draw(st.sampled_from(TYPED).filter(lambda c: c != code[index]))
    assert not _check("cn_uscc", substitute(code, index, char)).valid


@given(usccs(), st.data())
def test_any_adjacent_swap_is_caught(code: str, data) -> None:
    index = data.draw(st.integers(0, 16).filter(lambda i: code[i] != code[i + 1]))
    assert not _check("cn_uscc", swap(code, index)).valid


@pytest.mark.parametrize("number, derived", [("1234567", "1234567"), ("00012345", "00012345"), ("１２３ ４５６７８", "12345678")])
def test_hk_company_numbers(number: str, derived: str) -> None:
    result = _check("hk_company", number)
    assert result.valid and result.derived == {"number": derived}


@pytest.mark.parametrize("number", ["123456789", "12A45678", "", "CR1234567"])
def test_hk_company_numbers_invalid(number: str) -> None:
    result = _check("hk_company", number)
    assert not result.valid
    assert [f.code for f in result.findings] == (["doc_number_missing"] if not number else ["doc_hk_company_format_invalid"])


@pytest.mark.parametrize("number, derived", [("12345", "12345"), ("12345(SO)", "12345"), ("12345 so", "12345")])
def test_mo_company_numbers(number: str, derived: str) -> None:
    result = _check("mo_company", number)
    assert result.valid and result.derived == {"number": derived}


@pytest.mark.parametrize("number", ["ABC123", "12345678901", "SO"])
def test_mo_company_numbers_invalid(number: str) -> None:
    assert [f.code for f in _check("mo_company", number).findings] == ["doc_mo_company_format_invalid"]


def test_companies_have_no_expiry() -> None:
    result = _check("hk_company", "1234567", expiry="2020-01-01")
    assert result.valid and [f.code for f in result.findings] == ["doc_expiry_not_applicable"]
