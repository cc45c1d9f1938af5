"""Licence proof bundles in the C2SP tlog-proof format: round trip, and every tamper or policy failure refused."""
from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
import rfc8785

from backend.ledger.bundle import (
    HEADER,
    bundle_from_ledger,
    encode_bundle,
    encode_proof,
    parse_proof,
    verify_bundle,
)
from backend.ledger.checkpoint import Checkpoint, cosigner_from_seed, signer_from_seed
from backend.ledger.errors import BundleError, CheckpointError, LedgerError, ProofError
from backend.ledger.tiles import MemoryTree

ORIGIN = "kaiban.example/ledger"
LOG = signer_from_seed(ORIGIN, bytes([3]) * 32)
NEW_LOG = signer_from_seed(ORIGIN, bytes([5]) * 32)  # the rotated key, same name
OTHER = signer_from_seed(ORIGIN, bytes([4]) * 32)
WITNESSES = [cosigner_from_seed(f"witness{i}.example", bytes([10 + i]) * 32) for i in range(3)]
LICENCE = {"uscc": "91440101MA5CXXXX1X", "name": "广州黄埔示例科技有限公司", "issued_on": "2025-01-02"}
LEAF = rfc8785.dumps(
    {
        "v": 1,
        "type": "licence.status",
        "uscc": LICENCE["uscc"],
        "status": "active",
        "licence_sha256": hashlib.sha256(rfc8785.dumps(LICENCE)).hexdigest(),
    }
)
INDEX = 5


def _tree() -> MemoryTree:
    tree = MemoryTree()
    for i in range(INDEX):
        tree.append(rfc8785.dumps({"v": 1, "type": "formation.step", "application": f"app-{i}"}))
    assert tree.append(LEAF) == INDEX
    for i in range(7):
        tree.append(rfc8785.dumps({"v": 1, "type": "formation.step", "application": f"later-{i}"}))
    return tree


def _note(*, signers: tuple = (LOG,), cosigners: tuple = tuple(WITNESSES), body: str | None = None) -> str:
    tree = _tree()
    body = body or Checkpoint(ORIGIN, tree.size, tree.root()).body()
    note = body + "\n" + "".join(s.signature_line(body) for s in signers)
    for i, witness in enumerate(cosigners):
        note = witness.cosign(note, timestamp=1_700_000_000 + i)
    return note


def _bundle(**kw: Any) -> str:
    tree = _tree()
    return encode_bundle(leaf=LEAF, index=INDEX, hashes=tree.inclusion_proof(INDEX), checkpoint=_note(**kw))


def _verify(bundle: str, **kw: Any) -> Any:
    args: dict[str, Any] = {
        "origin": ORIGIN,
        "log_keys": [LOG.verifier_key()],
        "witness_keys": [w.verifier_key() for w in WITNESSES],
        "quorum": 2,
        **kw,
    }
    return verify_bundle(bundle, **args)


def _replace_line(bundle: str, number: int, line: str) -> str:
    lines = bundle.split("\n")
    lines[number] = line
    return "\n".join(lines)


def test_round_trip_and_format() -> None:
    bundle = _bundle()
    lines = bundle.split("\n")
    assert lines[0] == HEADER == "c2sp.org/tlog-proof@v1"
    assert lines[1] == f"extra {base64.b64encode(LEAF).decode()}" and lines[2] == f"index {INDEX}"
    proof = parse_proof(bundle)
    assert proof.extra == LEAF and proof.index == INDEX and len(proof.hashes) == 4
    again = encode_proof(index=proof.index, hashes=proof.hashes, checkpoint=proof.checkpoint, extra=proof.extra)
    assert again == bundle
    result = _verify(bundle, licence=LICENCE)
    assert (result.index, result.size, result.leaf) == (INDEX, 13, LEAF)
    assert result.record["uscc"] == LICENCE["uscc"] and result.log_keys == (ORIGIN,)
    assert result.cosigned == {w.name: 1_700_000_000 + i for i, w in enumerate(WITNESSES)}
    assert result.root == _tree().root()


def test_proof_without_extra_round_trips_but_is_no_bundle() -> None:
    tree = _tree()
    text = encode_proof(index=INDEX, hashes=tree.inclusion_proof(INDEX), checkpoint=_note())
    assert text.split("\n")[1] == f"index {INDEX}" and parse_proof(text).extra is None
    with pytest.raises(BundleError) as err:
        _verify(text)
    assert err.value.params["reason"] == "no_entry"


