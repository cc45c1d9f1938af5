"""Passport data page: the printed fields and the two MRZ lines, whose check digits id_documents verifies."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from collections.abc import Sequence
from datetime import date

from backend.domain.document_reading.fields import (
    MIN_CONFIDENCE, DocumentReading, ReadField, finding, iso, low_confidence, missing,
)
from backend.domain.document_reading.lines import Row, TextLine, rows
from backend.domain.id_documents import check_document

LINE = 44
_MONTHS = {m: i for i, m in enumerate(
    "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), start=1)}
_DATE = re.compile(r"(\d{1,2})\s*([A-Z]{3})\s*(\d{4})")
# Printed labels (Chinese passports print both languages) -> field.
_LABELS = {
    "document_type": ("类型", "TYPE"), "issuing_state": ("国家码", "COUNTRYCODE"),
    "number": ("护照号", "PASSPORTNO"), "surname": ("姓", "SURNAME"), "given_names": ("名", "GIVENNAMES"),
    "nationality": ("国籍", "NATIONALITY"), "sex": ("性别", "SEX"), "birth_date": ("出生日期", "DATEOFBIRTH"),
    "place_of_birth": ("出生地点", "PLACEOFBIRTH"), "issue_date": ("签发日期", "DATEOFISSUE"),
    "expiry": ("有效期至", "DATEOFEXPIRY"), "authority": ("签发机关", "AUTHORITY"),
}
_BY_CHINESE = {zh: name for name, (zh, _) in _LABELS.items()}
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_MRZ_CHARS = re.compile(r"^[A-Z0-9<«‹(\[ ]{30,}$")


def _mrz_text(row: Row) -> str:
    text = row.text.upper().replace(" ", "")
    return re.sub(r"[«‹(\[{]", "<", text)


def repair_line(text: str) -> str:
    """An MRZ line read with the wrong number of fillers made 44 long (the check digits then confirm it or not).

    Written here: OCR miscounts runs of '<'; the longest run is the one to stretch or shrink.
    """
    if len(text) == LINE:
        return text
    runs = list(re.finditer(r"<{2,}", text))
    if not runs:
        return (text + "<" * LINE)[:LINE]
    longest = max(runs, key=lambda m: m.end() - m.start())
    width = max(1, longest.end() - longest.start() + LINE - len(text))
    fixed = text[:longest.start()] + "<" * width + text[longest.end():]
    return (fixed + "<" * LINE)[:LINE]


def _labels(lines: Sequence[TextLine]) -> list[tuple[TextLine, str]]:
    """The label lines, recognised by their Chinese part (the English part is often misread: Sumame, Authonity)."""
    out = []
    for line in lines:
        chinese = "".join(_CJK.findall(line.text))
        name = _BY_CHINESE.get(chinese)
        if name is None and "/" in line.text:  # 国籍 read as 国福: the English half may still name it
            english = re.sub(r"[^A-Z]", "", line.text.split("/", 1)[1].upper())
            close = [n for n, (_, en) in _LABELS.items() if len(en) >= 5 and _distance(english, en) <= 2]
            name = close[0] if len(close) == 1 else None
        if name and ("/" in line.text or len(line.text) > len(chinese)):
            out.append((line, name))
    return out


def _below(label: TextLine, lines: Sequence[TextLine]) -> TextLine | None:
    """The nearest line under a label that starts in the label's column."""
    candidates = [
        line for line in lines
        if line is not label and line.box[1] >= label.middle and line.box[1] - label.box[3] < 2.5 * label.height
        and abs(line.box[0] - label.box[0]) < 2 * label.height
    ]
    return min(candidates, key=lambda line: line.box[1], default=None)


@dataclass(frozen=True, slots=True)
class _Line1:
    text: str
    confidence: float
    rebuilt: bool


