"""The binding documents: deterministic bytes, an embedded font, the facts in the text, wrapping, the footer."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from backend.adapters.documents import FormationFacts, render_application_form, render_articles
from backend.adapters.documents.fonts import FONT_PATH, FONT_POSTSCRIPT_NAME, FONT_SHA256, cjk_font, has_glyph
from backend.adapters.documents.formatting import chinese_ordinal, yuan, yuan_in_capitals
from backend.errors import InvalidInput

REPO = Path(__file__).resolve().parents[3]
RENDERERS = [pytest.param(render_articles, id="articles"), pytest.param(render_application_form, id="application")]


def make_facts(**overrides: object) -> FormationFacts:
    values: dict[str, object] = dict(
        application_id="KB-2025-000123",
        company_name="广州开办科技有限公司",
        entity_type="有限责任公司（自然人独资）",
        address="广州市黄埔区科学大道123号A栋501房",
        business_scope=["软件开发", "信息技术咨询服务", "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"],
        registered_capital_cny=Decimal("100000"),
        contribution_deadline=dt.date(2030, 3, 1),
        shareholder_name="张三",
        shareholder_id_type="中华人民共和国居民身份证",
        shareholder_id_number="440101199001011234",
        legal_representative_name="张三",
        director_name="张三",
        manager_name="张三",
        supervisor_name="李四",
        has_supervisor=True,
        liaison_name="王五",
        liaison_phone="13800138000",
        prepared_on=dt.date(2025, 3, 1),
    )
    values.update(overrides)
    return FormationFacts(**values)  # type: ignore[arg-type]


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


_FOOTER = re.compile(r"申请编号：\S+\s*第 \d+ 页 / 共 \d+ 页")


def body_text(pdf: bytes) -> str:
    """The text of all pages without their footers, whitespace removed (text running across a page break is whole)."""
    pages = []
    for text in pages_text(pdf):
        assert len(_FOOTER.findall(text)) == 1, text[:200]
        pages.append(_FOOTER.sub("", text))
    return flat("".join(pages))


def flat(text: str) -> str:
    """Text without whitespace, so that a phrase wrapped across lines still matches."""
    return re.sub(r"\s+", "", text)


# --- determinism -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS)
def test_same_facts_give_identical_bytes(render) -> None:
    facts = make_facts()
    first = render(facts)
    assert first.startswith(b"%PDF-")
    assert render(make_facts()) == first
    # rendering another document in between leaves no state behind
    render(make_facts(company_name="广州别的科技有限公司", business_scope=["货物进出口"]))
    assert render(facts) == first


def test_bytes_are_identical_in_a_fresh_process() -> None:
    script = (
        "import hashlib, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from tests.adapters.documents.test_render import make_facts\n"
        "from backend.adapters.documents import render_articles, render_application_form\n"
        "print(hashlib.sha256(render_articles(make_facts())).hexdigest())\n"
        "print(hashlib.sha256(render_application_form(make_facts())).hexdigest())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(REPO)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert out == [
        hashlib.sha256(render_articles(make_facts())).hexdigest(),
        hashlib.sha256(render_application_form(make_facts())).hexdigest(),
    ]


def test_concurrent_renders_in_threads_are_identical() -> None:
    from concurrent.futures import ThreadPoolExecutor

    facts = [make_facts(), make_facts(company_name="广州其他科技有限公司")]
    expected = [render_articles(f) for f in facts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(render_articles, facts * 4))
    assert results == expected * 4


def test_different_facts_give_different_bytes() -> None:
    assert render_articles(make_facts()) != render_articles(make_facts(registered_capital_cny=200000))


@pytest.mark.parametrize("render", RENDERERS)
def test_dates_in_the_pdf_are_the_preparation_day(render) -> None:
    info = PdfReader(io.BytesIO(render(make_facts()))).metadata
    assert info["/CreationDate"] == "D:20250301000000+08'00'"
    assert info["/ModDate"] == "D:20250301000000+08'00'"
    assert info["/Producer"] == "Kaiban"


# --- the font ------------------------------------------------------------------------------------------------------


def test_the_shipped_font_is_the_documented_one() -> None:
    assert hashlib.sha256(FONT_PATH.read_bytes()).hexdigest() == FONT_SHA256
    folder = FONT_PATH.parent
    licence = (folder / "LICENSE-Apache-2.0.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "Version 2.0, January 2004" in licence
    assert FONT_SHA256 in (folder / "SOURCE.md").read_text(encoding="utf-8")
    assert "Font exception" in (folder / "COPYRIGHT").read_text(encoding="utf-8")
    assert cjk_font().face.name.decode() == FONT_POSTSCRIPT_NAME


@pytest.mark.parametrize("render", RENDERERS)
def test_every_font_in_the_pdf_is_the_embedded_cjk_font(render) -> None:
    reader = PdfReader(io.BytesIO(render(make_facts())))
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert re.fullmatch(rf"/[A-Z]{{6}}\+{FONT_POSTSCRIPT_NAME}-0", font["/BaseFont"]), font["/BaseFont"]
            assert font["/Subtype"] == "/TrueType"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor  # the TrueType program itself is in the file
            assert len(descriptor["/FontFile2"].get_object().get_data()) > 1000
            seen += 1
    assert seen


@pytest.mark.parametrize("text", ["開辦公司", "黃埔區", "臺灣", "廣東省", "體", "陳", "鄭", "麗", "龍"])
def test_traditional_characters_have_glyphs(text: str) -> None:
    assert all(has_glyph(char) for char in text)


def test_the_font_covers_gb2312_and_big5() -> None:
    cmap = cjk_font().face.charToGlyph

    def decodable(encoding: str, leads: range, trails: list[int]) -> set[str]:
        chars = set()
        for lead in leads:
            for trail in trails:
                try:
                    chars.add(bytes([lead, trail]).decode(encoding))
                except UnicodeDecodeError:
                    pass
        return chars

    gb2312 = decodable("gb2312", range(0xA1, 0xF8), list(range(0xA1, 0xFF)))
    big5 = decodable("big5", range(0xA1, 0xFA), list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
    assert len(gb2312) > 7000 and len(big5) > 13000
    assert [c for c in gb2312 if ord(c) not in cmap] == []
    assert sorted(c for c in big5 if ord(c) not in cmap) == ["☉", "♁"]  # two astronomical symbols
    assert all(ord(c) in cmap for c in map(chr, range(0x20, 0x7F)))
    assert all(ord(c) in cmap for c in "，。、；：？！“”‘’（）《》【】—…￥")


@pytest.mark.parametrize("render", RENDERERS)
def test_traditional_names_render_as_text(render) -> None:
    facts = make_facts(
        shareholder_name="陳大文",
        legal_representative_name="陳大文",
        director_name="陳大文",
        manager_name="陳大文",
        shareholder_id_type="港澳居民来往内地通行证",
        shareholder_id_number="H12345678",
        business_scope=["數據處理和存儲支持服務"],
    )
    text = body_text(render(facts))
    assert "陳大文" in text and "數據處理和存儲支持服務" in text
    assert "\x00" not in text and "\ufffd" not in text


def test_a_character_the_font_lacks_is_refused() -> None:
    facts = make_facts(shareholder_name="张\U00020BB7", legal_representative_name="张\U00020BB7",
                       director_name="张\U00020BB7", manager_name="张\U00020BB7")
    with pytest.raises(InvalidInput) as caught:
        render_articles(facts)
    assert caught.value.code == "field_invalid"
    assert caught.value.params["field"] == "shareholder_name"
    assert "U+20BB7" in caught.value.params["reason"]


# --- content -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS)
def test_text_states_the_facts(render) -> None:
    facts = make_facts()
    text = body_text(render(facts))
    assert facts.company_name in text
    assert facts.address in text
    assert "人民币100,000元" in text and "壹拾万元整" in text
    for item in facts.business_scope:
        assert item in text
    assert "2030年3月1日" in text
    assert facts.shareholder_id_number in text
    assert "\x00" not in text


def test_articles_follow_the_company_law_for_one_shareholder() -> None:
    text = body_text(render_articles(make_facts()))
    assert "广州开办科技有限公司章程" in text
    assert "不设股东会" in text and "采用书面形式" in text
    assert "不设董事会，设董事一名" in text
    assert "五年内缴足" in text
    assert "法定代表人由代表公司执行公司事务的董事担任" in text
    assert "设监事一名" in text and "李四" in text
    assert "解散" in text and "清算" in text
    assert "签名或者盖章" in text and "2025年3月1日" in text
    # articles are numbered in Chinese, consecutively
    numbers = re.findall(r"第([一二三四五六七八九十]+)条", text)
    assert numbers[:3] == ["一", "二", "三"]


def test_articles_without_supervisor_and_manager_as_legal_representative() -> None:
    facts = make_facts(
        has_supervisor=False, supervisor_name=None, manager_name="赵六", legal_representative_name="赵六"
    )
    text = body_text(render_articles(facts))
    assert "不设监事会，也不设监事" in text
    assert "法定代表人由代表公司执行公司事务的经理担任" in text
    assert "赵六（经理）" in text
    assert "李四" not in text
    form = body_text(render_application_form(facts))
    assert "不设监事" in form and "赵六（由经理担任）" in form


def test_application_form_has_its_sections() -> None:
    text = body_text(render_application_form(make_facts()))
    for heading in ["公司登记（备案）申请书", "基本信息", "经营范围", "董事、监事、经理信息", "股东出资信息",
                    "联络员信息", "申请人声明", "13800138000", "《中华人民共和国市场主体登记管理条例》"]:
        assert heading in text
    no_phone = body_text(render_application_form(make_facts(liaison_phone=None)))
    assert "联系电话—" in no_phone


# --- layout --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS)
def test_long_business_scope_wraps_onto_more_pages(render) -> None:
    short = len(pages_text(render(make_facts())))
    scope = [f"第{i}项经营范围：人工智能应用软件开发、数据处理服务、信息系统集成服务和物联网技术服务" for i in range(1, 121)]
    scope.append("、".join(["集成电路设计", "软件开发", "技术服务"] * 50))  # one item many lines long
    long_pdf = render(make_facts(business_scope=scope))
    texts = pages_text(long_pdf)
    assert len(texts) > short + 1
    flat_text = body_text(long_pdf)
    for item in scope:
        assert flat(item) in flat_text
    # the long item wrapped: no extracted line is anywhere near its length
    assert max(len(line) for page in texts for line in page.splitlines()) < 80


@pytest.mark.parametrize("render", RENDERERS)
def test_long_name_and_address_wrap(render) -> None:
    facts = make_facts(
        company_name="广州" + "超长名称" * 20 + "有限公司",
        address="广州市黄埔区" + "某某路某某号" * 30,
    )
    text = body_text(render(facts))
    assert facts.company_name in text and facts.address in text


@pytest.mark.parametrize("render", RENDERERS)
def test_every_page_has_the_footer(render) -> None:
    scope = [f"经营项目{i}：技术开发、技术咨询、技术服务" for i in range(60)]
    texts = pages_text(render(make_facts(business_scope=scope)))
    total = len(texts)
    assert total > 1
    for number, text in enumerate(texts, start=1):
        assert "申请编号：KB-2025-000123" in text
        assert f"第 {number} 页 / 共 {total} 页" in text


# --- facts ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"legal_representative_name": "外人"}, "legal_representative_name"),
        ({"has_supervisor": False}, "supervisor_name"),
        ({"supervisor_name": None}, "supervisor_name"),
        ({"contribution_deadline": dt.date(2030, 3, 2)}, "contribution_deadline"),
        ({"contribution_deadline": dt.date(2025, 2, 28)}, "contribution_deadline"),
        ({"registered_capital_cny": 100000.0}, "registered_capital_cny"),
        ({"registered_capital_cny": Decimal("10.001")}, "registered_capital_cny"),
        ({"registered_capital_cny": 0}, "registered_capital_cny"),
        ({"registered_capital_cny": True}, "registered_capital_cny"),
        ({"business_scope": []}, "business_scope"),
        ({"business_scope": "软件开发"}, "business_scope"),
        ({"business_scope": ["软件开发"] * 301}, "business_scope"),
        ({"business_scope": ["软件开发", " "]}, "business_scope"),
        ({"company_name": ""}, "company_name"),
        ({"company_name": "广州\n有限公司"}, "company_name"),
        ({"address": "广州 "}, "address"),
        ({"prepared_on": dt.datetime(2025, 3, 1, 12, 0)}, "prepared_on"),
        ({"operating_term_years": 0}, "operating_term_years"),
    ],
)
def test_facts_a_document_cannot_state_are_refused(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_facts(**overrides)
    assert caught.value.code == "field_invalid"
    assert caught.value.params["field"] == field


def test_facts_are_normalised_and_immutable() -> None:
    facts = make_facts(registered_capital_cny=50000, contribution_deadline=dt.date(2030, 3, 1))
    assert facts.registered_capital_cny == Decimal(50000)
    assert facts.business_scope == ("软件开发", "信息技术咨询服务", "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广")
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.company_name = "x"  # type: ignore[misc]
    # a deadline on 29 February five years later falls back to the 28th
    make_facts(prepared_on=dt.date(2024, 2, 29), contribution_deadline=dt.date(2029, 2, 28))


# --- formatting ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("100000", "壹拾万元整"),
        ("10", "壹拾元整"),
        ("1409.50", "壹仟肆佰零玖元伍角整"),
        ("6007.14", "陆仟零柒元壹角肆分"),
        ("325.04", "叁佰贰拾伍元零肆分"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("1010", "壹仟零壹拾元整"),
        ("100100", "壹拾万零壹佰元整"),
        ("101000", "壹拾万壹仟元整"),
        ("10000000", "壹仟万元整"),
        ("100010000", "壹亿零壹万元整"),
        ("100001000", "壹亿零壹仟元整"),
        ("1000001", "壹佰万零壹元整"),
        ("0.05", "伍分"),
    ],
)
def test_yuan_in_capitals(amount: str, capitals: str) -> None:
    assert yuan_in_capitals(Decimal(amount)) == capitals


def test_numbers() -> None:
    assert [chinese_ordinal(n) for n in (1, 10, 11, 20, 21, 99)] == ["一", "十", "十一", "二十", "二十一", "九十九"]
    assert [chinese_ordinal(n) for n in (100, 101, 110, 115, 300)] == ["一百", "一百零一", "一百一十", "一百一十五", "三百"]
    assert yuan(Decimal("100000")) == "100,000"
    assert yuan(Decimal("100000.00")) == "100,000"
    assert yuan(Decimal("1409.5")) == "1,409.50"
