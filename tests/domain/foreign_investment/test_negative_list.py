"""The business scope against the 2024 negative list: prohibited items refused, restricted ones flagged with their
conditions, exclusions in brackets respected, Traditional characters read; every item has its three messages."""
from __future__ import annotations

import pytest

from backend.domain.foreign_investment import check_scope
from backend.domain.foreign_investment.negative_list import NegativeList
from backend.i18n import catalogue, messages
from backend.services.investors import negative_list

EDITION = negative_list("2024")


def test_the_data_file_is_the_2024_edition_with_its_29_measures() -> None:
    assert EDITION.edition == "2024" and "2024年版" in EDITION.title
    assert [item.no for item in EDITION.items] == list(range(1, 30))
    assert {item.kind for item in EDITION.items} == {"prohibited", "restricted"}
    for item in EDITION.items:
        texts = catalogue()[item.message]
        assert set(texts) == {"zh-CN", "zh-HK", "en"} and texts["zh-CN"].endswith(item.measure)


@pytest.mark.parametrize("item, code, no", [
    ("烟草制品零售", "negative_list_prohibited", 7),
    ("菸草製品零售", "negative_list_prohibited", 7),  # typed in Traditional characters
    ("网络文化经营", "negative_list_prohibited", 13),
    ("广播电视节目制作经营", "negative_list_prohibited", 26),
    ("电影发行", "negative_list_prohibited", 27),
    ("社会调查", "negative_list_prohibited", 16),
    ("第一类增值电信业务", "negative_list_restricted", 12),
    ("医疗服务", "negative_list_restricted", 22),
    ("市场调查（不含涉外调查）", "negative_list_restricted", 15),
])
def test_a_covered_item_is_found_with_its_measure(item, code, no) -> None:
    (finding,) = check_scope(["软件开发", item], EDITION)
    assert (finding.code, finding.params["no"], finding.params["position"]) == (code, no, 1)
    assert finding.is_error == (code == "negative_list_prohibited")
    hint = finding.to_dict("en")["hint"]
    assert hint["code"] == f"negative_list_item_{no:02d}" and hint["messages"]["en"].startswith(f"Item {no}:")


@pytest.mark.parametrize("item", ["软件开发", "呼叫中心（不含增值电信业务）", "护理服务（不含医疗服务）", "养生保健服务（非医疗）",
                                  "数字内容制作服务（不含出版发行）", "餐饮服务（不产生油烟、异味、废气）", "出版物零售",
                                  "第一类医疗器械销售", "家用视听设备销售"])
def test_items_outside_the_list_or_excluded_in_brackets_pass(item) -> None:
    assert check_scope([item], EDITION) == []


def test_messages_read_in_every_language() -> None:
    (finding,) = check_scope(["烟草制品批发"], EDITION)
    texts = messages(finding.code, finding.params)
    assert "第7项" in texts["zh-CN"] and "第7項" in texts["zh-HK"] and "item 7" in texts["en"]


def test_an_edition_with_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        NegativeList.from_mapping({"edition": "x", "title": "x", "items": [
            {"no": 1, "sector": "s", "kind": "maybe", "measure": "m", "keywords": ["k"], "message": "m"}]})
