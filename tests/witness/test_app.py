"""The witness's `POST /add-checkpoint`: every answer of C2SP tlog-witness as ledger.md states it, and its state."""
from __future__ import annotations

import asyncio
import base64

import pytest

from backend.ledger.checkpoint import Checkpoint, cosigner_from_seed, verify_cosignatures
from backend.ledger.errors import CheckpointError
from backend.ledger.hashing import EMPTY_ROOT, leaf_hash
from backend.witness.protocol import format_request
from tests.witness.conftest import (
    COSIGNER,
    LOG,
    NOW,
    ORIGIN,
    OTHER_LOG,
    BarrierStore,
    make_tree,
    request_body,
    signed,
)


async def _expect_cosigned(response, note: str, *, timestamp: int = NOW) -> str:
    assert response.status == 200, await response.text()
    text = await response.text()
    assert text.startswith(f"\u2014 {COSIGNER.name} ") and text.endswith("\n") and text.count("\n") == 1
    assert verify_cosignatures(note + text, cosigners=[COSIGNER.verifier()]) == {COSIGNER.name: timestamp}
    return text


async def _expect_conflict(response, latest: int) -> None:
    assert response.status == 409
    assert response.headers["Content-Type"] == "text/x.tlog.size"
    assert await response.read() == f"{latest}\n".encode()


async def test_first_cosignature_from_size_zero_with_empty_proof(witness) -> None:
    tree = make_tree(7)
    note = signed(tree, 7)
    response = await witness.post(format_request(old_size=0, proof=[], checkpoint=note))
    line = await _expect_cosigned(response, note)
    raw = base64.b64decode(line.split(" ")[2])
    assert raw[:4] == COSIGNER.key_id and int.from_bytes(raw[4:12], "big") == NOW
    latest = witness.store.latest(origin=ORIGIN)
    assert (latest.size, latest.root, latest.note) == (7, tree.root(7), note)


async def test_a_chain_of_growing_checkpoints_is_cosigned_with_real_proofs(witness) -> None:
    tree = make_tree(100)
    old = 0
    for step, size in enumerate([1, 2, 3, 4, 7, 8, 9, 16, 17, 31, 64, 65, 100]):
        witness.clock.now = NOW + step
        note = signed(tree, size)
        await _expect_cosigned(await witness.post(request_body(tree, old=old, size=size)), note, timestamp=NOW + step)
        assert witness.store.latest(origin=ORIGIN).size == size
        old = size


async def test_the_cosignature_does_not_verify_for_another_checkpoint_or_witness(witness) -> None:
    tree = make_tree(5)
    line = await (await witness.post(request_body(tree, old=0, size=5))).text()
    other_note = signed(tree, 4)
    with pytest.raises(CheckpointError, match="signature_invalid"):
        verify_cosignatures(other_note + line, cosigners=[COSIGNER.verifier()])
    stranger = cosigner_from_seed(COSIGNER.name, bytes(32)).verifier()
    assert verify_cosignatures(signed(tree, 5) + line, cosigners=[stranger]) == {}


async def test_unknown_origin_is_404(witness) -> None:
    tree = make_tree(3)
    stranger = signed(tree, 3, signer=OTHER_LOG, origin="other.example/log")
    response = await witness.post(format_request(old_size=0, proof=[], checkpoint=stranger))
    assert response.status == 404
    assert witness.store.latest(origin="other.example/log").size == 0


async def test_checkpoint_without_a_trusted_log_signature_is_403(witness) -> None:
    tree = make_tree(3)
    body = Checkpoint(ORIGIN, 3, tree.root(3)).body()
    impostor = cosigner_from_seed(ORIGIN, bytes(range(9, 41)))  # same name, wrong key (and type)
    for note in (OTHER_LOG.sign(body), impostor.sign(body)):
        response = await witness.post(format_request(old_size=0, proof=[], checkpoint=note))
        assert response.status == 403, note
    assert witness.store.latest(origin=ORIGIN).size == 0


async def test_a_failing_signature_of_the_trusted_key_is_403(witness) -> None:
    tree = make_tree(3)
    note = signed(tree, 3)
    forged = signed(tree, 2).split("\n\n")[0] + "\n\n" + note.split("\n\n")[1]  # size-2 body, size-3 signature
    response = await witness.post(format_request(old_size=0, proof=[], checkpoint=forged))
    assert response.status == 403


