"""Reading a passport's second MRZ line again in two parts: taken only when its check digits then hold."""
from __future__ import annotations

from datetime import date

from PIL import Image

from backend.domain.document_reading.lines import TextLine
from backend.services.ocr import DocumentReader
from tests.synthetic_documents import mrz_lines

_, LINE2 = mrz_lines(surname="ZHANG", given="WEI", number="E12345678", born=date(1990, 1, 1), male=True,
                     expiry=date(2029, 12, 31))
GARBLED = LINE2[:10] + "HN" + LINE2[14:22] + "<<<<" + LINE2[-1]  # as a blurred photo reads: letters and fillers lost
BOX = (0.0, 700.0, 880.0, 740.0)


class Engine:
    """Recognises a region by where it lies on the line: the data part, the filler part or the last character."""

    def __init__(self, *, filler_part: str | None, end: str | None = None, data: str = LINE2[:28]) -> None:
        self.filler_part, self.end, self.data, self.calls = filler_part, end, data, []

    def read(self, image):
        return [TextLine(text=GARBLED, confidence=0.64, box=BOX)]

    def recognise(self, image, box, *, scale=1):
        self.calls.append(box)
        if box[0] == BOX[0]:
            return TextLine(text=self.data, confidence=0.97, box=box)
        if box[0] > BOX[2] * 0.8:
            return None if self.end is None else TextLine(text=self.end, confidence=0.93, box=box)
        return None if self.filler_part is None else TextLine(text=self.filler_part, confidence=0.95, box=box)


def _read(engine: Engine) -> TextLine:
    [line] = DocumentReader(engine=engine).read_image("passport", Image.new("RGB", (900, 800)))
    return line


def test_a_line_read_again_in_two_parts_replaces_the_garbled_one_when_its_check_digits_hold() -> None:
    line = _read(Engine(filler_part=LINE2[28:]))
    assert line.text == LINE2 and line.confidence == 0.95


def test_unread_fillers_are_assumed_only_with_the_last_check_digit_read_and_then_need_confirmation() -> None:
    line = _read(Engine(filler_part=None, end="K<" + LINE2[-1]))
    assert line.text == LINE2 and line.confidence < 0.9  # under the threshold: the applicant confirms it
    wrong = str((int(LINE2[-1]) + 1) % 10)
    assert _read(Engine(filler_part=None, end="<<" + wrong)).text == GARBLED  # the composite check refuses it


def test_a_re_reading_that_still_fails_its_check_digits_leaves_the_line_as_read() -> None:
    broken = LINE2[:3] + ("1" if LINE2[3] != "1" else "2") + LINE2[4:28]
    assert _read(Engine(filler_part=LINE2[28:], end=LINE2[-1], data=broken)).text == GARBLED
