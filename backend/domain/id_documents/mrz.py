"""Passport machine-readable zone (ICAO 9303 part 4, TD3: two lines of 44 characters).

python-stdnum (2.2) has no ICAO 9303 module, so the 7-3-1 check digit is computed here: 0-9 as digits, A-Z = 10-35,
`<` = 0, weights 7 3 1 repeating, check = S % 10. What it cannot see (pinned in the tests): a character replaced by
one of equal value mod 10 (0/A/K/U/<, 1/B/L/V ...) and two adjacent characters swapped whose values differ by 5
(mod 10), since every difference of two weights is even.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from backend.domain.findings import Finding
from backend.domain.id_documents.common import DocumentCheck, error, mask, parse_expiry, verdict

LINE_LENGTH = 44
_WEIGHTS = (7, 3, 1)
_CHARS = re.compile(r"[A-Z0-9<]*")
_SEXES = {"M": "male", "F": "female", "X": "unspecified", "<": "unspecified"}
#: (finding code, field slice of line 2, position of its check digit)
_FIELDS = (
    ("doc_mrz_number_check_invalid", slice(0, 9), 9),
    ("doc_mrz_birth_check_invalid", slice(13, 19), 19),
    ("doc_mrz_expiry_check_invalid", slice(21, 27), 27),
    ("doc_mrz_optional_check_invalid", slice(28, 42), 42),
)


def char_value(char: str) -> int:
    """The ICAO 9303 value of one MRZ character."""
    if char == "<":
        return 0
    if char.isdigit():
        return int(char)
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(data: str) -> str:
    """The ICAO 9303 check digit (weights 7 3 1) of an MRZ field ("520727" -> "3")."""
    return str(sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10)


def composite_data(line2: str) -> str:
    """The characters of a TD3 line 2 that its composite check digit covers."""
    return line2[0:10] + line2[13:20] + line2[21:43]


def split_lines(text: str) -> list[str]:
    """The MRZ lines of `text`: full-width to ASCII, upper case, spaces inside a line dropped, blank lines skipped."""
    value = unicodedata.normalize("NFKC", text or "").upper()
    lines = [re.sub(r"\s", "", line) for line in value.splitlines()]
    lines = [line for line in lines if line]
    if len(lines) == 1 and len(lines[0]) == 2 * LINE_LENGTH:  # pasted without the line break
        lines = [lines[0][:LINE_LENGTH], lines[0][LINE_LENGTH:]]
    return lines


def _date(digits: str, *, future: bool, today: date) -> date | None:
    if not digits.isdigit():
        return None
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    try:
        value = date(2000 + yy, mm, dd)
        # a birth date is never in the future; an expiry date is always taken in this century
        return value if future or value <= today else date(1900 + yy, mm, dd)
    except ValueError:
        return None


def check_passport_mrz(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check the two MRZ lines of a passport (TD3): check digits, dates, sex; derive what they carry."""
    lines = split_lines(number)
    if len(lines) != 2 or any(len(line) != LINE_LENGTH for line in lines):
        return verdict([error("doc_mrz_lines_invalid", lines=len(lines), lengths=[len(line) for line in lines])])
    line1, line2 = lines
    for index, line in enumerate(lines, start=1):
        if not _CHARS.fullmatch(line):
            bad = "".join(sorted({c for c in line if not _CHARS.fullmatch(c)}))
            return verdict([error("doc_mrz_characters_invalid", line=index, bad_characters=bad)])
    if line1[0] != "P":
        return verdict([error("doc_mrz_not_passport", document_code=line1[:2])])
    findings: list[Finding] = []
    for code, part, position in _FIELDS:
        expected, found = check_digit(line2[part]), line2[position]
        if code == "doc_mrz_optional_check_invalid" and found == "<" and set(line2[part]) == {"<"}:
            continue  # ICAO 9303: the check digit may be a filler when the optional data field is empty
        if found != expected:
            findings.append(error(code, expected=expected, found=found))
    composite = check_digit(composite_data(line2))
    if line2[43] != composite:
        findings.append(error("doc_mrz_composite_check_invalid", expected=composite, found=line2[43]))
    birth = _date(line2[13:19], future=False, today=today)
    if birth is None:
        findings.append(error("doc_mrz_birth_date_invalid", digits=line2[13:19]))
    end = _date(line2[21:27], future=True, today=today)
    if end is None:
        findings.append(error("doc_mrz_expiry_date_invalid", digits=line2[21:27]))
    if line2[20] not in _SEXES:
        findings.append(error("doc_mrz_sex_invalid", sex=line2[20]))
    derived: dict[str, Any] = {
        "document_number": mask(line2[0:9].rstrip("<")),
        "issuing_state": line1[2:5].rstrip("<"),
        "nationality": line2[10:13].rstrip("<"),
        "sex": _SEXES.get(line2[20]),
    }
    if birth is not None:
        derived["birth_date"] = birth.isoformat()
    if end is not None:
        derived["expiry"] = end.isoformat()
        if end < today:
            findings.append(error("doc_expired", expiry=end.isoformat(), today=today.isoformat()))
        given = parse_expiry(expiry) if expiry and expiry.strip() else None
        if expiry and expiry.strip() and given != end:
            findings.append(error("doc_mrz_expiry_mismatch", expiry=expiry.strip()[:40], mrz_expiry=end.isoformat()))
    return verdict(findings, derived)
