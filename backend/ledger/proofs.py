"""Verifiers of RFC 9162 inclusion (2.1.3.2) and consistency (2.1.4.2) proofs; failures raise ProofError."""
from __future__ import annotations

from collections.abc import Sequence

from backend.ledger.errors import ProofError
from backend.ledger.hashing import HASH_SIZE, node_hash, split_point


def inclusion_proof_size(*, index: int, size: int) -> int:
    """Return the number of hashes in the inclusion proof of leaf `index` in a tree of `size` leaves."""
    if size < 1 or not 0 <= index < size:
        raise ProofError(reason="index_out_of_range", index=index, size=size)
    count, lo, hi = 0, 0, size
    while hi - lo > 1:
        mid = lo + split_point(hi - lo)
        lo, hi = (lo, mid) if index < mid else (mid, hi)
        count += 1
    return count


def consistency_proof_size(*, old_size: int, size: int) -> int:
    """Return the number of hashes in the consistency proof from `old_size` to `size` (0 < old_size <= size)."""
    if not 0 < old_size <= size:
        raise ProofError(reason="old_size_out_of_range", old_size=old_size, size=size)
    count, lo, hi, complete = 0, 0, size, True
    while old_size != hi:
        mid = lo + split_point(hi - lo)
        if old_size <= mid:
            hi = mid
        else:
            lo, complete = mid, False
        count += 1
    return count if complete else count + 1


def _check_hash(value: bytes, *, what: str) -> None:
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_SIZE:
        got = len(value) if isinstance(value, (bytes, bytearray)) else type(value).__name__
        raise ProofError(reason="hash_length", what=what, expected=HASH_SIZE, got=got)


def _check_proof(proof: Sequence[bytes], *, expected: int) -> None:
    if len(proof) != expected:
        raise ProofError(reason="proof_length", expected=expected, got=len(proof))
    for position, h in enumerate(proof):
        _check_hash(h, what=f"proof[{position}]")


def root_from_inclusion(*, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes]) -> bytes:
    """Return the root that an inclusion proof of `leaf_hash` at `index` implies for a tree of `size` leaves."""
    _check_proof(proof, expected=inclusion_proof_size(index=index, size=size))
    _check_hash(leaf_hash, what="leaf_hash")
    fn, sn, r = index, size - 1, bytes(leaf_hash)
    for p in proof:
        if sn == 0:
            raise ProofError(reason="proof_length", index=index, size=size, got=len(proof))
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(reason="proof_length", index=index, size=size, got=len(proof))
    return r


def verify_inclusion(*, index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Check that `leaf_hash` is leaf `index` of the tree of `size` leaves whose root is `root`."""
    _check_hash(root, what="root")
    computed = root_from_inclusion(index=index, size=size, leaf_hash=leaf_hash, proof=proof)
    if computed != root:
        raise ProofError(reason="root_mismatch", index=index, size=size, expected=bytes(root).hex(), got=computed.hex())


def verify_consistency(*, old_size: int, size: int, old_root: bytes, root: bytes, proof: Sequence[bytes]) -> None:
    """Check that the tree of `size` leaves with `root` extends the tree of `old_size` leaves with `old_root`.

    A proof from size 0 is rejected: the empty tree is consistent with every tree, so callers treat it on its own.
    """
    expected = consistency_proof_size(old_size=old_size, size=size)
    _check_proof(proof, expected=expected)
    if old_size == size:
        if old_root != root:  # compared as given, like transparency-dev: no hashing is involved
            raise ProofError(reason="root_mismatch", size=size, expected=bytes(old_root).hex(), got=bytes(root).hex())
        return
    _check_hash(old_root, what="old_root")
    _check_hash(root, what="root")
    hashes = [bytes(h) for h in proof]
    if old_size & (old_size - 1) == 0:  # the old tree is a complete subtree: its root starts the path
        hashes.insert(0, bytes(old_root))
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = hashes[0]
    for c in hashes[1:]:
        if sn == 0:
            raise ProofError(reason="proof_length", old_size=old_size, size=size, got=len(proof))
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError(reason="proof_length", old_size=old_size, size=size, got=len(proof))
    if fr != old_root:
        raise ProofError(reason="old_root_mismatch", old_size=old_size, expected=bytes(old_root).hex(), got=fr.hex())
    if sr != root:
        raise ProofError(reason="root_mismatch", size=size, expected=bytes(root).hex(), got=sr.hex())
