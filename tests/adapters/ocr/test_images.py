"""Upload checks before OCR: type by content, size, decompression bombs, truncated files, EXIF orientation."""
from __future__ import annotations

import io
import zlib

import pytest
from PIL import Image

from backend.adapters.ocr import images
from backend.adapters.ocr.images import UploadRejected, decode, sniff
from backend.errors import InvalidInput


def _jpeg(size=(300, 200), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, "JPEG", **save)
    return out.getvalue()


def test_type_is_sniffed_from_the_content_not_the_name() -> None:
    assert sniff(_jpeg()) == "JPEG"
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    assert sniff(out.getvalue()) == "PNG"
    assert sniff(b"%PDF-1.7 ...") is None
    with pytest.raises(UploadRejected) as caught:
        decode(b"GIF89a" + b"\0" * 100, part="front")
    assert caught.value.status == 415 and caught.value.code == "upload_type_unsupported"


def test_a_photo_past_the_size_limit_is_413(monkeypatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1000)
    with pytest.raises(UploadRejected) as caught:
        decode(_jpeg(), part="image")
    assert caught.value.status == 413 and caught.value.params["limit"] == 1000


def _png_bomb(width: int, height: int) -> bytes:
    """A valid PNG header announcing a huge image, with a tiny compressed body."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    body = zlib.compress(b"\0" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    data = _png_bomb(50_000, 50_000)
    assert len(data) < 2000
    with pytest.raises(InvalidInput) as caught:
        decode(data, part="image")
    assert caught.value.code == "upload_too_many_pixels" and caught.value.status == 422


def test_a_truncated_photo_is_unreadable() -> None:
    with pytest.raises(InvalidInput) as caught:
        decode(_jpeg()[:200], part="back")
    assert caught.value.code == "upload_unreadable"


def test_exif_orientation_is_applied_and_large_photos_are_scaled() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees clockwise when shown
    upright = decode(_jpeg((300, 200), exif=exif.tobytes()), part="image")
    assert upright.size == (200, 300)
    big = decode(_jpeg((3200, 2000)), part="image")
    assert big.size == (images.OCR_WIDTH, 1000)
