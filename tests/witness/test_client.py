"""The log-side client `add_checkpoint` against a witness app: cosignatures, 409 sizes and typed failures."""
from __future__ import annotations

import socket

import aiohttp
import pytest

from backend.ledger.checkpoint import cosigner_from_seed, verify_cosignatures
from backend.ledger.errors import LedgerError
from backend.witness.client import (
    WitnessAnswer,
    WitnessBadResponse,
    WitnessClientError,
    WitnessRejected,
    WitnessUnreachable,
    add_checkpoint,
)
from tests.witness.conftest import COSIGNER, NOW, OTHER_LOG, make_tree, signed


def _url(witness) -> str:
    return str(witness.client.make_url("/"))


async def test_client_gets_a_verified_cosignature_then_the_conflict_size(witness) -> None:
    tree = make_tree(9)
    session, url = witness.client.session, _url(witness)
    note = signed(tree, 5)
    answer = await add_checkpoint(session, url, old_size=0, proof=[], checkpoint=note, verifier=COSIGNER.verifier())
    assert answer.accepted and len(answer.cosignatures) == 1
    cosigned = answer.cosigned_note(note)
    assert verify_cosignatures(cosigned, cosigners=[COSIGNER.verifier()]) == {COSIGNER.name: NOW}

    stale = await add_checkpoint(session, url, old_size=0, proof=[], checkpoint=signed(tree, 9))
    assert stale == WitnessAnswer(conflict_size=5) and not stale.accepted
    with pytest.raises(WitnessClientError):
        stale.cosigned_note(signed(tree, 9))

    endpoint = url.rstrip("/") + "/add-checkpoint"
    proof = tree.consistency_proof(5, 9)
    grown = await add_checkpoint(session, endpoint, old_size=5, proof=proof, checkpoint=signed(tree, 9))
    assert grown.accepted


@pytest.mark.parametrize("status", [400, 403, 404, 422])
async def test_refusals_raise_with_the_witness_status(witness, status: int) -> None:
    tree = make_tree(6)
    session, url = witness.client.session, _url(witness)
    if status == 400:
        kwargs = dict(old_size=6, proof=[], checkpoint=signed(tree, 3))
    elif status == 403:
        kwargs = dict(old_size=0, proof=[], checkpoint=OTHER_LOG.sign(signed(tree, 3).split("\n\n")[0] + "\n"))
    elif status == 404:
        kwargs = dict(old_size=0, proof=[], checkpoint=signed(tree, 3, signer=OTHER_LOG, origin="other.example/log"))
    else:
        kwargs = dict(old_size=0, proof=[tree.root(1)], checkpoint=signed(tree, 3))
    with pytest.raises(WitnessRejected) as caught:
        await add_checkpoint(session, url, **kwargs)
    assert caught.value.witness_status == status
    assert isinstance(caught.value, LedgerError) and caught.value.params["witness_status"] == status


async def test_a_cosignature_from_another_key_is_refused_by_the_client(witness) -> None:
    tree = make_tree(3)
    other = cosigner_from_seed(COSIGNER.name, bytes(32)).verifier()
    with pytest.raises(WitnessBadResponse):
        await add_checkpoint(
            witness.client.session, _url(witness), old_size=0, proof=[], checkpoint=signed(tree, 3), verifier=other
        )


async def test_an_unreachable_witness_raises(witness) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with aiohttp.ClientSession() as session:
        with pytest.raises(WitnessUnreachable):
            await add_checkpoint(session, f"http://127.0.0.1:{port}", old_size=0, proof=[], checkpoint="x", timeout=5)


async def test_bad_proof_values_are_refused_before_sending(witness) -> None:
    tree = make_tree(3)
    with pytest.raises(WitnessClientError):
        await add_checkpoint(witness.client.session, _url(witness), old_size=-1, proof=[], checkpoint=signed(tree, 3))
    with pytest.raises(WitnessClientError):
        await add_checkpoint(
            witness.client.session, _url(witness), old_size=1, proof=[b"short"], checkpoint=signed(tree, 3)
        )
