"""The CJK font the binding documents embed, shipped in `backend/data/fonts/` (see SOURCE.md there).

reportlab's built-in CID font (STSong-Light) is never embedded, so a reader without a Chinese font shows empty
boxes; a binding document must carry its glyphs. WenQuanYi Micro Hei has TrueType outlines, which reportlab
subsets and embeds as `FontFile2`. The font is loaded and registered once, lazily, on first use.
"""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "KaibanCJK"
"""The name the documents use in reportlab styles."""

FONT_POSTSCRIPT_NAME = "WenQuanYiMicroHei"
"""The font's own name; the embedded subsets are called `XXXXXX+WenQuanYiMicroHei-0` in the PDF."""

FONT_PATH = Path(__file__).resolve().parents[2] / "data" / "fonts" / "wqy-microhei.ttc"
FONT_SUBFONT_INDEX = 0  # face 0 of the collection: "WenQuanYi Micro Hei" (face 1 is the Mono variant)
FONT_SHA256 = "2420e8078af796b19a3f6ef13de527a1a91c1e7171eea115926c614ced1009b3"

_lock = threading.Lock()
_font: TTFont | None = None


def cjk_font() -> TTFont:
    """Return the shipped CJK font, registered with reportlab under `FONT_NAME` (loaded on the first call)."""
    global _font
    font = _font
    if font is not None:
        return font
    with _lock:
        if _font is None:
            _font = _load()
            pdfmetrics.registerFont(_font)
        return _font


def cjk_font_name() -> str:
    """Return `FONT_NAME`, making sure the font is registered first."""
    cjk_font()
    return FONT_NAME


def has_glyph(char: str) -> bool:
    """Whether the shipped font draws `char` (a single character) with a real glyph."""
    return ord(char) in cjk_font().face.charToGlyph


def missing_glyphs(text: str) -> list[str]:
    """The distinct characters of `text` the font cannot draw, in order of first appearance (whitespace ignored)."""
    cmap = cjk_font().face.charToGlyph
    missing: dict[str, None] = {}
    for char in text:
        if not char.isspace() and ord(char) not in cmap:
            missing.setdefault(char, None)
    return list(missing)


def _load() -> TTFont:
    try:
        data = FONT_PATH.read_bytes()
    except FileNotFoundError:
        raise RuntimeError(f"the document font is missing: {FONT_PATH} (it ships with the package)") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != FONT_SHA256:
        # The signed documents' hashes depend on these exact bytes: a different font must be a deliberate change.
        raise RuntimeError(f"the document font {FONT_PATH.name} has SHA-256 {digest}, expected {FONT_SHA256}")
    # asciiReadable and shapable are fixed here rather than taken from reportlab's global defaults, so that the
    # output cannot change with someone else's rl_config or with an optional shaping library being installed.
    return TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=FONT_SUBFONT_INDEX, asciiReadable=True, shapable=False)
