"""Addresses in 广州市黄埔区: recognise the district and its street (街道) or town (镇), refuse anything else.

The divisions come from `backend/data/huangpu_divisions.json` (with its source); the other districts of Guangzhou are
listed there too, so that an address in another district, or a street of another district, is named as such.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from backend.errors import InvalidInput

SubdivisionKind = Literal["street", "town"]

_DATA = Path(__file__).resolve().parent.parent / "data" / "huangpu_divisions.json"
_COUNTRY_PREFIXES = ("中华人民共和国", "中国")
_OTHER_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区)")
_OTHER_CITY = re.compile(r"^[\u4e00-\u9fff]{2,7}?市")
_DETAIL = re.compile(r"[0-9号栋幢座室楼层铺单元]")


class AddressError(InvalidInput):
    """An address that is not a usable address in 广州市黄埔区; `code` says why."""

    default_code = "address_invalid"


@dataclass(frozen=True, slots=True)
class HuangpuAddress:
    """An address split into city, district, street or town, and the rest (road, number, building, room)."""

    city: str
    district: str
    subdivision: str
    subdivision_kind: SubdivisionKind
    rest: str
    subdivision_code: str = ""
    province: str = "广东省"

    @property
    def full(self) -> str:
        """The address written out in full, province first."""
        return f"{self.province}{self.city}{self.district}{self.subdivision}{self.rest}"


@dataclass(frozen=True, slots=True)
class _Divisions:
    province: str
    city: str
    district: str
    subdivisions: dict[str, tuple[str, SubdivisionKind]]  # name -> (code, kind)
    other_districts: dict[str, str]  # district name -> code
    other_subdivisions: dict[str, str]  # subdivision name -> its district
    former_subdivisions: dict[str, dict[str, Any]]  # name -> {"until", "now"}
    former_districts: dict[str, dict[str, Any]]  # name -> {"until", "now"}
    source: str


@functools.cache
def divisions() -> _Divisions:
    """Load the shipped division list once."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    others = raw["other_districts"]
    return _Divisions(
        province=raw["province"],
        city=raw["city"],
        district=raw["district"]["name"],
        subdivisions={s["name"]: (s["code"], s["kind"]) for s in raw["subdivisions"]},
        other_districts={d["name"]: d["code"] for d in others},
        other_subdivisions={s: d["name"] for d in others for s in d["subdivisions"]},
        former_subdivisions={s["name"]: s for s in raw["former_subdivisions"]},
        former_districts={d["name"]: d for d in raw["former_districts"]},
        source=raw["source"],
    )


def huangpu_subdivisions() -> list[tuple[str, str, SubdivisionKind]]:
    """Every street and town of 黄埔区 as (code, name, kind), in code order."""
    return sorted((code, name, kind) for name, (code, kind) in divisions().subdivisions.items())


def normalise_address(text: str) -> str:
    """Full-width digits, letters and punctuation to half-width (NFKC); every space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def _starts_with(text: str, names: Any) -> str | None:
    """The longest of `names` that `text` starts with, or None."""
    found = [name for name in names if text.startswith(name)]
    return max(found, key=len) if found else None


def parse_huangpu_address(text: str) -> HuangpuAddress:
    """Split an address in 广州市黄埔区 into its parts; raise AddressError naming what is wrong."""
    d = divisions()
    s = normalise_address(text)
    if not s:
        raise AddressError("address_empty")
    for prefix in _COUNTRY_PREFIXES:
        if s.startswith(prefix):
            s = s[len(prefix):]
            break
    if s.startswith(d.province) or s.startswith(d.province[:-1]):
        s = s[len(d.province):] if s.startswith(d.province) else s[len(d.province) - 1:]
    elif (other := _OTHER_PROVINCE.match(s)) and not s.startswith(d.city[:-1]):
        raise AddressError("address_not_in_huangpu", district="", found=other.group(0))
    if s.startswith(d.city):
        s = s[len(d.city):]
    elif s.startswith(d.city[:-1]):
        s = s[len(d.city) - 1:]
    district_given = s.startswith(d.district)
    if district_given:
        s = s[len(d.district):]
    elif other_district := _starts_with(s, d.other_districts):
        raise AddressError("address_not_in_huangpu", district=other_district, found=other_district)
    elif former := _starts_with(s, d.former_districts):
        info = d.former_districts[former]
        raise AddressError("address_former_district", district=former, until=info["until"], now=info["now"])

    subdivision = _starts_with(s, d.subdivisions)
    if subdivision is None:
        if foreign := _starts_with(s, d.other_subdivisions):
            owner = d.other_subdivisions[foreign]
            if district_given:
                raise AddressError(
                    "address_subdivision_mismatch", subdivision=foreign, subdivision_district=owner, district=d.district
                )
            raise AddressError("address_not_in_huangpu", district=owner, found=f"{owner}{foreign}")
        if former_sub := _starts_with(s, d.former_subdivisions):
            info = d.former_subdivisions[former_sub]
            raise AddressError(
                "address_former_subdivision", subdivision=former_sub, until=info["until"], now=info["now"]
            )
        if district_given:
            raise AddressError("address_no_subdivision", district=d.district, rest=s)
        if other_city := _OTHER_CITY.match(s):
            raise AddressError("address_not_in_huangpu", district="", found=other_city.group(0))
        raise AddressError("address_no_district", district=d.district, text=s)

    rest = s[len(subdivision):]
    if not _DETAIL.search(rest):
        raise AddressError("address_incomplete", subdivision=subdivision, rest=rest)
    code, kind = d.subdivisions[subdivision]
    return HuangpuAddress(
        city=d.city,
        district=d.district,
        subdivision=subdivision,
        subdivision_kind=kind,
        rest=rest,
        subdivision_code=code,
        province=d.province,
    )
