"""Licence proof bundles in the C2SP tlog-proof format, verified offline against pinned origin, log and witness keys.

A bundle is one text file (`.tlog-proof`), exactly a c2sp.org/tlog-proof@v1 proof whose `extra` line carries the
entry, i.e. the leaf bytes (the RFC 8785 JSON record that was logged):

    c2sp.org/tlog-proof@v1
    extra <base64 leaf bytes>
    index <leaf index>
    <base64 inclusion proof hash, the leaf's sibling first, one per line>
    <blank line>
    <the signed checkpoint note verbatim: body, blank line, log signature and witness cosignature lines>

Why `extra` rather than a JSON wrapper: the format reserves `extra` for data needed to reconstruct the record hash,
so the bundle stays one standard document that tlog-proof tooling reads, with nothing outside it to keep in step.
The extra data is not trusted as such: `verify_bundle` hashes it (RFC 9162 leaf hash) and checks it against the
inclusion proof and the signed root, then parses it as canonical JSON. A verifier pins the origin, the log keys (any
one signature suffices, so rotated keys can be listed side by side; unknown signature lines are ignored) and the
witness cosignature keys with a quorum, never taking them from the bundle. Errors: BundleError (container or
record), CheckpointError (signatures, origin, quorum), ProofError (inclusion), each with the values that failed.
"""
from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from backend.ledger.checkpoint import (
    SIG_COSIGNATURE_V1,
    SIG_ED25519,
    Checkpoint,
    NoteVerifier,
    open_note,
    parse_note,
    verify_cosignatures,
)
from backend.ledger.errors import BundleError, CheckpointError
from backend.ledger.hashing import HASH_SIZE, leaf_hash
from backend.ledger.proofs import verify_inclusion
from backend.ledger.verify import licence_digest, parse_record

HEADER = "c2sp.org/tlog-proof@v1"
MEDIA_TYPE = "text/plain; charset=utf-8"
FILE_EXTENSION = ".tlog-proof"
MAX_BUNDLE_SIZE = 2 << 20
MAX_PROOF_HASHES = 64
_INDEX_RE = re.compile(r"index (0|[1-9][0-9]{0,18})")


@dataclass(frozen=True)
class TlogProof:
    """A parsed tlog-proof: leaf index, inclusion proof hashes, the signed checkpoint note and optional extra data."""

    index: int
    hashes: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None


