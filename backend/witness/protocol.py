"""C2SP tlog-witness `add-checkpoint`: request format and the witness's verdict, as pure functions without I/O.

The checks follow the order of the spec (and of ledger.md): a malformed body is 400, an unknown origin 404,
no valid signature of a trusted log key 403, an old size above the checkpoint size 400, an old size other than the
witness's latest size 409 (carrying that size), and a refused proof or root 422.
"""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backend.ledger.checkpoint import SIG_ED25519, Checkpoint, NoteVerifier, open_checkpoint, parse_note
from backend.ledger.errors import CheckpointError, LedgerError, ProofError
from backend.ledger.hashing import EMPTY_ROOT, HASH_SIZE
from backend.ledger.proofs import verify_consistency

MAX_PROOF_LINES = 63
MAX_SIZE = (1 << 63) - 1
SIZE_CONTENT_TYPE = "text/x.tlog.size"
_DECIMAL_RE = re.compile(r"0|[1-9][0-9]{0,18}")


# -- refusals -------------------------------------------------------------------------------------------------------


class WitnessRefusal(LedgerError):
    """The witness refuses an add-checkpoint request; `status` is the HTTP status it answers with."""

    status = 400
    default_code = "witness_refused"


class MalformedRequest(WitnessRefusal):
    """The request body or the checkpoint cannot be read, or the old size exceeds the checkpoint size (400)."""

    status = 400
    default_code = "witness_bad_request"


class UnknownOrigin(WitnessRefusal):
    """The witness is not configured for the checkpoint's origin (404)."""

    status = 404
    default_code = "witness_unknown_origin"


class NoValidSignature(WitnessRefusal):
    """No signature of a log key trusted for the origin verifies, or one of them fails (403)."""

    status = 403
    default_code = "witness_no_valid_signature"


class SizeConflict(WitnessRefusal):
    """The old size is not the witness's latest size for the origin (409); `latest_size` says what it is."""

    status = 409
    default_code = "witness_size_conflict"

    def __init__(self, code: str | None = None, /, *, latest_size: int, **params: Any) -> None:
        super().__init__(code, latest_size=latest_size, **params)
        self.latest_size = latest_size


class ProofRefused(WitnessRefusal):
    """The consistency proof does not verify or the roots disagree with what the witness cosigned (422)."""

    status = 422
    default_code = "witness_proof_refused"


# -- request --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddCheckpointRequest:
    """A parsed add-checkpoint body: the old size, the consistency proof hashes and the signed checkpoint note."""

    old_size: int
    proof: tuple[bytes, ...]
    note: str


def parse_size(text: str, *, what: str) -> int:
    """Parse a canonical decimal tree size (no sign, no leading zero, at most 2**63 - 1)."""
    if not _DECIMAL_RE.fullmatch(text) or int(text) > MAX_SIZE:
        raise MalformedRequest(reason="bad_size", what=what, got=text[:40])
    return int(text)


