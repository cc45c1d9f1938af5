"""POST /api/v1/documents/read: fields of an identity document read from photos (stateless: nothing is stored)."""
from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from backend.adapters.ocr.images import MAX_IMAGE_BYTES, UploadRejected, decode, too_large
from backend.clock import SystemClock
from backend.errors import InvalidInput
from backend.http.openapi import Operation
from backend.http.problems import language
from backend.http.responses import json_response
from backend.keys import CLOCK
from backend.services.ocr import PARTS, DocumentReader, check_parts

CHINA = ZoneInfo("Asia/Shanghai")
MAX_TYPE_BYTES = 64
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


async def read_identity_document(request: web.Request) -> web.Response:
    """Read the fields of a document from multipart photos: `type`, then `front`/`back` or `image`."""
    if not request.content_type.startswith("multipart/"):
        raise UploadRejected("upload_not_multipart", status=415, content_type=request.content_type or "(none)")
    reader = await request.multipart()
    doc_type, raw = None, {}
    while (part := await reader.next()) is not None:
        name = part.name or "(unnamed)"
        data = await _read_part(part, name)
        if name == "type":
            doc_type = data.decode("utf-8", "replace").strip()
        elif name in raw or len(raw) >= 2:
            raise InvalidInput("upload_unexpected_part", part=name[:40], expected=["type", "front", "back", "image"])
        else:
            raw[name] = data
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
                  response=RESPONSE_SCHEMA, errors=(413, 415, 422),
                  summary="Read an identity document's fields from photos (OCR, offline; nothing stored)"),
    ]
