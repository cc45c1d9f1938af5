"""The witness's aiohttp application: `POST /add-checkpoint` (C2SP tlog-witness) answering with cosignature lines."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from aiohttp import web

from backend.ledger.checkpoint import SIG_ED25519, CosignatureSigner, NoteVerifier
from backend.ledger.errors import CheckpointError
from backend.witness.protocol import (
    SIZE_CONTENT_TYPE,
    SizeConflict,
    WitnessRefusal,
    format_size,
    judge,
    open_request_checkpoint,
    parse_request,
)
from backend.witness.state import WitnessStore

MAX_BODY_BYTES = 128 * 1024
_log = logging.getLogger("backend.witness")


@dataclass(frozen=True)
class WitnessConfig:
    """What a running witness needs: its cosigning key, the trusted log keys per origin, its store and clock."""

    cosigner: CosignatureSigner
    logs: Mapping[str, tuple[NoteVerifier, ...]]
    store: WitnessStore
    clock: Callable[[], float]


WITNESS = web.AppKey("witness", WitnessConfig)


def _refusal_response(refusal: WitnessRefusal) -> web.Response:
    if isinstance(refusal, SizeConflict):
        return web.Response(status=409, body=format_size(refusal.latest_size), content_type=SIZE_CONTENT_TYPE)
    return web.Response(status=refusal.status, text=f"{refusal.code}\n")


async def _cosign(config: WitnessConfig, body: bytes) -> str:
    """Run the add-checkpoint checks, persist a newer checkpoint with compare-and-swap and return the cosignature."""
    request = parse_request(body)
    checkpoint = open_request_checkpoint(note=request.note, logs=config.logs)
    latest = await asyncio.to_thread(config.store.latest, origin=checkpoint.origin)
    advance = judge(
        old_size=request.old_size,
        proof=request.proof,
        checkpoint=checkpoint,
        latest_size=latest.size,
        latest_root=latest.root,
    )
    if advance:
        won = await asyncio.to_thread(
            config.store.compare_and_swap, old_size=request.old_size, checkpoint=checkpoint, note=request.note
        )
        if not won:
            now = await asyncio.to_thread(config.store.latest, origin=checkpoint.origin)
            raise SizeConflict(latest_size=now.size, old_size=request.old_size, reason="lost_compare_and_swap")
    return config.cosigner.signature_line(checkpoint.body(), timestamp=int(config.clock()))


async def add_checkpoint(request: web.Request) -> web.Response:
    """Handle `POST /add-checkpoint`: 200 with the cosignature line, or the spec's refusal status."""
    config = request.app[WITNESS]
    body = await request.read()
    try:
        line = await _cosign(config, body)
    except WitnessRefusal as refusal:
        _log.info("add-checkpoint refused: %s", refusal)
        return _refusal_response(refusal)
    return web.Response(status=200, text=line, content_type="text/plain", charset="utf-8")


def create_witness_app(
    *,
    cosigner: CosignatureSigner,
    logs: Mapping[str, Sequence[NoteVerifier]],
    store: WitnessStore,
    clock: Callable[[], float] = time.time,
) -> web.Application:
    """Return the witness application for `logs` ({origin: trusted log verifier keys}) cosigning with `cosigner`."""
    pinned: dict[str, tuple[NoteVerifier, ...]] = {}
    for origin, verifiers in logs.items():
        keys = tuple(verifiers)
        if not keys or any(v.sig_type != SIG_ED25519 for v in keys):
            raise CheckpointError(reason="witness_log_keys", origin=origin, detail="need Ed25519 (0x01) log keys")
        pinned[origin] = keys
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[WITNESS] = WitnessConfig(cosigner=cosigner, logs=pinned, store=store, clock=clock)
    app.router.add_post("/add-checkpoint", add_checkpoint)
    return app
