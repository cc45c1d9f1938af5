"""Concurrent steps from several users, through one or two server applications (in this process) on one database: one log, no gap,
no duplicate, no fork; two applicants racing for one name: exactly one wins."""
from __future__ import annotations

import asyncio
import base64

from backend.ledger.hashing import leaf_hash
from tests.e2e.phone import FOUNDER, Phone, mainland_id


async def _entries(client, size: int) -> list[bytes]:
    out = []
    for i in range(size):
        body = await (await client.get(f"/api/v1/ledger/entries/{i}")).json()
        assert body["index"] == i
        out.append(base64.b64decode(body["leaf"]))
    return out


async def test_concurrent_steps_through_two_server_apps_make_one_consistent_log(server_factory, aiohttp_client):
    first = await aiohttp_client(await server_factory())
    second = await aiohttp_client(await server_factory())
    phones = [Phone(first if i % 2 else second) for i in range(12)]
    await asyncio.gather(*(p.login() for p in phones))
    created = await asyncio.gather(*(p.call("POST", "/api/v1/applications", json={}, expect=201) for p in phones))
    indexes = sorted(app["ledger_index"] for app in created)
    assert indexes == list(range(12))
    checkpoint = await (await first.get("/api/v1/ledger/checkpoint")).text()
    assert checkpoint.split("\n")[1] == "12"
    leaves = await _entries(second, 12)
    assert len({leaf_hash(leaf) for leaf in leaves}) == 12


async def test_two_applicants_racing_for_one_name_exactly_one_wins(client):
    phones = [Phone(client) for _ in range(4)]
    apps = []
    for n, phone in enumerate(phones):
        await phone.login()
        app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
        await phone.verify_identity(app["id"], {**FOUNDER, "document_number": mainland_id(seq=10 + n)})
        apps.append(app["id"])

    async def claim(phone, app_id):
        resp = await client.put(f"/api/v1/applications/{app_id}/name", json={"name": "广州市黄埔区争先科技有限公司"}, headers=phone.auth)
        return resp.status, (await resp.json()).get("code")

    results = await asyncio.gather(*(claim(p, a) for p, a in zip(phones, apps)))
    assert sorted(status for status, _ in results) == [200, 409, 409, 409]
    assert all(code == "name_taken" for status, code in results if status == 409)
