"""The log side of witnessing: ask each configured witness to cosign the latest checkpoint and keep its answer.

Each witness remembers the last size it cosigned; we track it per witness (learning it from a 409 answer when we
do not know it, e.g. after a restart or when another server process asked first) and send the consistency proof
from that size. Verifiers decide themselves which witnesses and what quorum they trust; the log only collects.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Sequence

import aiohttp

from backend.clock import Clock
from backend.ledger.checkpoint import NoteVerifier
from backend.ledger.errors import LedgerError
from backend.ledger.store import LedgerStore
from backend.witness.client import WitnessClientError, add_checkpoint

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Witness:
    """A witness the log submits checkpoints to: its add-checkpoint URL and its cosignature verifier key."""

    url: str
    verifier: NoteVerifier

    @property
    def name(self) -> str:
        """The witness's key name."""
        return self.verifier.name


def parse_witnesses(items: Sequence[str]) -> list[Witness]:
    """Parse settings entries "<add-checkpoint URL> <witness verifier key>"."""
    witnesses = []
    for item in items:
        url, _, vkey = item.strip().partition(" ")
        if not url.startswith(("http://", "https://")) or not vkey.strip():
            raise ValueError(f"LEDGER_WITNESSES: expected '<URL> <verifier key>', got {item[:80]!r}")
        witnesses.append(Witness(url=url, verifier=NoteVerifier.from_verifier_key(vkey.strip())))
    return witnesses


class CosignatureCollector:
    """Submits checkpoints to witnesses and stores their cosignatures beside the log's signed note."""

    def __init__(self, *, store: LedgerStore, session: aiohttp.ClientSession, witnesses: Sequence[Witness], clock: Clock) -> None:
        self._store = store
        self._session = session
        self._witnesses = tuple(witnesses)
        self._clock = clock
        self._known: dict[str, int] = {}  # witness name -> the last size it cosigned (as far as we know)

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        """The configured witnesses."""
        return self._witnesses

    async def collect(self) -> dict[str, str]:
        """Submit the current checkpoint to every witness; return {witness name: outcome} ("cosigned" or why not)."""
        size, note = await self._store.log_note(now=self._clock.now())
        if size == 0:
            return {w.name: "empty_log" for w in self._witnesses}
        results = await asyncio.gather(*(self._submit(w, size=size, note=note) for w in self._witnesses))
        return {w.name: outcome for w, outcome in zip(self._witnesses, results)}

    async def _submit(self, witness: Witness, *, size: int, note: str) -> str:
        for _ in range(2):  # a 409 teaches us the witness's size; then one more try
            old = self._known.get(witness.name, 0)
            if old > size:
                return f"witness_ahead:{old}"  # another process had it cosign a newer checkpoint
            try:
                proof = [] if old in (0, size) else await self._store.consistency_proof(old_size=old, size=size)
                answer = await add_checkpoint(
                    self._session, witness.url, old_size=old, proof=proof, checkpoint=note, verifier=witness.verifier
                )
            except (WitnessClientError, LedgerError) as exc:
                log.warning("witness %s did not cosign checkpoint %d: %s %s", witness.name, size, exc.code, exc.params)
                return exc.code
            if answer.accepted:
                await self._store.add_cosignatures(size=size, lines=answer.cosignatures)
                self._known[witness.name] = size
                return "cosigned"
            self._known[witness.name] = answer.conflict_size or 0
        return "size_conflict"

    async def run(self, *, interval: float) -> None:
        """Background loop: collect cosignatures for the latest checkpoint every `interval` seconds."""
        while True:
            try:
                await self.collect()
            except asyncio.CancelledError:
                raise
            except Exception:  # keep witnessing alive; the next round retries
                log.exception("collecting cosignatures failed")
            await asyncio.sleep(interval)


async def collector_loop(collector: CosignatureCollector, *, interval: float) -> AsyncIterator[None]:
    """For cleanup_ctx: run the collector for the app's lifetime."""
    task = asyncio.create_task(collector.run(interval=interval))
    yield
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
