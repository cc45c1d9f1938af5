"""The binding documents: deterministic bytes, an embedded font, the facts in the text, wrapping, the footer."""
from __future__ import annotations

import dataclasses
import functools
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

from backend.adapters.documents import KINDS, CompanyFacts, Person, Shareholder, canonical_json, kinds_for, render
from backend.adapters.documents.fonts import FONT_PATH, FONT_POSTSCRIPT_NAME, FONT_SHA256, cjk_font, has_glyph
from backend.adapters.documents.formatting import chinese_ordinal, yuan, yuan_in_capitals
from backend.errors import InvalidInput

REPO = Path(__file__).resolve().parents[3]
RENDERERS = [pytest.param(functools.partial(render, kind), id=kind) for kind in KINDS if kind != "shareholders_resolution"]


def render_articles(facts: CompanyFacts) -> bytes:
    return render("articles_of_association", facts)


def render_application_form(facts: CompanyFacts) -> bytes:
    return render("application_form", facts)


def person(pid: str, name: str, number: str = "440101199001011234", doc: str = "cn_resident_id") -> Person:
    return Person(id=pid, name=name, document_type=doc, document_number=number)


def make_facts(*, name: str | None = None, **overrides: object) -> CompanyFacts:
    """A sole founder (shareholder, director, manager, legal representative), a separate supervisor and liaison."""
    founder = person("f", name or "张三")
    values: dict[str, object] = dict(
        application_id="KB-2025-000123",
        company_name="广州开办科技有限公司",
        address="广州市黄埔区科学大道123号A栋501房",
        address_subdivision="萝岗街道",
        business_scope=("软件开发", "信息技术咨询服务", "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广"),
        registered_capital_cny=Decimal("100000"),
        prepared_on=dt.date(2025, 3, 1),
        shareholders=(Shareholder(id="f", name=founder.name, kind="person", document_type="cn_resident_id",
                                  document_number=founder.document_number, amount_cny=Decimal("100000"),
                                  form="currency", deadline=dt.date(2030, 3, 1)),),
        board="single_director", directors=(founder,), chair=None, legal_representative=founder,
        legal_representative_office="executive_director", manager=founder, supervision="single_supervisor",
        supervisors=(person("s", "李四", "440101199001011250"),), finance_officer=founder,
        liaison=person("l", "王五", "440101199001011269"), liaison_phone="13800138000",
    )
    values.update(overrides)
    return CompanyFacts(**values)  # type: ignore[arg-type]


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
        "from tests.adapters.documents.test_render import render_articles, render_application_form\n"
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
    facts = make_facts(name="陳大文", business_scope=["數據處理和存儲支持服務"])
    text = body_text(render(facts))
    assert "陳大文" in text or "數據處理和存儲支持服務" in text
    assert "\x00" not in text and "\ufffd" not in text


def test_a_character_the_font_lacks_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        render_articles(make_facts(name="张\U00020BB7"))
    assert caught.value.code == "field_invalid"
    assert caught.value.params["field"] == "shareholder_name"
    assert "U+20BB7" in caught.value.params["reason"]


# --- content -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", [render_articles, render_application_form])
def test_text_states_the_facts(render) -> None:
    facts = make_facts()
    text = body_text(render(facts))
    assert facts.company_name in text
    assert facts.address in text
    assert "人民币100,000元" in text and "壹拾万元整" in text
    for item in facts.business_scope:
        assert item in text
    assert "2030年3月1日" in text
    assert "440101199001011234" in text
    assert "\x00" not in text


def test_articles_follow_the_company_law_for_one_shareholder() -> None:
    text = body_text(render_articles(make_facts()))
    assert "广州开办科技有限公司章程" in text
    assert "不设股东会" in text and "书面形式" in text
    assert "不设董事会，设董事一名" in text
    assert "五年内缴足" in text
    assert "执行公司事务的董事担任" in text
    assert "设监事一名" in text and "李四" in text
    assert "解散" in text and "清算" in text
    assert "签名或者盖章" in text and "2025年3月1日" in text
    numbers = re.findall(r"第([一二三四五六七八九十]+)条", text)
    assert numbers[:3] == ["一", "二", "三"]