def test_changed_leaf_byte_is_refused() -> None:
    bundle = _bundle()
    for position in (0, len(LEAF) // 2, len(LEAF) - 1):
        leaf = bytearray(LEAF)
        leaf[position] ^= 0x01
        tampered = _replace_line(bundle, 1, f"extra {base64.b64encode(bytes(leaf)).decode()}")
        with pytest.raises(ProofError) as err:
            _verify(tampered)
        assert err.value.params["reason"] == "root_mismatch"


def test_changed_proof_hash_is_refused() -> None:
    bundle = _bundle()
    for line in range(3, 7):
        raw = bytearray(base64.b64decode(bundle.split("\n")[line]))
        raw[0] ^= 0x80
        with pytest.raises(ProofError):
            _verify(_replace_line(bundle, line, base64.b64encode(bytes(raw)).decode()))


def test_dropped_or_extra_proof_hash_is_refused() -> None:
    lines = _bundle().split("\n")
    with pytest.raises(ProofError) as err:
        _verify("\n".join(lines[:3] + lines[4:]))
    assert err.value.params["reason"] == "proof_length"
    with pytest.raises(ProofError):
        _verify("\n".join(lines[:4] + lines[3:]))


@pytest.mark.parametrize("index", [0, 4, 6, 12, 13, 10**6])
def test_changed_index_is_refused(index: int) -> None:
    with pytest.raises(ProofError):
        _verify(_replace_line(_bundle(), 2, f"index {index}"))


def test_changed_checkpoint_body_is_refused() -> None:
    bundle = _bundle()
    tree = _tree()
    start = bundle.index("\n\n") + 2
    for old, new in [(f"\n{tree.size}\n", f"\n{tree.size + 1}\n"), (ORIGIN, ORIGIN + "x")]:
        tampered = bundle[:start] + bundle[start:].replace(old, new, 1)
        with pytest.raises(CheckpointError) as err:
            _verify(tampered)
        assert err.value.params["reason"] in {"signature_invalid", "no_known_signature"}


def test_changed_signature_is_refused() -> None:
    bundle = _bundle()
    lines = bundle.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"— {ORIGIN} "))
    name, sig = lines[number].rsplit(" ", 1)
    raw = bytearray(base64.b64decode(sig))
    raw[-1] ^= 0x01
    with pytest.raises(CheckpointError) as err:
        _verify(_replace_line(bundle, number, f"{name} {base64.b64encode(bytes(raw)).decode()}"))
    assert err.value.params["reason"] == "signature_invalid"


def test_changed_cosignature_is_refused() -> None:
    bundle = _bundle()
    lines = bundle.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("— witness1.example "))
    name, sig = lines[number].rsplit(" ", 1)
    raw = bytearray(base64.b64decode(sig))
    raw[20] ^= 0x01
    with pytest.raises(CheckpointError) as err:
        _verify(_replace_line(bundle, number, f"{name} {base64.b64encode(bytes(raw)).decode()}"))
    assert err.value.params["reason"] == "signature_invalid" and err.value.params["name"] == "witness1.example"


def test_wrong_origin_is_refused() -> None:
    with pytest.raises(CheckpointError) as err:
        _verify(_bundle(), origin="elsewhere.example/log")
    assert err.value.params == {"reason": "origin_mismatch", "expected": "elsewhere.example/log", "got": ORIGIN}


def test_unknown_log_key_is_refused() -> None:
    with pytest.raises(CheckpointError) as err:
        _verify(_bundle(), log_keys=[OTHER.verifier_key()])
    assert err.value.params["reason"] == "no_known_signature"


def test_rotated_log_key_is_accepted() -> None:
    """The log signs with old and new keys during a rotation; a verifier pinning either, or both, accepts."""
    both = _bundle(signers=(LOG, NEW_LOG))
    assert _verify(both, log_keys=[NEW_LOG.verifier_key()]).log_keys == (ORIGIN,)
    assert _verify(both, log_keys=[OTHER.verifier_key(), LOG.verifier_key()]).index == INDEX
    only_new = _bundle(signers=(NEW_LOG,))
    assert _verify(only_new, log_keys=[LOG.verifier_key(), NEW_LOG.verifier_key()]).size == 13
    with pytest.raises(CheckpointError):
        _verify(only_new, log_keys=[LOG.verifier_key()])


