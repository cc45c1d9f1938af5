"""Public licence verification."""
from __future__ import annotations

import io

import segno
from aiohttp import web

from backend.http.openapi import Operation
from backend.http.responses import json_response
from backend.keys import SERVICES
from backend.ledger.bundle import FILE_EXTENSION
from backend.services.licences import licence_bundle, licence_tlog_proof

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
        "bundle_url": {"type": "string"},
    },
}


async def verify_licence(request: web.Request) -> web.Response:
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    return json_response(bundle)


async def download_bundle(request: web.Request) -> web.Response:
    uscc, text = await licence_tlog_proof(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    return web.Response(
        text=text, content_type="text/plain", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{uscc}{FILE_EXTENSION}"', "Cache-Control": "no-cache"},
    )


async def licence_qr(request: web.Request) -> web.Response:
    """The QR code a licence carries: the address of its public verification, as SVG."""
    bundle = await licence_bundle(request.config_dict[SERVICES], uscc=request.match_info["uscc"])
    target = f"{request.url.origin()}/api/v1/licences/{bundle['licence']['uscc']}"
    svg = io.BytesIO()
    segno.make(target, error="m").save(svg, kind="svg", scale=4, border=2, title=bundle["licence"]["uscc"])
    return web.Response(body=svg.getvalue(), content_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


def operations() -> list[Operation]:
    """The public licence endpoint."""
    return [
        Operation(method="GET", path="/api/v1/licences/{uscc}", handler=verify_licence, tag="public",
                  summary="A licence, its status and its ledger proof", response=BUNDLE_SCHEMA, errors=(404, 422)),
        Operation(method="GET", path="/api/v1/licences/{uscc}/bundle", handler=download_bundle, tag="public",
                  summary="The licence's proof bundle (C2SP tlog-proof, the ledger entry in its extra line), for "
                          "`python -m backend.ledger verify`", response_type="text/plain", response={"type": "string"},
                  errors=(404, 422)),
        Operation(method="GET", path="/api/v1/licences/{uscc}/qr.svg", handler=licence_qr, tag="public",
                  summary="The licence's QR code (SVG): the address of its public verification",
                  response_type="image/svg+xml", response={"type": "string"}, errors=(404, 422)),
    ]
