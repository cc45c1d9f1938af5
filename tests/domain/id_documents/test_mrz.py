"""Passport MRZ (ICAO 9303 TD3): spec vectors, the error classes its check digits catch, and their blind spots."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.domain.id_documents import check_document
from backend.domain.id_documents.mrz import char_value, check_digit, composite_data, split_lines
from tests.domain.id_documents.strategies import MRZ_CHARS, TODAY, mrz_line2, passports, substitute, swap

LINE1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
LINE2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
#: line-2 positions of each field covered by a check digit, with the finding that reports it
FIELDS = {
    "doc_mrz_number_check_invalid": range(0, 9),
    "doc_mrz_birth_check_invalid": range(13, 19),
    "doc_mrz_expiry_check_invalid": range(21, 27),
    "doc_mrz_optional_check_invalid": range(28, 42),
}
CHECK_POSITIONS = (9, 19, 27, 42, 43)
COMPOSITE_POSITIONS = [*range(0, 10), *range(13, 20), *range(21, 43)]


def _check(line1: str, line2: str, **kwargs):
    return check_document(type="passport_mrz", number=f"{line1}\n{line2}", today=TODAY, **kwargs)


def _codes(result) -> set[str]:
    return {f.code for f in result.findings}


def test_spec_check_digits() -> None:
    assert check_digit("520727") == "3"
    assert check_digit("AB2134<<<") == "5"
    assert [check_digit(LINE2[0:9]), check_digit(LINE2[13:19]), check_digit(LINE2[21:27])] == ["6", "2", "9"]
    assert check_digit(LINE2[28:42]) == "1"
    assert check_digit(composite_data(LINE2)) == "0"
    assert (char_value("<"), char_value("A"), char_value("Z")) == (0, 10, 35)


def test_specimen_checks_out_but_expired_in_2012() -> None:
    result = _check(LINE1, LINE2)
    assert _codes(result) == {"doc_expired"}
    assert result.findings[0].params["expiry"] == "2012-04-15"
    assert result.derived == {
        "document_number": "L8*****C3", "issuing_state": "UTO", "nationality": "UTO", "sex": "female",
        "birth_date": "1974-08-12", "expiry": "2012-04-15",
    }


def test_specimen_renewed_is_valid() -> None:
    line2 = mrz_line2(number="L898902C3", nationality="UTO", birth="740812", sex="F", expiry="320415",
                      optional="ZE184226B<<<<<")
    result = _check(LINE1, line2, expiry="2032-04-15")
    assert result.valid and result.findings == []
    assert _codes(_check(LINE1, line2, expiry="2031-04-15")) == {"doc_mrz_expiry_mismatch"}


@pytest.mark.parametrize("position, code", [
    (9, "doc_mrz_number_check_invalid"), (19, "doc_mrz_birth_check_invalid"), (27, "doc_mrz_expiry_check_invalid"),
    (42, "doc_mrz_optional_check_invalid"), (43, "doc_mrz_composite_check_invalid"),
])
def test_each_check_digit_is_reported(position: int, code: str) -> None:
    line2 = substitute(LINE2, position, "5")
    assert code in _codes(_check(LINE1, line2))


def test_input_forms() -> None:
    pasted = f"  {LINE1.lower()} \r\n\r\n {LINE2[:20]} {LINE2[20:]}\n"
    assert split_lines(pasted) == [LINE1, LINE2]
    assert split_lines(LINE1 + LINE2) == [LINE1, LINE2]
    assert split_lines("Ｐ＜ＵＴＯ")[0] == "P<UTO"


@pytest.mark.parametrize("text, code", [
    (LINE2, "doc_mrz_lines_invalid"),
    (f"{LINE1}\n{LINE2[:-1]}", "doc_mrz_lines_invalid"),
    (f"{LINE1}\n{LINE2[:-1]}*", "doc_mrz_characters_invalid"),
    (f"I{LINE1[1:]}\n{LINE2}", "doc_mrz_not_passport"),
])
def test_shape_errors(text: str, code: str) -> None:
    result = check_document(type="passport_mrz", number=text, today=TODAY)
    assert not result.valid and _codes(result) == {code}


def test_dates_and_sex_are_checked() -> None:
    bad_birth = mrz_line2(number="L898902C3", nationality="UTO", birth="741312", sex="F", expiry="320415",
                          optional="<" * 14)
    assert _codes(_check(LINE1, bad_birth)) == {"doc_mrz_birth_date_invalid"}
    bad_sex = mrz_line2(number="L898902C3", nationality="UTO", birth="740812", sex="Q", expiry="320415",
                        optional="<" * 14)
    assert _codes(_check(LINE1, bad_sex)) == {"doc_mrz_sex_invalid"}


def test_empty_optional_data_may_have_a_filler_check_digit() -> None:
    line2 = mrz_line2(number="L898902C3", nationality="UTO", birth="740812", sex="F", expiry="320415",
                      optional="<" * 14)
    assert line2[42] == "0"
    filler = line2[:42] + "<" + check_digit(composite_data(line2[:42] + "<"))
    assert _check(LINE1, filler).valid


@given(passports())
def test_generated_passports_pass(lines: tuple[str, str]) -> None:
    result = _check(*lines)
    assert result.valid, result.findings
    assert result.derived["nationality"] == lines[1][10:13]


@given(passports(), st.data())
def test_a_change_to_a_value_different_mod_10_is_caught_by_its_field_and_the_composite(lines, data) -> None:
    line1, line2 = lines
    code = data.draw(st.sampled_from(sorted(FIELDS)))
    index = data.draw(st.sampled_from(list(FIELDS[code])))
    char = data.draw(st.sampled_from(MRZ_CHARS).filter(
        lambda c: (char_value(c) - char_value(line2[index])) % 10 != 0))
    found = _codes(_check(line1, substitute(line2, index, char)))
    assert code in found and "doc_mrz_composite_check_invalid" in found


@given(passports(), st.data())
def test_any_change_of_a_check_digit_is_caught(lines, data) -> None:
    line1, line2 = lines
    index = data.draw(st.sampled_from(CHECK_POSITIONS))
    char = data.draw(st.sampled_from("0123456789").filter(lambda c: c != line2[index]))
    assert not _check(line1, substitute(line2, index, char)).valid


@given(passports(), st.data())
def test_adjacent_swap_is_caught_unless_the_values_differ_by_5(lines, data) -> None:
    line1, line2 = lines
    code = data.draw(st.sampled_from(sorted(FIELDS)))
    index = data.draw(st.sampled_from(list(FIELDS[code])[:-1]))
    a, b = char_value(line2[index]), char_value(line2[index + 1])
    swapped = _check(line1, swap(line2, index))
    if (a - b) % 5 != 0:
        assert code in _codes(swapped)
    elif (a - b) % 10 == 5:
        assert code not in _codes(swapped)  # the blind spot, pinned below


def test_blind_spot_characters_equal_mod_10() -> None:
    """C (12) and 2, 0 and < (both 0) weigh the same: a misread passes every check digit."""
    misread = LINE2.replace("L898902C3", "L89890223")
    assert _codes(_check(LINE1, misread)) == {"doc_expired"}
    filler = LINE2.replace("ZE184226B<<<<<", "ZE184226B00000")
    assert _codes(_check(LINE1, filler)) == {"doc_expired"}


def test_blind_spot_adjacent_digits_5_apart_swapped() -> None:
    """Born 1961-08-12 or 2016-08-12 (6 and 1 swapped): every check digit is the same."""
    born_61 = "L898902C36UTO6108126F3404159ZE184226B<<<<<12"
    born_16 = "L898902C36UTO1608126F3404159ZE184226B<<<<<12"
    assert _check(LINE1, born_61).valid and _check(LINE1, born_16).valid
    assert _check(LINE1, born_61).derived["birth_date"] == "1961-08-12"
    assert _check(LINE1, born_16).derived["birth_date"] == "2016-08-12"
