"""Hypothesis strategies: valid numbers of every checksummed document type, and single-character mutations."""
from __future__ import annotations

from datetime import date

from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from backend.domain.id_documents.hong_kong import hk_id_check_char
from backend.domain.id_documents.mrz import check_digit, composite_data
from backend.domain.identifiers import USCC_ALPHABET, org_code_check_char, region_table

TODAY = date(2025, 6, 1)
#: Characters a mutation may put in: digits and capital letters (lower case would be normalised back, not a change).
TYPED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CURRENT_REGIONS = sorted(code for code, region in region_table().items() if region.periods[-1][1] is None)

birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    """A valid mainland identity number: a region still in use, a past birth date, any sequence."""
    body = draw(st.sampled_from(_CURRENT_REGIONS)) + draw(birth_dates).strftime("%Y%m%d") + draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return body + ric.calc_check_digit(body + "0")  # stdnum expects the check place present


@st.composite
def residence_permits(draw: st.DrawFn) -> str:
    """A valid residence permit number for HK (810000), Macau (820000) or Taiwan (830000) residents."""
    body = draw(st.sampled_from(["810000", "820000", "830000"])) + draw(birth_dates).strftime("%Y%m%d")
    body += draw(st.from_regex(r"\A[0-9]{3}\Z"))
    return body + ric.calc_check_digit(body + "0")  # stdnum expects the check place present


@st.composite
def permanent_resident_ids(draw: st.DrawFn) -> str:
    """A valid 2023-edition foreign permanent resident ID number: 9, 16 digits, the MOD 11-2 check character."""
    body = "9" + draw(st.from_regex(r"\A[0-9]{16}\Z"))
    return body + ric.calc_check_digit(body + "0")  # stdnum expects the check place present


@st.composite
def usccs(draw: st.DrawFn) -> str:
    """A valid unified social credit code with a valid organisation code inside."""
    head = draw(st.from_regex(r"\A[0-9]{8}\Z"))
    first8 = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=8, max_size=8)))
    body = head + first8 + org_code_check_char(first8)
    return body + uscc.calc_check_digit(body)


@st.composite
def hk_ids(draw: st.DrawFn) -> str:
    """A valid Hong Kong identity card number with one or two letters."""
    body = draw(st.from_regex(r"\A[A-Z]{1,2}[0-9]{6}\Z"))
    return body + hk_id_check_char(body)


MRZ_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<"


def mrz_line2(*, number: str, nationality: str, birth: str, sex: str, expiry: str, optional: str) -> str:
    """Line 2 of a TD3 MRZ from its fields, with every check digit computed."""
    line = number + check_digit(number) + nationality + birth + check_digit(birth) + sex + expiry
    line += check_digit(expiry) + optional + check_digit(optional)
    return line + check_digit(composite_data(line))


@st.composite
def passports(draw: st.DrawFn) -> tuple[str, str]:
    """A valid TD3 MRZ (line 1, line 2) of a passport valid on TODAY."""
    state = draw(st.from_regex(r"\A[A-Z]{3}\Z"))
    names = draw(st.from_regex(r"\A[A-Z]{1,15}<<[A-Z]{1,15}\Z"))
    line1 = ("P<" + state + names).ljust(44, "<")
    number = draw(st.from_regex(r"\A[A-Z0-9]{6,9}\Z")).ljust(9, "<")
    birth = draw(st.dates(min_value=date(1926, 1, 1), max_value=TODAY)).strftime("%y%m%d")
    expiry = draw(st.dates(min_value=TODAY, max_value=date(2049, 12, 31))).strftime("%y%m%d")
    optional = draw(st.from_regex(r"\A[A-Z0-9<]{14}\Z"))
    sex = draw(st.sampled_from("MFX<"))
    line2 = mrz_line2(number=number, nationality=state, birth=birth, sex=sex, expiry=expiry, optional=optional)
    return line1, line2


def substitute(text: str, index: int, char: str) -> str:
    """`text` with the character at `index` replaced."""
    return text[:index] + char + text[index + 1:]


def swap(text: str, index: int) -> str:
    """`text` with the characters at `index` and `index + 1` swapped."""
    return text[:index] + text[index + 1] + text[index] + text[index + 2:]
