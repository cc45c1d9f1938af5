"""Mainland identity card numbers (GB 11643), unified social credit codes (GB 32100) and masking for display.

python-stdnum supplies the check characters, the date parsing and the region table; this module adds what it lacks:
the region rule of `shared/specs/identifiers.md` (only a code abolished before the birth year is impossible),
residence permits for Hong Kong, Macau and Taiwan residents, GB 11714 organisation codes and code generation.
"""
from __future__ import annotations

import functools
import random
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError

from backend.errors import InvalidInput

Sex = Literal["male", "female"]

#: Residence permits for Hong Kong, Macau and Taiwan residents carry these region codes.
PERMIT_REGIONS: dict[str, str] = {"810000": "HK", "820000": "MO", "830000": "TW"}

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RIC_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_EARLIEST_BIRTH_YEAR = 1900
_DIGITS = frozenset("0123456789")


class InvalidIdentifier(InvalidInput):
    """An identity number or a credit code that cannot be right; `code` says which check failed."""

    default_code = "id_invalid"


@dataclass(frozen=True, slots=True)
class Region:
    """One 6-digit GB/T 2260 code with its names over time: (first year or None, last year or None, name)."""

    code: str
    periods: tuple[tuple[int | None, int | None, str], ...]

    @property
    def name(self) -> str:
        """The most recent name of the code."""
        return self.periods[-1][2]

    def abolished_before(self, year: int) -> int | None:
        """The last year the code was in use if that is before `year`, else None."""
        ends = [end for _, end, _ in self.periods]
        if any(end is None for end in ends):
            return None
        last = max(end for end in ends if end is not None)
        return last if last < year else None


@dataclass(frozen=True, slots=True)
class MainlandId:
    """What an 18-character mainland identity number (or HK/Macau/Taiwan residence permit number) tells."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str
    region_name: str | None
    permit_region: str | None = None  # "HK", "MO" or "TW" for a residence permit, None for an identity card

    @property
    def is_residence_permit(self) -> bool:
        """Whether the number is that of a residence permit for HK, Macau or Taiwan residents."""
        return self.permit_region is not None

    def age_on(self, day: date) -> int:
        """Age in whole years on `day`."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - int(before_birthday)


def _clean(number: str) -> str:
    text = unicodedata.normalize("NFKC", number or "")
    return re.sub(r"[\s\-]", "", text).upper()


@functools.cache
def region_table() -> dict[str, Region]:
    """Parse stdnum's GB/T 2260 table (`stdnum/cn/loc.dat`, names with `[start-end]` years) once."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    table: dict[str, Region] = {}
    prefixes: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        token, _, rest = line.strip().partition(" ")
        prefixes[depth:] = [(prefixes[depth - 1] if depth else "") + token]
        code = prefixes[depth]
        match = re.search(r'county="([^"]*)"', rest)
        if len(code) == 6 and match:
            table[code] = Region(code, tuple(_periods(match.group(1))))
    return table


def _periods(value: str) -> list[tuple[int | None, int | None, str]]:
    periods: list[tuple[int | None, int | None, str]] = []
    for part in value.split(","):
        found = re.fullmatch(r"\[(\d*)-(\d*)\](.*)", part.strip())
        if found:
            start, end, name = found.groups()
            periods.append((int(start) if start else None, int(end) if end else None, name))
        else:
            periods.append((None, None, part.strip()))
    return periods


def check_mainland_id(number: str, *, today: date | None = None) -> MainlandId:
    """Validate an 18-character mainland identity or HK/Macau/Taiwan residence permit number, or raise."""
    cleaned = _clean(number)
    masked = mask_id_number(cleaned)
    if not _RIC_SHAPE.fullmatch(cleaned):
        raise InvalidIdentifier("id_format_invalid", number=masked, length=len(cleaned))
    expected = ric.calc_check_digit(cleaned)
    if cleaned[-1] != expected:
        raise InvalidIdentifier("id_checksum_invalid", number=masked, expected=expected, found=cleaned[-1])
    digits = cleaned[6:14]
    try:
        birth = ric.get_birth_date(cleaned)
    except ValidationError:  # stdnum's InvalidComponent: no such date
        raise InvalidIdentifier("id_birth_date_invalid", number=masked, birth_digits=digits) from None
    if birth.year < _EARLIEST_BIRTH_YEAR:
        raise InvalidIdentifier("id_birth_date_invalid", number=masked, birth_digits=digits)
    today = today or date.today()
    if birth > today:
        raise InvalidIdentifier(
            "id_birth_date_future", number=masked, birth_date=birth.isoformat(), today=today.isoformat()
        )
    code = cleaned[:6]
    sex: Sex = "male" if int(cleaned[16]) % 2 else "female"
    if code[:2] in {"81", "82", "83"}:
        if code not in PERMIT_REGIONS:
            raise InvalidIdentifier("id_region_unknown", number=masked, region_code=code)
        return MainlandId(cleaned, birth, sex, code, None, permit_region=PERMIT_REGIONS[code])
    region = region_table().get(code)
    if region is None:
        raise InvalidIdentifier("id_region_unknown", number=masked, region_code=code)
    last_year = region.abolished_before(birth.year)
    if last_year is not None:
        raise InvalidIdentifier(
            "id_region_abolished",
            number=masked,
            region_code=code,
            region_name=region.name,
            abolished_year=last_year,
            birth_year=birth.year,
        )
    return MainlandId(cleaned, birth, sex, code, region.name)


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character of an organisation code's first 8 characters (A=10 ... Z=35)."""
    if len(first8) != 8 or not all(c in _DIGITS or "A" <= c <= "Z" for c in first8):
        raise ValueError(f"an organisation code starts with 8 digits or capital letters, not {first8!r}")
    total = sum((int(c) if c in _DIGITS else ord(c) - 55) * w for c, w in zip(first8, _ORG_WEIGHTS))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def org_code_valid(code: str) -> bool:
    """Whether positions 9-17 of a USCC (or a bare 9-character organisation code) carry a valid GB 11714 check."""
    cleaned = _clean(code)
    org = cleaned[8:17] if len(cleaned) == 18 else cleaned
    try:
        return len(org) == 9 and org_code_check_char(org[:8]) == org[8]
    except ValueError:
        return False


