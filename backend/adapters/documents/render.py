"""Shared layout of the binding documents: A4 pages, the embedded CJK font, a footer with the application id and
"page x of y", and byte-for-byte deterministic output.

Determinism matters because the SHA-256 of a document is what the parties sign: the same facts must give the same
bytes. reportlab's invariant mode fixes the document id and the internal timestamps; the creation and modification
dates written in the PDF are the day the documents were prepared (`Page.prepared_on`), midnight Beijing time;
every other setting that could come from reportlab's global configuration is passed explicitly. The total page count
in the footer is known only after layout, so the canvas keeps each finished page's state and draws the footers, with
the total, when the document is saved: one layout per document.

Rendering is CPU-bound and synchronous; callers in the event loop run it in an executor. reportlab's per-font
subsetting state is shared by every document being built with that font, so builds are serialised by a lock.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from backend.adapters.documents.fonts import cjk_font_name, missing_glyphs
from backend.errors import InvalidInput

PAGE_SIZE = A4
MARGIN_X = 22 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm  # leaves room for the footer
FOOTER_Y = 11 * mm
TEXT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN_X

PRODUCER = "Kaiban"
_BEIJING_OFFSET = "+08'00'"

_render_lock = threading.Lock()


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    chapter: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    cell: ParagraphStyle
    cell_label: ParagraphStyle
    cell_head: ParagraphStyle
    note: ParagraphStyle
    signature: ParagraphStyle


@functools.cache
def styles() -> Styles:
    """The paragraph styles of the documents (CJK line breaking everywhere: a line may break between any two
    characters, except before closing and after opening punctuation)."""
    font = cjk_font_name()
    base = ParagraphStyle("kaiban-base", fontName=font, fontSize=11, leading=19, wordWrap="CJK", alignment=TA_LEFT)

    def style(name: str, **overrides: object) -> ParagraphStyle:
        return ParagraphStyle(f"kaiban-{name}", parent=base, **overrides)

    return Styles(
        title=style("title", fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=4 * mm),
        subtitle=style("subtitle", fontSize=10.5, leading=16, alignment=TA_CENTER, spaceAfter=5 * mm),
        chapter=style("chapter", fontSize=13.5, leading=22, alignment=TA_CENTER, spaceBefore=5 * mm, spaceAfter=2 * mm),
        section=style("section", fontSize=12.5, leading=20, spaceBefore=5 * mm, spaceAfter=2 * mm),
        body=style("body", firstLineIndent=22, spaceAfter=1.5 * mm),
        item=style("item", leftIndent=22, spaceAfter=0.8 * mm),
        cell=style("cell", fontSize=10, leading=15),
        cell_label=style("cell-label", fontSize=10, leading=15),
        cell_head=style("cell-head", fontSize=9.5, leading=14, alignment=TA_CENTER),
        note=style("note", fontSize=9, leading=14, spaceBefore=1.5 * mm, textColor=colors.HexColor("#444444")),
        signature=style("signature", fontSize=11.5, leading=24, spaceBefore=2 * mm),
    )


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: names and addresses are text, never markup)."""
    return Paragraph(escape(text), style)


def field_table(rows: Sequence[tuple[str, str]], *, label_width: float = 34 * mm) -> Table:
    """A two-column form: a shaded label cell and its value, wrapping as needed."""
    s = styles()
    data = [[para(label, s.cell_label), para(value, s.cell)] for label, value in rows]
    return _grid(data, [label_width, TEXT_WIDTH - label_width], shade_first_column=True)


def grid_table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float]) -> Table:
    """A table with a shaded header row; the header repeats when the table continues on the next page."""
    s = styles()
    data = [[para(text, s.cell_head) for text in header]]
    data += [[para(text, s.cell) for text in row] for row in rows]
    table = _grid(data, list(widths), shade_first_column=False)
    table.repeatRows = 1
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), _SHADE)]))
    return table


