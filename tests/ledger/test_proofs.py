"""Every RFC 6962 / RFC 9162 probe of the shared vectors: happy paths verify, every corrupted proof is rejected."""
from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SHARED

from backend.ledger.errors import LedgerError, ProofError
from backend.ledger.hashing import leaf_hash, root_of
from backend.ledger.proofs import (
    consistency_proof_size,
    inclusion_proof_size,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

PROBES = SHARED / "vectors" / "merkle"
PROBE_FILES = sorted(PROBES.rglob("*.json"))


def _dec(value: Any) -> bytes:
    return base64.b64decode(value) if isinstance(value, str) else b""


def _judge(probe: dict[str, Any]) -> None:
    proof = [_dec(p) for p in probe["proof"] or []]
    if "size1" in probe:
        verify_consistency(
            old_size=probe["size1"],
            size=probe["size2"],
            old_root=_dec(probe["root1"]),
            root=_dec(probe["root2"]),
            proof=proof,
        )
    else:
        verify_inclusion(
            index=probe["leafIdx"],
            size=probe["treeSize"],
            leaf_hash=_dec(probe["leafHash"]),
            proof=proof,
            root=_dec(probe["root"]),
        )


def test_probes_are_present() -> None:
    assert len(PROBE_FILES) > 150, f"no probes under {PROBES}"


@pytest.mark.parametrize("path", PROBE_FILES, ids=[str(p.relative_to(PROBES)) for p in PROBE_FILES])
def test_probe(path: Path) -> None:
    probe = json.loads(path.read_text())
    if probe["wantErr"]:
        with pytest.raises(ProofError):
            _judge(probe)
    else:
        _judge(probe)


LEAVES = [leaf_hash(bytes([i])) for i in range(8)]


def _path(m: int, hashes: list[bytes]) -> list[bytes]:
    if len(hashes) == 1:
        return []
    k = 1 << ((len(hashes) - 1).bit_length() - 1)
    if m < k:
        return _path(m, hashes[:k]) + [root_of(hashes[k:])]
    return _path(m - k, hashes[k:]) + [root_of(hashes[:k])]


def test_root_from_inclusion() -> None:
    proof = _path(5, LEAVES[:7])
    assert root_from_inclusion(index=5, size=7, leaf_hash=LEAVES[5], proof=proof) == root_of(LEAVES[:7])


def test_errors_carry_the_failing_values() -> None:
    proof = _path(2, LEAVES[:6])
    with pytest.raises(ProofError) as err:
        verify_inclusion(index=2, size=6, leaf_hash=LEAVES[2], proof=proof[:-1], root=root_of(LEAVES[:6]))
    assert err.value.params == {"reason": "proof_length", "expected": len(proof), "got": len(proof) - 1}
    assert err.value.code == "proof_invalid" and err.value.status == 422 and isinstance(err.value, LedgerError)
    with pytest.raises(ProofError) as err:
        verify_inclusion(index=6, size=6, leaf_hash=LEAVES[2], proof=proof, root=root_of(LEAVES[:6]))
    assert err.value.params == {"reason": "index_out_of_range", "index": 6, "size": 6}
    with pytest.raises(ProofError) as err:
        verify_inclusion(index=2, size=6, leaf_hash=LEAVES[3], proof=proof, root=root_of(LEAVES[:6]))
    assert err.value.params["reason"] == "root_mismatch"
    assert err.value.params["expected"] == root_of(LEAVES[:6]).hex()


def test_non_32_byte_hashes_are_rejected() -> None:
    proof = _path(0, LEAVES[:2])
    with pytest.raises(ProofError) as err:
        verify_inclusion(index=0, size=2, leaf_hash=LEAVES[0], proof=[proof[0] + b"\x00"], root=root_of(LEAVES[:2]))
    assert err.value.params == {"reason": "hash_length", "what": "proof[0]", "expected": 32, "got": 33}
    with pytest.raises(ProofError):
        verify_inclusion(index=0, size=2, leaf_hash=LEAVES[0][:31], proof=proof, root=root_of(LEAVES[:2]))


def test_consistency_from_size_zero_is_rejected() -> None:
    for size in (0, 1, 5):
        with pytest.raises(ProofError) as err:
            verify_consistency(old_size=0, size=size, old_root=root_of([]), root=root_of(LEAVES[:size]), proof=[])
        assert err.value.params["old_size"] == 0


def test_proof_sizes() -> None:
    assert [inclusion_proof_size(index=i, size=7) for i in range(7)] == [3, 3, 3, 3, 3, 3, 2]
    assert inclusion_proof_size(index=0, size=1) == 0
    assert consistency_proof_size(old_size=4, size=8) == 1
    assert consistency_proof_size(old_size=3, size=7) == 4
    assert consistency_proof_size(old_size=5, size=5) == 0
    with pytest.raises(ProofError):
        consistency_proof_size(old_size=6, size=5)