def check_uscc(code: str, *, strict_org_code: bool = False) -> str:
    """Validate a unified social credit code (GB 32100) and return it compacted; raise InvalidIdentifier.

    With `strict_org_code`, the GB 11714 check of the embedded organisation code is enforced too.
    """
    cleaned = _clean(code)
    if len(cleaned) != 18:
        raise InvalidIdentifier("uscc_format_invalid", code=cleaned, length=len(cleaned))
    bad = [c for c in cleaned[:8] if c not in _DIGITS] + [c for c in cleaned[8:] if c not in USCC_ALPHABET]
    if bad:
        raise InvalidIdentifier("uscc_characters_invalid", code=cleaned, bad_characters="".join(bad))
    expected = uscc.calc_check_digit(cleaned)
    if cleaned[-1] != expected:
        raise InvalidIdentifier("uscc_checksum_invalid", code=cleaned, expected=expected, found=cleaned[-1])
    if strict_org_code and not org_code_valid(cleaned):
        raise InvalidIdentifier(
            "uscc_org_code_invalid", code=cleaned, org_code=cleaned[8:17], expected=org_code_check_char(cleaned[8:16])
        )
    return uscc.validate(cleaned)


def generate_uscc(
    *,
    region: str = "440112",
    registering_dept: str = "9",
    entity_type: str = "1",
    org_prefix: str = "MA",
    rng: random.Random | None = None,
) -> str:
    """Make a USCC whose organisation code (GB 11714) and check character (GB 32100) are valid (mock mode, tests)."""
    if not (len(region) == 6 and set(region) <= _DIGITS):
        raise ValueError(f"region must be 6 digits, not {region!r}")
    if not (len(registering_dept) == 1 and registering_dept in _DIGITS):
        raise ValueError(f"registering_dept must be one digit, not {registering_dept!r}")
    if not (len(entity_type) == 1 and entity_type in _DIGITS):
        raise ValueError(f"entity_type must be one digit, not {entity_type!r}")
    if len(org_prefix) > 8 or any(c not in USCC_ALPHABET for c in org_prefix):
        raise ValueError(f"org_prefix must be at most 8 characters of {USCC_ALPHABET}, not {org_prefix!r}")
    chooser = rng if rng is not None else secrets.SystemRandom()
    first8 = org_prefix + "".join(chooser.choice(USCC_ALPHABET) for _ in range(8 - len(org_prefix)))
    body = registering_dept + entity_type + region + first8 + org_code_check_char(first8)
    return body + uscc.calc_check_digit(body)


ORG_SERIAL_DIGITS = 6  # after the 2-character prefix: 31**6 serials per prefix


def uscc_for_serial(serial: int, *, region: str = "440112", org_prefix: str = "MA") -> str:
    """The enterprise USCC (`91`, region, GB 11714 organisation code, check) whose organisation code carries
    `serial` (1, 2, ...) written in the USCC alphabet after `org_prefix`: distinct serials give distinct codes."""
    width = 8 - len(org_prefix)
    if not 0 < serial < len(USCC_ALPHABET) ** width:
        raise ValueError(f"serial {serial} is outside 1..{len(USCC_ALPHABET) ** width - 1}")
    digits = []
    for _ in range(width):
        serial, rest = divmod(serial, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[rest])
    first8 = org_prefix + "".join(reversed(digits))
    body = "91" + region + first8 + org_code_check_char(first8)
    return body + uscc.calc_check_digit(body)


def mask_id_number(number: str) -> str:
    """Show the first 4 and last 4 characters only ("4401**********001X"); shorter numbers keep less."""
    text = (number or "").strip()
    keep = 4 if len(text) > 8 else max(0, (len(text) - 1) // 3)
    if keep == 0:
        return "*" * len(text)
    return text[:keep] + "*" * (len(text) - 2 * keep) + text[-keep:]


_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 独孤 端木 西门 南宫 澹台 轩辕 "
    "钟离 呼延 申屠 太史 闻人 万俟 赫连 拓跋 百里 东郭 公冶 仲孙 司空 司寇 左丘 梁丘 濮阳 歐陽".split()
)


def mask_name(name: str) -> str:
    """Keep the surname (one character, or a compound surname) and mask the rest: "张*", "欧阳**"."""
    text = (name or "").strip()
    if not text:
        return ""
    if not any("\u4e00" <= c <= "\u9fff" for c in text):
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in text.split())
    keep = 2 if len(text) > 2 and text[:2] in _COMPOUND_SURNAMES else 1
    if len(text) == 1:
        return "*"
    return text[:keep] + "".join(c if c in "·•" else "*" for c in text[keep:])
