"""Made-up data for the scenarios: founders with valid mainland ID numbers, unique company names, addresses.

Pure functions of a `random.Random`, so a run can be repeated with ``--seed``.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

#: GB 11643-1999: weights of the first 17 digits, and the check character for each remainder of their sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
#: 广州市黄埔区 (440112) and 广州市天河区 (440106).
ID_REGIONS = ("440112", "440106")

#: Characters a made-up 字号 is drawn from: auspicious, no region, industry or restricted words among them
#: (so no 中/国/华, nor 通 which would run into 通信).
TRADE_NAME_CHARACTERS = (
    "云帆星海启明瑞安嘉禾鼎新越锦程聚德恒朗睿泽翰墨松竹溪澜悦知行远弘毅致和丰盈晨曦逸辰沐琪瀚峰"
)
_HAN_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")

#: Founders' names, each with its sex (which decides the parity of the ID number's 17th digit).
FOUNDER_NAMES = (
    ("张三", "m"), ("李四", "m"), ("王五", "m"), ("张伟", "m"), ("刘洋", "m"), ("陈杰", "m"),
    ("李娜", "f"), ("王芳", "f"), ("陈静", "f"), ("黄丽", "f"), ("林晓燕", "f"), ("周敏", "f"),
)

COMPANY_PREFIX = "广州市黄埔区"
COMPANY_INDUSTRY = "信息技术"
COMPANY_FORM = "有限公司"
STREETS = ("萝岗街道科学大道", "萝岗街道开创大道", "联和街道科学城", "夏港街道青年路")


def id_check_character(first17: str) -> str:
    """The 18th character of a resident ID number whose first 17 digits are `first17`."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"need 17 digits, got {first17!r}")
    return ID_CHECK[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def is_valid_id_number(number: str) -> bool:
    """True if `number` has 17 digits, the right check character, and a real birth date."""
    number = number.upper()
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return id_check_character(number[:17]) == number[17]


def mainland_id_number(
    rng: random.Random,
    *,
    region: str = "440112",
    birth: dt.date | None = None,
    sex: str | None = None,
) -> str:
    """A made-up but well-formed mainland resident ID number: region, birth date, sequence, check character.

    The birth date defaults to a random day in 1970-1999 (an adult founder); the sequence is random, odd for men and
    even for women when `sex` ("m"/"f") is given.
    """
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if birth is None:
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(30 * 365))
    sequence = rng.randrange(1, 1000)
    if sex in ("m", "f") and (sequence % 2 == 1) != (sex == "m"):
        sequence = sequence + 1 if sequence < 999 else sequence - 1
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_character(first17)


@dataclass(frozen=True, slots=True)
class Founder:
    """A made-up natural-person founder."""

    name: str
    document_number: str
    document_type: str = "mainland_resident_id"


def mainland_founder(rng: random.Random, *, region: str | None = None) -> Founder:
    """A founder with a Chinese name and a matching (by sex) valid ID number from 黄埔区 or 天河区."""
    name, sex = rng.choice(FOUNDER_NAMES)
    return Founder(name, mainland_id_number(rng, region=region or rng.choice(ID_REGIONS), sex=sex))


def trade_name(rng: random.Random, *, length: int | None = None) -> str:
    """A random 字号 of 2-3 distinct Chinese characters (no digits or latin letters)."""
    k = length or rng.choice((2, 2, 3, 3, 3))
    return "".join(rng.sample(TRADE_NAME_CHARACTERS, k))


def is_chinese_only(text: str) -> bool:
    """True if `text` is non-empty and only CJK unified ideographs."""
    return bool(_HAN_ONLY.match(text))


def company_name(trade: str) -> str:
    """The full name: 广州市黄埔区 + 字号 + 信息技术 + 有限公司."""
    return f"{COMPANY_PREFIX}{trade}{COMPANY_INDUSTRY}{COMPANY_FORM}"


def address(rng: random.Random) -> str:
    """An address in 黄埔区 with a random number, e.g. 广州市黄埔区萝岗街道科学大道123号."""
    return f"广州市黄埔区{rng.choice(STREETS)}{rng.randrange(1, 400)}号"


def years_from(today: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for 29 February)."""
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def llc_details(rng: random.Random, *, today: dt.date | None = None) -> dict[str, object]:
    """The details of a small software company: address, scope, 100 000 CNY, contribution due in about 4 years."""
    today = today or dt.date.today()
    return {
        "address": address(rng),
        "business_scope": ["软件开发", "信息技术咨询服务"],
        "registered_capital_cny": "100000",
        "contribution_deadline": years_from(today, 4).isoformat(),
        "liaison_phone": "13800138000",
    }


#: Registered mainland companies (valid GB 32100 codes, made up) that scenarios use as corporate shareholders.
CORPORATE_SHAREHOLDERS = (
    ("广州瑞安投资控股有限公司", "91440106MAAY4CL12P"),
    ("广州嘉禾科技集团有限公司", "91440106MA2TH3BJ31"),
    ("广州启明实业有限公司", "91440106MA1XG6125D"),
)


def other_person(rng: random.Random, taken: set[str]) -> Founder:
    """Another mainland person whose ID number is none of `taken` (one person, one record on an application)."""
    while True:
        person = mainland_founder(rng)
        if person.document_number not in taken:
            taken.add(person.document_number)
            return person
