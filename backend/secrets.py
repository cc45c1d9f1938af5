"""Key material of the service: taken from settings, or generated once under var/keys/ for development."""
from __future__ import annotations

import base64
import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from backend.settings import Settings

if TYPE_CHECKING:
    from backend.privacy import Sealer


@dataclasses.dataclass(frozen=True)
class SecretMaterial:
    """Every secret the service holds, decoded."""

    data_key: bytes  # AES-256-GCM key for personal data at rest
    commitment_key: bytes  # HMAC key of blind indexes of personal data (given, or derived from the data key)
    data_key_id: str
    previous_data_keys: dict[str, bytes]  # key id -> key, for data sealed before a rotation
    ledger_key: Ed25519PrivateKey
    ledger_additional_keys: tuple[tuple[str, Ed25519PrivateKey], ...]  # (key name, key) of keys signing beside it
    token_key: Ed25519PrivateKey
    ca_key: Ed25519PrivateKey


def _load_or_create(directory: Path, name: str, given: str | None) -> bytes:
    """Return 32 bytes from `given` (base64), or from var/keys/<name>, creating it exclusively if absent."""
    if given:
        raw = base64.b64decode(given)
        if len(raw) != 32:
            raise ValueError(f"{name}: expected 32 bytes of base64, got {len(raw)}")
        return raw
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.b64"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return base64.b64decode(path.read_text().strip())
    with os.fdopen(fd, "w") as handle:  # first process to get here writes the key; others read it
        raw = os.urandom(32)
        handle.write(base64.b64encode(raw).decode())
    return raw


def load_secrets(settings: Settings) -> SecretMaterial:
    """Load (or, in development, create) the key material named by `settings`."""
    directory = settings.var_dir / "keys"
    data_key = _load_or_create(directory, "data_key", settings.data_key_b64)
    if settings.blind_index_key_b64:  # set it explicitly before rotating the data key, so indexes stay stable
        commitment_key = _load_or_create(directory, "blind_index_key", settings.blind_index_key_b64)
    else:
        commitment_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"kaiban commitments v1").derive(
            data_key
        )
    return SecretMaterial(
        data_key=data_key,
        commitment_key=commitment_key,
        data_key_id=settings.data_key_id,
        previous_data_keys=dict(_data_key(item) for item in settings.data_previous_keys),
        ledger_key=Ed25519PrivateKey.from_private_bytes(
            _load_or_create(directory, "ledger_seed", settings.ledger_seed_b64)
        ),
        ledger_additional_keys=tuple(_named_key(item) for item in settings.ledger_additional_keys),
        token_key=Ed25519PrivateKey.from_private_bytes(
            _load_or_create(directory, "token_seed", settings.token_seed_b64)
        ),
        ca_key=Ed25519PrivateKey.from_private_bytes(_load_or_create(directory, "ca_seed", settings.ca_seed_b64)),
    )


def _named_key(item: str) -> tuple[str, Ed25519PrivateKey]:
    """Parse "<key name>=<base64 32-byte seed>" (key names hold no "=")."""
    name, sep, seed = item.partition("=")
    raw = base64.b64decode(seed) if sep and name else b""
    if len(raw) != 32:
        raise ValueError(f"LEDGER_ADDITIONAL_KEYS: expected <key name>=<base64 of 32 bytes> for {name or item[:20]!r}")
    return name, Ed25519PrivateKey.from_private_bytes(raw)


def _data_key(item: str) -> tuple[str, bytes]:
    """Parse "<key id>=<base64 32-byte AES key>"."""
    name, sep, value = item.partition("=")
    raw = base64.b64decode(value) if sep and name else b""
    if len(raw) != 32:
        raise ValueError(f"DATA_PREVIOUS_KEYS: expected <key id>=<base64 of 32 bytes> for {name or item[:20]!r}")
    return name, raw


def make_sealer(secrets: SecretMaterial) -> "Sealer":
    """The sealer of personal data: the current data key, the previous ones, the blind-index key."""
    from backend.privacy import Sealer

    return Sealer(
        key=secrets.data_key,
        commitment_key=secrets.commitment_key,
        key_id=secrets.data_key_id,
        previous_keys=secrets.previous_data_keys,
    )
