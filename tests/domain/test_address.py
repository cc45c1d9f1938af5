"""Addresses in 广州市黄埔区: accepted forms, and each refusal with the values that failed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import backend
from backend.domain.address import AddressError, huangpu_subdivisions, normalise_address, parse_huangpu_address
from backend.errors import InvalidInput
from backend.i18n import catalogue

DATA = Path(backend.__file__).resolve().parent / "data" / "huangpu_divisions.json"


def test_data_file_names_its_source_and_the_current_divisions() -> None:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    assert raw["source"] and raw["retrieved"]
    names = {s["name"] for s in raw["subdivisions"]}
    assert {"黄埔街道", "红山街道", "鱼珠街道", "大沙街道", "文冲街道", "穗东街道", "南岗街道", "长洲街道", "夏港街道",
            "萝岗街道", "联和街道", "永和街道", "云埔街道", "龙湖街道", "九佛街道", "长岭街道", "新龙镇"} == names
    assert all(s["code"].startswith("440112") for s in raw["subdivisions"])
    others = {d["name"] for d in raw["other_districts"]}
    assert others == {"越秀区", "海珠区", "荔湾区", "天河区", "白云区", "番禺区", "花都区", "南沙区", "从化区", "增城区"}
    assert [kind for _, name, kind in huangpu_subdivisions() if name == "新龙镇"] == ["town"]


def test_full_address_with_province() -> None:
    address = parse_huangpu_address("广东省广州市黄埔区萝岗街道科学大道100号")
    assert (address.city, address.district, address.subdivision, address.subdivision_kind, address.rest) == (
        "广州市", "黄埔区", "萝岗街道", "street", "科学大道100号")
    assert address.subdivision_code == "440112012"
    assert address.full == "广东省广州市黄埔区萝岗街道科学大道100号"


def test_town() -> None:
    address = parse_huangpu_address("广州市黄埔区新龙镇镇龙大道1号")
    assert (address.subdivision, address.subdivision_kind, address.rest) == ("新龙镇", "town", "镇龙大道1号")


@pytest.mark.parametrize("text", [
    "广州市黄埔区萝岗街道科学大道１００号",
    "广州市 黄埔区　萝岗街道 科学大道 100 号",
    "中国广东广州黄埔区萝岗街道科学大道100号",
    "黄埔区萝岗街道科学大道100号",
    "广州市萝岗街道科学大道100号",
])
def test_normalised_and_shortened_forms(text: str) -> None:
    address = parse_huangpu_address(text)
    assert (address.subdivision, address.rest) == ("萝岗街道", "科学大道100号")


def test_normalise_address() -> None:
    assert normalise_address(" 黄埔区　科学大道１００号 ") == "黄埔区科学大道100号"


def _refusal(text: str) -> AddressError:
    with pytest.raises(AddressError) as caught:
        parse_huangpu_address(text)
    assert isinstance(caught.value, InvalidInput)
    assert caught.value.code in catalogue()
    return caught.value


def test_huangpu_avenue_is_a_road_in_tianhe() -> None:
    error = _refusal("广州市天河区黄埔大道西100号")
    assert error.code == "address_not_in_huangpu"
    assert error.params["district"] == "天河区"


def test_no_street_or_town() -> None:
    error = _refusal("广州市黄埔区科学大道100号")
    assert error.code == "address_no_subdivision"
    assert error.params == {"district": "黄埔区", "rest": "科学大道100号"}


def test_street_of_another_district() -> None:
    error = _refusal("广州市黄埔区天河南街道天河路1号")
    assert error.code == "address_subdivision_mismatch"
    assert error.params == {"subdivision": "天河南街道", "subdivision_district": "天河区", "district": "黄埔区"}


def test_street_of_another_district_without_district() -> None:
    error = _refusal("广州市珠吉街道黄埔大道东1号")
    assert (error.code, error.params["district"]) == ("address_not_in_huangpu", "天河区")


@pytest.mark.parametrize("text", ["广州市黄埔区萝岗街道", "广州市黄埔区萝岗街道科学城"])
def test_incomplete(text: str) -> None:
    error = _refusal(text)
    assert error.code == "address_incomplete"
    assert error.params["subdivision"] == "萝岗街道"


@pytest.mark.parametrize("text, found", [("深圳市南山区科技园1号", "深圳市"), ("湖南省长沙市岳麓区麓山南路1号", "湖南省")])
def test_other_city_or_province(text: str, found: str) -> None:
    error = _refusal(text)
    assert (error.code, error.params["found"]) == ("address_not_in_huangpu", found)


def test_no_district() -> None:
    error = _refusal("广州市黄埔大道西100号")
    assert error.code == "address_no_district"


def test_former_names() -> None:
    error = _refusal("广州市萝岗区萝岗街道科学大道100号")
    assert error.code == "address_former_district"
    assert (error.params["until"], error.params["now"]) == (2014, "黄埔区")
    error = _refusal("广州市黄埔区九龙镇九龙大道1号")
    assert error.code == "address_former_subdivision"
    assert "新龙镇" in error.params["now"]


def test_empty() -> None:
    assert _refusal("  ").code == "address_empty"