async def test_unknown_signature_lines_are_ignored(witness) -> None:
    tree = make_tree(3)
    note = signed(tree, 3) + OTHER_LOG.signature_line(Checkpoint(ORIGIN, 3, tree.root(3)).body())
    await _expect_cosigned(await witness.post(format_request(old_size=0, proof=[], checkpoint=note)), note)


async def test_old_size_greater_than_the_checkpoint_size_is_400(witness) -> None:
    tree = make_tree(8)
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=8)), signed(tree, 8))
    response = await witness.post(format_request(old_size=8, proof=[], checkpoint=signed(tree, 5)))
    assert response.status == 400  # even though 8 is the witness's latest size: 400 comes before 409
    assert witness.store.latest(origin=ORIGIN).size == 8


def _malformed_bodies() -> list[bytes]:
    tree = make_tree(4)
    note = signed(tree, 4)
    h = base64.b64encode(leaf_hash(b"x")).decode()
    return [
        b"",
        f"old 0\n{note}".encode(),  # no blank line
        f"old 00\n\n{note}".encode(),
        f"old -1\n\n{note}".encode(),
        f"old 1x\n\n{note}".encode(),
        f"Old 0\n\n{note}".encode(),
        f"old 9223372036854775808\n\n{note}".encode(),
        f"old 2\n{h[:-4]}\n\n{note}".encode(),  # not 32 bytes
        f"old 2\n{h.rstrip('=')}\n\n{note}".encode(),  # not canonical base64
        f"old 2\n{h} \n\n{note}".encode(),
        f"old 2\n" + (h + "\n") * 64 + f"\n{note}",
        b"old 0\n\n\xff\xfe",
        b"old 0\n\nnot a note\n",
        f"old 0\n\n{ORIGIN}\n4\nroot\n\n\u2014 x AAAAAAA=\n".encode(),
        "old 0\n\n".encode() + note.encode().replace(b"\n\n", b"\n"),
    ]


@pytest.mark.parametrize("body", _malformed_bodies())
async def test_malformed_bodies_are_400(witness, body: bytes) -> None:
    if isinstance(body, str):
        body = body.encode()
    response = await witness.post(body)
    assert response.status == 400, body[:60]
    assert witness.store.latest(origin=ORIGIN).size == 0


async def test_old_size_other_than_the_latest_is_409_with_the_latest_size(witness) -> None:
    tree = make_tree(20)
    await _expect_conflict(await witness.post(request_body(tree, old=3, size=5)), 0)  # nothing cosigned yet
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=5)), signed(tree, 5))
    await _expect_conflict(await witness.post(request_body(tree, old=0, size=9)), 5)
    await _expect_conflict(await witness.post(request_body(tree, old=4, size=9)), 5)
    await _expect_conflict(await witness.post(request_body(tree, old=6, size=9)), 5)
    assert witness.store.latest(origin=ORIGIN).size == 5


async def test_a_proof_that_does_not_verify_is_422(witness) -> None:
    tree = make_tree(13)
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=6)), signed(tree, 6))
    proof = tree.consistency_proof(6, 13)
    for bad in (
        [proof[0], leaf_hash(b"evil"), *proof[2:]],
        proof[:-1],
        [*proof, proof[0]],
        tree.consistency_proof(5, 13),
    ):
        response = await witness.post(format_request(old_size=6, proof=bad, checkpoint=signed(tree, 13)))
        assert response.status == 422
    assert witness.store.latest(origin=ORIGIN).size == 6
    await _expect_cosigned(await witness.post(request_body(tree, old=6, size=13)), signed(tree, 13))


async def test_old_size_zero_with_a_proof_is_422(witness) -> None:
    tree = make_tree(4)
    body = format_request(old_size=0, proof=[tree.root(2)], checkpoint=signed(tree, 4))
    assert (await witness.post(body)).status == 422
    assert witness.store.latest(origin=ORIGIN).size == 0


