"""C2SP checkpoints in signed notes: format, key ids, signature checks, unknown lines, cosignatures."""
from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from backend.ledger.checkpoint import (
    Checkpoint,
    NoteSigner,
    NoteVerifier,
    cosigner_from_seed,
    open_checkpoint,
    open_note,
    parse_note,
    signer_from_seed,
    verify_cosignatures,
)
from backend.ledger.errors import CheckpointError
from backend.ledger.hashing import leaf_hash

ORIGIN = "kaiban.example/ledger"
ROOT = leaf_hash(b"root")
SIGNER = signer_from_seed(ORIGIN, bytes(range(32)))
CHECKPOINT = Checkpoint(ORIGIN, 42, ROOT)


def test_body_format_and_parse() -> None:
    body = CHECKPOINT.body()
    assert body == f"{ORIGIN}\n42\n{base64.b64encode(ROOT).decode()}\n"
    assert Checkpoint.parse_body(body) == CHECKPOINT
    with_ext = Checkpoint(ORIGIN, 0, ROOT, ("ext line",))
    assert Checkpoint.parse_body(with_ext.body()) == with_ext


@pytest.mark.parametrize(
    "body",
    [
        "o\n42\n",
        "o\n042\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n-1\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n4\n" + base64.b64encode(ROOT[:31]).decode() + "\n",
        "o\n4\n" + base64.b64encode(ROOT).decode(),
        "o\n4\n" + base64.b64encode(ROOT).decode() + "\n\n",
        "\n4\n" + base64.b64encode(ROOT).decode() + "\n",
        "o\n4\n" + base64.b64encode(ROOT).decode() + "\r\n",
    ],
)
def test_malformed_bodies_are_rejected(body: str) -> None:
    with pytest.raises(CheckpointError):
        Checkpoint.parse_body(body)


def test_key_id_and_verifier_key_format() -> None:
    kid = hashlib.sha256(ORIGIN.encode() + b"\n\x01" + SIGNER.public_key).digest()[:4]
    assert SIGNER.key_id == kid
    vkey = SIGNER.verifier_key()
    material = base64.b64encode(bytes([1]) + SIGNER.public_key).decode()
    assert vkey == f"{ORIGIN}+{kid.hex()}+{material}"
    verifier = NoteVerifier.from_verifier_key(vkey)
    assert verifier.key_id == kid and verifier.verifier_key() == vkey
    with pytest.raises(CheckpointError):
        NoteVerifier.from_verifier_key(vkey.replace(kid.hex(), "00000000"))
    with pytest.raises(CheckpointError):
        NoteVerifier.from_verifier_key("no-plus-signs")


def test_round_trip_and_line_format() -> None:
    note = SIGNER.sign(CHECKPOINT.body())
    body, sigs = parse_note(note)
    assert body == CHECKPOINT.body()
    assert note.endswith("\n") and "\n\n\u2014 " + ORIGIN + " " in note
    assert len(sigs) == 1 and sigs[0].key_id == SIGNER.key_id and len(sigs[0].signature) == 64
    assert open_checkpoint(note, verifiers=[SIGNER.verifier()], origin=ORIGIN) == CHECKPOINT


def test_wrong_key_is_rejected() -> None:
    other = NoteSigner(ORIGIN, Ed25519PrivateKey.generate())
    note = other.sign(CHECKPOINT.body())
    with pytest.raises(CheckpointError) as err:
        open_checkpoint(note, verifiers=[SIGNER.verifier()])
    assert err.value.params["reason"] == "no_known_signature"


def test_tampered_body_is_rejected() -> None:
    note = SIGNER.sign(CHECKPOINT.body()).replace("\n42\n", "\n43\n")
    with pytest.raises(CheckpointError) as err:
        open_checkpoint(note, verifiers=[SIGNER.verifier()])
    assert err.value.params["reason"] == "signature_invalid"


def test_wrong_origin_is_rejected() -> None:
    note = SIGNER.sign(CHECKPOINT.body())
    with pytest.raises(CheckpointError) as err:
        open_checkpoint(note, verifiers=[SIGNER.verifier()], origin="other.example/log")
    assert err.value.params == {"reason": "origin_mismatch", "expected": "other.example/log", "got": ORIGIN}