def test_quorum() -> None:
    one = _bundle(cosigners=(WITNESSES[1],))
    assert _verify(one, quorum=1).cosigned == {"witness1.example": 1_700_000_000}
    with pytest.raises(CheckpointError) as err:
        _verify(one, quorum=2)
    assert err.value.params["reason"] == "quorum_not_met"
    assert err.value.params["got"] == 1 and err.value.params["cosigned"] == ["witness1.example"]
    stranger = cosigner_from_seed("witness9.example", bytes([99]) * 32)
    with pytest.raises(CheckpointError):  # a cosignature by an unpinned witness does not count
        _verify(_bundle(cosigners=(WITNESSES[0], stranger)), quorum=2)
    twice = _bundle(cosigners=(WITNESSES[0], WITNESSES[0]))
    with pytest.raises(CheckpointError):  # one witness twice is still one witness
        _verify(twice, quorum=2)
    assert _verify(_bundle(cosigners=()), witness_keys=[], quorum=0).cosigned == {}


def test_unreachable_quorum_or_wrong_key_types_are_config_errors() -> None:
    with pytest.raises(CheckpointError) as err:
        _verify(_bundle(), quorum=4)
    assert err.value.params["reason"] == "quorum_unreachable"
    with pytest.raises(CheckpointError) as err:
        _verify(_bundle(), witness_keys=[LOG.verifier_key()])
    assert err.value.params["reason"] == "wrong_key_type"
    with pytest.raises(CheckpointError):
        _verify(_bundle(), log_keys=[WITNESSES[0].verifier_key()])


def test_licence_must_match_the_record() -> None:
    with pytest.raises(BundleError) as err:
        _verify(_bundle(), licence={**LICENCE, "name": "other"})
    assert err.value.params["reason"] == "licence_mismatch"


def test_non_canonical_leaf_is_refused_even_when_logged() -> None:
    leaf = b'{"type": "licence.status"}'
    tree = MemoryTree()
    tree.append(leaf)
    body = Checkpoint(ORIGIN, 1, tree.root()).body()
    bundle = encode_bundle(leaf=leaf, index=0, hashes=[], checkpoint=LOG.sign(body))
    with pytest.raises(BundleError) as err:
        _verify(bundle, witness_keys=[], quorum=0)
    assert err.value.params["reason"] == "not_canonical_json"


def test_bundle_from_the_served_json_ledger_object() -> None:
    tree = _tree()
    ledger = {
        "index": INDEX,
        "leaf": base64.b64encode(LEAF).decode(),
        "inclusion": {"size": tree.size, "hashes": [base64.b64encode(h).decode() for h in tree.inclusion_proof(INDEX)]},
        "checkpoint": _note(),
    }
    assert bundle_from_ledger(ledger) == _bundle()
    with pytest.raises(BundleError):
        bundle_from_ledger({"index": 1})


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b.replace(HEADER, "c2sp.org/tlog-proof@v2", 1),
        lambda b: b.replace("\nindex ", "\nindex 0", 1),
        lambda b: b.replace("\nindex ", "\nIndex ", 1),
        lambda b: b.replace("\nextra ", "\nextra !", 1),
        lambda b: b.replace("\nextra ", "\nextra \n", 1),
        lambda b: _replace_line(b, 3, "AAAA"),
        lambda b: _replace_line(b, 3, base64.b64encode(bytes(32)).decode().rstrip("=")),
        lambda b: b.replace("\n\n", "\n", 1),
        lambda b: b.replace("\n", "\r\n"),
        lambda b: b[: b.rindex("\n\n") + 1],
        lambda b: b.split("\n\n", 1)[0] + "\n\n",
        lambda b: b + "garbage",
        lambda b: "",
        lambda b: "\n".join([HEADER, "index 0"] + [base64.b64encode(bytes(32)).decode()] * 65) + "\n\n" + _note(),
    ],
)
def test_malformed_bundles_are_refused(mutate) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LedgerError):
        _verify(mutate(_bundle()))


def test_encoder_refuses_bad_values() -> None:
    note = _note()
    for kw in [
        {"index": -1, "hashes": [], "checkpoint": note},
        {"index": 0, "hashes": [b"short"], "checkpoint": note},
        {"index": 0, "hashes": [], "checkpoint": note, "extra": b""},
        {"index": 0, "hashes": [], "checkpoint": "no signatures\n"},
    ]:
        with pytest.raises(LedgerError):
            encode_proof(**kw)
