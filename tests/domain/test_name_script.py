"""Traditional characters typed by Hong Kong and Macau applicants are read as standard simplified ones."""
from __future__ import annotations

from backend.domain.name_script import simplified_finding, to_simplified
from backend.domain.names import check_name, parse_name


def test_traditional_characters_become_simplified_in_place() -> None:
    typed = "雲帆（廣州）資訊科技有限公司"
    simplified, changed = to_simplified(typed)
    assert simplified == "云帆（广州）资讯科技有限公司" and changed == [0, 3, 6, 7]
    assert parse_name(simplified).trade_name == "云帆" and check_name(simplified) == []
    finding = simplified_finding(typed, simplified, changed)
    assert finding is not None and (finding.severity, finding.span, finding.rule) == ("warning", (0, 8), "name.characters")
    assert finding.params == {"characters": "雲廣資訊", "simplified": "云广资讯", "name": simplified}
    assert finding.to_dict("zh-HK")["hint"]["message"]


def test_simplified_names_and_words_written_so_in_simplified_are_left_alone() -> None:
    for name in ("广州市黄埔区云帆信息技术有限公司", "广州乾坤科技有限公司", "GUANGZHOU"):
        assert to_simplified(name) == (name, [])
        assert simplified_finding(name, name, []) is None
