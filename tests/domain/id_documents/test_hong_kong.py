"""Hong Kong identity card: spec vectors, the error classes its check character catches, and its blind spots."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.domain.id_documents import check_document
from backend.domain.id_documents.hong_kong import hk_id_check_char
from tests.domain.id_documents.strategies import TODAY, hk_ids, substitute, swap

VALID = ["G123456A", "A5555550", "C5678909", "AB9876543", "WX1234569", "TP1490258", "D360546A", "CA182361(1)"]
INVALID = [
    ("C5678908", "doc_check_char_invalid"),
    ("TP1490253", "doc_check_char_invalid"),
    ("1234567", "doc_hk_id_format_invalid"),
    ("LL2557369A", "doc_hk_id_format_invalid"),
]
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _check(number: str):
    return check_document(type="hk_id", number=number, today=TODAY)


@pytest.mark.parametrize("number", VALID)
def test_spec_valid(number: str) -> None:
    result = _check(number)
    assert result.valid and result.findings == []


@pytest.mark.parametrize("number, code", INVALID)
def test_spec_invalid(number: str, code: str) -> None:
    result = _check(number)
    assert not result.valid and [f.code for f in result.findings] == [code]


def test_printed_forms_are_normalised() -> None:
    for typed in ("g123456(a)", "Ｇ１２３４５６（Ａ）", " G 123456 (A) ", "CA182361（1）"):
        assert _check(typed).valid


def test_check_char_by_hand() -> None:
    # G123456: 36*9 + 16*8 + 1*7 + 2*6 + 3*5 + 4*4 + 5*3 + 6*2 = 529; 529 % 11 = 1; 11 - 1 = 10 -> "A"
    assert hk_id_check_char("G123456") == "A"
    with pytest.raises(ValueError):
        hk_id_check_char("G12345")


def test_no_expiry_date() -> None:
    result = check_document(type="hk_id", number="G123456A", today=TODAY, expiry="2020.01.01")
    assert result.valid
    assert [(f.code, f.severity) for f in result.findings] == [("doc_expiry_not_applicable", "warning")]


@given(hk_ids())
def test_generated_numbers_pass(number: str) -> None:
    assert _check(number).valid
    assert _check(f"{number[:-1]}({number[-1]})".lower()).valid


@given(hk_ids(), st.data())
def test_any_digit_or_check_change_is_caught(number: str, data) -> None:
    index = data.draw(st.integers(len(number) - 7, len(number) - 1))  # the 6 digits and the check character
    char = data.draw(st.sampled_from("0123456789A").filter(lambda c: c != number[index]))
    assert not _check(substitute(number, index, char)).valid


@given(hk_ids(), st.data())
def test_a_letter_change_is_caught_unless_the_letters_are_11_apart(number: str, data) -> None:
    index = data.draw(st.integers(0, len(number) - 8))
    char = data.draw(st.sampled_from(LETTERS).filter(lambda c: c != number[index]))
    changed = substitute(number, index, char)
    assert _check(changed).valid is ((ord(char) - ord(number[index])) % 11 == 0)


@given(hk_ids(), st.data())
def test_an_adjacent_swap_is_caught_unless_two_letters_11_apart(number: str, data) -> None:
    index = data.draw(st.integers(0, len(number) - 2).filter(lambda i: number[i] != number[i + 1]))
    a, b = number[index], number[index + 1]
    letters_11_apart = a.isalpha() and b.isalpha() and index + 1 < len(number) - 1 and (ord(a) - ord(b)) % 11 == 0
    assert _check(swap(number, index)).valid is letters_11_apart


@pytest.mark.parametrize("one, other", [
    ("A5555550", "L5555550"),  # A=10, L=21: 11 apart
    ("L5555550", "W5555550"),  # L=21, W=32
    ("G123456A", "R123456A"),  # G=16, R=27
    ("C5678909", "N5678909"),  # C=12, N=23
    ("X1234566", "EX1234566"),  # a lone letter is padded with 36; E=14 is equal to it mod 11
    ("X1234566", "PX1234566"),  # and so is P=25
    ("GR0000003", "RG0000003"),  # two letters 11 apart swapped (weights 9 and 8 differ by 1)
])
def test_blind_spots_are_known_not_bugs(one: str, other: str) -> None:
    """Both pass: the check character cannot tell these apart; the card itself or the face check must."""
    assert _check(one).valid and _check(other).valid
