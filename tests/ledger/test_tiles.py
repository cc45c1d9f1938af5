"""The stored-hash layout and the two-phase computations, against the RFC 9162 reference recursion."""
from __future__ import annotations

import math

import pytest

from backend.ledger.errors import LedgerError
from backend.ledger.hashing import leaf_hash, node_hash, root_of, split_point
from backend.ledger.proofs import verify_consistency, verify_inclusion
from backend.ledger.tiles import (
    MemoryTree,
    append_needed_indexes,
    consistency_proof_from,
    consistency_proof_indexes,
    hashes_for_append,
    inclusion_proof_from,
    inclusion_proof_indexes,
    stored_hash_count,
    stored_hash_index,
    tree_hash_from,
    tree_hash_indexes,
)
from .test_hashing import REFERENCE_LEAVES, REFERENCE_ROOTS

MAX_SIZE = 70
LEAVES = [leaf_hash(i.to_bytes(2, "big")) for i in range(MAX_SIZE)]


def ref_path(m: int, hashes: list[bytes]) -> list[bytes]:
    """RFC 9162 2.1.3.1 PATH(m, D[n])."""
    n = len(hashes)
    if n == 1:
        return []
    k = split_point(n)
    if m < k:
        return ref_path(m, hashes[:k]) + [root_of(hashes[k:])]
    return ref_path(m - k, hashes[k:]) + [root_of(hashes[:k])]


def ref_subproof(m: int, hashes: list[bytes], complete: bool) -> list[bytes]:
    """RFC 9162 2.1.4.1 SUBPROOF(m, D[n], b)."""
    n = len(hashes)
    if m == n:
        return [] if complete else [root_of(hashes)]
    k = split_point(n)
    if m <= k:
        return ref_subproof(m, hashes[:k], complete) + [root_of(hashes[k:])]
    return ref_subproof(m - k, hashes[k:], False) + [root_of(hashes[:k])]


def bound(n: int) -> int:
    return 2 * math.ceil(math.log2(n)) + 2 if n > 1 else 2


@pytest.fixture(scope="module")
def tree() -> MemoryTree:
    t = MemoryTree()
    for i in range(MAX_SIZE):
        t.append(i.to_bytes(2, "big"))
    return t


def test_stored_hash_layout_matches_append_order() -> None:
    assert [stored_hash_index(0, i) for i in range(5)] == [0, 1, 3, 4, 7]
    assert stored_hash_index(1, 0) == 2 and stored_hash_index(1, 1) == 5 and stored_hash_index(2, 0) == 6
    assert [stored_hash_count(n) for n in range(6)] == [0, 1, 3, 4, 7, 8]
    with pytest.raises(LedgerError):
        stored_hash_index(-1, 0)


def test_every_perfect_subtree_is_stored_once(tree: MemoryTree) -> None:
    stored = tree.stored
    assert sorted(stored) == list(range(stored_hash_count(MAX_SIZE)))
    for level in range(7):
        for n in range(MAX_SIZE >> level):
            lo = n << level
            assert stored[stored_hash_index(level, n)] == root_of(LEAVES[lo : lo + (1 << level)])


@pytest.mark.parametrize("size", range(0, MAX_SIZE + 1))
def test_tree_hash(tree: MemoryTree, size: int) -> None:
    indexes = tree_hash_indexes(size)
    assert len(indexes) <= bound(size)
    known = {i: tree.stored[i] for i in indexes}
    assert tree_hash_from(size=size, known=known) == root_of(LEAVES[:size]) == tree.root(size)


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_inclusion_proofs_match_reference_and_verify(tree: MemoryTree, size: int) -> None:
    stored = tree.stored
    root = root_of(LEAVES[:size])
    for index in range(size):
        indexes = inclusion_proof_indexes(index=index, size=size)
        assert len(indexes) <= bound(size)
        proof = inclusion_proof_from(index=index, size=size, known={i: stored[i] for i in indexes})
        assert proof == ref_path(index, LEAVES[:size])
        verify_inclusion(index=index, size=size, leaf_hash=LEAVES[index], proof=proof, root=root)


