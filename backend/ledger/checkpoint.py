"""C2SP tlog-checkpoint bodies in C2SP signed notes, signed with Ed25519 (type 0x01) and cosigned (type 0x04)."""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from backend.ledger.errors import CheckpointError
from backend.ledger.hashing import HASH_SIZE

SIG_ED25519 = 0x01
SIG_COSIGNATURE_V1 = 0x04
MAX_SIGNATURES = 100
MAX_NOTE_SIZE = 1 << 20
MAX_TIMESTAMP = (1 << 63) - 1
_DASH = "\u2014 "
_SIZE_RE = re.compile(r"0|[1-9][0-9]{0,18}")
_HEX_ID_RE = re.compile(r"[0-9a-fA-F]{8}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64decode(text: str, *, what: str) -> bytes:
    """Decode strict, canonical standard base64."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise CheckpointError(reason="bad_base64", what=what, got=text[:120]) from None
    if _b64(raw) != text:
        raise CheckpointError(reason="bad_base64", what=what, got=text[:120])
    return raw


def _check_text(text: str, *, what: str) -> None:
    if not isinstance(text, str):
        raise CheckpointError(reason="not_text", what=what, got=type(text).__name__)
    for ch in text:
        if ch < " " and ch != "\n":
            raise CheckpointError(reason="control_character", what=what, got=hex(ord(ch)))


def check_key_name(name: str) -> None:
    """Raise CheckpointError unless `name` is a valid note key name (non-empty, no spaces, no '+')."""
    if not isinstance(name, str) or not name or "+" in name or any(ch.isspace() or ch < " " for ch in name):
        raise CheckpointError(reason="bad_key_name", name=str(name)[:120])


def key_id(*, name: str, sig_type: int, public_key: bytes) -> bytes:
    """Return the 4-byte key id SHA-256(name || 0x0A || sig_type || public_key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([sig_type]) + public_key).digest()[:4]


def cosignature_message(body: str, *, timestamp: int) -> bytes:
    """Return the message an Ed25519 cosignature v1 signs over the checkpoint note `body`."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


# -- checkpoint body ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the origin of the log, its size and its root hash, with optional extension lines."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        _check_text(self.origin, what="origin")
        if not self.origin or "\n" in self.origin:
            raise CheckpointError(reason="bad_origin", origin=self.origin[:120])
        if isinstance(self.size, bool) or not isinstance(self.size, int) or not 0 <= self.size <= MAX_TIMESTAMP:
            raise CheckpointError(reason="bad_size", size=str(self.size))
        if not isinstance(self.root, bytes) or len(self.root) != HASH_SIZE:
            got = len(self.root) if isinstance(self.root, bytes) else type(self.root).__name__
            raise CheckpointError(reason="bad_root", expected=HASH_SIZE, got=got)
        for line in self.extensions:
            _check_text(line, what="extension")
            if not line or "\n" in line:
                raise CheckpointError(reason="bad_extension_line", got=line[:120])

    def body(self) -> str:
        """Return the note text: origin, size, base64 root and extension lines, each ending in a newline."""
        return "".join(f"{line}\n" for line in (self.origin, str(self.size), _b64(self.root), *self.extensions))

    @classmethod
    def parse_body(cls, body: str) -> Checkpoint:
        """Parse a checkpoint note text (without signatures)."""
        _check_text(body, what="body")
        if not body.endswith("\n"):
            raise CheckpointError(reason="body_without_final_newline")
        lines = body[:-1].split("\n")
        if len(lines) < 3 or any(not line for line in lines):
            raise CheckpointError(reason="bad_body_lines", lines=len(lines))
        origin, size, root, *extensions = lines
        if not _SIZE_RE.fullmatch(size):
            raise CheckpointError(reason="bad_size", size=size[:40])
        return cls(origin, int(size), _b64decode(root, what="root"), tuple(extensions))


# -- signed notes -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note: key name, 4-byte key id and the signature bytes after the key id."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        """Return the signature line, ending in a newline."""
        return f"{_DASH}{self.name} {_b64(self.key_id + self.signature)}\n"


def parse_note(text: str) -> tuple[str, list[NoteSignature]]:
    """Split a signed note into its text (ending in a newline) and its signature lines, rejecting malformed notes."""
    _check_text(text, what="note")
    if len(text.encode()) > MAX_NOTE_SIZE:
        raise CheckpointError(reason="note_too_large", limit=MAX_NOTE_SIZE)
    split = text.rfind("\n\n")
    if split < 0:
        raise CheckpointError(reason="no_signature_block")
    body, block = text[: split + 1], text[split + 2 :]
    if not block or not block.endswith("\n"):
        raise CheckpointError(reason="bad_signature_block")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError(reason="too_many_signatures", limit=MAX_SIGNATURES, got=len(lines))
    signatures = []
    for line in lines:
        parts = line[len(_DASH) :].split(" ") if line.startswith(_DASH) else []
        if len(parts) != 2:
            raise CheckpointError(reason="bad_signature_line", line=line[:120])
        check_key_name(parts[0])
        raw = _b64decode(parts[1], what="signature")
        if len(raw) < 5:
            raise CheckpointError(reason="signature_too_short", name=parts[0], got=len(raw))
        signatures.append(NoteSignature(parts[0], raw[:4], raw[4:]))
    return body, signatures


@dataclass(frozen=True)
class NoteVerifier:
    """A trusted Ed25519 key: a log key (type 0x01) or a witness cosignature v1 key (type 0x04)."""

    name: str
    public_key: bytes
    sig_type: int = SIG_ED25519

    def __post_init__(self) -> None:
        check_key_name(self.name)
        if self.sig_type not in (SIG_ED25519, SIG_COSIGNATURE_V1):
            raise CheckpointError(reason="unsupported_key_type", name=self.name, sig_type=self.sig_type)
        if len(self.public_key) != 32:
            raise CheckpointError(reason="bad_public_key", name=self.name, expected=32, got=len(self.public_key))

    @property
    def key_id(self) -> bytes:
        """Return the 4-byte key id."""
        return key_id(name=self.name, sig_type=self.sig_type, public_key=self.public_key)

    def verifier_key(self) -> str:
        """Return the verifier key string `<name>+<hex key id>+<base64(type || public key)>`."""
        return f"{self.name}+{self.key_id.hex()}+{_b64(bytes([self.sig_type]) + self.public_key)}"

    @classmethod
    def from_verifier_key(cls, vkey: str) -> NoteVerifier:
        """Parse a verifier key string of type 0x01 (Ed25519) or 0x04 (cosignature v1)."""
        parts = vkey.strip().split("+", 2) if isinstance(vkey, str) else []
        if len(parts) != 3 or not _HEX_ID_RE.fullmatch(parts[1]):
            raise CheckpointError(reason="bad_verifier_key", vkey=str(vkey)[:200])
        name, hex_id, material = parts
        raw = _b64decode(material, what="verifier_key")
        if len(raw) != 33:
            raise CheckpointError(reason="bad_public_key", name=name, expected=33, got=len(raw))
        verifier = cls(name, raw[1:], raw[0])
        if verifier.key_id.hex() != hex_id.lower():
            raise CheckpointError(reason="key_id_mismatch", name=name, expected=verifier.key_id.hex(), got=hex_id)
        return verifier

    def matches(self, signature: NoteSignature) -> bool:
        """Return whether a signature line claims to come from this key (same name and key id)."""
        return signature.name == self.name and signature.key_id == self.key_id

    def verify(self, body: str, signature: NoteSignature) -> int | None:
        """Verify a matching signature over the note text; return the cosignature timestamp (None for type 0x01)."""
        timestamp, sig, message = None, signature.signature, body.encode()
        if self.sig_type == SIG_COSIGNATURE_V1:
            if len(sig) != 8 + 64:
                raise CheckpointError(reason="bad_cosignature", name=self.name, expected=72, got=len(sig))
            timestamp = int.from_bytes(sig[:8], "big")
            if timestamp > MAX_TIMESTAMP:
                raise CheckpointError(reason="bad_cosignature_time", name=self.name, got=timestamp)
            sig, message = sig[8:], cosignature_message(body, timestamp=timestamp)
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(sig, message)
        except InvalidSignature:
            raise CheckpointError(reason="signature_invalid", name=self.name, key_id=self.key_id.hex()) from None
        return timestamp


class NoteSigner:
    """An Ed25519 note signer (type 0x01), e.g. the log's checkpoint key."""

    sig_type = SIG_ED25519

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        check_key_name(name)
        self.name = name
        self._private_key = private_key
        self.public_key: bytes = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id: bytes = key_id(name=name, sig_type=self.sig_type, public_key=self.public_key)

    def verifier(self) -> NoteVerifier:
        """Return the matching verifier."""
        return NoteVerifier(self.name, self.public_key, self.sig_type)

    def verifier_key(self) -> str:
        """Return the verifier key string to publish and pin."""
        return self.verifier().verifier_key()

    def signature_line(self, body: str) -> str:
        """Return the signature line (ending in a newline) over the note text `body`."""
        _check_body(body)
        return NoteSignature(self.name, self.key_id, self._private_key.sign(body.encode())).line()

    def sign(self, body: str) -> str:
        """Return the signed note: `body`, a blank line and this key's signature line."""
        return f"{body}\n{self.signature_line(body)}"


class CosignatureSigner(NoteSigner):
    """An Ed25519 witness cosigner (C2SP tlog-cosignature v1, type 0x04)."""

    sig_type = SIG_COSIGNATURE_V1

    def signature_line(self, body: str, *, timestamp: int = 0) -> str:
        """Return the cosignature line over the checkpoint note text `body` at `timestamp` (seconds)."""
        _check_body(body)
        if not 0 <= timestamp <= MAX_TIMESTAMP:
            raise CheckpointError(reason="bad_cosignature_time", got=timestamp)
        sig = self._private_key.sign(cosignature_message(body, timestamp=timestamp))
        return NoteSignature(self.name, self.key_id, timestamp.to_bytes(8, "big") + sig).line()

    def sign(self, body: str, *, timestamp: int = 0) -> str:
        """Return a note with only this cosignature over `body`."""
        return f"{body}\n{self.signature_line(body, timestamp=timestamp)}"

    def cosign(self, note: str, *, timestamp: int) -> str:
        """Return the signed note `note` with this cosignature line appended."""
        body, _ = parse_note(note)
        return note + self.signature_line(body, timestamp=timestamp)


def _check_body(body: str) -> None:
    _check_text(body, what="body")
    if not body or not body.endswith("\n"):
        raise CheckpointError(reason="body_without_final_newline")


def signer_from_seed(name: str, seed32: bytes) -> NoteSigner:
    """Return a log signer from a 32-byte Ed25519 seed."""
    if len(seed32) != 32:
        raise CheckpointError(reason="bad_seed", expected=32, got=len(seed32))
    return NoteSigner(name, Ed25519PrivateKey.from_private_bytes(bytes(seed32)))


def cosigner_from_seed(name: str, seed32: bytes) -> CosignatureSigner:
    """Return a witness cosigner from a 32-byte Ed25519 seed."""
    if len(seed32) != 32:
        raise CheckpointError(reason="bad_seed", expected=32, got=len(seed32))
    return CosignatureSigner(name, Ed25519PrivateKey.from_private_bytes(bytes(seed32)))


def open_note(text: str, *, verifiers: Iterable[NoteVerifier]) -> tuple[str, dict[str, int | None]]:
    """Return the note text and {key name: cosignature time or None} of the known keys whose signatures verify.

    Unknown signature lines are ignored; a failing signature of a known key rejects the note.
    """
    body, signatures = parse_note(text)
    known = list(verifiers)
    verified: dict[str, int | None] = {}
    for signature in signatures:
        for verifier in known:
            if verifier.matches(signature):
                verified[verifier.name] = verifier.verify(body, signature)
    return body, verified


def open_checkpoint(text: str, *, verifiers: Iterable[NoteVerifier], origin: str | None = None) -> Checkpoint:
    """Verify a signed checkpoint: at least one valid signature from a known log key (type 0x01), and the origin."""
    log_keys = [v for v in verifiers if v.sig_type == SIG_ED25519]
    body, verified = open_note(text, verifiers=log_keys)
    if not verified:
        raise CheckpointError(reason="no_known_signature", known=[v.name for v in log_keys])
    checkpoint = Checkpoint.parse_body(body)
    if origin is not None and checkpoint.origin != origin:
        raise CheckpointError(reason="origin_mismatch", expected=origin, got=checkpoint.origin)
    return checkpoint


def verify_cosignatures(text: str, *, cosigners: Iterable[NoteVerifier]) -> dict[str, int]:
    """Return {cosigner name: timestamp} for the valid cosignatures (type 0x04) of known witnesses on a note."""
    keys = [v for v in cosigners if v.sig_type == SIG_COSIGNATURE_V1]
    _, verified = open_note(text, verifiers=keys)
    return {name: ts for name, ts in verified.items() if ts is not None}
