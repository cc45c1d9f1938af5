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


def test_ciphertexts_name_their_key_and_still_open_after_a_rotation():
    old_key, new_key, index_key = os.urandom(32), os.urandom(32), os.urandom(32)
    before = Sealer(key=old_key, commitment_key=index_key, key_id="k1")
    sealed = before.seal(b"4401", aad="participant:1")
    assert before.key_id_of(sealed) == "k1"
    after = Sealer(key=new_key, commitment_key=index_key, key_id="k2", previous_keys={"k1": old_key})
    assert after.open(sealed, aad="participant:1") == b"4401"
    moved = after.reseal(sealed, aad="participant:1")
    assert after.key_id_of(moved) == "k2" and after.open(moved, aad="participant:1") == b"4401"
    with pytest.raises(SealError):
        Sealer(key=new_key, commitment_key=index_key, key_id="k2").open(sealed, aad="participant:1")  # old key gone
    # the blind index depends on its own key only, so duplicates are still found after the rotation
    assert before.lookup_hash("x", purpose="n") == after.lookup_hash("x", purpose="n")


def test_data_sealed_before_key_ids_existed_opens_with_the_legacy_key():
    import os as _os

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = _os.urandom(32)
    nonce = _os.urandom(12)
    legacy = b"\x01" + nonce + AESGCM(key).encrypt(nonce, b"old", b"identity:1")
    box = Sealer(key=key, commitment_key=b"k" * 32, key_id="k1")
    assert box.key_id_of(legacy) == "k1" and box.open(legacy, aad="identity:1") == b"old"
