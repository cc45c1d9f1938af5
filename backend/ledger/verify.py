"""Offline verification of a licence proof bundle against a pinned log key and origin, without the server."""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rfc8785

from backend.ledger.checkpoint import Checkpoint, NoteVerifier, open_checkpoint
from backend.ledger.errors import BundleError
from backend.ledger.hashing import leaf_hash
from backend.ledger.proofs import verify_inclusion


@dataclass(frozen=True)
class VerifiedLicence:
    """What a valid bundle proves: this licence is leaf `index` of the log at the signed checkpoint."""

    uscc: str
    index: int
    checkpoint: Checkpoint
    leaf: Mapping[str, Any]
    licence_sha256: str


def licence_digest(licence: Mapping[str, Any]) -> str:
    """Return the lowercase hex SHA-256 of the RFC 8785 canonical JSON of a licence object."""
    try:
        return hashlib.sha256(rfc8785.dumps(licence)).hexdigest()
    except (rfc8785.CanonicalizationError, TypeError, ValueError) as exc:
        raise BundleError(field="licence", reason="not_canonicalisable", detail=str(exc)[:200]) from None


def _field(mapping: Mapping[str, Any], key: str, kind: type, *, where: str) -> Any:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BundleError(field=f"{where}{key}", reason="missing_or_wrong_type", expected=kind.__name__)
    return value


def _b64(text: str, *, field: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BundleError(field=field, reason="bad_base64") from None


def _proof_hashes(values: list[Any]) -> list[bytes]:
    out = []
    for i, h in enumerate(values):
        where = f"ledger.inclusion.hashes[{i}]"
        if not isinstance(h, str):
            raise BundleError(field=where, reason="missing_or_wrong_type", expected="str")
        out.append(_b64(h, field=where))
    return out


def parse_record(leaf: bytes, *, field: str = "leaf") -> dict[str, Any]:
    """Return the leaf's JSON object, refusing anything that is not RFC 8785 canonical JSON."""
    try:
        record = json.loads(leaf.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BundleError(field=field, reason="not_json") from None
    if not isinstance(record, dict):
        raise BundleError(field=field, reason="not_an_object")
    try:
        canonical = rfc8785.dumps(record)
    except (rfc8785.CanonicalizationError, TypeError, ValueError):
        canonical = None
    if canonical != leaf:
        raise BundleError(field=field, reason="not_canonical_json")
    return record


def verify_licence_bundle(
    *, licence: Mapping[str, Any], ledger: Mapping[str, Any], verifier_key: str, origin: str, status: str | None = None
) -> VerifiedLicence:
    """Check that `licence` is recorded in the log signed by `verifier_key` under `origin` (with `status`, when
    given: the status served beside it), else raise LedgerError."""
    verifier = NoteVerifier.from_verifier_key(verifier_key)
    index = _field(ledger, "index", int, where="ledger.")
    leaf_bytes = _b64(_field(ledger, "leaf", str, where="ledger."), field="ledger.leaf")
    inclusion = _field(ledger, "inclusion", Mapping, where="ledger.")
    size = _field(inclusion, "size", int, where="ledger.inclusion.")
    hashes = _field(inclusion, "hashes", list, where="ledger.inclusion.")
    proof = _proof_hashes(hashes)
    text = _field(ledger, "checkpoint", str, where="ledger.")

    checkpoint = open_checkpoint(text, verifiers=[verifier], origin=origin)
    if checkpoint.size != size:
        raise BundleError(field="ledger.inclusion.size", reason="size_mismatch", expected=checkpoint.size, got=size)
    verify_inclusion(index=index, size=size, leaf_hash=leaf_hash(leaf_bytes), proof=proof, root=checkpoint.root)

    leaf = parse_record(leaf_bytes, field="ledger.leaf")
    uscc = _field(licence, "uscc", str, where="licence.")
    if leaf.get("uscc") != uscc:
        raise BundleError(field="leaf.uscc", reason="uscc_mismatch", expected=uscc, got=leaf.get("uscc"))
    digest = licence_digest(licence)
    if leaf.get("licence_sha256") != digest:
        raise BundleError(
            field="leaf.licence_sha256", reason="licence_mismatch", expected=digest, got=leaf.get("licence_sha256")
        )
    if status is not None and leaf.get("status") != status:
        raise BundleError(field="leaf.status", reason="status_mismatch", expected=status, got=leaf.get("status"))
    return VerifiedLicence(uscc=uscc, index=index, checkpoint=checkpoint, leaf=leaf, licence_sha256=digest)

