"""Checks on an uploaded photo before OCR: type by content, size, pixel count (decompression bombs), EXIF rotation."""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from backend.errors import InvalidInput, KaibanError

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is refused; documents read well from 2-12 megapixels
OCR_WIDTH = 1600  # larger photos are scaled down to this width before OCR (speed; the text stays legible)
_SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
)


class UploadRejected(KaibanError):
    """A photo that is not accepted (415 type, 413 size, 422 unreadable or too many pixels)."""


def sniff(data: bytes) -> str | None:
    """The image format by its first bytes (JPEG, PNG, WebP), never by the name or the declared type."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def too_large(part: str) -> UploadRejected:
    """The 413 for a photo past MAX_IMAGE_BYTES."""
    return UploadRejected("upload_too_large", status=413, part=part, limit=MAX_IMAGE_BYTES)


def decode(data: bytes, *, part: str) -> Image.Image:
    """The photo as an upright RGB image (EXIF orientation applied), after every check."""
    if len(data) > MAX_IMAGE_BYTES:
        raise too_large(part)
    kind = sniff(data)
    if kind is None:
        raise UploadRejected("upload_type_unsupported", status=415, part=part)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
            pixels = image.width * image.height
            if pixels > MAX_PIXELS:
                raise InvalidInput("upload_too_many_pixels", part=part, pixels=pixels, limit=MAX_PIXELS)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("upload_too_many_pixels", part=part, pixels="?", limit=MAX_PIXELS) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise InvalidInput("upload_unreadable", part=part) from None
    image = image.convert("RGB")
    if image.width > OCR_WIDTH:
        image = image.resize((OCR_WIDTH, round(image.height * OCR_WIDTH / image.width)), Image.LANCZOS)
    return image
