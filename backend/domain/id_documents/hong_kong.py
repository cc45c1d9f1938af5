"""Hong Kong identity card: one or two letters, six digits and a check character.

python-stdnum (2.2) has no Hong Kong module, so the check character is computed here, per the spec: letters A=10 ...
Z=35, a single letter padded in front with 36, weights 9 8 7 6 5 4 3 2, check = (11 - S % 11) % 11 with 10 written "A".
Blind spots of this scheme (pinned in the tests): letters whose values differ by 11 (A/L/W, B/M/X ...), and a leading
E or P added to or dropped from a one-letter number (36, 14 and 25 are equal mod 11).
"""
from __future__ import annotations

import re
from datetime import date

from backend.domain.id_documents.common import DocumentCheck, error, mask, no_expiry, normalise, verdict

_SHAPE = re.compile(r"([A-Z]{1,2})([0-9]{6})([0-9A])")
_PAD = 36


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def hk_id_check_char(body: str) -> str:
    """The check character of a Hong Kong identity card number without it ("G123456" -> "A")."""
    if not re.fullmatch(r"[A-Z]{1,2}[0-9]{6}", body):
        raise ValueError(f"a Hong Kong identity card number starts with 1 or 2 letters and 6 digits, not {body!r}")
    values = ([_PAD] if len(body) == 7 else []) + [_value(c) for c in body]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1)))
    check = (11 - total % 11) % 11
    return "A" if check == 10 else str(check)


def check_hk_id(*, number: str, today: date, expiry: str | None = None) -> DocumentCheck:
    """Check a Hong Kong identity card number ("A123456(3)"); the card has no expiry date."""
    cleaned = normalise(number, drop="()")
    found = _SHAPE.fullmatch(cleaned)
    if found is None:
        return verdict([error("doc_hk_id_format_invalid", number=mask(cleaned), length=len(cleaned))])
    expected = hk_id_check_char(cleaned[:-1])
    if cleaned[-1] != expected:
        return verdict([error("doc_check_char_invalid", number=mask(cleaned), expected=expected, found=cleaned[-1])])
    return verdict(no_expiry(expiry), {"prefix": found.group(1)})
