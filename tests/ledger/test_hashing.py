"""RFC 9162 hashing: prefixes, empty root, the 8-leaf reference tree of the probes README."""
from __future__ import annotations

import hashlib

import pytest

from backend.ledger.hashing import EMPTY_ROOT, leaf_hash, node_hash, root_of, split_point

REFERENCE_LEAVES = [
    bytes.fromhex(h)
    for h in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
]
REFERENCE_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_empty_root_is_hash_of_nothing() -> None:
    assert EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert root_of([]) == EMPTY_ROOT


def test_domain_separation_prefixes() -> None:
    assert leaf_hash(b"abc") == hashlib.sha256(b"\x00abc").digest()
    a, b = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert leaf_hash(a + b) != node_hash(a, b)


@pytest.mark.parametrize("size", range(9))
def test_reference_roots(size: int) -> None:
    assert root_of([leaf_hash(d) for d in REFERENCE_LEAVES[:size]]).hex() == REFERENCE_ROOTS[size]


def test_last_node_is_never_duplicated() -> None:
    hashes = [leaf_hash(bytes([i])) for i in range(3)]
    assert root_of(hashes) == node_hash(node_hash(hashes[0], hashes[1]), hashes[2])
    assert root_of(hashes) != root_of(hashes + hashes[-1:])


def test_split_point() -> None:
    assert [split_point(n) for n in range(2, 10)] == [1, 2, 2, 4, 4, 4, 4, 8]
    with pytest.raises(ValueError):
        split_point(1)
