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

_VERSION = b"\x01"


class SealError(KaibanError):
    """Stored personal data could not be decrypted (wrong key or tampered row)."""

    status = 500
    default_code = "internal_error"


class Sealer:
    """AES-256-GCM with a random nonce; `aad` binds a ciphertext to its row and field."""

    def __init__(self, *, key: bytes, commitment_key: bytes) -> None:
        self._aead = AESGCM(key)
        self._commitment_key = commitment_key

    def seal(self, plaintext: bytes, *, aad: str) -> bytes:
        """Encrypt `plaintext`; the result is version || nonce || ciphertext+tag."""
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, aad.encode())

    def open(self, sealed: bytes, *, aad: str) -> bytes:
        """Decrypt what `seal` produced with the same `aad`."""
        if not sealed or sealed[:1] != _VERSION:
            raise SealError(field=aad)
        try:
            return self._aead.decrypt(sealed[1:13], sealed[13:], aad.encode())
        except InvalidTag as exc:
            raise SealError(field=aad) from exc

    def seal_json(self, value: Any, *, aad: str) -> bytes:
        """Encrypt a JSON-serialisable value."""
        return self.seal(json.dumps(value, ensure_ascii=False, sort_keys=True).encode(), aad=aad)

    def open_json(self, sealed: bytes, *, aad: str) -> Any:
        """Decrypt a value sealed by `seal_json`."""
        return json.loads(self.open(sealed, aad=aad))

    def lookup_hash(self, value: str, *, purpose: str) -> str:
        """A keyed, deterministic hash for finding a row by a personal value without storing it."""
        return hmac.new(self._commitment_key, f"{purpose}\n{value}".encode(), hashlib.sha256).hexdigest()


def new_salt() -> bytes:
    """Return a fresh 16-byte salt for a commitment."""
    return os.urandom(16)


def commitment(value: str, *, salt: bytes) -> str:
    """A salted SHA-256 commitment to `value`, safe to publish; deleting the salt makes it unlinkable."""
    return hashlib.sha256(salt + value.encode()).hexdigest()
