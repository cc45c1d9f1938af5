"""POST /api/v1/documents/read against hostile uploads: other file types, decompression bombs and broken multipart
bodies are refused with their problem codes before any OCR runs."""
from __future__ import annotations

import io
import struct
import zlib

import aiohttp
import pytest
from aiohttp import web
from PIL import Image

from backend.adapters.ocr import images
from backend.http.problems import problem_middleware
from backend.http.routes import documents_read

PATH = "/api/v1/documents/read"


@pytest.fixture
async def client(aiohttp_client):
    app = web.Application(middlewares=[problem_middleware])
    for op in documents_read.operations():
        app.router.add_route(op.method, op.path, op.handler)
    return await aiohttp_client(app)


def form(**parts: bytes) -> aiohttp.FormData:
    data = aiohttp.FormData(default_to_multipart=True)
    data.add_field("type", "hk_id")
    for name, content in parts.items():
        data.add_field(name, content, filename=f"{name}.jpg", content_type="image/jpeg")
    return data


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels, with almost no data: a bomb by declaration."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + _chunk(b"IEND", b"")


def compressed_bomb() -> bytes:
    """A real 8000 x 6000 one-bit PNG of one colour: a few kilobytes that inflate to 48 megapixels."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


async def _problem(response, status: int, code: str) -> dict:
    body = await response.json()
    assert response.status == status and body["code"] == code, (response.status, body)
    return body


@pytest.mark.parametrize(("content", "label"), [
    (b"GIF89a" + b"\0" * 200, "gif"),
    (b"PK\x03\x04" + b"\0" * 200, "zip"),
    (b"\x1f\x8b\x08\0" + zlib.compress(b"\0" * 10_000), "gzip"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "svg"),
    (b"II*\0" + b"\0" * 200, "tiff"),
])
async def test_other_file_types_are_415_whatever_they_are_called(client, content, label) -> None:
    await _problem(await client.post(PATH, data=form(image=content)), 415, "upload_type_unsupported")


async def test_a_png_declaring_a_billion_pixels_is_refused_before_it_is_decoded(client) -> None:
    body = await _problem(await client.post(PATH, data=form(image=png_declaring(40_000, 30_000))), 422,
                          "upload_too_many_pixels")
    assert body["params"]["limit"] == images.MAX_PIXELS


async def test_a_compressed_decompression_bomb_is_refused(client) -> None:
    bomb = compressed_bomb()
    assert len(bomb) < 100_000  # small on the wire, 48 megapixels once inflated
    await _problem(await client.post(PATH, data=form(image=bomb)), 422, "upload_too_many_pixels")


async def test_multipart_without_a_boundary_is_400(client) -> None:
    response = await client.post(PATH, data=b"--x\r\n\r\n", headers={"Content-Type": "multipart/form-data"})
    await _problem(response, 400, "upload_malformed")


async def test_a_multipart_body_that_does_not_start_with_its_boundary_is_400(client) -> None:
    response = await client.post(PATH, data=b"garbage without any boundary\r\n",
                                 headers={"Content-Type": "multipart/form-data; boundary=abc"})
    await _problem(response, 400, "upload_malformed")


async def test_other_multipart_kinds_are_415(client) -> None:
    response = await client.post(PATH, data=b"--abc--\r\n", headers={"Content-Type": "multipart/mixed; boundary=abc"})
    await _problem(response, 415, "upload_not_multipart")
