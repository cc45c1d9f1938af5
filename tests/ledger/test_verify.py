"""Offline verification of a licence proof bundle."""
from __future__ import annotations

import base64
import copy
import hashlib
from typing import Any

import pytest
import rfc8785

from backend.ledger.checkpoint import Checkpoint, signer_from_seed
from backend.ledger.errors import BundleError, CheckpointError, LedgerError, ProofError
from backend.ledger.tiles import MemoryTree
from backend.ledger.verify import licence_digest, verify_licence_bundle

ORIGIN = "kaiban.example/ledger"
SIGNER = signer_from_seed(ORIGIN, bytes([3]) * 32)
LICENCE = {
    "uscc": "91440101MA5CXXXX1X",
    "name": "广州黄埔示例科技有限公司",
    "registered_capital": "1000000",
    "issued_on": "2025-01-02",
}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _bundle(licence: dict[str, Any] = LICENCE) -> dict[str, Any]:
    tree = MemoryTree()
    for i in range(5):
        tree.append(rfc8785.dumps({"type": "step", "application": f"app-{i}", "v": 1}))
    leaf = rfc8785.dumps(
        {
            "type": "licence.issued",
            "v": 1,
            "uscc": licence["uscc"],
            "licence_sha256": hashlib.sha256(rfc8785.dumps(licence)).hexdigest(),
        }
    )
    index = tree.append(leaf)
    tree.append(rfc8785.dumps({"type": "step", "application": "app-9", "v": 1}))
    checkpoint = Checkpoint(ORIGIN, tree.size, tree.root())
    return {
        "index": index,
        "leaf": _b64(leaf),
        "inclusion": {"size": tree.size, "hashes": [_b64(h) for h in tree.inclusion_proof(index)]},
        "checkpoint": SIGNER.sign(checkpoint.body()),
    }


def _verify(ledger: dict[str, Any], licence: dict[str, Any] = LICENCE, **kw: Any) -> Any:
    args = {"verifier_key": SIGNER.verifier_key(), "origin": ORIGIN, **kw}
    return verify_licence_bundle(licence=licence, ledger=ledger, **args)


def test_valid_bundle_verifies() -> None:
    result = _verify(_bundle())
    assert result.uscc == LICENCE["uscc"] and result.index == 5 and result.checkpoint.size == 7
    assert result.licence_sha256 == licence_digest(LICENCE) == result.leaf["licence_sha256"]


@pytest.mark.parametrize("field", sorted(LICENCE))
def test_changing_one_licence_field_fails(field: str) -> None:
    changed = {**LICENCE, field: LICENCE[field] + "0"}
    with pytest.raises(BundleError) as err:
        _verify(_bundle(), changed)
    assert err.value.params["field"] == ("leaf.uscc" if field == "uscc" else "leaf.licence_sha256")


def test_extra_licence_field_fails() -> None:
    with pytest.raises(BundleError):
        _verify(_bundle(), {**LICENCE, "extra": True})


def test_wrong_key_fails() -> None:
    other = signer_from_seed(ORIGIN, bytes([4]) * 32)
    with pytest.raises(CheckpointError):
        _verify(_bundle(), verifier_key=other.verifier_key())


def test_wrong_origin_fails() -> None:
    with pytest.raises(CheckpointError) as err:
        _verify(_bundle(), origin="elsewhere.example/log")
    assert err.value.params["reason"] == "origin_mismatch"


def test_size_mismatch_fails() -> None:
    bundle = _bundle()
    bundle["inclusion"]["size"] = 6
    with pytest.raises(BundleError) as err:
        _verify(bundle)
    assert err.value.params == {"field": "ledger.inclusion.size", "reason": "size_mismatch", "expected": 7, "got": 6}


def test_tampered_proof_or_index_fails() -> None:
    bundle = _bundle()
    wrong_index = copy.deepcopy(bundle)
    wrong_index["index"] = 4
    with pytest.raises(ProofError):
        _verify(wrong_index)
    short = copy.deepcopy(bundle)
    short["inclusion"]["hashes"].pop()
    with pytest.raises(ProofError):
        _verify(short)


def test_tampered_leaf_fails() -> None:
    bundle = _bundle()
    leaf = base64.b64decode(bundle["leaf"]).replace(b"licence.issued", b"licence.revoked")
    bundle["leaf"] = _b64(leaf)
    with pytest.raises(ProofError):
        _verify(bundle)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.pop("index"),
        lambda b: b.update(index="5"),
        lambda b: b.update(leaf="not base64!"),
        lambda b: b["inclusion"].update(hashes=[1, 2, 3]),
        lambda b: b.update(checkpoint=None),
        lambda b: b.update(inclusion=[]),
    ],
)
def test_malformed_bundles_raise_ledger_errors(mutate) -> None:  # type: ignore[no-untyped-def]
    bundle = _bundle()
    mutate(bundle)
    with pytest.raises(LedgerError):
        _verify(bundle)


def test_non_canonical_leaf_is_rejected() -> None:
    """A leaf that is in the tree but is not canonical JSON is refused (one licence, one encoding)."""
    licence_sha = licence_digest(LICENCE)
    leaf = f'{{"uscc": "{LICENCE["uscc"]}", "licence_sha256": "{licence_sha}"}}'.encode()
    tree = MemoryTree()
    tree.append(leaf)
    bundle = {
        "index": 0,
        "leaf": _b64(leaf),
        "inclusion": {"size": 1, "hashes": []},
        "checkpoint": SIGNER.sign(Checkpoint(ORIGIN, 1, tree.root()).body()),
    }
    with pytest.raises(BundleError) as err:
        _verify(bundle)
    assert err.value.params["reason"] == "not_canonical_json"