def _line1(read: str, f: dict[str, ReadField]) -> _Line1:
    """Line 1 has no check digit: when the printed type, state and names give a line that differs from the OCR only
    by a few characters, that line is taken (and shown for confirmation); otherwise the OCR as read."""
    read = repair_line(read)
    parts = [f[n] for n in ("issuing_state", "surname", "given_names")]
    if any(p.value is None for p in parts):
        return _Line1(read, 1.0, False)
    state, surname, given = (re.sub(r"[^A-Z ]", "", p.value.upper()).strip() for p in parts)
    rebuilt = f"P<{state}{surname.replace(' ', '<')}<<{given.replace(' ', '<')}".ljust(LINE, "<")[:LINE]
    if rebuilt == read:
        return _Line1(read, 1.0, False)
    close = _distance(rebuilt.rstrip("<"), read.rstrip("<")) <= max(3, len(rebuilt.rstrip("<")) // 3)
    if close or not re.match(r"P<[A-Z]{3}[A-Z]", read):
        return _Line1(rebuilt, min(p.confidence for p in parts), True)
    return _Line1(read, 1.0, False)


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (written here: a few lines, no library needed for two short strings)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


#: Line 2 cut at its check digits: number, its check, nationality, then what lies before the sex and the expiry.
_LINE2 = re.compile(r"^(?P<head>[A-Z0-9<]{9}\d[A-Z<]{3})(?P<birth>[0-9A-Z<]{1,9}?)(?P<tail>[MF<]\d{7}.*)$")


def _yymmdd(iso_date: str | None) -> str | None:
    return None if not iso_date or len(iso_date) != 10 else iso_date[2:4] + iso_date[5:7] + iso_date[8:10]


def _birth_repairs(read: str, printed_birth: str | None) -> list[str]:
    """Line 2 with its birth date taken from the printed page, keeping the check digit the MRZ was read with.

    OCR drops or merges a digit next to the nationality; the printed date of birth says what it was, and the
    MRZ's own check digits (birth date and composite) then confirm the repair or refuse it."""
    date6 = _yymmdd(printed_birth)
    found = _LINE2.match(read)
    if date6 is None or found is None or found["birth"][:6] == date6:
        return []
    birth = found["birth"]
    return [found["head"] + date6 + birth[-1] + found["tail"]]


def _line2(read: str, *, states: list[str], today: date, printed_birth: str | None = None):
    """Line 2 as read, or repaired (filler runs, a dropped nationality, a birth date the printed page gives) when
    only the repair passes every check digit."""
    raw = [read]
    if len(read) >= 13 and not read[10:13].replace("<", "").isalpha():
        raw = [read[:10] + state + read[13:] for state in states] + raw
    first_digit = next((i for i in range(10, len(read)) if read[i].isdigit()), None)
    if first_digit is not None:
        raw += [read[:10] + state + read[first_digit:] for state in states]
    # the reading as it is first, then each with the printed date of birth (a repair the check digits must confirm)
    candidates = {repair_line(c): False for c in raw}
    for c in raw:
        candidates.update({repair_line(r): True for r in _birth_repairs(c, printed_birth) if repair_line(r) not in candidates})
    results = []
    for candidate, from_print in candidates.items():
        result = check_document(type="passport_mrz", number=f"P<{'<' * 42}\n{candidate}", today=today)
        if result.valid:
            return candidate, result, from_print
        results.append((candidate, result, False))
    return results[0]


#: The share of line 2's width that holds its data (28 of 44 characters: number to the expiry's check digit).
DATA_SHARE = 28 / LINE


def looks_like_line2(text: str) -> bool:
    """Whether an OCR line may be the second MRZ line (fillers and a dozen digits)."""
    return "<" in text and sum(c.isdigit() for c in text) >= 12


def line2_holds(text: str) -> bool:
    """Whether `text`, with its filler runs evened out to 44 characters, passes every check digit of line 2."""
    line = repair_line(re.sub(r"[«‹(\[{]", "<", text.upper().replace(" ", "")))
    result = check_document(type="passport_mrz", number=f"P<{'<' * 42}\n{line}", today=date.today())
    return not any(f.code.endswith(("_check_invalid", "_date_invalid", "characters_invalid", "lines_invalid"))
                   for f in result.findings)  # an expired passport still reads right


def _date_value(text: str) -> str | None:
    found = _DATE.search(text.upper().replace("/", " "))
    if not found or found.group(2) not in _MONTHS:
        return None
    return iso(found.group(3), _MONTHS[found.group(2)], found.group(1))


def missing_mrz_line(lines: Sequence[TextLine]) -> tuple[float, float, float, float] | None:
    """Where the second MRZ line should be when only the first was found (the band under it), else None."""
    first = [line for line in lines if re.match(r"P<", line.text.replace(" ", "")) and line.text.count("<") >= 5]
    if not first or any(sum(c.isdigit() for c in line.text) >= 12 and "<" in line.text for line in lines):
        return None
    line = max(first, key=lambda candidate: candidate.box[1])
    height = line.height
    return (line.box[0] - height, line.box[3] + 0.3 * height, line.box[2] + 2 * height, line.box[3] + 2.6 * height)


def read_passport(lines: Sequence[TextLine], *, today: date) -> DocumentReading:
    """Every printed field (label then value on the next row) and the MRZ, cross-checked with each other."""
    found = rows(lines)
    f = {n: ReadField(n, None, 0.0) for n in (*_LABELS, "mrz_line1", "mrz_line2")}
    for label_line, name in _labels(lines):
        value_line = _below(label_line, lines)
        if value_line is None or f[name].value is not None:
            continue
        value: str | None = unicodedata.normalize("NFKC", value_line.text).strip()
        if name in ("birth_date", "issue_date", "expiry"):
            value = _date_value(value)
        elif name == "sex":
            value = "male" if re.search(r"(?<![A-Z])M(?![A-Z])|男", value) else \
                "female" if re.search(r"(?<![A-Z])F(?![A-Z])|女", value) else None
        if value:
            f[name] = ReadField(name, value, value_line.confidence)
    for name in ("place_of_birth", "nationality"):  # 北京/BEIJING is often read without its slash
        read = f[name]
        if read.value:
            read.value = re.sub(r"^([\u4e00-\u9fff]+)\s*/?\s*([A-Z][A-Z ]*)$", r"\1/\2", read.value)
    mrz_rows = [i for i, row in enumerate(found) if "<" in row.text]
    second = max((i for i in mrz_rows if len(_mrz_text(found[i])) >= 30 and _MRZ_CHARS.match(_mrz_text(found[i]))),
                 key=lambda i: sum(c.isdigit() for c in found[i].text), default=None)
    if second is not None and sum(c.isdigit() for c in found[second].text) >= 12:
        first_row = found[second - 1] if second - 1 in mrz_rows else None
        state = f["issuing_state"].value
        line1 = _line1(_mrz_text(first_row) if first_row else "P<", f)
        line2, result, from_print = _line2(_mrz_text(found[second]), states=[s for s in (state, "CHN") if s],
                                           today=today, printed_birth=f["birth_date"].value)
        first_confidence = first_row.confidence if first_row else 0.0
        f["mrz_line1"] = ReadField("mrz_line1", line1.text, min(first_confidence, line1.confidence)
                                   if not line1.rebuilt else line1.confidence)
        if line1.rebuilt:
            f["mrz_line1"].findings.append(finding("read_mrz_rebuilt", field="mrz_line1"))
        f["mrz_line2"] = ReadField("mrz_line2", line2, found[second].confidence)
        f["mrz_line1"].checked = f["mrz_line2"].checked = True
        f["mrz_line2"].findings.extend(result.findings)
        if from_print:  # the check digits confirm it, but part of it came from the printed page: the person checks
            f["mrz_line2"].findings.append(finding("read_mrz_repaired", field="mrz_line2"))
        if result.valid:
            f["mrz_line2"].confidence = max(f["mrz_line2"].confidence, MIN_CONFIDENCE)  # its check digits all hold
            _cross_check(f, line1.text, line2, result.derived)
    reading = DocumentReading(type="passport", fields=list(f.values()))
    for read in reading.fields:
        missing(read)
        low_confidence(read)
    return reading


def _cross_check(f: dict[str, ReadField], line1: str, line2: str, derived: dict) -> None:
    """The printed fields must say what the verified MRZ says; the MRZ value wins and the field is confirmed."""
    from_mrz = {
        "number": line2[0:9].rstrip("<"), "issuing_state": line1[2:5].rstrip("<"),
        "birth_date": derived.get("birth_date"), "expiry": derived.get("expiry"), "sex": derived.get("sex"),
    }
    for name, value in from_mrz.items():
        read = f[name]
        if value is None:
            continue
        if read.value is None:
            f[name] = ReadField(name, value, f["mrz_line2"].confidence, checked=True)
        elif read.value.replace(" ", "") != value:
            read.findings.append(finding("read_disagrees_with_mrz", field=name))
        else:
            read.checked = True
    surname, _, given = line1[5:].partition("<<")
    for name, value in (("surname", surname), ("given_names", given.rstrip("<").replace("<", " "))):
        if f[name].value and f[name].value.replace(" ", "") != value.replace("<", "").replace(" ", ""):
            f[name].findings.append(finding("read_disagrees_with_mrz", field=name))