async def test_size_zero_checkpoints_need_the_empty_tree_root(witness) -> None:
    bad = LOG.sign(Checkpoint(ORIGIN, 0, leaf_hash(b"not empty")).body())
    assert (await witness.post(format_request(old_size=0, proof=[], checkpoint=bad))).status == 422
    good = LOG.sign(Checkpoint(ORIGIN, 0, EMPTY_ROOT).body())
    await _expect_cosigned(await witness.post(format_request(old_size=0, proof=[], checkpoint=good)), good)
    assert witness.store.latest(origin=ORIGIN).note is None  # nothing to store for the empty tree


async def test_equal_sizes_with_different_roots_are_422(witness) -> None:
    tree, fork = make_tree(5), make_tree(5, tag=b"fork")
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=5)), signed(tree, 5))
    response = await witness.post(format_request(old_size=5, proof=[], checkpoint=signed(fork, 5)))
    assert response.status == 422
    assert witness.store.latest(origin=ORIGIN).root == tree.root(5)


async def test_equal_size_and_root_is_cosigned_again_without_changing_state(witness) -> None:
    tree = make_tree(5)
    note = signed(tree, 5)
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=5)), note)
    before = witness.store.latest(origin=ORIGIN)
    witness.clock.now = NOW + 60
    again = note + OTHER_LOG.signature_line(Checkpoint(ORIGIN, 5, tree.root(5)).body())
    response = await witness.post(format_request(old_size=5, proof=[], checkpoint=again))
    await _expect_cosigned(response, again, timestamp=NOW + 60)
    assert witness.store.latest(origin=ORIGIN) == before
    bogus = format_request(old_size=5, proof=[tree.root(5)], checkpoint=note)
    assert (await witness.post(bogus)).status == 422


async def test_a_checkpoint_inconsistent_with_the_last_cosigned_one_is_422(witness) -> None:
    tree = make_tree(10)
    fork = make_tree(6)
    fork.extend([b"rewritten-6", b"rewritten-7", b"rewritten-8", b"rewritten-9"])
    fork.extend([b"x"])
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=8)), signed(tree, 8))
    # The fork shares the first 6 leaves only; its own proof from 8 is internally valid but not from our root.
    response = await witness.post(request_body(fork, old=8, size=11))
    assert response.status == 422
    assert witness.store.latest(origin=ORIGIN).root == tree.root(8)
    tree.extend([b"leaf-10"])
    await _expect_cosigned(await witness.post(request_body(tree, old=8, size=11)), signed(tree, 11))


async def test_concurrent_requests_from_the_same_old_size_exactly_one_wins(witness) -> None:
    tree = make_tree(12)
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=4)), signed(tree, 4))
    racing = await witness.restart(BarrierStore(witness.store.path, parties=2))
    first, second = await asyncio.gather(
        racing.post(request_body(tree, old=4, size=9)),
        racing.post(request_body(tree, old=4, size=12)),
    )
    statuses = sorted([first.status, second.status])
    assert statuses == [200, 409]
    winner_size = 9 if first.status == 200 else 12
    loser = second if first.status == 200 else first
    await _expect_conflict(loser, winner_size)
    assert racing.store.latest(origin=ORIGIN).size == winner_size


async def test_concurrent_first_requests_exactly_one_wins(witness) -> None:
    tree = make_tree(12)
    racing = await witness.restart(BarrierStore(witness.store.path, parties=3))
    answers = await asyncio.gather(*(racing.post(request_body(tree, old=0, size=s)) for s in (3, 7, 12)))
    assert sorted(a.status for a in answers) == [200, 409, 409]
    winner = next(s for s, a in zip((3, 7, 12), answers) if a.status == 200)
    for answer in answers:
        if answer.status == 409:
            await _expect_conflict(answer, winner)


async def test_state_survives_a_restart_on_the_same_file(witness) -> None:
    tree = make_tree(9)
    await _expect_cosigned(await witness.post(request_body(tree, old=0, size=5)), signed(tree, 5))
    await witness.client.close()
    again = await witness.restart()
    assert again.store is not witness.store
    await _expect_conflict(await again.post(request_body(tree, old=0, size=9)), 5)
    fork = make_tree(5, tag=b"fork")
    assert (await again.post(format_request(old_size=5, proof=[], checkpoint=signed(fork, 5)))).status == 422
    await _expect_cosigned(await again.post(request_body(tree, old=5, size=9)), signed(tree, 9))