@pytest.mark.parametrize("size", range(1, MAX_SIZE + 1))
def test_consistency_proofs_match_reference_and_verify(tree: MemoryTree, size: int) -> None:
    stored = tree.stored
    root = root_of(LEAVES[:size])
    for old_size in range(1, size + 1):
        indexes = consistency_proof_indexes(old_size=old_size, size=size)
        assert len(indexes) <= bound(size)
        proof = consistency_proof_from(old_size=old_size, size=size, known={i: stored[i] for i in indexes})
        assert proof == ref_subproof(old_size, LEAVES[:size], True)
        old_root = root_of(LEAVES[:old_size])
        verify_consistency(old_size=old_size, size=size, old_root=old_root, root=root, proof=proof)


def test_consistency_from_zero_is_empty() -> None:
    assert consistency_proof_indexes(old_size=0, size=5) == []
    assert consistency_proof_from(old_size=0, size=5, known={}) == []


@pytest.mark.parametrize("size", range(0, MAX_SIZE))
def test_append_needs_only_the_right_edge(tree: MemoryTree, size: int) -> None:
    needed = append_needed_indexes(size)
    assert len(needed) == size.bit_count() <= bound(size)
    known = {i: tree.stored[i] for i in needed}
    batch = LEAVES[size : size + 1]
    new = hashes_for_append(size=size, leaf_hashes=batch, known=known)
    assert set(new) == set(range(stored_hash_count(size), stored_hash_count(size + 1)))
    assert all(tree.stored[i] == h for i, h in new.items())


@pytest.mark.parametrize("size", [0, 1, 2, 3, 5, 7, 8, 13, 31, 32, 33])
@pytest.mark.parametrize("batch", [1, 2, 3, 7, 16, 37])
def test_batch_append_equals_single_appends(tree: MemoryTree, size: int, batch: int) -> None:
    if size + batch > MAX_SIZE:
        pytest.skip("beyond the reference tree")
    known = {i: tree.stored[i] for i in append_needed_indexes(size)}
    new = hashes_for_append(size=size, leaf_hashes=LEAVES[size : size + batch], known=known)
    assert list(new) == list(range(stored_hash_count(size), stored_hash_count(size + batch)))
    assert new == {i: tree.stored[i] for i in new}


def test_memory_tree_batches_equal_single_appends(tree: MemoryTree) -> None:
    batched = MemoryTree()
    for lo, hi in [(0, 1), (1, 9), (9, 10), (10, 41), (41, 70)]:
        assert batched.extend(i.to_bytes(2, "big") for i in range(lo, hi)) == lo
    assert batched.stored == tree.stored
    assert batched.root() == tree.root()


def test_missing_known_hash_is_reported() -> None:
    with pytest.raises(LedgerError) as err:
        hashes_for_append(size=3, leaf_hashes=[LEAVES[3]], known={})
    assert err.value.params["reason"] == "stored_hash_missing"
    assert err.value.params["index"] in append_needed_indexes(3)


def test_wrong_leaf_hash_length_is_rejected() -> None:
    with pytest.raises(LedgerError) as err:
        hashes_for_append(size=0, leaf_hashes=[b"short"], known={})
    assert err.value.params["got"] == 5


def test_out_of_range_requests_are_rejected(tree: MemoryTree) -> None:
    with pytest.raises(LedgerError):
        inclusion_proof_indexes(index=5, size=5)
    with pytest.raises(LedgerError):
        inclusion_proof_indexes(index=0, size=0)
    with pytest.raises(LedgerError):
        consistency_proof_indexes(old_size=6, size=5)
    with pytest.raises(LedgerError):
        tree.root(MAX_SIZE + 1)


def test_memory_tree_reference_roots() -> None:
    t = MemoryTree()
    assert t.root().hex() == REFERENCE_ROOTS[0]
    for size, data in enumerate(REFERENCE_LEAVES, start=1):
        t.append(data)
        assert t.root().hex() == REFERENCE_ROOTS[size]
    assert t.inclusion_proof(5) == ref_path(5, [leaf_hash(d) for d in REFERENCE_LEAVES])
    assert t.consistency_proof(3, 7) == ref_subproof(3, [leaf_hash(d) for d in REFERENCE_LEAVES[:7]], True)
    assert t.leaf_hash(2) == leaf_hash(REFERENCE_LEAVES[2])
    assert node_hash(t.leaf_hash(0), t.leaf_hash(1)) == t.root(2)
