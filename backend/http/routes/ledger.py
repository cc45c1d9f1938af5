"""The public ledger API: checkpoint, verifier key, entries and RFC 9162 proofs."""
from __future__ import annotations

import base64

from aiohttp import web

from backend.http.responses import json_response

from backend.http.openapi import Operation
from backend.http.request import parse_query
from backend.http.schemas import ConsistencyQuery, ProofQuery
from backend.errors import NotFound
from backend.keys import CLOCK, SERVICES

HASHES = {"type": "object", "required": ["hashes"], "properties": {"hashes": {"type": "array", "items": {"type": "string"}}}}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


async def get_checkpoint(request: web.Request) -> web.Response:
    _, text = await request.config_dict[SERVICES].ledger.checkpoint(now=request.config_dict[CLOCK].now())
    return web.Response(text=text, content_type="text/plain", charset="utf-8", headers={"Cache-Control": "no-cache"})


async def get_key(request: web.Request) -> web.Response:
    keys = request.config_dict[SERVICES].ledger.verifier_keys  # the current key first, then keys rotating out or in
    return web.Response(text="".join(key + "\n" for key in keys), content_type="text/plain")


async def get_entry(request: web.Request) -> web.Response:
    raw = request.match_info["index"]
    if not raw.isdigit() or len(raw) > 18:
        raise NotFound("ledger_entry_not_found", index=raw[:20])
    entry = await request.config_dict[SERVICES].ledger.entry(int(raw))
    if entry is None:
        raise NotFound("ledger_entry_not_found", index=int(raw))
    return json_response({"index": entry.idx, "leaf": _b64(bytes(entry.leaf)), "leaf_hash": _b64(bytes(entry.leaf_hash))},
                             headers={"Cache-Control": "public, max-age=31536000, immutable"})


async def get_inclusion_proof(request: web.Request) -> web.Response:
    query = parse_query(request, ProofQuery)
    proof = await request.config_dict[SERVICES].ledger.inclusion_proof(index=query.index, size=query.size)
    return json_response({"hashes": [_b64(h) for h in proof]})


async def get_consistency_proof(request: web.Request) -> web.Response:
    query = parse_query(request, ConsistencyQuery)
    proof = await request.config_dict[SERVICES].ledger.consistency_proof(old_size=query.old, size=query.size)
    return json_response({"hashes": [_b64(h) for h in proof]})


def operations() -> list[Operation]:
    """The ledger endpoints (public)."""
    def op(path, handler, summary, **kw):
        return Operation(method="GET", path=path, handler=handler, summary=summary, tag="ledger", **kw)

    return [
        op("/api/v1/ledger/checkpoint", get_checkpoint, "Latest signed checkpoint (C2SP)", response_type="text/plain", response={"type": "string"}),
        op("/api/v1/ledger/key", get_key, "The log's verifier keys, one per line (current first)", response_type="text/plain", response={"type": "string"}),
        op("/api/v1/ledger/entries/{index}", get_entry, "One entry", errors=(404,)),
        op("/api/v1/ledger/proofs/inclusion", get_inclusion_proof, "RFC 9162 inclusion proof", query=ProofQuery, response=HASHES, errors=(422,)),
        op("/api/v1/ledger/proofs/consistency", get_consistency_proof, "RFC 9162 consistency proof", query=ConsistencyQuery, response=HASHES, errors=(422,)),
    ]
