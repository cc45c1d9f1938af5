"""The stateless inline check of an identity document number, for the participant form (nothing is stored)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from aiohttp import web
from pydantic import StringConstraints

from backend.clock import SystemClock
from backend.domain.id_documents import DOCUMENT_TYPES, check_document
from backend.http.openapi import Operation
from backend.http.ratelimit import limit
from backend.http.problems import language
from backend.http.request import parse_body
from backend.http.responses import json_response
from backend.http.schemas import Body
from backend.keys import CLOCK

CHINA = ZoneInfo("Asia/Shanghai")


class DocumentCheckRequest(Body):
    """A document type (see `DOCUMENT_TYPES`), its number (for `passport_mrz` the two MRZ lines) and its expiry."""

    type: Annotated[str, StringConstraints(min_length=1, max_length=48)]
    number: Annotated[str, StringConstraints(max_length=200)]
    expiry: Annotated[str, StringConstraints(max_length=64)] | None = None


RESPONSE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["valid", "findings", "derived"],
    "properties": {
        "valid": {"type": "boolean"},
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "message", "messages"],
                "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "messages": {"type": "object"}},
            },
        },
        "derived": {"type": "object", "description": "what the number encodes: birth_date, sex, expiry, region ..."},
    },
}


def _today(request: web.Request) -> dt.date:
    clock = request.config_dict.get(CLOCK) or SystemClock()
    return clock.now().astimezone(CHINA).date()


async def check_identity_document(request: web.Request) -> web.Response:
    await limit(request, "identity_check")
    """Check a document number and answer the verdict, its findings and what the number encodes."""
    body = await parse_body(request, DocumentCheckRequest)
    result = check_document(type=body.type, number=body.number, today=_today(request), expiry=body.expiry)
    lang = language(request)
    return json_response(
        {
            "valid": result.valid,
            "findings": [finding.to_dict(lang) for finding in result.findings],
            "derived": result.derived,
        },
        headers={"Cache-Control": "no-store"},
    )


def operations() -> list[Operation]:
    """The inline identity document check (no login: it stores nothing)."""
    return [
        Operation(method="POST", path="/api/v1/identity/documents/check", handler=check_identity_document,
                  tag="identity", body=DocumentCheckRequest, response=RESPONSE_SCHEMA,
                  summary=f"Check an identity document number ({', '.join(DOCUMENT_TYPES)})"),
    ]
