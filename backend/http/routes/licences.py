"""Public licence verification."""
from __future__ import annotations

from aiohttp import web

from backend.http.responses import json_response

from backend.http.openapi import Operation
from backend.keys import SERVICES
from backend.services.licences import licence_bundle

BUNDLE_SCHEMA = {
    "type": "object",
    "required": ["licence", "status", "ledger"],
    "properties": {
        "licence": {"type": "object"},
        "status": {"type": "string"},
        "ledger": {
            "type": "object",
            "required": ["index", "leaf", "inclusion", "checkpoint"],
            "properties": {
                "index": {"type": "integer"},
                "leaf": {"type": "string", "contentEncoding": "base64"},
                "inclusion": {"type": "object", "properties": {"size": {"type": "integer"}, "hashes": {"type": "array", "items": {"type": "string"}}}},
                "checkpoint": {"type": "string"},
            },
        },
    },
}


async def verify_licence(request: web.Request) -> web.Response:
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    return json_response(bundle)


def operations() -> list[Operation]:
    """The public licence endpoint."""
    return [
        Operation(method="GET", path="/api/v1/licences/{uscc}", handler=verify_licence, tag="public",
                  summary="A licence, its status and its ledger proof", response=BUNDLE_SCHEMA, errors=(404, 422)),
    ]
