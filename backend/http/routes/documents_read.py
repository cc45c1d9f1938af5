"""POST /api/v1/documents/read: fields of an identity document read from photos (stateless: nothing is stored)."""
from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import BodyPartReader, web
from aiohttp.http_exceptions import BadHttpMessage

from backend.adapters.ocr.images import MAX_IMAGE_BYTES, UploadRejected, decode, too_large
from backend.clock import SystemClock
from backend.errors import BadRequest, InvalidInput
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.ratelimit import limit
from backend.http.responses import json_response
from backend.keys import CLOCK
from backend.services.ocr import PARTS, DocumentReader, check_parts

CHINA = ZoneInfo("Asia/Shanghai")
MAX_TYPE_BYTES = 64
FORM_PARTS = ("type", "front", "back", "image")
PHOTO = {"type": "string", "format": "binary", "contentMediaType": "image/jpeg"}
REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"type": "string", "enum": list(PARTS)}, "front": PHOTO, "back": PHOTO, "image": PHOTO},
    "additionalProperties": False,
}
_READER = DocumentReader()

RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "fields", "needs_confirmation"],
    "properties": {
        "type": {"type": "string", "enum": list(PARTS)},
        "fields": {"type": "array", "items": {"type": "object", "required": ["name", "value", "confidence", "status"]}},
        "needs_confirmation": {"type": "array", "items": {"type": "string"}},
        "stored": {"type": "boolean", "const": False},
    },
}


async def _read_part(part, name: str) -> bytes:
    chunks, size = [], 0
    while chunk := await part.read_chunk(64 * 1024):
        size += len(chunk)
        if size > (MAX_IMAGE_BYTES if name != "type" else MAX_TYPE_BYTES):
            raise too_large(name)
        chunks.append(chunk)
    return b"".join(chunks)


async def _read_form(request: web.Request) -> tuple[str | None, dict[str, bytes]]:
    """The `type` part and the photo parts of a multipart/form-data body (400 for a malformed one)."""
    if request.content_type != "multipart/form-data":
        raise UploadRejected("upload_not_multipart", status=415, content_type=request.content_type or "(none)")
    doc_type, raw = None, {}
    try:
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            name = getattr(part, "name", None) or "(unnamed)"
            if not isinstance(part, BodyPartReader):  # a nested multipart is no photo
                raise InvalidInput("upload_unexpected_part", part=name[:40], expected=list(FORM_PARTS))
            data = await _read_part(part, name)
            if name == "type":
                doc_type = data.decode("utf-8", "replace").strip()
            elif name in raw or len(raw) >= 2:
                raise InvalidInput("upload_unexpected_part", part=name[:40], expected=list(FORM_PARTS))
            else:
                raw[name] = data
    # aiohttp's reader: no or a bad boundary (KeyError, ValueError), a part's unknown encoding (RuntimeError),
    # broken part headers (BadHttpMessage)
    except (KeyError, ValueError, RuntimeError, BadHttpMessage):
        raise BadRequest("upload_malformed") from None
    return doc_type, raw


async def read_identity_document(request: web.Request) -> web.Response:
    """Read the fields of a document from multipart photos: `type`, then `front`/`back` or `image`."""
    # counted before the upload is read: a read costs about 0.4 s of CPU an image (bench/results/ocr.md)
    await limit(request, "document_read")
    doc_type, raw = await _read_form(request)
    check_parts(doc_type or "", raw)
    loop = asyncio.get_running_loop()
    images = {}
    for name, data in raw.items():
        images[name] = await loop.run_in_executor(None, lambda d=data, n=name: decode(d, part=n))
    clock = request.config_dict.get(CLOCK) or SystemClock()
    result = await _READER.read(type=doc_type, images=images, today=clock.now().astimezone(CHINA).date())
    lang = language(request)
    return json_response(
        {
            "type": result.type,
            "fields": [{"side": side, **f.to_dict(lang)} for side, f in result.fields],
            "needs_confirmation": result.needs_confirmation,
            "stored": False,
        },
        headers={"Cache-Control": "no-store"},
    )


def operations() -> list[Operation]:
    """The stateless document reader."""
    return [
        Operation(method="POST", path="/api/v1/documents/read", handler=read_identity_document, tag="identity",
                  response=RESPONSE_SCHEMA, errors=(400, 413, 415, 422),
                  request_body={"multipart/form-data": REQUEST_SCHEMA},
                  summary="Read an identity document's fields from photos (OCR, offline; nothing stored)"),
    ]