def test_articles_without_supervisor_and_manager_as_legal_representative() -> None:
    manager = person("m", "赵六", "440101199001011277")
    facts = make_facts(supervision="no_supervisor", supervisors=(), manager=manager, legal_representative=manager,
                       legal_representative_office="manager")
    text = body_text(render_articles(facts))
    assert "不设监事会，也不设监事" in text
    assert "法定代表人由经理担任，首任法定代表人为赵六" in text
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


def two_shareholders_with_a_company(**overrides: object) -> CompanyFacts:
    """A person and a company as shareholders, a board of three with a chair, a separate manager and supervisor."""
    chair, d2, d3 = person("a", "张三"), person("d2", "孙七", "440101199001011285"), person("d3", "周八", "44010119900101129X")
    holders = (
        Shareholder(id="a", name="张三", kind="person", document_type="cn_resident_id", document_number=chair.document_number,
                    amount_cny=Decimal("700000"), form="currency", deadline=dt.date(2029, 12, 31)),
        Shareholder(id="c", name="香港云帆控股有限公司", kind="company", document_type="hk_company",
                    document_number="12345678", amount_cny=Decimal("300000"), form="intellectual_property",
                    deadline=dt.date(2028, 6, 30), representative="陳大文"),
    )
    return make_facts(shareholders=holders, registered_capital_cny=Decimal("1000000"), board="board",
                      directors=(chair, d2, d3), chair="张三", legal_representative=chair,
                      legal_representative_office="chair", manager=person("m", "赵六", "440101199001011277"),
                      finance_officer=person("m", "赵六", "440101199001011277"), **overrides)


def test_documents_name_every_participant_of_a_company_with_several_shareholders() -> None:
    facts = two_shareholders_with_a_company()
    assert kinds_for(facts) == tuple(k for k in KINDS if k != "shareholder_decision")
    articles = body_text(render_articles(facts))
    assert "股东会由全体股东组成" in articles and "三分之二以上表决权" in articles
    assert "认缴出资人民币700,000元，占注册资本的70.00%" in articles
    assert "香港云帆控股有限公司" in articles and "知识产权" in articles and "陳大文" in articles
    assert "董事会，由3名董事组成" in articles and "董事长为张三" in articles and "首任经理为赵六" in articles
    resolution = body_text(render("shareholders_resolution", facts))
    assert "股东会决议" in resolution and "选举张三、孙七、周八为公司董事" in resolution and "李四为公司监事" in resolution
    appointments = body_text(render("appointments", facts))
    assert all(name in appointments for name in ("张三", "孙七", "周八", "赵六", "李四"))
    records = body_text(render("finance_and_liaison", facts))
    assert "赵六" in records and "王五" in records and "13800138000" in records
    assert "萝岗街道" in body_text(render("address_statement", facts))
    assert facts.entity_type == "有限责任公司（自然人投资或控股）"


def test_a_sole_shareholder_gets_a_decision_and_no_meeting() -> None:
    facts = make_facts()
    assert "shareholder_decision" in kinds_for(facts) and "shareholders_resolution" not in kinds_for(facts)
    text = body_text(render("shareholder_decision", facts))
    assert "股东决定" in text and "以书面形式作出如下决定" in text


@pytest.mark.parametrize("kind", KINDS)
def test_translations_are_marked_non_binding_and_the_binding_text_is_not(kind) -> None:
    facts = two_shareholders_with_a_company() if kind == "shareholders_resolution" else make_facts()
    binding = render(kind, facts)
    assert "非约束性" not in flat(pages_text(binding)[0])
    hk, en = render(kind, facts, "zh-HK"), render(kind, facts, "en")
    assert "非約束性譯本" in flat(pages_text(hk)[0])
    assert "NON-BINDING TRANSLATION" in pages_text(en)[0]
    assert len({binding, hk, en}) == 3
    assert PdfReader(io.BytesIO(en)).metadata["/Subject"] == "Application KB-2025-000123"


def test_zh_hk_converts_the_wording_but_never_the_names() -> None:
    text = flat(pages_text(render("application_form", make_facts(name="张三"), "zh-HK"))[0])
    assert "公司登記（備案）申請書" in text and "註冊資本" in text
    assert "张三" in text and "張三" not in text  # a name is printed as the person gave it


