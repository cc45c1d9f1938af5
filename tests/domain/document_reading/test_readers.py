"""Field parsing from OCR lines (no OCR here): labels, merged boxes, check digits, cross-checks, MRZ repair."""
from __future__ import annotations

from datetime import date

from backend.domain.document_reading.hong_kong import read_hk_id, read_hk_mo_travel_permit
from backend.domain.document_reading.lines import TextLine
from backend.domain.document_reading.mainland import read_emblem, read_portrait
from backend.domain.document_reading.passport import missing_mrz_line, read_passport, repair_line
from tests.synthetic_documents import mrz_lines

TODAY = date(2026, 6, 1)


def line(text: str, x: float, y: float, *, confidence: float = 0.99, width: float | None = None, h: float = 30):
    return TextLine(text=text, confidence=confidence, box=(x, y, x + (width or 20 * len(text)), y + h))


def codes(field) -> list[str]:
    return [f.code for f in field.findings]


PORTRAIT = [
    line("姓名", 40, 40), line("张伟明", 160, 36),
    line("性别男", 40, 110), line("民族汉", 300, 112),
    line("出生", 40, 180), line("1991年1月1日", 160, 178),
    line("住址", 40, 250), line("广东省广州市黄埔区香雪大", 160, 248), line("道1号", 160, 300),
    line("公民身份号码", 40, 420), line("360426199101010071", 260, 418),
]


def test_portrait_side_fields_are_read_and_checked_against_the_number() -> None:
    reading = read_portrait(PORTRAIT, today=TODAY)
    assert reading.values() == {"name": "张伟明", "sex": "male", "ethnicity": "汉", "birth_date": "1991-01-01",
                                "address": "广东省广州市黄埔区香雪大道1号", "number": "360426199101010071"}
    assert all(not f.needs_confirmation for f in reading.fields)
    assert reading.get("number").checked and reading.get("birth_date").checked


def test_a_number_failing_its_check_character_is_shown_for_confirmation() -> None:
    lines = [*PORTRAIT[:-1], line("360426199101010072", 260, 418)]
    number = read_portrait(lines, today=TODAY).get("number")
    assert number.needs_confirmation and codes(number) == ["doc_check_char_invalid"]
    assert number.to_dict("en")["status"] == "confirm"


def test_an_address_merged_with_its_label_and_wrapped_onto_a_second_line() -> None:
    lines = [line("住址广东省广州市黄埔区香雪大", 40, 250), line("道1号", 160, 300), *PORTRAIT[-2:]]
    assert read_portrait(lines, today=TODAY).get("address").value == "广东省广州市黄埔区香雪大道1号"


def test_birth_date_disagreeing_with_the_number_and_low_confidence_are_flagged() -> None:
    lines = [line("出生", 40, 180), line("1991年1月2日", 160, 178), line("姓名张伟明", 40, 40, confidence=0.6),
             line("公民身份号码360426199101010071", 40, 420)]
    reading = read_portrait(lines, today=TODAY)
    assert codes(reading.get("birth_date")) == ["read_disagrees_with_number"]
    assert codes(reading.get("name")) == ["read_low_confidence"]
    assert codes(reading.get("address")) == ["read_field_missing"] and reading.get("address").value is None


def test_emblem_side_reads_long_term_and_reuses_the_age_rule() -> None:
    lines = [line("签发机关", 120, 380), line("广州市公安局黄埔分局", 270, 376), line("有效期限", 120, 450),
             line("2016.03.01-长期", 270, 446)]
    reading = read_emblem(lines, today=TODAY)
    assert reading.values() == {"issuing_authority": "广州市公安局黄埔分局", "validity_start": "2016-03-01",
                                "expiry": "long_term"}
    assert not reading.get("expiry").needs_confirmation
    young = read_emblem(lines, today=TODAY, number="44011320141005001X")
    assert codes(young.get("expiry")) == ["doc_long_term_too_young"]


def test_emblem_side_flags_an_expired_card() -> None:
    lines = [line("有效期限2006.03.01-2016.03.01", 120, 450)]
    assert codes(read_emblem(lines, today=TODAY).get("expiry")) == ["read_document_expired"]


def test_hong_kong_card_has_no_expiry_and_no_address_and_its_check_digit_is_verified() -> None:
    lines = [line("香港永久性居民身份證", 40, 20), line("陈大文", 40, 110), line("CHAN, Tai Man", 40, 170),
             line("7115.1129 2429", 40, 225), line("出生日期 Date of Birth", 40, 285),
             line("01-01-1990 男 M", 40, 315), line("***AZ", 40, 375), line("(09-18) 15-09-18", 40, 430),
             line("G123456(A)", 520, 470)]
    reading = read_hk_id(lines, today=TODAY)
    assert reading.values() == {"name_zh": "陳大文", "name_en": "CHAN, Tai Man",
                                "chinese_commercial_code": "7115 1129 2429", "birth_date": "1990-01-01",
                                "sex": "male", "symbols": "***AZ", "issue_date": "2018-09-15", "number": "G123456(A)"}
    assert "expiry" not in reading.values() and "address" not in reading.values()
    assert codes(reading.get("name_zh")) == ["read_converted_to_traditional"]  # 陈 read, 陳 printed
    assert not reading.get("number").needs_confirmation
    wrong = read_hk_id([*lines[:-1], line("G123456(3)", 520, 470)], today=TODAY).get("number")
    assert wrong.needs_confirmation and codes(wrong) == ["doc_check_char_invalid"]


