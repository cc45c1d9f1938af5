"""The ledger store: key rotation, the refusal to sign contradicting checkpoints, stored cosignatures."""
from __future__ import annotations

import datetime as dt

import pytest
from tortoise.transactions import in_transaction

from backend.db import close_database, open_database
from backend.ledger.checkpoint import CheckpointError, cosigner_from_seed, open_checkpoint, signer_from_seed, verify_cosignatures
from backend.ledger.hashing import leaf_hash, root_of
from backend.ledger.proofs import verify_consistency, verify_inclusion
from backend.ledger.store import LedgerInconsistent, LedgerStore
from backend.models import LedgerHash

NOW = dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc)
OLD = signer_from_seed("test.log", b"\x01" * 32)
NEW = signer_from_seed("test.log/2027", b"\x02" * 32)


@pytest.fixture
async def db(database_url):
    await open_database(database_url)
    yield
    await close_database()


async def _append(store: LedgerStore, leaves: list[bytes]) -> None:
    async with in_transaction() as conn:
        await store.append(leaves, conn=conn)


async def test_during_rotation_every_checkpoint_verifies_with_the_old_key_and_with_the_new(db):
    store = LedgerStore(signers=[NEW, OLD], origin="test.log")
    await store.ensure_head()
    await _append(store, [b"a", b"b", b"c"])
    size, text = await store.checkpoint(now=NOW)
    for pinned in (OLD, NEW):
        checkpoint = open_checkpoint(text, verifiers=[pinned.verifier()], origin="test.log")
        assert (checkpoint.size, checkpoint.root) == (3, root_of([leaf_hash(x) for x in (b"a", b"b", b"c")]))
    assert store.verifier_keys == [NEW.verifier_key(), OLD.verifier_key()]
    stranger = signer_from_seed("test.log", b"\x03" * 32)
    with pytest.raises(CheckpointError):
        open_checkpoint(text, verifiers=[stranger.verifier()], origin="test.log")


async def test_after_rotation_the_new_checkpoints_extend_the_old_ones(db):
    before = LedgerStore(signers=[OLD], origin="test.log")
    await before.ensure_head()
    await _append(before, [b"a", b"b"])
    _, old_text = await before.checkpoint(now=NOW)
    after = LedgerStore(signers=[NEW], origin="test.log")
    await _append(after, [b"c", b"d", b"e"])
    _, new_text = await after.checkpoint(now=NOW)
    old = open_checkpoint(old_text, verifiers=[OLD.verifier()])
    new = open_checkpoint(new_text, verifiers=[NEW.verifier()])
    proof = await after.consistency_proof(old_size=old.size, size=new.size)
    verify_consistency(old_size=old.size, size=new.size, old_root=old.root, root=new.root, proof=proof)


async def test_the_log_refuses_to_sign_a_tree_that_contradicts_a_signed_checkpoint(db):
    store = LedgerStore(signers=[OLD], origin="test.log")
    await store.ensure_head()
    await _append(store, [f"leaf-{i}".encode() for i in range(6)])
    size, _ = await store.checkpoint(now=NOW)
    await _append(store, [b"later"])
    # someone rewrites the stored hash of the first four leaves: the new root would no longer extend checkpoint 6
    await LedgerHash.filter(idx__in=[6]).update(hash=b"\x00" * 32)
    with pytest.raises(LedgerInconsistent) as caught:
        await store.checkpoint(now=NOW)
    assert caught.value.status == 503
    assert caught.value.params == {"old_size": 6, "size": 7}
    # the checkpoint already signed is still served unchanged
    again_size, again = await store.checkpoint(size=size, now=NOW)
    assert open_checkpoint(again, verifiers=[OLD.verifier()]).size == 6


async def test_stored_cosignatures_are_served_with_the_checkpoint_once_each(db):
    store = LedgerStore(signers=[OLD], origin="test.log")
    await store.ensure_head()
    await _append(store, [b"a", b"b", b"c"])
    size, text = await store.checkpoint(now=NOW)
    witness = cosigner_from_seed("tax.witness", b"\x05" * 32)
    line = witness.cosign(text, timestamp=1_790_000_000)[len(text):]
    await store.add_cosignatures(size=size, lines=[line])
    await store.add_cosignatures(size=size, lines=[line])  # a repeated answer is stored once
    _, served = await store.checkpoint(now=NOW)
    assert served == text + line
    assert verify_cosignatures(served, cosigners=[witness.verifier()]) == {"tax.witness": 1_790_000_000}
    latest = await store.latest_checkpoint()
    assert latest.size == 3


async def test_proofs_from_the_store_verify_against_its_checkpoints_at_many_sizes(db):
    store = LedgerStore(signers=[OLD], origin="test.log")
    await store.ensure_head()
    leaves: list[bytes] = []
    for batch in (1, 2, 5, 1, 8, 13, 3):
        new = [f"leaf-{len(leaves) + i}".encode() for i in range(batch)]
        await _append(store, new)
        leaves += new
        size, text = await store.checkpoint(now=NOW)
        checkpoint = open_checkpoint(text, verifiers=[OLD.verifier()], origin="test.log")
        assert checkpoint.size == len(leaves)
        for index in {0, size // 2, size - 1}:
            proof = await store.inclusion_proof(index=index, size=size)
            verify_inclusion(index=index, size=size, leaf_hash=leaf_hash(leaves[index]), proof=proof, root=checkpoint.root)


async def test_the_checkpoint_for_proofs_is_reused_only_while_it_covers_the_leaf_and_is_fresh(db):
    store = LedgerStore(signers=[OLD], origin="test.log")
    await store.ensure_head()
    await _append(store, [b"a", b"b"])
    first = await store.checkpoint_for_proofs(covering=1, now=NOW, max_age=60)
    assert first[0] == 2
    await _append(store, [b"c"])
    # still fresh and it contains leaf 1: reused (a valid signed checkpoint, one leaf behind)
    assert await store.checkpoint_for_proofs(covering=1, now=NOW, max_age=60) == first
    # leaf 2 is not in it: a newer checkpoint is signed
    size, note = await store.checkpoint_for_proofs(covering=2, now=NOW, max_age=60)
    assert size == 3 and open_checkpoint(note, verifiers=[OLD.verifier()], origin="test.log").size == 3
    await _append(store, [b"d"])
    # too old to reuse: the current tree is signed
    assert (await store.checkpoint_for_proofs(covering=0, now=NOW, max_age=0))[0] == 4
    # cosignatures collected here invalidate the reuse, so verifiers get the cosigned note at once
    witness = cosigner_from_seed("witness.example", b"\x05" * 32)
    _, text = await store.checkpoint(size=4, now=NOW)
    body = text.split("\n\n")[0] + "\n"
    await store.add_cosignatures(size=4, lines=[witness.signature_line(body, timestamp=1_800_000_000)])
    size, note = await store.checkpoint_for_proofs(covering=0, now=NOW, max_age=60)
    assert size == 4 and "witness.example" in note