@dataclass(frozen=True)
class VerifiedBundle:
    """What a valid bundle proves: `leaf` is entry `index` of the log whose signed checkpoint has `size` and `root`."""

    index: int
    size: int
    root: bytes
    leaf: bytes
    record: dict[str, Any]
    log_keys: tuple[str, ...]
    cosigned: dict[str, int]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, *, field: str) -> bytes:
    """Decode strict, canonical standard base64."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BundleError(field=field, reason="bad_base64", got=text[:120]) from None
    if _b64(raw) != text:
        raise BundleError(field=field, reason="bad_base64", got=text[:120])
    return raw


def encode_proof(*, index: int, hashes: Sequence[bytes], checkpoint: str, extra: bytes | None = None) -> str:
    """Return the c2sp.org/tlog-proof@v1 text for leaf `index`, its inclusion proof and the signed checkpoint."""
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise BundleError(field="index", reason="bad_index", got=str(index))
    if len(hashes) > MAX_PROOF_HASHES:
        raise BundleError(field="hashes", reason="too_many_hashes", limit=MAX_PROOF_HASHES, got=len(hashes))
    for position, h in enumerate(hashes):
        if not isinstance(h, (bytes, bytearray)) or len(h) != HASH_SIZE:
            raise BundleError(field=f"hashes[{position}]", reason="hash_length", expected=HASH_SIZE)
    parse_note(checkpoint)  # a well-formed signed note, ending in a newline
    lines = [HEADER]
    if extra is not None:
        if not extra:
            raise BundleError(field="extra", reason="empty_extra")
        lines.append(f"extra {_b64(bytes(extra))}")
    lines.append(f"index {index}")
    lines.extend(_b64(bytes(h)) for h in hashes)
    return "\n".join(lines) + "\n\n" + checkpoint


def parse_proof(text: str) -> TlogProof:
    """Parse a c2sp.org/tlog-proof@v1 text strictly; the checkpoint note is checked for form, not signatures."""
    if not isinstance(text, str):
        raise BundleError(field="proof", reason="not_text", got=type(text).__name__)
    if len(text) > MAX_BUNDLE_SIZE:
        raise BundleError(field="proof", reason="too_large", limit=MAX_BUNDLE_SIZE)
    split = text.find("\n\n")
    if split < 0:
        raise BundleError(field="proof", reason="no_checkpoint")
    lines, checkpoint = text[:split].split("\n"), text[split + 2 :]
    if lines[0] != HEADER:
        raise BundleError(field="header", reason="bad_header", expected=HEADER, got=lines[0][:120])
    position, extra = 1, None
    if position < len(lines) and lines[position].startswith("extra "):
        extra = _unb64(lines[position][len("extra ") :], field="extra")
        if not extra:
            raise BundleError(field="extra", reason="empty_extra")
        position += 1
    match = _INDEX_RE.fullmatch(lines[position]) if position < len(lines) else None
    if match is None:
        got = lines[position][:120] if position < len(lines) else None
        raise BundleError(field="index", reason="bad_index_line", got=got)
    hashes = []
    for line in lines[position + 1 :]:
        raw = _unb64(line, field=f"hashes[{len(hashes)}]")
        if len(raw) != HASH_SIZE:
            raise BundleError(field=f"hashes[{len(hashes)}]", reason="hash_length", expected=HASH_SIZE, got=len(raw))
        hashes.append(raw)
    if len(hashes) > MAX_PROOF_HASHES:
        raise BundleError(field="hashes", reason="too_many_hashes", limit=MAX_PROOF_HASHES, got=len(hashes))
    parse_note(checkpoint)
    return TlogProof(index=int(match.group(1)), hashes=tuple(hashes), checkpoint=checkpoint, extra=extra)


def encode_bundle(*, leaf: bytes, index: int, hashes: Sequence[bytes], checkpoint: str) -> str:
    """Return the licence bundle: a tlog-proof with the leaf bytes as its extra data."""
    return encode_proof(index=index, hashes=hashes, checkpoint=checkpoint, extra=leaf)


def bundle_from_ledger(ledger: Mapping[str, Any]) -> str:
    """Convert the JSON `ledger` object served with a licence (index, leaf, inclusion, checkpoint) to a bundle."""
    try:
        leaf = _unb64(ledger["leaf"], field="ledger.leaf")
        hashes = [_unb64(h, field="ledger.inclusion.hashes") for h in ledger["inclusion"]["hashes"]]
        index, checkpoint = ledger["index"], ledger["checkpoint"]
    except (KeyError, TypeError, AttributeError):
        raise BundleError(field="ledger", reason="missing_or_wrong_type") from None
    if not isinstance(checkpoint, str):
        raise BundleError(field="ledger.checkpoint", reason="missing_or_wrong_type")
    return encode_bundle(leaf=leaf, index=index, hashes=hashes, checkpoint=checkpoint)


def _keys(vkeys: Sequence[str], *, sig_type: int, role: str) -> list[NoteVerifier]:
    if isinstance(vkeys, str):
        raise BundleError(field=role, reason="expected_a_list_of_keys")
    verifiers = [NoteVerifier.from_verifier_key(v) for v in vkeys]
    for verifier in verifiers:
        if verifier.sig_type != sig_type:
            raise CheckpointError(reason="wrong_key_type", role=role, name=verifier.name, expected=sig_type)
    return verifiers


def _check_licence(record: Mapping[str, Any], licence: Mapping[str, Any]) -> None:
    uscc = licence.get("uscc") if isinstance(licence, Mapping) else None
    if not isinstance(uscc, str) or record.get("uscc") != uscc:
        raise BundleError(field="leaf.uscc", reason="uscc_mismatch", expected=uscc, got=record.get("uscc"))
    digest = licence_digest(licence)
    if record.get("licence_sha256") != digest:
        got = record.get("licence_sha256")
        raise BundleError(field="leaf.licence_sha256", reason="licence_mismatch", expected=digest, got=got)


def verify_bundle(
    bundle: str,
    /,
    *,
    origin: str,
    log_keys: Sequence[str],
    witness_keys: Sequence[str],
    quorum: int,
    licence: Mapping[str, Any] | None = None,
) -> VerifiedBundle:
    """Verify a bundle against the pinned origin, log keys and witness quorum (and optionally the licence shown)."""
    logs = _keys(log_keys, sig_type=SIG_ED25519, role="log_keys")
    witnesses = _keys(witness_keys, sig_type=SIG_COSIGNATURE_V1, role="witness_keys")
    pinned_witnesses = sorted({w.name for w in witnesses})
    if not logs:
        raise CheckpointError(reason="no_log_key_pinned")
    if isinstance(quorum, bool) or not isinstance(quorum, int) or not 0 <= quorum <= len(pinned_witnesses):
        raise CheckpointError(reason="quorum_unreachable", quorum=quorum, witnesses=pinned_witnesses)
    proof = parse_proof(bundle)
    if proof.extra is None:
        raise BundleError(field="extra", reason="no_entry")
    body, signed = open_note(proof.checkpoint, verifiers=logs)
    if not signed:
        raise CheckpointError(reason="no_known_signature", known=[v.name for v in logs])
    checkpoint = Checkpoint.parse_body(body)
    if checkpoint.origin != origin:
        raise CheckpointError(reason="origin_mismatch", expected=origin, got=checkpoint.origin)
    verify_inclusion(
        index=proof.index, size=checkpoint.size, leaf_hash=leaf_hash(proof.extra), proof=proof.hashes,
        root=checkpoint.root,
    )
    cosigned = verify_cosignatures(proof.checkpoint, cosigners=witnesses)
    if len(cosigned) < quorum:
        raise CheckpointError(
            reason="quorum_not_met", quorum=quorum, got=len(cosigned), cosigned=sorted(cosigned),
            pinned=pinned_witnesses,
        )
    record = parse_record(proof.extra)
    if licence is not None:
        _check_licence(record, licence)
    return VerifiedBundle(
        index=proof.index, size=checkpoint.size, root=checkpoint.root, leaf=proof.extra, record=record,
        log_keys=tuple(sorted(signed)), cosigned=dict(sorted(cosigned.items())),
    )
