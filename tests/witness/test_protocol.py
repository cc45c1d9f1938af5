"""Pure witness logic: the request format round trip, log key options, the verdict table and the CAS store."""
from __future__ import annotations

import threading

import pytest

from backend.ledger.checkpoint import Checkpoint
from backend.ledger.errors import CheckpointError, LedgerError
from backend.ledger.hashing import EMPTY_ROOT, leaf_hash
from backend.witness.protocol import (
    MalformedRequest,
    ProofRefused,
    SizeConflict,
    format_request,
    judge,
    parse_log_key,
    parse_request,
    parse_size_body,
)
from backend.witness.state import WitnessStore
from tests.witness.conftest import COSIGNER, LOG, ORIGIN, make_tree, signed


def test_request_round_trip() -> None:
    tree = make_tree(11)
    proof = tree.consistency_proof(6, 11)
    note = signed(tree, 11)
    body = format_request(old_size=6, proof=proof, checkpoint=note)
    assert body.startswith(b"old 6\n") and body.count(b"\n\n") == 2
    parsed = parse_request(body)
    assert (parsed.old_size, list(parsed.proof), parsed.note) == (6, proof, note)
    empty = parse_request(format_request(old_size=0, proof=[], checkpoint=note))
    assert (empty.old_size, empty.proof) == (0, ())
    assert format_request(old_size=0, proof=[], checkpoint=note) == f"old 0\n\n{note}".encode()


def test_size_bodies() -> None:
    assert parse_size_body(b"0\n") == 0 and parse_size_body(b"42\n") == 42
    for bad in (b"42", b"042\n", b"\n", b"4 2\n", b"-1\n", b"42\n\n"):
        with pytest.raises(MalformedRequest):
            parse_size_body(bad)


def test_log_key_options() -> None:
    origin, verifier = parse_log_key(f"{ORIGIN}={LOG.verifier_key()}")
    assert origin == ORIGIN and verifier == LOG.verifier()
    for bad in ("no-equals", f"={LOG.verifier_key()}", f"{ORIGIN}=", f"{ORIGIN}={COSIGNER.verifier_key()}"):
        with pytest.raises(CheckpointError):
            parse_log_key(bad)


TREE = make_tree(8)


def _cp(size: int, root: bytes | None = None) -> Checkpoint:
    return Checkpoint(ORIGIN, size, TREE.root(size) if root is None else root)


@pytest.mark.parametrize(
    "old, proof, checkpoint, latest, error",
    [
        (0, [], _cp(5), (0, EMPTY_ROOT), None),
        (0, [], _cp(0), (0, EMPTY_ROOT), None),
        (5, [], _cp(5), (5, TREE.root(5)), None),
        (5, TREE.consistency_proof(5, 8), _cp(8), (5, TREE.root(5)), None),
        (6, [], _cp(5), (6, TREE.root(6)), MalformedRequest),
        (6, [], _cp(5), (0, EMPTY_ROOT), MalformedRequest),
        (3, TREE.consistency_proof(3, 8), _cp(8), (5, TREE.root(5)), SizeConflict),
        (0, [], _cp(8), (5, TREE.root(5)), SizeConflict),
        (0, [TREE.root(1)], _cp(5), (0, EMPTY_ROOT), ProofRefused),
        (0, [], _cp(0, leaf_hash(b"x")), (0, EMPTY_ROOT), ProofRefused),
        (5, [], _cp(5, leaf_hash(b"x")), (5, TREE.root(5)), ProofRefused),
        (5, [TREE.root(5)], _cp(5), (5, TREE.root(5)), ProofRefused),
        (5, TREE.consistency_proof(5, 8), _cp(8), (5, leaf_hash(b"x")), ProofRefused),
        (5, TREE.consistency_proof(4, 8), _cp(8), (5, TREE.root(5)), ProofRefused),
    ],
)
def test_verdicts(old, proof, checkpoint, latest, error) -> None:
    kwargs = dict(old_size=old, proof=proof, checkpoint=checkpoint, latest_size=latest[0], latest_root=latest[1])
    if error is None:
        assert judge(**kwargs) is (checkpoint.size > old)
    else:
        with pytest.raises(error) as caught:
            judge(**kwargs)
        assert caught.value.status == {MalformedRequest: 400, SizeConflict: 409, ProofRefused: 422}[error]
        if error is SizeConflict:
            assert caught.value.latest_size == latest[0]


def test_store_compare_and_swap(tmp_path) -> None:
    store = WitnessStore(tmp_path / "w.sqlite3")
    assert store.latest(origin=ORIGIN).size == 0
    assert store.compare_and_swap(old_size=0, checkpoint=_cp(3), note="n3")
    assert not store.compare_and_swap(old_size=0, checkpoint=_cp(4), note="n4")
    assert not store.compare_and_swap(old_size=2, checkpoint=_cp(4), note="n4")
    assert store.compare_and_swap(old_size=3, checkpoint=_cp(6), note="n6")
    assert not store.compare_and_swap(old_size=3, checkpoint=_cp(7), note="n7")
    latest = WitnessStore(tmp_path / "w.sqlite3").latest(origin=ORIGIN)
    assert (latest.size, latest.root, latest.note) == (6, TREE.root(6), "n6")
    with pytest.raises(LedgerError):
        store.compare_and_swap(old_size=6, checkpoint=_cp(6), note="same size")


def test_store_compare_and_swap_from_threads(tmp_path) -> None:
    store = WitnessStore(tmp_path / "w.sqlite3")
    store.compare_and_swap(old_size=0, checkpoint=_cp(2), note="n2")
    start, results = threading.Barrier(8), []

    def attempt(size: int) -> None:
        start.wait()
        results.append((size, store.compare_and_swap(old_size=2, checkpoint=_cp(size), note=f"n{size}")))

    threads = [threading.Thread(target=attempt, args=(3 + i % 6,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [size for size, won in results if won]
    assert len(winners) == 1 and store.latest(origin=ORIGIN).size == winners[0]
