"""Recommendations a registrar would expect, in Simplified and Traditional Chinese and English; industry; scope text."""
from __future__ import annotations

import pytest

from backend.domain.scope import default_catalogue, default_industry_table, render_scope_text
from backend.services.scope import default_scope_service


def top_names(description: str, k: int = 5) -> list[str]:
    return [r.item.name for r in default_scope_service().recommend(description=description).recommendations[:k]]


@pytest.mark.parametrize(("description", "expected"), [
    ("我们做手机APP和小程序开发", "软件开发"),
    ("我想開一間軟體公司，幫客戶寫程式", "软件开发"),
    ("We develop software for hospitals", "软件开发"),
    ("做外贸，出口家具到欧洲", "货物进出口"),
    ("經營進出口貿易", "货物进出口"),
    ("An import and export trading company", "货物进出口"),
    ("在黄埔开一家川菜馆", "餐饮服务"),
    ("開一間茶餐廳", "餐饮服务"),
    ("A small Cantonese restaurant", "餐饮服务"),
    ("提供企业管理咨询", "企业管理咨询"),
    ("為中小企業提供管理諮詢", "企业管理咨询"),
    ("Management consulting for startups", "企业管理咨询"),
    ("帮商家做广告设计和投放", "广告设计、代理"),
    ("廣告設計及製作", "广告制作"),
    ("An advertising agency", "广告设计、代理"),
])
def test_common_descriptions_find_the_expected_item(description: str, expected: str) -> None:
    assert expected in top_names(description)


def test_licensed_items_are_flagged_with_their_approval() -> None:
    advice = default_scope_service().recommend(description="开一家咖啡馆")
    first = advice.recommendations[0]
    assert first.item.name == "餐饮服务" and first.item.licensed
    assert "食品经营许可证" in first.item.approval
    assert advice.scope_text.startswith("许可项目：餐饮服务。") or "许可项目：" in advice.scope_text


def test_main_industry_and_the_name_wording_come_from_the_names_code() -> None:
    advice = default_scope_service().recommend(description="我们做手机APP和小程序开发")
    industry = advice.industry.to_dict()
    assert industry["code"] == "6513" and industry["section"] == "I"
    assert industry["name_wording"] == "软件开发" and industry["name_wording_group"] == "information_technology"
    advertising = default_scope_service().recommend(description="广告公司").industry.to_dict()
    assert advertising["code"] == "7259" and advertising["name_wording"] == "广告"


def test_scope_text_prints_general_then_licensed_items_like_a_licence() -> None:
    catalogue = default_catalogue()
    text = render_scope_text([catalogue.get("catering"), catalogue.get("software_dev"), catalogue.get("cafe"),
                              catalogue.get("advertising_design")])
    assert text == (
        "一般项目：软件开发；广告设计、代理。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
        "许可项目：餐饮服务。（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
    )
    assert render_scope_text([]) == ""


def test_nonsense_finds_nothing() -> None:
    advice = default_scope_service().recommend(description="zzqx 12345 ???")
    assert advice.recommendations == [] and advice.industry is None and advice.scope_text == ""


def test_each_wording_appears_once() -> None:
    names = top_names("开咖啡店和奶茶店，也做西餐", k=10)
    assert len(names) == len(set(names))


def test_wording_falls_back_to_the_group_label() -> None:
    table = default_industry_table()
    wording = table.name_wording("7020", context=["无关"])
    assert wording is not None and wording.group == "property_management"
