"""Enterprise names: parsing, composing, the comparison key and the basic rules of shared/specs/names.md."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import backend
from backend.domain.findings import Finding
from backend.domain.names import (
    check_name,
    compose_name,
    name_key,
    normalise_name,
    parse_name,
    sound_key,
)
from backend.i18n import LANGUAGES, catalogue

DATA = Path(backend.__file__).resolve().parent / "data" / "names"


def _codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def _only(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, findings
    return matching[0]


def _text(name: str, finding: Finding) -> str:
    assert finding.span is not None
    return name[finding.span[0]:finding.span[1]]


def test_every_data_file_names_its_source() -> None:
    files = sorted(DATA.glob("*.json"))
    assert {f.name for f in files} >= {"organisation_forms.json", "restricted_words.json", "prohibited_words.json",
                                      "industries.json", "regions.json"}
    for path in files:
        assert json.loads(path.read_text(encoding="utf-8"))["source"], path
    groups = json.loads((DATA / "industries.json").read_text(encoding="utf-8"))["groups"]
    assert {"地产", "房地产", "置业"} <= set(groups["real_estate"]["words"])
    words = [w for spec in groups.values() for w in spec["words"]]
    assert len(words) == len(set(words)), "an industry wording may belong to one group only"


@pytest.mark.parametrize("name, region, bracketed", [
    ("广州市黄埔区云帆信息技术有限公司", "广州市黄埔区", False),
    ("广州云帆信息技术有限公司", "广州", False),
    ("云帆（广州）信息技术有限公司", "广州", True),
    ("云帆(广州)信息技术有限公司", "广州", True),
])
def test_parse_the_three_shapes(name: str, region: str, bracketed: bool) -> None:
    parsed = parse_name(name)
    assert (parsed.region, parsed.trade_name, parsed.industry, parsed.organisation_form) == (
        region, "云帆", "信息技术", "有限公司")
    assert parsed.bracketed_region is bracketed
    assert parsed.industry_group == "information_technology"
    for part, value in (("region", region), ("trade_name", "云帆"), ("industry", "信息技术"),
                        ("organisation_form", "有限公司")):
        start, end = parsed.spans[part]
        assert name[start:end] == value
    assert check_name(name) == []


def test_spans_refer_to_the_name_as_given() -> None:
    name = "广州 云帆 信息技术 有限公司"
    parsed = parse_name(name)
    assert parsed.name == "广州云帆信息技术有限公司"
    assert {part: name[s:e] for part, (s, e) in parsed.spans.items()} == {
        "region": "广州", "trade_name": "云帆", "industry": "信息技术", "organisation_form": "有限公司"}
    finding = _only(check_name("黄埔区 云A帆科技有限公司"), "name_trade_name_not_chinese")
    assert _text("黄埔区 云A帆科技有限公司", finding) == "A"


def test_normalise_name() -> None:
    assert normalise_name(" 云帆 (广州) 信息技术有限公司 ") == "云帆（广州）信息技术有限公司"
    assert normalise_name("云帆【广州】ＡＢ１") == "云帆（广州）AB1"


def test_compose_name() -> None:
    assert compose_name(trade_name="云帆", industry="信息技术") == "广州市黄埔区云帆信息技术有限公司"
    bracketed = compose_name(trade_name="云帆", industry="信息技术", region="广州", bracketed_region=True)
    assert bracketed == "云帆（广州）信息技术有限公司"
    parsed = parse_name(bracketed)
    assert (parsed.trade_name, parsed.region, parsed.bracketed_region) == ("云帆", "广州", True)


def test_region_same_words_other_order_is_identical() -> None:
    a, b = parse_name("北京红光酒业发展有限公司"), parse_name("红光（北京）酒业发展有限公司")
    assert (a.region, a.trade_name, a.industry) == ("北京", "红光", "酒业发展")
    assert name_key(a) == name_key(b)


def test_other_region_or_form_is_identical() -> None:
    assert name_key(parse_name("北京红光酒业有限公司")) == name_key(parse_name("红光酒业有限公司"))
    assert name_key(parse_name("广州红光酒业有限公司")) == name_key(parse_name("广州市黄埔区红光酒业有限责任公司"))


def test_wordings_of_one_industry_share_the_key() -> None:
    keys = {name_key(parse_name(f"广州市黄埔区云帆{industry}有限公司")) for industry in ("房地产", "置业", "地产")}
    assert keys == {"云帆|real_estate"}
    assert name_key(parse_name("广州市黄埔区云帆房地产开发有限公司")) == "云帆|real_estate"
    assert name_key(parse_name("广州市黄埔区云帆信息技术有限公司")) != name_key(parse_name("广州市黄埔区云帆置业有限公司"))


def test_name_without_industry_words_has_an_empty_group() -> None:
    parsed = parse_name("广州云帆实业有限公司")
    assert (parsed.trade_name, parsed.industry, name_key(parsed)) == ("云帆", "实业", "云帆|")


def test_sound_key_ignores_tones() -> None:
    assert sound_key("澄曦") == sound_key("澄晞") == "cheng xi"


def test_district_alone_is_an_error() -> None:
    name = "黄埔区云帆科技有限公司"
    finding = _only(check_name(name), "name_region_district_without_city")
    assert (finding.severity, finding.rule, _text(name, finding)) == ("error", "name.region", "黄埔区")
    assert finding.params["expected"] == "广州市黄埔区"
    assert finding.hint_code == "hint_name_region_district_without_city"


@pytest.mark.parametrize("name, code, text", [
    ("广州开发区云帆科技有限公司", "name_region_development_zone", "广州开发区"),
    ("北京云帆科技有限公司", "name_region_not_local", "北京"),
    ("广州市天河区云帆科技有限公司", "name_region_not_local", "广州市天河区"),
])
def test_region_errors(name: str, code: str, text: str) -> None:
    finding = _only(check_name(name), code)
    assert finding.severity == "error" and _text(name, finding) == text


def test_region_missing_and_locality_off() -> None:
    assert _codes(check_name("云帆信息技术有限公司")) == ["name_region_missing"]
    assert check_name("北京云帆科技有限公司", locality=None) == []
    assert check_name("广东云帆科技有限公司") == []


@pytest.mark.parametrize("name, code, text", [
    ("广州云科技有限公司", "name_trade_name_too_short", "云"),
    ("广州云帆5G科技有限公司", "name_trade_name_not_chinese", "5G"),
    ("广州Yunfan科技有限公司", "name_trade_name_not_chinese", "Yunfan"),
    ("广州云帆&科技有限公司", "name_trade_name_not_chinese", "&"),
    ("广州广州科技有限公司", "name_trade_name_is_region", "广州"),
    ("广州市信息技术有限公司", "name_trade_name_is_industry", "信息技术"),
])
def test_trade_name_errors(name: str, code: str, text: str) -> None:
    finding = _only(check_name(name), code)
    assert (finding.severity, finding.rule) == ("error", "name.trade_name")
    assert _text(name, finding) == text


def test_place_inside_the_trade_name_is_a_warning() -> None:
    name = "广州白云山科技有限公司"
    finding = _only(check_name(name), "name_region_in_trade_name")
    assert finding.severity == "warning" and _text(name, finding) == "白云"


def test_latin_or_digits_outside_the_trade_name() -> None:
    name = "广州云帆科技5G有限公司"
    finding = _only(check_name(name), "name_non_chinese_characters")
    assert (finding.severity, finding.rule, _text(name, finding)) == ("error", "name.characters", "5G")


def test_prohibited_word() -> None:
    name = "广州云帆博彩科技有限公司"
    finding = _only(check_name(name), "name_prohibited_word")
    assert (finding.severity, finding.rule, _text(name, finding)) == ("error", "name.prohibited", "博彩")
    assert finding.params == {"word": "博彩", "category": "obscene_gambling_violent"}


def test_prohibited_word_across_parts_is_not_flagged() -> None:
    assert check_name("广州精英国际贸易有限公司") == []  # 英国 straddles 字号 and industry


@pytest.mark.parametrize("word", ["中国", "中华", "中央", "全国", "国家"])
def test_restricted_word_at_the_start_is_an_error(word: str) -> None:
    name = f"{word}云帆科技有限公司"
    finding = _only(check_name(name), "name_restricted_word_start")
    assert (finding.severity, finding.span, finding.params) == ("error", (0, 2), {"word": word})


def test_restricted_word_in_the_middle_is_a_warning() -> None:
    name = "广州云帆中华文化传播有限公司"
    finding = _only(check_name(name), "name_restricted_word_middle")
    assert (finding.severity, _text(name, finding)) == ("warning", "中华")
    assert not [f for f in check_name(name) if f.severity == "error"]


@pytest.mark.parametrize("name, entity_type", [
    ("广州云帆科技有限公司", "limited_liability_company"),
    ("广州云帆科技有限责任公司", "limited_liability_company"),
    ("广州云帆科技股份有限公司", "joint_stock_company"),
    ("广州云帆投资合伙企业（有限合伙）", "limited_partnership"),
    ("广州云帆投资合伙企业(普通合伙)", "general_partnership"),
])
def test_forms_that_fit(name: str, entity_type: str) -> None:
    assert check_name(name, entity_type=entity_type) == []


def test_form_mismatch() -> None:
    name = "广州云帆科技股份有限公司"
    finding = _only(check_name(name), "name_form_mismatch")
    assert _text(name, finding) == "股份有限公司"
    assert finding.params["expected"] == ["有限责任公司", "有限公司"]
    assert _codes(check_name("广州云帆科技有限公司", entity_type="sole_proprietorship")) == ["name_form_mismatch"]


def test_form_missing_or_misplaced() -> None:
    assert _codes(check_name("广州云帆科技")) == ["name_form_missing"]
    name = "广州云帆有限公司科技"
    finding = _only(check_name(name), "name_form_not_at_end")
    assert _text(name, finding) == "有限公司"


def test_unknown_entity_type_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check_name("广州云帆科技有限公司", entity_type="llc")


def test_unrecognised_industry_is_a_warning() -> None:
    finding = _only(check_name("广州云帆咖啡有限公司"), "name_industry_unrecognised")
    assert finding.severity == "warning"


def test_empty_name() -> None:
    assert _codes(check_name("  ")) == ["name_empty"]


def test_errors_come_first_and_every_finding_renders() -> None:
    findings = check_name("中国黄埔区云A科技赌博")
    severities = [f.severity for f in findings]
    assert severities == sorted(severities, key=lambda s: s != "error")
    for finding in findings:
        assert finding.code in catalogue() and finding.hint_code in catalogue()
        rendered = finding.to_dict("zh-HK")
        assert set(rendered["messages"]) == set(LANGUAGES) and "{" not in rendered["message"]
        assert "{" not in rendered["hint"]["message"]


# Each rule: a name that breaks it, and a near miss (the smallest change that passes) with no error at all.
RULE_PAIRS = [
    ("name_form_missing", "广州市黄埔区云帆信息技术", "广州市黄埔区云帆信息技术有限公司"),
    ("name_form_not_at_end", "广州市黄埔区云帆有限公司信息技术", "广州市黄埔区云帆信息技术有限公司"),
    ("name_form_mismatch", "广州市黄埔区云帆信息技术股份有限公司", "广州市黄埔区云帆信息技术有限责任公司"),
    ("name_region_missing", "云帆信息技术有限公司", "云帆（广州）信息技术有限公司"),
    ("name_region_development_zone", "广州开发区云帆信息技术有限公司", "广州市黄埔区云帆信息技术有限公司"),
    ("name_region_district_without_city", "黄埔区云帆信息技术有限公司", "广州市黄埔区云帆信息技术有限公司"),
    ("name_region_not_local", "深圳市云帆信息技术有限公司", "广东云帆信息技术有限公司"),
    ("name_trade_name_not_chinese", "广州Yun帆信息技术有限公司", "广州云帆信息技术有限公司"),
    ("name_trade_name_too_short", "广州帆信息技术有限公司", "广州云帆信息技术有限公司"),
    ("name_trade_name_is_region", "广州天河信息技术有限公司", "广州天禾信息技术有限公司"),
    ("name_trade_name_is_industry", "广州市信息技术有限公司", "广州市云帆信息技术有限公司"),
    ("name_non_chinese_characters", "广州云帆信息技术IT有限公司", "广州云帆信息技术有限公司"),
    ("name_prohibited_word", "广州云帆赌博游戏有限公司", "广州云帆博物馆服务有限公司"),
    ("name_prohibited_word", "广州美国贸易有限公司", "广州精英国际贸易有限公司"),
    ("name_restricted_word_start", "中国云帆信息技术有限公司", "广州云帆信息技术有限公司"),
    ("name_restricted_word_start", "全国云帆信息技术有限公司", "广州全图信息技术有限公司"),
]


@pytest.mark.parametrize("code, breaking, near_miss", RULE_PAIRS)
def test_each_rule_breaks_and_its_near_miss_passes(code: str, breaking: str, near_miss: str) -> None:
    entity = "limited_liability_company"
    broken = check_name(breaking, entity_type=entity)
    assert code in _codes(broken) and any(f.code == code and f.is_error for f in broken), broken
    passed = check_name(near_miss, entity_type=entity)
    assert code not in _codes(passed) and not any(f.is_error for f in passed), passed


def test_restricted_word_in_the_middle_warns_and_a_near_miss_does_not() -> None:
    assert "name_restricted_word_middle" in _codes(check_name("广州云帆中华文化传播有限公司"))
    assert check_name("广州云帆华夏文化传播有限公司") == []