def test_travel_permit_values_beside_their_labels_at_a_slant() -> None:
    lines = [line("姓名", 330, 214, width=80), line("杨明文", 403, 205), line("HO, SIU MING", 410, 252),
             line("出生日期", 335, 309, width=100), line("1988.08.14", 446, 299), line("性别女", 657, 288),
             line("有效期限", 337, 366, width=100), line("2018.05.09-2028.05.08", 452, 350),
             line("签发机关", 335, 416, width=100), line("关公安部出入境管理局", 418, 417),
             line("换证次数", 592, 514, width=100), line("03", 690, 512), line("H23893183", 135, 530)]
    reading = read_hk_mo_travel_permit(lines, today=TODAY)
    assert reading.values() == {"name_zh": "杨明文", "name_en": "HO, SIU MING", "birth_date": "1988-08-14",
                                "sex": "female", "validity_start": "2018-05-09", "expiry": "2028-05-08",
                                "issuing_authority": "公安部出入境管理局", "number": "H23893183",
                                "renewal_count": "03"}
    assert reading.get("number").checked and not reading.get("expiry").needs_confirmation


def _passport_lines(line1: str, line2: str) -> list[TextLine]:
    labels = [("类型/Type", "P"), ("国家码/Country Code", "CHN"), ("护照号/Passport No.", "E12345678"),
              ("姓/Sumame", "ZHANG"), ("名/Given names", "WEI"), ("国福/Nationality", "中国/CHINESE"),
              ("性别/Sex", "男/M"), ("出生日期/Date of birth", "01JAN1990"), ("出生地点/Place of birth", "广东GUANGDONG"),
              ("签发日期/Date of issue", "01 JAN 2020"), ("有效期至/Date of expiry", "31 DEC 2029"),
              ("签发机关/Authonity", "国家移民管理局")]
    out = []
    for i, (label, value) in enumerate(labels):
        x, y = 300 + 300 * (i % 3), 100 + 90 * (i // 3)
        out += [line(label, x, y, h=20), line(value, x, y + 28)]
    return [*out, line(line1, 30, 720, width=900, h=40), line(line2, 30, 790, width=900, h=40)]


LINE1, LINE2 = mrz_lines(surname="ZHANG", given="WEI", number="E12345678", born=date(1990, 1, 1), male=True,
                         expiry=date(2029, 12, 31))


def test_passport_printed_fields_and_mrz_agree() -> None:
    reading = read_passport(_passport_lines(LINE1, LINE2), today=TODAY)
    values = reading.values()
    assert values["number"] == "E12345678" and values["birth_date"] == "1990-01-01" and values["sex"] == "male"
    assert values["place_of_birth"] == "广东/GUANGDONG" and values["authority"] == "国家移民管理局"
    assert values["nationality"] == "中国/CHINESE"  # label misread as 国福: found by its English half
    assert values["mrz_line1"] == LINE1 and values["mrz_line2"] == LINE2
    assert reading.get("number").checked and reading.get("expiry").checked
    assert [f.name for f in reading.fields if f.needs_confirmation] == []


def test_mrz_read_with_wrong_filler_counts_and_a_dropped_letter_is_repaired_only_when_check_digits_hold() -> None:
    line2 = LINE2.replace("CHN", "HN").replace("<<<<<", "<<<<<<<")
    line1 = LINE1.replace("ZHANG", "ZHAG")
    reading = read_passport(_passport_lines(line1, line2), today=TODAY)
    assert reading.get("mrz_line2").value == LINE2 and not reading.get("mrz_line2").needs_confirmation
    assert reading.get("mrz_line1").value == LINE1
    assert codes(reading.get("mrz_line1")) == ["read_mrz_rebuilt"]  # no check digit on line 1: confirmed by the user
    broken = LINE2[:3] + ("1" if LINE2[3] != "1" else "2") + LINE2[4:]
    bad = read_passport(_passport_lines(LINE1, broken), today=TODAY).get("mrz_line2")
    assert bad.needs_confirmation and "doc_mrz_number_check_invalid" in codes(bad)


def test_printed_field_disagreeing_with_the_mrz_is_flagged() -> None:
    lines = [l if l.text != "01JAN1990" else line("02JAN1990", l.box[0], l.box[1]) for l in
             _passport_lines(LINE1, LINE2)]
    assert codes(read_passport(lines, today=TODAY).get("birth_date")) == ["read_disagrees_with_mrz"]


def test_repair_line_and_the_missed_mrz_band() -> None:
    assert repair_line("P<CHNZHANG<<WEI<<<") == LINE1
    assert len(repair_line("A" * 50)) == 44
    band = missing_mrz_line([line(LINE1, 30, 720, width=900, h=40)])
    assert band is not None and band[1] > 760
    assert missing_mrz_line([line(LINE1, 30, 720, width=900, h=40), line(LINE2, 30, 790, width=900, h=40)]) is None


def test_a_birth_date_dropped_beside_the_nationality_is_repaired_from_the_printed_page_only_when_check_digits_hold() -> None:
    # as the OCR read a degraded page: "CHN" as "H2" and the first digit of the date of birth lost
    read = LINE2[:10] + "H2" + LINE2[14:]
    repaired = read_passport(_passport_lines(LINE1, read), today=TODAY).get("mrz_line2")
    assert repaired.value == LINE2 and codes(repaired) == ["read_mrz_repaired"] and repaired.needs_confirmation
    lines = [l if l.text != "01JAN1990" else line("01JAN1991", l.box[0], l.box[1]) for l in _passport_lines(LINE1, read)]
    refused = read_passport(lines, today=TODAY).get("mrz_line2")  # a printed date the check digit refuses: no repair
    assert refused.value != LINE2 and refused.needs_confirmation
