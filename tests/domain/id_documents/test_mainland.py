"""Mainland identity card, residence permit and foreign permanent resident ID: spec vectors and property tests."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from backend.domain.id_documents import check_document
from tests.domain.id_documents.strategies import (
    TODAY,
    TYPED,
    permanent_resident_ids,
    residence_permits,
    resident_ids,
    substitute,
    swap,
)

VALID_IDS = [
    "360426199101010071", "44011320141005001X", "412723199010050012", "110102199101010078",
    "11010219840406970X", "11010519491231002X", "110111198012010078",
]
INVALID_IDS = [
    ("T60426199101010078", "doc_cn_id_format_invalid"),
    ("360426199113010079", "doc_birth_date_invalid"),
    ("36042619910102009X", "doc_check_char_invalid"),
    ("990426199112010074", "doc_cn_id_region_unknown"),
    ("110201199312010077", "doc_cn_id_region_abolished"),
    ("11010219840506970X", "doc_check_char_invalid"),
]


def _codes(result) -> list[str]:
    return [f.code for f in result.findings]


def _with_check(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")  # stdnum drops the last character


@pytest.mark.parametrize("number", VALID_IDS)
def test_spec_valid_resident_ids(number: str) -> None:
    result = check_document(type="cn_resident_id", number=number, today=TODAY)
    assert result.valid and result.findings == []
    assert result.derived["birth_date"] == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert result.derived["sex"] == ("male" if int(number[16]) % 2 else "female")
    assert result.derived["region_code"] == number[:6]


@pytest.mark.parametrize("number, code", INVALID_IDS)
def test_spec_invalid_resident_ids(number: str, code: str) -> None:
    result = check_document(type="cn_resident_id", number=number, today=TODAY)
    assert not result.valid
    assert _codes(result) == [code]
    assert number not in str(result.findings[0].params)  # the number comes back masked


def test_county_created_after_birth_is_accepted_though_stdnum_refuses_it() -> None:
    assert not ric.is_valid("110111198012010078")
    result = check_document(type="cn_resident_id", number="110111198012010078", today=TODAY)
    assert result.valid and result.derived["region_name"] == "房山区"


def test_normalisation_full_width_spaces_lower_case() -> None:
    for typed in ("４４０１１３２０１４１００５００１Ｘ", " 440113 20141005 001x ", "440113-20141005-001x"):
        assert check_document(type="cn_resident_id", number=typed, today=TODAY).valid


def test_birth_date_in_the_future() -> None:
    number = _with_check("44011220300101001")
    result = check_document(type="cn_resident_id", number=number, today=TODAY)
    assert _codes(result) == ["doc_birth_date_future"]


@pytest.mark.parametrize("expiry, valid, derived", [
    ("2035.01.01", True, "2035-01-01"),
    ("2015.01.01-2035.01.01", True, "2035-01-01"),
    ("2025-06-01", True, "2025-06-01"),
    ("长期", True, "long_term"),
    ("2010.05.31-长期", True, "long_term"),
])
def test_resident_id_validity(expiry: str, valid: bool, derived: str) -> None:
    result = check_document(type="cn_resident_id", number="11010519491231002X", today=TODAY, expiry=expiry)
    assert result.valid is valid
    assert result.derived["expiry"] == derived


def test_expired_resident_id_is_refused_with_its_expiry_date() -> None:
    result = check_document(type="cn_resident_id", number="360426199101010071", today=TODAY,
                            expiry="2015.05.31-2025.05.31")
    assert not result.valid
    assert _codes(result) == ["doc_expired"]
    assert result.findings[0].params == {"expiry": "2025-05-31", "today": "2025-06-01"}
    assert "2025-05-31" in result.findings[0].to_dict()["messages"]["en"]


def test_long_term_needs_a_holder_of_46_or_more() -> None:
    result = check_document(type="cn_resident_id", number="360426199101010071", today=TODAY, expiry="长期")
    assert _codes(result) == ["doc_long_term_too_young"]
    assert result.findings[0].params == {"age": 34, "minimum": 46}


def test_unreadable_expiry() -> None:
    result = check_document(type="cn_resident_id", number="360426199101010071", today=TODAY, expiry="next year")
    assert _codes(result) == ["doc_expiry_invalid"]


@pytest.mark.parametrize("prefix, region", [("810000", "HK"), ("820000", "MO"), ("830000", "TW")])
def test_residence_permits(prefix: str, region: str) -> None:
    number = _with_check(prefix + "19900101002")  # stdnum's region table refuses 81/82 before 1997/1999, 83 always
    result = check_document(type="cn_residence_permit", number=number, today=TODAY, expiry="2024.01.01-2029.01.01")
    assert result.valid
    assert result.derived == {"birth_date": "1990-01-01", "sex": "female", "permit_region": region,
                              "expiry": "2029-01-01"}
    assert _codes(check_document(type="cn_residence_permit", number=number, today=TODAY, expiry="长期")) == [
        "doc_expiry_long_term_not_applicable"]
    as_card = check_document(type="cn_resident_id", number=number, today=TODAY)
    assert _codes(as_card) == ["doc_cn_id_is_permit"]


def test_permit_type_with_a_resident_id_number() -> None:
    result = check_document(type="cn_residence_permit", number="360426199101010071", today=TODAY)
    assert _codes(result) == ["doc_permit_region_invalid"]
    assert result.findings[0].params["region_code"] == "360426"


def test_permit_with_an_impossible_birth_date() -> None:
    result = check_document(type="cn_residence_permit", number=_with_check("81000019900230002"), today=TODAY)
    assert _codes(result) == ["doc_birth_date_invalid"]


def test_foreign_permanent_resident_2023_edition() -> None:
    number = _with_check("93115619800101123")
    result = check_document(type="foreign_permanent_resident_id", number=number, today=TODAY, expiry="2033.12.01")
    assert result.valid and result.derived == {"edition": "2023", "expiry": "2033-12-01"}
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert _codes(check_document(type="foreign_permanent_resident_id", number=wrong, today=TODAY)) == [
        "doc_check_char_invalid"]
    not_nine = _with_check("13115619800101123")
    assert _codes(check_document(type="foreign_permanent_resident_id", number=not_nine, today=TODAY)) == [
        "doc_fpr_format_invalid"]


def test_foreign_permanent_resident_2017_edition_by_format() -> None:
    result = check_document(type="foreign_permanent_resident_id", number="usa310080123456", today=TODAY)
    assert result.valid and result.derived == {"edition": "2017", "nationality": "USA"}
    for wrong in ("US3100801234567", "USA31008012345", "USA3100801234X6"):
        assert _codes(check_document(type="foreign_permanent_resident_id", number=wrong, today=TODAY)) == [
            "doc_fpr_format_invalid"]
    expired = check_document(type="foreign_permanent_resident_id", number="USA310080123456", today=TODAY,
                             expiry="2017.01.01-2027.01.01")
    assert expired.valid
    assert not check_document(type="foreign_permanent_resident_id", number="USA310080123456", today=TODAY,
                              expiry="2024.12.31").valid


GB11643_TYPES = [
    ("cn_resident_id", resident_ids()),
    ("cn_residence_permit", residence_permits()),
    ("foreign_permanent_resident_id", permanent_resident_ids()),
]


@pytest.mark.parametrize("kind, numbers", GB11643_TYPES, ids=[t for t, _ in GB11643_TYPES])
@given(data=st.data())
def test_generated_numbers_pass(kind: str, numbers, data) -> None:
    number = data.draw(numbers)
    result = check_document(type=kind, number=number, today=TODAY)
    assert result.valid, (number, result.findings)
    assert check_document(type=kind, number=number.lower(), today=TODAY).valid


@pytest.mark.parametrize("kind, numbers", GB11643_TYPES, ids=[t for t, _ in GB11643_TYPES])
@given(data=st.data())
def test_any_single_character_change_is_caught(kind: str, numbers, data) -> None:
    number = data.draw(numbers)
    index = data.draw(st.integers(0, len(number) - 1))
    char = data.draw(st.sampled_from(TYPED).filter(lambda c: c != number[index]))
    assert not check_document(type=kind, number=substitute(number, index, char), today=TODAY).valid


@pytest.mark.parametrize("kind, numbers", GB11643_TYPES, ids=[t for t, _ in GB11643_TYPES])
@given(data=st.data())
def test_any_adjacent_swap_is_caught(kind: str, numbers, data) -> None:
    number = data.draw(numbers)
    index = data.draw(st.integers(0, len(number) - 2).filter(lambda i: number[i] != number[i + 1]))
    assert not check_document(type=kind, number=swap(number, index), today=TODAY).valid


def test_check_character_is_iso7064_mod_11_2() -> None:
    from stdnum.iso7064 import mod_11_2

    for number in ["11010519491231002X", "44011320141005001X", "360426199101010071"]:
        assert mod_11_2.is_valid(number)
    assert date(1949, 12, 31).isoformat() == check_document(
        type="cn_resident_id", number="11010519491231002X", today=TODAY).derived["birth_date"]
