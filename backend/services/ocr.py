"""Reading identity documents from photos: OCR off the event loop, fields parsed and checked, nothing stored."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from PIL import Image

from backend.adapters.ocr.engine import OcrEngine, default_engine
from backend.domain.document_reading.fields import DocumentReading, ReadField
from backend.domain.document_reading.hong_kong import read_hk_id, read_hk_mo_travel_permit
from backend.domain.document_reading.lines import TextLine
from backend.domain.document_reading.mainland import read_emblem, read_portrait
from backend.domain.document_reading.passport import DATA_SHARE, line2_holds, looks_like_line2, missing_mrz_line, read_passport
from backend.errors import InvalidInput

#: Readable document types -> the photo parts each takes (the first one is required unless noted).
PARTS: dict[str, tuple[str, ...]] = {
    "cn_resident_id": ("front", "back"),  # portrait side, emblem side: either or both
    "hk_id": ("image",),
    "hk_mo_travel_permit": ("image",),
    "passport": ("image",),
}
#: The share of line 2's width read alone for its last character, and the confidence of a line with assumed fillers
#: (under the threshold, so the applicant confirms it).
END_SHARE = 0.15
DATA_CUTS = (DATA_SHARE - 0.02, DATA_SHARE, DATA_SHARE + 0.02)
ASSUMED_CONFIDENCE = 0.5
_SINGLE: dict[str, Callable[..., DocumentReading]] = {
    "hk_id": read_hk_id, "hk_mo_travel_permit": read_hk_mo_travel_permit, "passport": read_passport,
}


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The fields of one document (both sides for the mainland card), each tagged with its side."""

    type: str
    fields: list[tuple[str, ReadField]]

    @property
    def needs_confirmation(self) -> list[str]:
        """Names of the fields the applicant must confirm or enter."""
        return [f.name for _, f in self.fields if f.needs_confirmation]


def check_parts(type: str, parts: Mapping[str, object]) -> None:  # noqa: A002
    """422 for an unknown type, a missing photo or an unexpected part."""
    if type not in PARTS:
        raise InvalidInput("read_type_unknown", type=str(type)[:40], supported=list(PARTS))
    expected = PARTS[type]
    for name in parts:
        if name not in expected:
            raise InvalidInput("upload_unexpected_part", part=str(name)[:40], expected=list(expected))
    if not any(name in parts for name in expected):
        raise InvalidInput("upload_missing_image", expected=list(expected))


def read_lines(type: str, lines: Mapping[str, list[TextLine]], *, today: date) -> ReadResult:  # noqa: A002
    """The fields from the OCR lines of each part (pure)."""
    if type == "cn_resident_id":
        out: list[tuple[str, ReadField]] = []
        number = None
        if "front" in lines:
            portrait = read_portrait(lines["front"], today=today)
            out += [("front", f) for f in portrait.fields]
            read = portrait.get("number")
            number = read.value if read.value and not read.findings else None
        if "back" in lines:
            out += [("back", f) for f in read_emblem(lines["back"], today=today, number=number).fields]
        return ReadResult(type=type, fields=out)
    reading = _SINGLE[type](lines["image"], today=today)
    return ReadResult(type=type, fields=[("image", f) for f in reading.fields])


_ROMANISED = re.compile(r"^[A-Za-z'\-]+\s*,")


def _letters(text: str) -> str:
    return re.sub(r"[^A-Z]", "", text.upper())


class DocumentReader:
    """OCR of uploaded photos in a thread pool (the model is CPU-bound), then `read_lines`."""

    def __init__(self, *, engine: OcrEngine | None = None) -> None:
        self.engine = engine or default_engine()

    def _spaced(self, image: Image.Image, line: TextLine) -> TextLine:
        """A romanised name read again at twice the size: the model drops spaces between syllables in small print
        (HOILAM); the second reading is taken only when it has the very same letters."""
        if not _ROMANISED.match(line.text):
            return line
        pad = 0.25 * line.height
        x0, y0, x1, y1 = line.box
        again = self.engine.recognise(image, (x0 - pad, y0 - pad, x1 + pad, y1 + pad), scale=2)
        if again is None or _letters(again.text) != _letters(line.text) or again.text.count(" ") <= line.text.count(" "):
            return line
        return TextLine(text=again.text, confidence=min(line.confidence, again.confidence), box=line.box)

    async def read(self, *, type: str, images: Mapping[str, Image.Image], today: date) -> ReadResult:  # noqa: A002
        """Read every photo off the event loop and parse the document's fields."""
        check_parts(type, images)
        loop = asyncio.get_running_loop()
        lines = {}
        for part, image in images.items():
            lines[part] = await loop.run_in_executor(None, self.read_image, type, image)
        return read_lines(type, lines, today=today)

    def read_image(self, type: str, image: Image.Image) -> list[TextLine]:  # noqa: A002
        """OCR of one photo; for a passport whose second MRZ line the detector missed, that line is read on its own."""
        lines = self.engine.read(image)
        if type in ("hk_id", "hk_mo_travel_permit"):
            lines = [self._spaced(image, line) for line in lines]
        if type == "passport":
            missed = missing_mrz_line(lines)
            if missed is not None and (line := self.engine.recognise(image, missed)) is not None:
                lines.append(line)
            lines = [self._mrz_in_two(image, line) if looks_like_line2(line.text) else line for line in lines]
        return lines

    def _mrz_in_two(self, image: Image.Image, line: TextLine) -> TextLine:
        """A second MRZ line whose check digits fail, read again as its data part and its filler part: the
        recogniser loses characters in a long blurred line with runs of '<'. Taken only when the check digits
        then hold; when the filler part reads as nothing, its last character (the composite check digit) is read on
        its own and the fillers between are assumed, so the line is then shown for confirmation."""
        if line2_holds(line.text):
            return line
        x0, y0, x1, y1 = line.box
        end = None
        for share in DATA_CUTS:  # where the data ends is not exact in a tilted, blurred photo: a few cuts
            cut = x0 + (x1 - x0) * share
            left = self.engine.recognise(image, (x0, y0, cut, y1), scale=2)
            if left is None:
                continue
            right = self.engine.recognise(image, (cut, y0, x1, y1), scale=2)
            if right is not None and line2_holds(text := (left.text + right.text).replace(" ", "")):
                return TextLine(text=text, confidence=min(left.confidence, right.confidence), box=line.box)
            end = end or self.engine.recognise(image, (x1 - (x1 - x0) * END_SHARE, y0, x1, y1), scale=2)
            if end is None or not end.text.strip()[-1:].isdigit():
                continue
            text = left.text.replace(" ", "").rstrip("<").ljust(28, "<")[:28] + "<" * 15 + end.text.strip()[-1]
            if line2_holds(text):
                return TextLine(text=text, confidence=min(left.confidence, end.confidence, ASSUMED_CONFIDENCE), box=line.box)
        return line
