"""Key rotation as operators configure it: a second log key signs beside the current one and is published."""
from __future__ import annotations

import base64

import pytest

from backend.ledger.checkpoint import NoteVerifier, open_checkpoint, signer_from_seed
from backend.settings import Settings
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY

NEXT_SEED = bytes(range(32))
NEXT = signer_from_seed("kaiban.huangpu.gov.cn/formation-ledger/2027", NEXT_SEED)


async def test_a_rotating_key_signs_every_checkpoint_beside_the_pinned_one(server_factory, aiohttp_client):
    extra = f"{NEXT.name}={base64.b64encode(NEXT_SEED).decode()}"
    client = await aiohttp_client(await server_factory(ledger_additional_keys=(extra,)))
    keys = (await (await client.get("/api/v1/ledger/key")).text()).splitlines()
    assert keys == [PINNED_LEDGER_VKEY, NEXT.verifier_key()]
    text = await (await client.get("/api/v1/ledger/checkpoint")).text()
    for pinned in (PINNED_LEDGER_VKEY, NEXT.verifier_key()):
        assert open_checkpoint(text, verifiers=[NoteVerifier.from_verifier_key(pinned)], origin=LEDGER_ORIGIN).size >= 0


def test_additional_keys_and_witnesses_are_read_from_the_environment():
    settings = Settings.from_env(
        {"LEDGER_ADDITIONAL_KEYS": "a.log=AAAA, b.log=BBBB", "LEDGER_WITNESSES": "http://w1/add-checkpoint w1+00+AA"}
    )
    assert settings.ledger_additional_keys == ("a.log=AAAA", "b.log=BBBB")
    assert settings.ledger_witnesses == ("http://w1/add-checkpoint w1+00+AA",)


def test_a_malformed_additional_key_is_refused_at_start(tmp_path):
    from backend.secrets import load_secrets

    with pytest.raises(ValueError, match="LEDGER_ADDITIONAL_KEYS"):
        load_secrets(Settings(var_dir=tmp_path, ledger_additional_keys=("no-seed-here",)))
