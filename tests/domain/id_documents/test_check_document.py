"""The entry point: every vector of identifiers.md through check_document, unknown types, the catalogue."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from backend.domain.id_documents import DOCUMENT_TYPES, DocumentCheck, check_document
from backend.domain.id_documents.common import LONG_TERM, mask, parse_expiry
from backend.i18n import LANGUAGES, catalogue
from tests.domain.id_documents.strategies import TODAY

PACKAGE = Path(__file__).resolve().parents[3] / "backend" / "domain" / "id_documents"
CATALOGUE = PACKAGE.parents[1] / "i18n" / "id_documents.json"
MRZ = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"

#: (type, number, valid) for every vector of shared/specs/identifiers.md
SPEC_VECTORS = [
    *[("cn_resident_id", n, True) for n in (
        "360426199101010071", "44011320141005001X", "412723199010050012", "110102199101010078",
        "11010219840406970X", "11010519491231002X", "110111198012010078")],
    *[("cn_resident_id", n, False) for n in (
        "T60426199101010078", "360426199113010079", "36042619910102009X", "990426199112010074",
        "110201199312010077", "11010219840506970X")],
    *[("cn_uscc", n, True) for n in (
        "91110000600037341L", "121200004013590816", "91310115MA1K3BTP2B", "9144030071526726XG",
        "91620105L015101280", "92340602MA2PBQAH7E")],
    *[("cn_uscc", n, False) for n in (
        "12345", "A1110000600037341L", "9111000060003IOZSV", "91110000600037341N", "91440101MA9X0000X1")],
    *[("hk_id", n, True) for n in (
        "G123456A", "A5555550", "C5678909", "AB9876543", "WX1234569", "TP1490258", "D360546A", "CA182361(1)")],
    *[("hk_id", n, False) for n in ("C5678908", "TP1490253", "1234567", "LL2557369A")],
    ("mo_id", "5215299(8)", True), ("mo_id", "12281507", True), ("mo_id", "22281507", False),
]


@pytest.mark.parametrize("kind, number, valid", SPEC_VECTORS)
def test_every_spec_vector(kind: str, number: str, valid: bool) -> None:
    result = check_document(type=kind, number=number, today=TODAY)
    assert isinstance(result, DocumentCheck)
    assert result.valid is valid
    assert bool(result.findings) is not valid


def test_spec_passport_specimen_checks_out_and_is_expired() -> None:
    result = check_document(type="passport_mrz", number=MRZ, today=TODAY)
    assert [f.code for f in result.findings] == ["doc_expired"]
    assert check_document(type="passport_mrz", number=MRZ, today=date(2012, 4, 15)).valid


@pytest.mark.parametrize("kind", ["driving_licence", "", "CN_RESIDENT_ID "])
def test_unknown_type_is_a_finding(kind: str) -> None:
    result = check_document(type=kind, number="360426199101010071", today=TODAY)
    assert not result.valid
    assert [f.code for f in result.findings] == ["doc_type_unknown"]
    assert result.findings[0].params["supported"] == list(DOCUMENT_TYPES)


@pytest.mark.parametrize("kind", DOCUMENT_TYPES)
def test_empty_number_is_a_finding(kind: str) -> None:
    result = check_document(type=kind, number="  ", today=TODAY)
    assert [f.code for f in result.findings] == ["doc_number_missing"]


@pytest.mark.parametrize("kind", DOCUMENT_TYPES)
def test_garbage_never_raises(kind: str) -> None:
    for number in ("x", "(((", "\n\n", "9" * 200, "长期", "<" * 88):
        assert not check_document(type=kind, number=number, today=TODAY).valid


def test_every_code_used_is_in_the_new_catalogue_in_three_languages() -> None:
    own = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    source = "".join(path.read_text(encoding="utf-8") for path in PACKAGE.glob("*.py"))
    used = set(re.findall(r'"(doc_[a-z0-9_]+)"', source))
    assert used and used <= set(own), used - set(own)
    assert set(own) <= used, set(own) - used
    for code, texts in own.items():
        assert set(texts) == set(LANGUAGES)
        assert catalogue()[code] == texts
        placeholders = [sorted(re.findall(r"{(\w+)}", texts[lang])) for lang in LANGUAGES]
        assert placeholders[0] == placeholders[1] == placeholders[2], code


def test_findings_render_in_three_languages() -> None:
    finding = check_document(type="hk_id", number="C5678908", today=TODAY).findings[0]
    out = finding.to_dict("zh-HK")
    assert out["code"] == "doc_check_char_invalid"
    assert out["message"] == out["messages"]["zh-HK"] and "9" in out["message"]
    assert "{" not in "".join(out["messages"].values())


@pytest.mark.parametrize("text, expected", [
    ("2030-01-02", date(2030, 1, 2)), ("2030.1.2", date(2030, 1, 2)), ("20300102", date(2030, 1, 2)),
    ("2030/01/02", date(2030, 1, 2)), ("2030年01月02日", date(2030, 1, 2)), ("２０３０．０１．０２", date(2030, 1, 2)),
    ("2020.01.02-2030.01.02", date(2030, 1, 2)), ("2020-01-02 至 2030-01-02", date(2030, 1, 2)),
    ("2020.01.02-长期", LONG_TERM), ("長期", LONG_TERM), ("long-term", LONG_TERM),
    ("", None), ("soon", None), ("2030.02.30", None), ("2030.01.02 maybe", None), ("123456789", None),
])
def test_parse_expiry(text: str, expected) -> None:
    assert parse_expiry(text) == expected


def test_mask() -> None:
    assert mask("44011320141005001X") == "4401**********001X"
    assert mask("L898902C3") == "L8*****C3"
    assert mask("12") == "**"
