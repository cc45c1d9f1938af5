"""Identity numbers and credit codes: every vector of shared/specs/identifiers.md, generation and masking."""
from __future__ import annotations

import random
from datetime import date

import pytest
from stdnum.cn import uscc

from backend.domain.identifiers import (
    InvalidIdentifier,
    check_mainland_id,
    check_uscc,
    generate_uscc,
    mask_id_number,
    mask_name,
    org_code_check_char,
    org_code_valid,
    region_table,
)
from backend.errors import InvalidInput
from backend.i18n import catalogue

VALID_IDS = [
    "360426199101010071", "44011320141005001X", "412723199010050012", "110102199101010078",
    "11010219840406970X", "11010519491231002X", "110111198012010078",
]
INVALID_IDS = [
    ("T60426199101010078", "id_format_invalid"),
    ("360426199113010079", "id_birth_date_invalid"),
    ("36042619910102009X", "id_checksum_invalid"),
    ("990426199112010074", "id_region_unknown"),
    ("110201199312010077", "id_region_abolished"),
    ("11010219840506970X", "id_checksum_invalid"),
]
VALID_USCC = [
    "91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
    "91620105L015101280", "92340602MA2PBQAH7E",
]
INVALID_USCC = [
    ("12345", "uscc_format_invalid"),
    ("A1110000600037341L", "uscc_characters_invalid"),
    ("9111000060003IOZSV", "uscc_characters_invalid"),
    ("91110000600037341N", "uscc_checksum_invalid"),
    ("91440101MA9X0000X1", "uscc_checksum_invalid"),
]


def _with_check_char(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights)) % 11]


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_mainland_ids(number: str) -> None:
    parsed = check_mainland_id(number, today=date(2025, 1, 1))
    assert parsed.number == number
    assert parsed.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.sex == ("male" if int(number[16]) % 2 else "female")
    assert parsed.region_code == number[:6]
    assert parsed.region_name
    assert not parsed.is_residence_permit


def test_county_created_after_birth_year_is_fine_where_stdnum_refuses() -> None:
    from stdnum.cn import ric

    assert not ric.is_valid("110111198012010078")
    parsed = check_mainland_id("110111198012010078")
    assert (parsed.region_name, parsed.birth_date.year) == ("房山区", 1980)
    assert region_table()["110111"].periods[0][0] == 1986


