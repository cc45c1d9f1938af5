"""Sealing personal data: authenticated, bound to its row and field."""
from __future__ import annotations

import os

import pytest

from backend.privacy import SealError, Sealer, commitment


def sealer() -> Sealer:
    return Sealer(key=os.urandom(32), commitment_key=os.urandom(32))


def test_round_trip_and_random_nonces():
    box = sealer()
    a, b = box.seal(b"110102199101010078", aad="identity:1"), box.seal(b"110102199101010078", aad="identity:1")
    assert a != b and b"110102" not in a
    assert box.open(a, aad="identity:1") == b"110102199101010078"


def test_a_ciphertext_moved_to_another_row_or_tampered_does_not_open():
    box = sealer()
    sealed = box.seal(b"secret", aad="identity:1")
    with pytest.raises(SealError):
        box.open(sealed, aad="identity:2")
    with pytest.raises(SealError):
        box.open(sealed[:-1] + bytes([sealed[-1] ^ 1]), aad="identity:1")
    with pytest.raises(SealError):
        sealer().open(sealed, aad="identity:1")


def test_lookup_hashes_are_keyed_and_commitments_salted():
    one, two = sealer(), sealer()
    assert one.lookup_hash("x", purpose="id") == one.lookup_hash("x", purpose="id") != two.lookup_hash("x", purpose="id")
    assert commitment("x", salt=b"a" * 16) != commitment("x", salt=b"b" * 16)