def _parse_hash(line: str, *, position: int) -> bytes:
    try:
        raw = base64.b64decode(line.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise MalformedRequest(reason="bad_proof_line", position=position, got=line[:80]) from None
    if len(raw) != HASH_SIZE or base64.b64encode(raw).decode("ascii") != line:
        raise MalformedRequest(reason="bad_proof_line", position=position, got=line[:80])
    return raw


def parse_request(body: bytes) -> AddCheckpointRequest:
    """Parse `old <size>\\n`, the base64 proof lines, a blank line and the note; raise MalformedRequest (400)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedRequest(reason="not_utf8") from None
    head, blank, note = text.partition("\n\n")
    if not blank or not note:
        raise MalformedRequest(reason="no_blank_line_before_checkpoint")
    old_line, *proof_lines = head.split("\n")
    if not old_line.startswith("old "):
        raise MalformedRequest(reason="bad_old_line", got=old_line[:80])
    old_size = parse_size(old_line[4:], what="old")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise MalformedRequest(reason="too_many_proof_lines", limit=MAX_PROOF_LINES, got=len(proof_lines))
    proof = tuple(_parse_hash(line, position=i) for i, line in enumerate(proof_lines))
    return AddCheckpointRequest(old_size=old_size, proof=proof, note=note)


def format_request(*, old_size: int, proof: Sequence[bytes], checkpoint: str) -> bytes:
    """Return the add-checkpoint body for `checkpoint` (a signed note) with the proof from `old_size`."""
    if isinstance(old_size, bool) or not isinstance(old_size, int) or not 0 <= old_size <= MAX_SIZE:
        raise MalformedRequest(reason="bad_size", what="old", got=str(old_size)[:40])
    if len(proof) > MAX_PROOF_LINES:
        raise MalformedRequest(reason="too_many_proof_lines", limit=MAX_PROOF_LINES, got=len(proof))
    for position, h in enumerate(proof):
        if not isinstance(h, (bytes, bytearray)) or len(h) != HASH_SIZE:
            raise MalformedRequest(reason="bad_proof_line", position=position)
    lines = [f"old {old_size}", *(base64.b64encode(bytes(h)).decode("ascii") for h in proof)]
    return ("\n".join(lines) + "\n\n" + checkpoint).encode("utf-8")


def format_size(size: int) -> bytes:
    """Return the text/x.tlog.size body of a 409 answer: the size in decimal and a newline."""
    return f"{size}\n".encode("ascii")


def parse_size_body(body: bytes) -> int:
    """Parse a text/x.tlog.size body (`<size>\\n`); raise MalformedRequest if it is not exactly that."""
    text = body.decode("ascii", errors="replace")
    if not text.endswith("\n"):
        raise MalformedRequest(reason="bad_size_body", got=text[:40])
    return parse_size(text[:-1], what="size_body")


# -- verdict --------------------------------------------------------------------------------------------------------


def parse_log_key(spec: str) -> tuple[str, NoteVerifier]:
    """Parse a `<origin>=<log verifier key>` option into the origin and its Ed25519 (type 0x01) verifier."""
    origin, eq, vkey = spec.partition("=")
    if not eq or not origin or not vkey:
        raise CheckpointError(reason="bad_log_option", got=spec[:200])
    verifier = NoteVerifier.from_verifier_key(vkey)
    if verifier.sig_type != SIG_ED25519:
        raise CheckpointError(reason="log_key_not_ed25519", name=verifier.name, sig_type=verifier.sig_type)
    return origin, verifier


def open_request_checkpoint(*, note: str, logs: Mapping[str, Sequence[NoteVerifier]]) -> Checkpoint:
    """Read the checkpoint of a request note and check its log signature: 400, 404 or 403 on failure."""
    try:
        body, _ = parse_note(note)
        unverified = Checkpoint.parse_body(body)
    except CheckpointError as exc:
        raise MalformedRequest(reason="bad_checkpoint", detail=exc.params) from None
    verifiers = logs.get(unverified.origin)
    if not verifiers:
        raise UnknownOrigin(origin=unverified.origin[:200])
    try:
        return open_checkpoint(note, verifiers=verifiers, origin=unverified.origin)
    except CheckpointError as exc:
        raise NoValidSignature(origin=unverified.origin[:200], detail=exc.params) from None


def judge(
    *, old_size: int, proof: Sequence[bytes], checkpoint: Checkpoint, latest_size: int, latest_root: bytes
) -> bool:
    """Check a request against the witness's latest (size, root); return whether the stored state must advance.

    Raises MalformedRequest (400), SizeConflict (409) or ProofRefused (422). `latest_root` is the empty-tree
    hash when the witness never cosigned a checkpoint of this origin (size 0).
    """
    if old_size > checkpoint.size:
        raise MalformedRequest(reason="old_size_above_size", old_size=old_size, size=checkpoint.size)
    if old_size != latest_size:
        raise SizeConflict(latest_size=latest_size, old_size=old_size)
    if old_size == 0:
        if proof:
            raise ProofRefused(reason="proof_from_size_zero", got=len(proof))
        if checkpoint.size == 0 and checkpoint.root != EMPTY_ROOT:
            raise ProofRefused(reason="size_zero_root_not_empty", got=checkpoint.root.hex())
        return checkpoint.size > 0
    if old_size == checkpoint.size and proof:
        raise ProofRefused(reason="proof_for_equal_sizes", got=len(proof))
    if old_size == checkpoint.size and checkpoint.root != latest_root:
        raise ProofRefused(reason="equal_sizes_different_roots", size=old_size)
    try:
        verify_consistency(
            old_size=old_size, size=checkpoint.size, old_root=latest_root, root=checkpoint.root, proof=proof
        )
    except ProofError as exc:
        raise ProofRefused(reason="consistency_proof_invalid", detail=exc.params) from None
    return checkpoint.size > old_size