@pytest.mark.parametrize("number, code", INVALID_IDS)
def test_invalid_mainland_ids(number: str, code: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id(number, today=date(2025, 1, 1))
    assert caught.value.code == code
    assert isinstance(caught.value, InvalidInput) and caught.value.status == 422
    assert caught.value.params["number"] == mask_id_number(number)
    assert code in catalogue()


def test_invalid_id_params_carry_the_failing_values() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id("36042619910102009X")
    assert caught.value.params | {"number": None} == {"number": None, "expected": "3", "found": "X"}
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id("360426199113010079")
    assert caught.value.params["birth_digits"] == "19911301"
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id("990426199112010074")
    assert caught.value.params["region_code"] == "990426"
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id("110201199312010077")
    params = caught.value.params
    assert (params["region_code"], params["region_name"], params["abolished_year"], params["birth_year"]) == (
        "110201", "昌平县", 1982, 1993)


def test_birth_date_in_the_future() -> None:
    number = _with_check_char("44011220300101001")
    with pytest.raises(InvalidIdentifier) as caught:
        check_mainland_id(number, today=date(2025, 6, 1))
    assert caught.value.code == "id_birth_date_future"
    assert caught.value.params["birth_date"] == "2030-01-01"
    assert check_mainland_id(number, today=date(2030, 1, 1)).birth_date == date(2030, 1, 1)


def test_input_is_cleaned() -> None:
    assert check_mainland_id(" 4401132014 1005001x ").number == "44011320141005001X"
    assert check_mainland_id("４４０１１３２０１４１００５００１Ｘ").number == "44011320141005001X"


@pytest.mark.parametrize("prefix, region", [("810000", "HK"), ("820000", "MO"), ("830000", "TW")])
def test_residence_permits_check_date_and_check_char_only(prefix: str, region: str) -> None:
    number = _with_check_char(prefix + "19900101002")  # 81/82 before 1997/1999 and 83 always fail stdnum
    parsed = check_mainland_id(number)
    assert parsed.permit_region == region and parsed.is_residence_permit
    assert parsed.sex == "female" and parsed.birth_date == date(1990, 1, 1)
    wrong_check = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(InvalidIdentifier, match="id_checksum_invalid"):
        check_mainland_id(wrong_check)
    with pytest.raises(InvalidIdentifier, match="id_birth_date_invalid"):
        check_mainland_id(_with_check_char(prefix + "19900230002"))


def test_permit_prefix_with_another_code_is_unknown() -> None:
    with pytest.raises(InvalidIdentifier, match="id_region_unknown"):
        check_mainland_id(_with_check_char("81010019900101002"))


def test_age_on() -> None:
    parsed = check_mainland_id("11010519491231002X")
    assert parsed.age_on(date(2025, 12, 30)) == 75
    assert parsed.age_on(date(2025, 12, 31)) == 76


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_uscc(code: str) -> None:
    assert check_uscc(code) == code
    assert check_uscc(code, strict_org_code=True) == code
    assert org_code_valid(code)


@pytest.mark.parametrize("code, error", INVALID_USCC)
def test_invalid_uscc(code: str, error: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_uscc(code)
    assert caught.value.code == error
    assert error in catalogue()


def test_invalid_uscc_params() -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_uscc("91110000600037341N")
    assert caught.value.params == {"code": "91110000600037341N", "expected": "L", "found": "N"}
    with pytest.raises(InvalidIdentifier) as caught:
        check_uscc("9111000060003IOZSV")
    assert caught.value.params["bad_characters"] == "IOZSV"
    assert check_uscc(" 9144 0300-71526726xg") == "9144030071526726XG"


def test_strict_org_code() -> None:
    body = "91440112MA0000000"  # organisation code MA000000 + check 0, which is wrong
    code = body + uscc.calc_check_digit(body)
    assert check_uscc(code) == code
    with pytest.raises(InvalidIdentifier) as caught:
        check_uscc(code, strict_org_code=True)
    assert caught.value.code == "uscc_org_code_invalid"
    assert caught.value.params["expected"] == org_code_check_char("MA000000") != "0"


def test_org_code_check_char_by_hand() -> None:
    # M=22, A=10: 22*3 + 10*7 = 136; 136 % 11 = 4; 11 - 4 = 7
    assert org_code_check_char("MA000000") == "7"
    assert org_code_check_char("60003734") == "1"
    with pytest.raises(ValueError):
        org_code_check_char("6000373")


def test_generated_codes_are_valid() -> None:
    rng = random.Random(20250101)
    codes = [generate_uscc(rng=rng) for _ in range(1000)]
    assert len(set(codes)) == 1000
    for code in codes:
        assert uscc.validate(code) == code
        assert org_code_valid(code)
        assert code.startswith("91440112MA")
        assert set(code) <= set("0123456789ABCDEFGHJKLMNPQRTUWXY")
        assert check_uscc(code, strict_org_code=True) == code


def test_generate_uscc_options_and_system_randomness() -> None:
    code = generate_uscc(region="440106", registering_dept="5", entity_type="2", org_prefix="")
    assert code[:8] == "52440106" and uscc.is_valid(code) and org_code_valid(code)
    with pytest.raises(ValueError):
        generate_uscc(region="44011")
    with pytest.raises(ValueError):
        generate_uscc(org_prefix="MAI")


def test_mask_id_number() -> None:
    assert mask_id_number("44011320141005001X") == "4401**********001X"
    assert mask_id_number("A1234563") == "A1****63"
    assert mask_id_number("12") == "**"
    assert mask_id_number("") == ""


@pytest.mark.parametrize("name, masked", [
    ("张三", "张*"), ("张小明", "张**"), ("欧阳娜娜", "欧阳**"), ("欧阳", "欧*"), ("王", "*"),
    ("买买提·艾力", "买**·**"), ("John Smith", "J*** S****"), ("", ""),
])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked
