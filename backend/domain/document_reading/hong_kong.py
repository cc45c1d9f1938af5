"""Hong Kong identity card (no expiry, no address) and the mainland travel permit for Hong Kong / Macau residents."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from backend.domain.document_reading.fields import DocumentReading, ReadField, finding, iso, low_confidence, missing
from backend.domain.document_reading.lines import TextLine, characters_missing, labelled, rows
from backend.domain.scope.text import to_hong_kong
from backend.domain.id_documents import check_document

_HK_NUMBER = re.compile(r"(?<![A-Z])([A-Z]{1,2}[0-9]{6})\s*\(?\s*([0-9A])\s*\)?")
_DMY4 = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)")
_DMY2 = re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{2})(?![\d-])")
_ENGLISH_NAME = re.compile(r"^([A-Z][A-Z'\-]+,\s*[A-Za-z][A-Za-z '\-]*)$")
_CHINESE_NAME = re.compile(r"^[\u3400-\u9fff·]{2,8}$")
_CODES = re.compile(r"(?:\d{4}){1,4}")
_SYMBOLS = re.compile(r"^[*A-Z]*\*[*A-Z]*$")
_HEADINGS = ("香港", "身份", "HONG", "KONG", "IDENTITY", "CARD", "出生日期", "DATE", "通行证", "TRAVEL", "PERMIT",
             "RESIDENTS", "MAINLAND", "MACAO")
_DOTTED = re.compile(r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})")
_PERMIT_NUMBER = re.compile(r"(?<![A-Z0-9])([HM]A?\d{8})(?!\d)")


def _is_heading(text: str) -> bool:
    return any(word in text.upper() for word in _HEADINGS)


def _spacing(read: ReadField) -> None:
    """OCR often drops the spaces between romanised syllables (HOILAM for HOI LAM): given names read as one word of
    5 letters or more (most are two syllables), a word of 7 or more, or one with a capital inside, are confirmed."""
    if read.value and "," in read.value:
        given = read.value.split(",", 1)[1].split()
        if (len(given) == 1 and len(given[0]) >= 5) or any(
                len(word) >= 7 or re.search(r"[a-z][A-Z]", word) for word in given):
            read.findings.append(finding("read_check_spacing", field=read.name))


def _finish(reading: DocumentReading) -> DocumentReading:
    if "name_en" in reading.values():
        _spacing(reading.get("name_en"))
    for read in reading.fields:
        missing(read)
        low_confidence(read)
    return reading


def read_hk_id(lines: Sequence[TextLine], *, today: date) -> DocumentReading:
    """Chinese and English name, commercial code, birth date, sex, symbols, date of issue, number (check digit)."""
    names = ("name_zh", "name_en", "chinese_commercial_code", "birth_date", "sex", "symbols", "issue_date", "number")
    f = {n: ReadField(n, None, 0.0) for n in names}
    for row in rows(lines):
        text = row.text
        compact = text.replace(" ", "")
        if f["name_zh"].value is None and _CHINESE_NAME.match(compact) and not _is_heading(compact):
            f["name_zh"] = ReadField("name_zh", compact, row.confidence)
            if characters_missing(compact, row.parts[0].box) and len(row.parts) == 1:
                f["name_zh"].findings.append(finding("read_characters_missing", field="name_zh"))
            if (traditional := to_hong_kong(compact)) != compact:
                # The model knows fewer Traditional characters and reads 陳 as 陈: a Hong Kong card prints
                # Traditional ones, so the HK form is offered and the applicant confirms it.
                f["name_zh"].value = traditional
                f["name_zh"].findings.append(finding("read_converted_to_traditional", read=compact))
        elif _ENGLISH_NAME.match(text) and not _is_heading(text):
            f["name_en"] = ReadField("name_en", re.sub(r",\s*", ", ", text), row.confidence)
        elif _CODES.fullmatch(re.sub(r"[\s.,·]", "", text)):
            digits = re.sub(r"\D", "", text)
            f["chinese_commercial_code"] = ReadField(
                "chinese_commercial_code", " ".join(digits[i:i + 4] for i in range(0, len(digits), 4)), row.confidence)
        elif _SYMBOLS.match(compact):
            f["symbols"] = ReadField("symbols", compact, row.confidence)
        if (birth := _DMY4.search(text)) and f["birth_date"].value is None:
            f["birth_date"] = ReadField("birth_date", iso(birth.group(3), birth.group(2), birth.group(1)),
                                        row.confidence)
            sex = re.search(r"(?<![A-Z])([MF])(?![A-Z])|([男女])", text[birth.end():])
            if sex:
                value = "male" if (sex.group(1) or sex.group(2)) in ("M", "男") else "female"
                f["sex"] = ReadField("sex", value, row.confidence)
        elif (issue := _DMY2.search(text)) and f["birth_date"].value is not None:
            year = int(issue.group(3))
            century = 2000 if 2000 + year <= today.year else 1900
            f["issue_date"] = ReadField("issue_date", iso(century + year, issue.group(2), issue.group(1)),
                                        row.confidence)
        if number := _HK_NUMBER.search(compact):
            f["number"] = ReadField("number", f"{number.group(1)}({number.group(2)})", row.confidence)
    if f["number"].value:
        result = check_document(type="hk_id", number=f["number"].value, today=today)
        f["number"].checked = True
        f["number"].findings.extend(result.findings)
    return _finish(DocumentReading(type="hk_id", fields=list(f.values())))


def read_hk_mo_travel_permit(lines: Sequence[TextLine], *, today: date) -> DocumentReading:
    """Chinese and English name, birth date, sex, validity, issuing authority, number and renewal count."""
    names = ("name_zh", "name_en", "birth_date", "sex", "validity_start", "expiry", "issuing_authority", "number",
             "renewal_count")
    f = {n: ReadField(n, None, 0.0) for n in names}
    for row in rows(lines):
        if _ENGLISH_NAME.match(row.text) and not _is_heading(row.text):
            f["name_en"] = ReadField("name_en", re.sub(r",\s*", ", ", row.text), row.confidence)
        if number := _PERMIT_NUMBER.search(row.text.replace(" ", "")):
            f["number"] = ReadField("number", number.group(1), row.confidence)
    if found := labelled(lines, "姓名"):
        f["name_zh"] = ReadField("name_zh", found[0], found[1])
    if (found := labelled(lines, "出生日期")) and (birth := _DOTTED.search(found[0])):
        f["birth_date"] = ReadField("birth_date", iso(*birth.groups()), found[1])
    if (found := labelled(lines, "性别")) and (sex := re.search("[男女]", found[0][:3])):
        f["sex"] = ReadField("sex", "male" if sex.group(0) == "男" else "female", found[1])
    if found := labelled(lines, "有效期限"):
        dates = _DOTTED.findall(found[0])
        if len(dates) == 2:
            f["validity_start"] = ReadField("validity_start", iso(*dates[0]), found[1])
            f["expiry"] = ReadField("expiry", iso(*dates[1]), found[1])
    if found := labelled(lines, "签发机关"):
        f["issuing_authority"] = ReadField("issuing_authority", found[0].lstrip("-—一_.·"), found[1])
    if (found := labelled(lines, "换证次数")) and re.fullmatch(r"\d{2}", found[0]):
        f["renewal_count"] = ReadField("renewal_count", found[0], found[1])
    if f["number"].value:
        expiry = f["expiry"].value
        result = check_document(type="hk_mo_travel_permit", number=f["number"].value, today=today, expiry=expiry)
        f["number"].checked = True
        f["number"].findings.extend(x for x in result.findings if x.code != "doc_expired")
        if expiry:
            f["expiry"].checked = True
            f["expiry"].findings.extend(x for x in result.findings if x.code == "doc_expired")
    return _finish(DocumentReading(type="hk_mo_travel_permit", fields=list(f.values())))
