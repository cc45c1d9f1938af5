"""The shared clock: one offset in the database for every process, surviving a restart."""
from __future__ import annotations

import datetime as dt

from tests.e2e.phone import Phone


async def test_two_months_on_a_user_still_logs_in_and_completes_a_step(client):
    before = await (await client.get("/mock/clock")).json()
    moved = await client.post("/mock/clock/advance", json={"seconds": 61 * 24 * 3600})
    after = await moved.json()
    assert after["offset_seconds"] >= 61 * 24 * 3600
    assert dt.datetime.fromisoformat(after["now"]) - dt.datetime.fromisoformat(before["now"]) >= dt.timedelta(days=61)

    phone = Phone(client)
    await phone.login()
    app = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
    done = await phone.verify_identity(app["id"])
    assert done["application"]["state"] == "identity_verified"
    # the step is timestamped by the moved clock
    items = (await phone.call("GET", f"/api/v1/applications/{app['id']}/timeline"))["items"]
    assert dt.datetime.fromisoformat(items[-1]["at"].replace("Z", "+00:00")) > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=60)


async def test_another_process_and_a_restart_see_the_moved_clock(server_factory, aiohttp_client):
    first = await aiohttp_client(await server_factory())
    await first.post("/mock/clock/advance", json={"seconds": 3600})
    second = await aiohttp_client(await server_factory())  # another server on the same database
    seen = await (await second.get("/mock/clock")).json()
    assert seen["offset_seconds"] >= 3600
    await second.post("/mock/clock/advance", json={"seconds": 60})
    again = await (await first.get("/mock/clock")).json()
    assert again["offset_seconds"] >= 3660


async def test_the_clock_only_moves_forward(client):
    resp = await client.post("/mock/clock/advance", json={"seconds": -10})
    assert resp.status == 422
