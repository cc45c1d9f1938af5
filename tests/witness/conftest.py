"""Fixtures of the witness tests: a log with a real Merkle tree, its signing key, and a witness app on a temp file."""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from backend.ledger.checkpoint import Checkpoint, NoteSigner, cosigner_from_seed, signer_from_seed
from backend.ledger.tiles import MemoryTree
from backend.witness.app import create_witness_app
from backend.witness.protocol import format_request
from backend.witness.state import Latest, WitnessStore

ORIGIN = "kaiban.example/formation-ledger"
LOG = signer_from_seed(ORIGIN, bytes(range(32)))
OTHER_LOG = signer_from_seed("other.example/log", bytes(range(1, 33)))
COSIGNER = cosigner_from_seed("witness.example/w1", bytes(range(2, 34)))
NOW = 1_700_000_000


def make_tree(size: int, *, tag: bytes = b"leaf") -> MemoryTree:
    """A tree of `size` leaves `tag-0`, `tag-1`, ..."""
    tree = MemoryTree()
    tree.extend(tag + b"-" + str(i).encode() for i in range(size))
    return tree


def signed(tree: MemoryTree, size: int, *, signer: NoteSigner = LOG, origin: str = ORIGIN) -> str:
    """The signed checkpoint note of `tree` at `size`."""
    return signer.sign(Checkpoint(origin, size, tree.root(size)).body())


def request_body(tree: MemoryTree, *, old: int, size: int, signer: NoteSigner = LOG) -> bytes:
    """An add-checkpoint body for `tree` at `size` with the real consistency proof from `old`."""
    proof = tree.consistency_proof(old, size) if 0 < old <= size else []
    return format_request(old_size=old, proof=proof, checkpoint=signed(tree, size, signer=signer))


@dataclass
class Clock:
    """A settable clock for the witness's cosignature timestamps."""

    now: float = NOW

    def __call__(self) -> float:
        return self.now


@dataclass
class Witness:
    """A witness app under test: its client, store file and clock."""

    client: TestClient
    store: WitnessStore
    clock: Clock
    restart: Callable = field(repr=False)

    async def post(self, body: bytes):
        return await self.client.post("/add-checkpoint", data=body)


class BarrierStore(WitnessStore):
    """A store whose first `parties` reads wait for each other, so the requests' compare-and-swaps truly race."""

    def __init__(self, path: Path, *, parties: int) -> None:
        super().__init__(path)
        self.barrier = threading.Barrier(parties, timeout=10)
        self._reads = 0
        self._lock = threading.Lock()

    def latest(self, *, origin: str) -> Latest:
        value = super().latest(origin=origin)
        with self._lock:
            self._reads += 1
            first = self._reads <= self.barrier.parties
        if first:
            self.barrier.wait()  # raises BrokenBarrierError (failing the test) if the reads do not overlap
        return value


@pytest.fixture
async def witness(aiohttp_client, tmp_path) -> Witness:
    """A witness trusting LOG for ORIGIN, with its state in a temporary SQLite file."""
    path = tmp_path / "witness.sqlite3"
    clock = Clock()

    async def start(store: WitnessStore | None = None) -> Witness:
        store = store or WitnessStore(path)
        app = create_witness_app(cosigner=COSIGNER, logs={ORIGIN: [LOG.verifier()]}, store=store, clock=clock)
        return Witness(client=await aiohttp_client(app), store=store, clock=clock, restart=start)

    return await start()