_SHADE = colors.HexColor("#EEEEEE")


def _grid(data: list[list[Flowable]], widths: list[float], *, shade_first_column: bool) -> Table:
    table = Table(data, colWidths=widths, splitInRow=1, hAlign="LEFT")
    commands: list[tuple[object, ...]] = [
        # Cells hold paragraphs, but the table still selects a cell font: without this it would pull in a
        # non-embedded Helvetica.
        ("FONTNAME", (0, 0), (-1, -1), cjk_font_name()),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    if shade_first_column:
        commands.append(("BACKGROUND", (0, 0), (0, -1), _SHADE))
    table.setStyle(TableStyle(commands))
    return table


@dataclass(frozen=True, kw_only=True)
class Page:
    """What every page of a document carries: the application id and page numbers in the footer, the PDF's title,
    language and dates (the preparation day, midnight Beijing time)."""

    application_id: str
    prepared_on: dt.date
    title: str
    lang: str = "zh-CN"


_FOOTERS = {
    "zh-CN": ("申请编号：{id}", "第 {page} 页 / 共 {total} 页"),
    "zh-HK": ("申請編號：{id}", "第 {page} 頁 / 共 {total} 頁"),
    "en": ("Application {id}", "Page {page} of {total}"),
}


def render_document(
    page: Page, *, story: Callable[[], list[Flowable]], texts: Sequence[tuple[str, str]] = ()
) -> bytes:
    """Lay out `story()` on A4 pages with the footer and return the PDF bytes (deterministic); `texts` are the
    printed values (field, text) the font must be able to draw."""
    _check_glyphs(texts)
    with _render_lock:
        return _build(page, story)


class _FooterCanvas(Canvas):
    """A canvas that holds back each finished page until the document is saved, then draws every page's footer
    with the page count known ("第 x 页 / 共 y 页") and emits the pages in order."""

    def __init__(self, *args: object, footer: Callable[[Canvas, int, int], None], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._footer(self, self._pageNumber, total)
            super().showPage()
        super().save()


def _build(page_info: Page, story: Callable[[], list[Flowable]]) -> bytes:
    font = cjk_font_name()
    buffer = io.BytesIO()
    created = f"D:{page_info.prepared_on:%Y%m%d}000000{_BEIJING_OFFSET}"
    left, right = _FOOTERS[page_info.lang]

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setDateFormatter(lambda *_: created)
        canvas.setProducer(PRODUCER)

    def footer(canvas: Canvas, page: int, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#888888"))
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN_X, FOOTER_Y + 4.5 * mm, PAGE_SIZE[0] - MARGIN_X, FOOTER_Y + 4.5 * mm)
        canvas.setFont(font, 8.5)
        canvas.setFillColor(colors.HexColor("#333333"))
        canvas.drawString(MARGIN_X, FOOTER_Y, left.format(id=page_info.application_id))
        canvas.drawRightString(PAGE_SIZE[0] - MARGIN_X, FOOTER_Y, right.format(page=page, total=total))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=page_info.title,
        author=PRODUCER,
        subject=left.format(id=page_info.application_id),
        creator=PRODUCER,
        keywords="",
        invariant=1,
        pageCompression=1,
        lang=page_info.lang,
        initialFontName=font,
        initialFontSize=11,
        initialLeading=19,
    )
    doc.build(story(), onFirstPage=on_page, onLaterPages=on_page,
              canvasmaker=functools.partial(_FooterCanvas, footer=footer))
    return buffer.getvalue()


def _check_glyphs(texts: Sequence[tuple[str, str]]) -> None:
    """Refuse text the font cannot draw: a binding document must not show an empty box where a name should be."""
    for name, text in texts:
        missing = missing_glyphs(text)
        if missing:
            raise InvalidInput(
                "field_invalid",
                field=name,
                reason="contains characters the document font cannot print: "
                + " ".join(f"{char} (U+{ord(char):04X})" for char in missing),
            )
