"""Mainland resident identity card: the portrait side (姓名 ... 公民身份号码) and the emblem side (签发机关, 有效期限)."""
from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from backend.domain.document_reading.fields import DocumentReading, ReadField, finding, iso, low_confidence, missing
from backend.domain.document_reading.lines import TextLine, below, labelled, labelled_line, rows
from backend.domain.id_documents import check_document
from backend.domain.id_documents.common import LONG_TERM, parse_expiry

_NUMBER = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx×])(?![0-9])")
_BIRTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?")
_DOTTED = re.compile(r"(\d{4})[.\-/](\d{1,2})[.\-/](\d{1,2})")
EXPIRY_CODES = frozenset({"doc_expired", "doc_expiry_invalid", "doc_long_term_too_young"})
# The 56 ethnic groups as the card prints them (民族 shows the name without 族).
ETHNIC_GROUPS = frozenset(
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺".split()
)
_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")


def _after(text: str, label: str) -> str:
    return text.split(label, 1)[1].strip(" :：") if label in text else ""


def read_portrait(lines: Sequence[TextLine], *, today: date) -> DocumentReading:
    """The six fields of the portrait side; the number checked with id_documents and against birth date and sex."""
    found = rows(lines)
    fields: dict[str, ReadField] = {n: ReadField(n, None, 0.0) for n in
                                    ("name", "sex", "ethnicity", "birth_date", "address", "number")}
    for row in found:
        compact = row.text.replace(" ", "")
        if compact.startswith("姓名") and len(compact) > 2:
            fields["name"] = ReadField("name", compact[2:], row.confidence)
        if "性别" in compact:
            sex = re.search(r"性别([男女])", compact)
            if sex:
                fields["sex"] = ReadField("sex", "male" if sex.group(1) == "男" else "female", row.confidence)
        if "民族" in compact:
            value = _after(compact, "民族")
            if value:
                fields["ethnicity"] = ReadField("ethnicity", value, row.confidence)
        if compact.startswith("出生"):
            birth = _BIRTH.search(compact)
            if birth:
                fields["birth_date"] = ReadField("birth_date", iso(*birth.groups()), row.confidence)
        number = _NUMBER.search(compact)
        if number:
            fields["number"] = ReadField("number", number.group(1).upper().replace("×", "X"), row.confidence)
    found = labelled(lines, "性别")
    if found and fields["sex"].value is None and (sex := re.search("[男女]", found[0][:3])):
        fields["sex"] = ReadField("sex", "male" if sex.group(0) == "男" else "female", found[1])
    if (found := labelled(lines, "民族")) and fields["ethnicity"].value is None:
        fields["ethnicity"] = ReadField("ethnicity", found[0], found[1])
    if (found := labelled(lines, "出生")) and fields["birth_date"].value is None and (birth := _BIRTH.search(found[0])):
        fields["birth_date"] = ReadField("birth_date", iso(*birth.groups()), found[1])
    if (found := labelled(lines, "姓名")) and fields["name"].value is None:
        fields["name"] = ReadField("name", found[0], found[1])
    ethnicity = fields["ethnicity"]
    if ethnicity.value is not None:
        ethnicity.checked = True
        if ethnicity.value not in ETHNIC_GROUPS:
            ethnicity.findings.append(finding("read_ethnicity_unknown", value=ethnicity.value))
    if first := labelled_line(lines, "住址"):
        stop = min((line.box[1] for line in lines if "公民身份号码" in line.text or _NUMBER.search(line.text)),
                   default=1e9)
        rest = [line for line in below(first[2], lines, stop=stop) if not line.text.startswith(_LABELS)]
        address = first[0] + "".join(line.text.replace(" ", "") for line in rest)
        if address:
            fields["address"] = ReadField("address", address, min([first[1], *(line.confidence for line in rest)]))
    reading = DocumentReading(type="cn_resident_id_portrait", fields=list(fields.values()))
    _check_number(reading, today=today)
    for read in reading.fields:
        missing(read)
        low_confidence(read)
    return reading


def _check_number(reading: DocumentReading, *, today: date) -> None:
    number = reading.get("number")
    if number.value is None:
        return
    result = check_document(type="cn_resident_id", number=number.value, today=today)
    number.checked = True
    number.findings.extend(result.findings)
    if not result.valid:
        return
    for name in ("birth_date", "sex"):
        read = reading.get(name)
        if read.value is not None and read.value != result.derived.get(name):
            read.findings.append(finding("read_disagrees_with_number", field=name))
        read.checked = read.value is not None


def read_emblem(lines: Sequence[TextLine], *, today: date, number: str | None = None) -> DocumentReading:
    """签发机关 and 有效期限 (start and end, or 长期) of the emblem side; the expiry checked by id_documents with the
    number of the portrait side when it is known (长期 only from age 46), else only for being past."""
    authority = ReadField("issuing_authority", None, 0.0)
    start = ReadField("validity_start", None, 0.0)
    expiry = ReadField("expiry", None, 0.0)
    period_text = ""
    for row in rows(lines):
        compact = row.text.replace(" ", "")
        if "签发机关" in compact and _after(compact, "签发机关"):
            authority = ReadField("issuing_authority", _after(compact, "签发机关"), row.confidence)
        if "有效期限" in compact:
            period = period_text = _after(compact, "有效期限")
            dates = _DOTTED.findall(period)
            if dates:
                start = ReadField("validity_start", iso(*dates[0]), row.confidence)
            end = parse_expiry(period)
            if end == LONG_TERM:
                expiry = ReadField("expiry", "long_term", row.confidence)
            elif end is not None and len(dates) >= 2:
                expiry = ReadField("expiry", end.isoformat(), row.confidence)
    if expiry.value is not None:
        expiry.checked = True
        if number:
            result = check_document(type="cn_resident_id", number=number, today=today, expiry=period_text)
            expiry.findings.extend(f for f in result.findings if f.code in EXPIRY_CODES)
        elif expiry.value != "long_term" and expiry.value < today.isoformat():
            expiry.findings.append(finding("read_document_expired", expiry=expiry.value))
    reading = DocumentReading(type="cn_resident_id_emblem", fields=[authority, start, expiry])
    for read in reading.fields:
        missing(read)
        low_confidence(read)
    return reading
