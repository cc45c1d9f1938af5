"""OCR text lines grouped into rows, as a document prints them (top to bottom, left to right)."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line the OCR model found: its text, confidence (0-1) and box (x0, y0, x1, y1) in pixels."""

    text: str
    confidence: float
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def middle(self) -> float:
        """The vertical centre."""
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> float:
        """The box height."""
        return max(1.0, self.box[3] - self.box[1])


@dataclass(frozen=True, slots=True)
class Row:
    """Lines at the same height, left to right, joined with spaces."""

    parts: tuple[TextLine, ...]

    @property
    def text(self) -> str:
        """The row's text, NFKC-normalised (full-width digits and brackets become ASCII)."""
        return unicodedata.normalize("NFKC", " ".join(p.text for p in self.parts)).strip()

    @property
    def confidence(self) -> float:
        """The lowest confidence of its lines."""
        return min(p.confidence for p in self.parts)


def rows(lines: Iterable[TextLine]) -> list[Row]:
    """Lines grouped into rows: a line joins a row when its centre lies within half its height of the row's."""
    ordered = sorted(lines, key=lambda line: (line.middle, line.box[0]))
    groups: list[list[TextLine]] = []
    for line in ordered:
        if groups and abs(groups[-1][0].middle - line.middle) <= 0.5 * min(groups[-1][0].height, line.height):
            groups[-1].append(line)
        else:
            groups.append([line])
    return [Row(parts=tuple(sorted(g, key=lambda line: line.box[0]))) for g in groups]


def lowest(confidences: Sequence[float]) -> float:
    """The lowest of some confidences (0 when there are none)."""
    return min(confidences) if confidences else 0.0


def labelled(lines: Sequence[TextLine], label: str) -> tuple[str, float] | None:
    """The value printed after a label and its confidence (see `labelled_line`)."""
    found = labelled_line(lines, label)
    return (found[0], found[1]) if found else None


def labelled_line(lines: Sequence[TextLine], label: str) -> tuple[str, float, TextLine] | None:
    """The value printed after a label: in the label's own line ("性别女") or the nearest line to its right at the
    same height (a photo taken at a slant moves values up or down by part of a line)."""
    for line in lines:
        text = unicodedata.normalize("NFKC", line.text).replace(" ", "")
        if not text.startswith(label):
            continue
        rest = text[len(label):].lstrip(":：")
        if rest:
            return rest, line.confidence, line
        right = [
            other for other in lines
            if other is not line and other.box[0] >= line.box[2] - 0.6 * line.height
            and abs(other.middle - line.middle) < 0.8 * line.height
        ]
        if right:
            nearest = min(right, key=lambda other: other.box[0])
            value = unicodedata.normalize("NFKC", nearest.text).replace(" ", "")
            # the detector sometimes takes the label's last character into the value's box (签发机关 -> 关公安部...)
            for size in range(len(label), 0, -1):
                if value.startswith(label[-size:]) and len(value) > size:
                    value = value[size:]
                    break
            return value, min(line.confidence, nearest.confidence), nearest
    return None


def below(first: TextLine, lines: Sequence[TextLine], *, stop: float) -> list[TextLine]:
    """Continuation lines under `first` (a wrapped address), starting within its width, above the height `stop`."""
    out = []
    for line in sorted(lines, key=lambda candidate: candidate.box[1]):
        if line is first or line.middle <= first.middle + 0.5 * first.height or line.middle >= stop:
            continue
        if first.box[0] - 1.5 * first.height < line.box[0] < first.box[2]:
            out.append(line)
    return out


def characters_missing(text: str, box: tuple[float, float, float, float]) -> bool:
    """Whether a line of Chinese characters is much shorter than its box (the model skipped characters it does not
    know: Chinese characters are about as wide as they are high)."""
    width, height = box[2] - box[0], max(1.0, box[3] - box[1])
    return len(text) < 0.85 * width / height
