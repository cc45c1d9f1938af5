"""Storage layout of the Merkle tree (the "stored hash index" of Go's sumdb/tlog), and two-phase tree computations.

Every complete perfect subtree is stored once. The subtree at `level` covering leaves
[n * 2**level, (n + 1) * 2**level) gets the storage index `stored_hash_index(level, n)`; hashes are numbered in the
order they become computable as leaves are appended, so a tree of `size` leaves has `stored_hash_count(size)` hashes.

An asynchronous store works in two phases without holding the tree in memory: phase one asks which storage
indexes are needed (`*_indexes`), the store reads those O(log n) rows in one query, and phase two (`*_from`)
computes the result from the mapping `known` (storage index -> hash). Nothing here performs I/O.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from backend.ledger.errors import LedgerError
from backend.ledger.hashing import EMPTY_ROOT, HASH_SIZE, leaf_hash, node_hash, split_point

Subtree = tuple[int, int]  # (level, n): the n-th perfect subtree of height `level`
Range = tuple[int, int]  # [lo, hi) leaf range whose left edge is aligned to its largest block


def stored_hash_index(level: int, n: int) -> int:
    """Return the storage index of the hash of the `n`-th perfect subtree at `level` (level 0 = leaves)."""
    if level < 0 or n < 0:
        raise LedgerError(reason="negative_subtree_coordinate", level=level, n=n)
    last_leaf = ((n + 1) << level) - 1
    return stored_hash_count(last_leaf) + level


def stored_hash_count(size: int) -> int:
    """Return how many hashes are stored for a tree of `size` leaves."""
    if size < 0:
        raise LedgerError(reason="negative_size", size=size)
    return 2 * size - size.bit_count()


def _check_size(size: int) -> None:
    if size < 0:
        raise LedgerError(reason="negative_size", size=size)


def _decompose(lo: int, hi: int) -> list[Subtree]:
    """Return the maximal aligned perfect subtrees covering leaves [lo, hi), left to right."""
    out: list[Subtree] = []
    while lo < hi:
        level = (hi - lo).bit_length() - 1
        if lo:
            level = min(level, (lo & -lo).bit_length() - 1)
        out.append((level, lo >> level))
        lo += 1 << level
    return out


def _indexes(ranges: Iterable[Range]) -> list[int]:
    return [stored_hash_index(level, n) for lo, hi in ranges for level, n in _decompose(lo, hi)]


def _known(known: Mapping[int, bytes], index: int) -> bytes:
    try:
        value = known[index]
    except KeyError:
        raise LedgerError(reason="stored_hash_missing", index=index) from None
    if len(value) != HASH_SIZE:
        raise LedgerError(reason="stored_hash_length", index=index, expected=HASH_SIZE, got=len(value))
    return bytes(value)


def _range_hash(lo: int, hi: int, known: Mapping[int, bytes]) -> bytes:
    """Return MTH of leaves [lo, hi) by folding its perfect subtrees from the right."""
    parts = [_known(known, stored_hash_index(level, n)) for level, n in _decompose(lo, hi)]
    if not parts:
        return EMPTY_ROOT
    acc = parts[-1]
    for left in reversed(parts[:-1]):
        acc = node_hash(left, acc)
    return acc


# -- append -------------------------------------------------------------------------------------------------------


def append_needed_indexes(size: int) -> list[int]:
    """Return the storage indexes of the right-edge subtree hashes needed to append leaves to a tree of `size`."""
    _check_size(size)
    return _indexes([(0, size)])


def hashes_for_append(*, size: int, leaf_hashes: Sequence[bytes], known: Mapping[int, bytes]) -> dict[int, bytes]:
    """Return every new storage index -> hash to insert when appending `leaf_hashes` to a tree of `size` leaves."""
    _check_size(size)
    stack: list[tuple[int, bytes]] = [
        (level, _known(known, stored_hash_index(level, n))) for level, n in _decompose(0, size)
    ]
    new: dict[int, bytes] = {}
    for offset, h in enumerate(leaf_hashes):
        if len(h) != HASH_SIZE:
            raise LedgerError(reason="leaf_hash_length", index=size + offset, expected=HASH_SIZE, got=len(h))
        n, level, acc = size + offset, 0, bytes(h)
        new[stored_hash_index(0, n)] = acc
        while n & 1:  # a right child: its left sibling is the top of the right edge
            _, left = stack.pop()
            acc, level, n = node_hash(left, acc), level + 1, n >> 1
            new[stored_hash_index(level, n)] = acc
        stack.append((level, acc))
    return new


# -- tree hash ----------------------------------------------------------------------------------------------------


def tree_hash_indexes(size: int) -> list[int]:
    """Return the storage indexes needed to compute the root of the tree of `size` leaves."""
    _check_size(size)
    return _indexes([(0, size)])


def tree_hash_from(*, size: int, known: Mapping[int, bytes]) -> bytes:
    """Return the root of the tree of `size` leaves from the hashes named by `tree_hash_indexes(size)`."""
    _check_size(size)
    return _range_hash(0, size, known)


# -- inclusion proof (RFC 9162 2.1.3.1) -----------------------------------------------------------------------------


def _inclusion_ranges(index: int, size: int) -> list[Range]:
    """Return the leaf range of each proof element, bottom-up, following PATH(m, D[n])."""
    if size < 1 or not 0 <= index < size:
        raise LedgerError(reason="index_out_of_range", index=index, size=size)
    top_down: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        mid = lo + split_point(hi - lo)
        if index < mid:
            top_down.append((mid, hi))
            hi = mid
        else:
            top_down.append((lo, mid))
            lo = mid
    return top_down[::-1]


def inclusion_proof_indexes(*, index: int, size: int) -> list[int]:
    """Return the storage indexes needed for the inclusion proof of leaf `index` in the tree of `size` leaves."""
    return _indexes(_inclusion_ranges(index, size))


def inclusion_proof_from(*, index: int, size: int, known: Mapping[int, bytes]) -> list[bytes]:
    """Return the RFC 9162 inclusion proof of leaf `index` in the tree of `size` leaves."""
    return [_range_hash(lo, hi, known) for lo, hi in _inclusion_ranges(index, size)]


# -- consistency proof (RFC 9162 2.1.4.1) ---------------------------------------------------------------------------


def _consistency_ranges(old_size: int, size: int) -> list[Range]:
    """Return the leaf range of each proof element, bottom-up, following SUBPROOF(m, D[n], true)."""
    if old_size < 0 or old_size > size:
        raise LedgerError(reason="old_size_out_of_range", old_size=old_size, size=size)
    if old_size == 0 or old_size == size:
        return []  # the empty tree is consistent with every tree; equal sizes need no proof
    top_down: list[Range] = []
    lo, hi, complete = 0, size, True
    while old_size != hi:
        mid = lo + split_point(hi - lo)
        if old_size <= mid:
            top_down.append((mid, hi))
            hi = mid
        else:
            top_down.append((lo, mid))
            lo, complete = mid, False
    if not complete:
        top_down.append((lo, hi))
    return top_down[::-1]


def consistency_proof_indexes(*, old_size: int, size: int) -> list[int]:
    """Return the storage indexes needed for the consistency proof from `old_size` to `size`."""
    return _indexes(_consistency_ranges(old_size, size))


def consistency_proof_from(*, old_size: int, size: int, known: Mapping[int, bytes]) -> list[bytes]:
    """Return the RFC 9162 consistency proof from the tree of `old_size` leaves to the tree of `size` leaves."""
    return [_range_hash(lo, hi, known) for lo, hi in _consistency_ranges(old_size, size)]


# -- in memory ------------------------------------------------------------------------------------------------------


class MemoryTree:
    """A synchronous in-memory tree on the same storage layout, for tests, tools and witnesses."""

    def __init__(self) -> None:
        self._hashes: dict[int, bytes] = {}
        self._size = 0

    @property
    def size(self) -> int:
        """Return the number of leaves."""
        return self._size

    @property
    def stored(self) -> Mapping[int, bytes]:
        """Return a copy of the stored hashes by storage index."""
        return dict(self._hashes)

    def _pick(self, indexes: Iterable[int]) -> dict[int, bytes]:
        return {i: self._hashes[i] for i in indexes}

    def _size_or_current(self, size: int | None) -> int:
        size = self._size if size is None else size
        if not 0 <= size <= self._size:
            raise LedgerError(reason="size_out_of_range", size=size, current=self._size)
        return size

    def append(self, data: bytes) -> int:
        """Append one leaf's data and return its index."""
        return self.extend([data])

    def extend(self, leaves: Iterable[bytes]) -> int:
        """Append leaves' data as one batch and return the index of the first one."""
        first = self._size
        hashes = [leaf_hash(d) for d in leaves]
        known = self._pick(append_needed_indexes(first))
        self._hashes.update(hashes_for_append(size=first, leaf_hashes=hashes, known=known))
        self._size += len(hashes)
        return first

    def leaf_hash(self, index: int) -> bytes:
        """Return the hash of leaf `index`."""
        if not 0 <= index < self._size:
            raise LedgerError(reason="index_out_of_range", index=index, size=self._size)
        return self._hashes[stored_hash_index(0, index)]

    def root(self, size: int | None = None) -> bytes:
        """Return the root of the tree at `size` (default: current size)."""
        size = self._size_or_current(size)
        return tree_hash_from(size=size, known=self._pick(tree_hash_indexes(size)))

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """Return the inclusion proof of leaf `index` in the tree at `size` (default: current size)."""
        size = self._size_or_current(size)
        known = self._pick(inclusion_proof_indexes(index=index, size=size))
        return inclusion_proof_from(index=index, size=size, known=known)

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """Return the consistency proof from `old_size` to `size` (default: current size)."""
        size = self._size_or_current(size)
        known = self._pick(consistency_proof_indexes(old_size=old_size, size=size))
        return consistency_proof_from(old_size=old_size, size=size, known=known)