def test_unknown_signature_lines_are_ignored() -> None:
    stranger = signer_from_seed("stranger.example", bytes(32))
    same_name = NoteSigner(ORIGIN, Ed25519PrivateKey.generate())  # same name, other key id: unknown too
    body = CHECKPOINT.body()
    note = stranger.sign(body) + SIGNER.signature_line(body) + same_name.signature_line(body)
    note += "\u2014 someone.example " + base64.b64encode(b"\x01\x02\x03\x04" + b"x" * 64).decode() + "\n"
    assert open_checkpoint(note, verifiers=[SIGNER.verifier()]) == CHECKPOINT
    assert open_note(note, verifiers=[SIGNER.verifier(), stranger.verifier()])[1] == {
        ORIGIN: None,
        "stranger.example": None,
    }


@pytest.mark.parametrize(
    "mangle",
    [
        lambda n: n.replace("\n\n", "\n"),  # no blank line
        lambda n: n.replace("\u2014", "-"),  # hyphen instead of em dash
        lambda n: n.rstrip("\n"),  # no final newline
        lambda n: n + "\n",  # trailing blank line
        lambda n: n.replace(ORIGIN + " ", ORIGIN + "  "),  # two spaces
        lambda n: n[:-3] + "!=\n",  # bad base64
        lambda n: n.replace("\n42\n", "\n4\t2\n"),  # control character
        lambda n: n + "\u2014 short " + base64.b64encode(b"1234").decode() + "\n",  # no signature bytes
    ],
)
def test_malformed_notes_are_rejected(mangle) -> None:  # type: ignore[no-untyped-def]
    note = mangle(SIGNER.sign(CHECKPOINT.body()))
    with pytest.raises(CheckpointError):
        open_checkpoint(note, verifiers=[SIGNER.verifier()])


def test_bad_key_names_are_rejected() -> None:
    for name in ["", "a b", "a+b", "a\nb"]:
        with pytest.raises(CheckpointError):
            signer_from_seed(name, bytes(32))


def test_cosignature_round_trip() -> None:
    witness = cosigner_from_seed("witness.example/w1", bytes([7]) * 32)
    kid = hashlib.sha256(b"witness.example/w1\n\x04" + witness.public_key).digest()[:4]
    assert witness.key_id == kid
    vkey = witness.verifier_key()
    assert base64.b64decode(vkey.split("+")[2])[0] == 0x04
    verifier = NoteVerifier.from_verifier_key(vkey)

    note = SIGNER.sign(CHECKPOINT.body())
    cosigned = witness.cosign(note, timestamp=1_700_000_000)
    line = cosigned[len(note) :]
    payload = base64.b64decode(line.split(" ")[2])
    assert payload[:4] == kid and int.from_bytes(payload[4:12], "big") == 1_700_000_000 and len(payload) == 76
    assert verify_cosignatures(cosigned, cosigners=[verifier]) == {"witness.example/w1": 1_700_000_000}
    # the log signature still opens; the cosignature line is unknown to a log-only verifier
    assert open_checkpoint(cosigned, verifiers=[SIGNER.verifier()]) == CHECKPOINT
    # a cosignature key never counts as a log signature
    with pytest.raises(CheckpointError):
        open_checkpoint(witness.sign(CHECKPOINT.body(), timestamp=5), verifiers=[verifier])


def test_cosignature_over_other_time_or_body_fails() -> None:
    witness = cosigner_from_seed("witness.example/w1", bytes([7]) * 32)
    note = SIGNER.sign(CHECKPOINT.body())
    line = witness.signature_line(CHECKPOINT.body(), timestamp=100)
    raw = bytearray(base64.b64decode(line.split(" ")[2].strip()))
    raw[11] ^= 1  # claim another time
    forged = f"\u2014 witness.example/w1 {base64.b64encode(bytes(raw)).decode()}\n"
    with pytest.raises(CheckpointError) as err:
        verify_cosignatures(note + forged, cosigners=[witness.verifier()])
    assert err.value.params["reason"] == "signature_invalid"
    other_body = Checkpoint(ORIGIN, 43, ROOT).body()
    with pytest.raises(CheckpointError):
        verify_cosignatures(note + witness.signature_line(other_body, timestamp=1), cosigners=[witness.verifier()])
