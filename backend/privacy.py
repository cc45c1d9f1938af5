"""Personal data at rest: authenticated encryption, keyed commitments, and masking for display."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from backend.errors import KaibanError

_VERSION_1 = b"\x01"  # version || nonce || ciphertext+tag, sealed with the key named `legacy_key_id`
_VERSION_2 = b"\x02"  # version || key id length || key id || nonce || ciphertext+tag


class SealError(KaibanError):
    """Stored personal data could not be decrypted (wrong key or tampered row)."""

    status = 500
    default_code = "internal_error"


class Sealer:
    """AES-256-GCM with a random nonce; `aad` binds a ciphertext to its row and field.

    Each ciphertext names the key that sealed it, so keys rotate: new data is sealed with the current key
    (`key_id`), data sealed under a previous key (`previous_keys`) still opens, and `reseal` moves it forward.
    """

    def __init__(
        self,
        *,
        key: bytes,
        commitment_key: bytes,
        key_id: str = "k1",
        previous_keys: dict[str, bytes] | None = None,
        legacy_key_id: str | None = None,
    ) -> None:
        if not 0 < len(key_id.encode()) < 32:
            raise ValueError("a data key id is 1-31 bytes")
        self._key_id = key_id
        self._keys = {name: AESGCM(value) for name, value in (previous_keys or {}).items()}
        self._keys[key_id] = AESGCM(key)
        self._legacy = legacy_key_id or key_id
        self._commitment_key = commitment_key

    @property
    def key_id(self) -> str:
        """The id of the key new data is sealed with."""
        return self._key_id

    def key_id_of(self, sealed: bytes) -> str:
        """The id of the key that sealed `sealed`."""
        if sealed[:1] == _VERSION_2 and len(sealed) > 2:
            return sealed[2 : 2 + sealed[1]].decode()
        if sealed[:1] == _VERSION_1:
            return self._legacy
        raise SealError(field="key id")

    def seal(self, plaintext: bytes, *, aad: str) -> bytes:
        """Encrypt `plaintext` with the current key; the result names the key."""
        nonce = os.urandom(12)
        kid = self._key_id.encode()
        return _VERSION_2 + bytes([len(kid)]) + kid + nonce + self._keys[self._key_id].encrypt(nonce, plaintext, aad.encode())

    def open(self, sealed: bytes, *, aad: str) -> bytes:
        """Decrypt what `seal` produced with the same `aad`, with whichever known key sealed it."""
        if not sealed or sealed[:1] not in (_VERSION_1, _VERSION_2):
            raise SealError(field=aad)
        start = 1 if sealed[:1] == _VERSION_1 else 2 + sealed[1]
        aead = self._keys.get(self.key_id_of(sealed))
        if aead is None:
            raise SealError(field=aad)
        try:
            return aead.decrypt(sealed[start : start + 12], sealed[start + 12 :], aad.encode())
        except InvalidTag as exc:
            raise SealError(field=aad) from exc

    def reseal(self, sealed: bytes, *, aad: str) -> bytes:
        """The same plaintext sealed with the current key (key rotation)."""
        return self.seal(self.open(sealed, aad=aad), aad=aad)

    def seal_json(self, value: Any, *, aad: str) -> bytes:
        """Encrypt a JSON-serialisable value."""
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode(), aad=aad)

    def open_json(self, sealed: bytes, *, aad: str) -> Any:
        """Decrypt a value sealed by `seal_json`."""
        return json.loads(self.open(sealed, aad=aad))

    def lookup_hash(self, value: str, *, purpose: str) -> str:
        """A keyed blind index (HMAC-SHA256): find a row, or a duplicate, by a personal value without storing it."""
        return hmac.new(self._commitment_key, f"{purpose}\n{value}".encode(), hashlib.sha256).hexdigest()


def new_salt() -> bytes:
    """Return a fresh 16-byte salt for a commitment."""
    return os.urandom(16)


def commitment(value: str, *, salt: bytes) -> str:
    """A salted SHA-256 commitment to `value`, safe to publish; deleting the salt makes it unlinkable."""
    return hashlib.sha256(salt + value.encode()).hexdigest()