def test_canonical_json_is_rfc8785_and_states_what_the_kind_states() -> None:
    import json

    import rfc8785

    facts = two_shareholders_with_a_company()
    raw = canonical_json("articles_of_association", facts)
    parsed = json.loads(raw)
    assert rfc8785.dumps(parsed) == raw and raw == canonical_json("articles_of_association", facts)
    assert parsed["binding_language"] == "zh-CN"
    assert [s["amount_cny"] for s in parsed["facts"]["shareholders"]] == ["700000", "300000"]
    assert "liaison" not in parsed["facts"]
    assert json.loads(canonical_json("finance_and_liaison", facts))["facts"]["liaison"]["phone"] == "13800138000"


def test_the_binding_bytes_do_not_depend_on_the_fonts_installed_on_the_machine(tmp_path) -> None:
    """A second process with a different font set on its search path (reportlab's and fontconfig's) renders the
    very same bytes: only the project's font is used and embedded."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for found in list(Path("/usr/share/fonts").rglob("*.tt[fc]"))[:5]:
        (fonts / found.name).write_bytes(found.read_bytes())
    (fonts / "wqy-microhei.ttc").write_bytes(b"not the project's font")  # a same-named impostor on the path
    script = (
        "import hashlib, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from reportlab import rl_config\n"
        "rl_config.TTFSearchPath = [sys.argv[2]] + list(rl_config.TTFSearchPath)\n"
        "from tests.adapters.documents.test_render import two_shareholders_with_a_company\n"
        "from backend.adapters.documents import render, KINDS\n"
        "for kind in KINDS:\n"
        "    print(hashlib.sha256(render(kind, two_shareholders_with_a_company())).hexdigest())\n"
    )
    env = {"PATH": "/usr/bin:/bin", "FONTCONFIG_PATH": str(fonts), "XDG_DATA_HOME": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script, str(REPO), str(fonts)], capture_output=True, text=True,
                         check=True, timeout=120, env=env).stdout.split()
    facts = two_shareholders_with_a_company()
    assert out == [hashlib.sha256(render(kind, facts)).hexdigest() for kind in KINDS]


# --- layout --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("render", RENDERERS)
def test_long_business_scope_wraps_onto_more_pages(render) -> None:
    short = len(pages_text(render(make_facts())))
    scope = [f"第{i}项经营范围：人工智能应用软件开发、数据处理服务、信息系统集成服务和物联网技术服务" for i in range(1, 121)]
    scope.append("、".join(["集成电路设计", "软件开发", "技术服务"] * 50))  # one item many lines long
    long_pdf = render(make_facts(business_scope=scope))
    texts = pages_text(long_pdf)
    if "经营范围" not in "".join(pages_text(render(make_facts()))):
        return  # this kind does not print the business scope
    assert len(texts) > short + 1
    flat_text = body_text(long_pdf)
    for item in scope:
        assert flat(item) in flat_text
    assert max(len(line) for page in texts for line in page.splitlines()) < 80


@pytest.mark.parametrize("render", RENDERERS)
def test_long_name_and_address_wrap(render) -> None:
    facts = make_facts(company_name="广州" + "超长名称" * 20 + "有限公司", address="广州市黄埔区" + "某某路某某号" * 30)
    text = body_text(render(facts))
    assert facts.company_name in text


@pytest.mark.parametrize("render", [render_articles, render_application_form])
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
        ({"legal_representative": person("x", "外人")}, "legal_representative"),
        ({"legal_representative_office": "shareholder"}, "legal_representative_office"),
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
        ({"shareholders": ()}, "shareholders"),
        ({"operating_term_years": 0}, "operating_term_years"),
    ],
)
def test_facts_a_document_cannot_state_are_refused(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_facts(**overrides)
    assert caught.value.code == "field_invalid"
    assert caught.value.params["field"] == field


def test_facts_are_normalised_and_immutable() -> None:
    facts = make_facts(registered_capital_cny=100000, business_scope=["软件开发"])
    assert facts.registered_capital_cny == Decimal(100000) and facts.business_scope == ("软件开发",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.company_name = "x"  # type: ignore[misc]


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
