"""Witnesses cosign the service's checkpoints; a forked log is refused; verifiers count the cosignatures they pin."""
from __future__ import annotations

import pytest

from backend.keys import SERVICES
from backend.ledger.checkpoint import NoteVerifier, cosigner_from_seed, open_checkpoint, verify_cosignatures
from backend.witness.app import create_witness_app
from backend.witness.state import WitnessStore
from tests.conftest import make_settings
from tests.e2e.phone import Phone
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY

TAX = cosigner_from_seed("tax.gz.gov.cn/witness", bytes(range(10, 42)))
BANK = cosigner_from_seed("bank.example.hk/witness", bytes(range(20, 52)))


@pytest.fixture
async def witnesses(aiohttp_server, tmp_path):
    """Two witnesses (the tax bureau and a Hong Kong bank), each with its own key and state file."""
    servers = []
    for cosigner in (TAX, BANK):
        app = create_witness_app(
            cosigner=cosigner,
            logs={LEDGER_ORIGIN: [NoteVerifier.from_verifier_key(PINNED_LEDGER_VKEY)]},
            store=WitnessStore(tmp_path / f"{cosigner.name.replace('/', '_')}.sqlite3"),
        )
        servers.append(await aiohttp_server(app))
    return [f"{server.make_url('/add-checkpoint')} {c.verifier_key()}" for server, c in zip(servers, (TAX, BANK))]


async def _served(client) -> str:
    return await (await client.get("/api/v1/ledger/checkpoint")).text()


async def test_both_witnesses_cosign_each_new_checkpoint_with_a_consistency_proof(server_factory, aiohttp_client, witnesses):
    server = await server_factory(ledger_witnesses=tuple(witnesses), witness_interval=3600)
    client = await aiohttp_client(server)
    collector = server.app[SERVICES].witnessing
    phone = Phone(client)
    await phone.form_company()
    assert await collector.collect() == {TAX.name: "cosigned", BANK.name: "cosigned"}
    first = await _served(client)
    assert set(verify_cosignatures(first, cosigners=[TAX.verifier(), BANK.verifier()])) == {TAX.name, BANK.name}

    await Phone(client, user="second-founder").form_company("广州市黄埔区海鸥信息技术有限公司")  # the log grows
    assert await collector.collect() == {TAX.name: "cosigned", BANK.name: "cosigned"}
    second = await _served(client)
    pinned = NoteVerifier.from_verifier_key(PINNED_LEDGER_VKEY)
    assert open_checkpoint(second, verifiers=[pinned]).size > open_checkpoint(first, verifiers=[pinned]).size
    assert set(verify_cosignatures(second, cosigners=[TAX.verifier(), BANK.verifier()])) == {TAX.name, BANK.name}


async def test_a_restarted_server_learns_each_witness_size_and_continues(server_factory, aiohttp_client, witnesses):
    server = await server_factory(ledger_witnesses=tuple(witnesses), witness_interval=3600)
    client = await aiohttp_client(server)
    await Phone(client).form_company()
    assert set((await server.app[SERVICES].witnessing.collect()).values()) == {"cosigned"}
    restarted = await server_factory(ledger_witnesses=tuple(witnesses), witness_interval=3600)  # knows no sizes
    await Phone(await aiohttp_client(restarted), user="after-restart").form_company("广州市黄埔区海鸥信息技术有限公司")
    assert set((await restarted.app[SERVICES].witnessing.collect()).values()) == {"cosigned"}


async def test_witnesses_refuse_a_forked_log_with_the_same_key(server_factory, aiohttp_client, aiohttp_server, witnesses, tmp_path, unused_tcp_port_factory):
    honest = await server_factory(ledger_witnesses=tuple(witnesses), witness_interval=3600)
    await Phone(await aiohttp_client(honest)).form_company()
    assert set((await honest.app[SERVICES].witnessing.collect()).values()) == {"cosigned"}
    # the same log key over another database: a split view the witnesses must not cosign
    from backend.app import create_app

    port = unused_tcp_port_factory()
    fork_settings = make_settings(
        database_url=f"sqlite://{tmp_path / 'fork.sqlite3'}", var_dir=tmp_path / "fork-var", port=port,
        ledger_witnesses=tuple(witnesses), witness_interval=3600,
    )
    from backend.db import apply_migrations

    await apply_migrations(fork_settings.db_url)
    fork = await aiohttp_server(create_app(fork_settings), port=port)
    fork_client = await aiohttp_client(fork)
    for user, trade in (("fork-a", "海鸥"), ("fork-b", "白鹭"), ("fork-c", "木棉")):  # a forked tree larger than the honest one
        await Phone(fork_client, user=user).form_company(f"广州市黄埔区{trade}信息技术有限公司")
    outcomes = await fork.app[SERVICES].witnessing.collect()
    assert outcomes == {TAX.name: "witness_rejected", BANK.name: "witness_rejected"}
    assert verify_cosignatures(await _served(fork_client), cosigners=[TAX.verifier(), BANK.verifier()]) == {}


async def test_the_downloaded_bundle_verifies_offline_with_a_quorum_of_pinned_witnesses(
    server_factory, aiohttp_client, witnesses, tmp_path
):
    import asyncio
    import sys

    server = await server_factory(ledger_witnesses=tuple(witnesses), witness_interval=3600)
    client = await aiohttp_client(server)
    final = await Phone(client).form_company()
    uscc = final["licence"]["uscc"]

    async def verify(bundle_text: str, *extra: str) -> tuple[int, str]:
        path = tmp_path / f"{uscc}.tlog-proof"
        path.write_text(bundle_text)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "backend.ledger", "verify", str(path), "--origin", LEDGER_ORIGIN,
            "--log-key", PINNED_LEDGER_VKEY, "--witness-key", TAX.verifier_key(), "--witness-key", BANK.verifier_key(),
            *extra, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
        return proc.returncode, out.decode()

    resp = await client.get(f"/api/v1/licences/{uscc}/bundle")
    assert resp.status == 200 and f'filename="{uscc}.tlog-proof"' in resp.headers["Content-Disposition"]
    uncosigned = await resp.text()
    code, out = await verify(uncosigned, "--quorum", "2")
    assert code == 1 and "quorum_not_met" in out, out

    assert set((await server.app[SERVICES].witnessing.collect()).values()) == {"cosigned"}
    cosigned = await (await client.get(f"/api/v1/licences/{uscc}/bundle")).text()
    code, out = await verify(cosigned, "--quorum", "2")
    assert code == 0, out
    assert TAX.name in out and BANK.name in out

    lines = cosigned.split("\n")
    lines[1] = lines[1][:-4] + ("AAAA" if lines[1][-4:] != "AAAA" else "BBBB")  # the entry (extra) altered
    code, out = await verify("\n".join(lines), "--quorum", "2")
    assert code == 1, out
