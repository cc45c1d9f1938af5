"""Signed webhook events reach the seal maker, the tax bureau and the bank (local fake receivers), with retries,
one idempotency key per event and a delivery log."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json

import pytest
from aiohttp import web

from backend import keys
from backend.models import Delivery
from backend.services.notifications import MAX_ATTEMPTS, add_subscriber, sign_body
from tests.e2e.phone import Phone
from tests.officers.test_licence_status import _reviewer
from tests.officers.test_officer_login import _login, _officer


class Receiver:
    """A department's endpoint: records what it gets, answers with the scripted statuses, then 200."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.statuses = list(statuses or [])
        self.received: list[dict] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append({"headers": dict(request.headers), "body": await request.read()})
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def client(server_factory, aiohttp_client):
    """A server whose background deliverer stays out of the way: the tests run each delivery round themselves."""
    return await aiohttp_client(await server_factory(webhook_interval=3600))


@pytest.fixture
async def receivers(aiohttp_server):
    made = {"tax": Receiver(), "seal": Receiver([500, 503]), "bank": Receiver([500] * 20)}
    app = web.Application()
    for name, receiver in made.items():
        app.router.add_post(f"/{name}", receiver.handle)
    server = await aiohttp_server(app)
    return server, made


async def _subscribe(client, server, name: str, kind: str, events=None) -> bytes:
    app = client.server.app
    _, secret = await add_subscriber(name=name, kind=kind, url=str(server.make_url(f"/{name}")),
                                     events=events or ["licence.issued", "licence.revoked"],
                                     sealer=app[keys.SERVICES].sealer, clock=app[keys.CLOCK])
    return bytes.fromhex(secret)


async def _round(client) -> int:
    return await client.server.app[keys.SERVICES].notifications.deliver_due()


async def test_an_issued_licence_is_delivered_signed_and_retried_until_accepted(client, receivers) -> None:
    server, got = receivers
    tax_secret = await _subscribe(client, server, "tax", "tax_bureau")
    await _subscribe(client, server, "seal", "seal_maker")
    final = await Phone(client).form_company()
    uscc = final["licence"]["uscc"]

    await _round(client)
    [first] = got["tax"].received
    body = json.loads(first["body"])
    assert body["type"] == "licence.issued" and body["data"]["uscc"] == uscc and body["data"]["status"] == "active"
    assert body["data"]["licence"]["name"] == "广州市黄埔区云帆信息技术有限公司"
    timestamp = int(first["headers"]["Kaiban-Signature"].split(",")[0].removeprefix("t="))
    assert first["headers"]["Kaiban-Signature"] == sign_body(tax_secret, timestamp=timestamp, body=first["body"])
    forged = hmac.new(b"x" * 32, f"{timestamp}.".encode() + first["body"], hashlib.sha256).hexdigest()
    assert forged not in first["headers"]["Kaiban-Signature"]

    # the seal maker failed twice: retried after the backoff (by the shared clock), with the same idempotency key
    assert len(got["seal"].received) == 1
    assert await _round(client) == 0  # not due yet
    await client.post("/mock/clock/advance", json={"seconds": 15})
    await _round(client)
    await client.post("/mock/clock/advance", json={"seconds": 25})
    await _round(client)
    keys_seen = {r["headers"]["Idempotency-Key"] for r in got["seal"].received}
    assert len(got["seal"].received) == 3 and keys_seen == {body["id"]}
    seal = await Delivery.filter(subscriber__name="seal").get()
    assert (seal.status, seal.attempts, seal.last_status) == ("delivered", 3, 200)


async def test_a_receiver_that_never_accepts_ends_failed_and_the_log_shows_it(client, receivers) -> None:
    server, got = receivers
    await _subscribe(client, server, "bank", "bank", events=["licence.issued"])
    await Phone(client).form_company()
    for _ in range(MAX_ATTEMPTS):
        await _round(client)
        await client.post("/mock/clock/advance", json={"seconds": 3600})
    delivery = await Delivery.get(subscriber__name="bank")
    assert delivery.status == "failed" and delivery.attempts == MAX_ATTEMPTS and delivery.last_error == "HTTP 500"
    assert await _round(client) == 0  # given up: no more attempts

    reviewer = await _reviewer(client)
    assert (await client.get("/api/v1/officer/deliveries", headers=reviewer)).status == 403  # the log is the admins'
    totp = await _officer(client, username="admin.zhao", roles=("admin",))
    admin = {"Authorization": f"Bearer {(await (await _login(client, totp, username='admin.zhao')).json())['access_token']}"}
    [logged] = (await (await client.get("/api/v1/officer/deliveries", headers=admin)).json())["items"]
    assert (logged["subscriber"], logged["status"], logged["attempts"]) == ("bank", "failed", MAX_ATTEMPTS)

    # the bank fixed its endpoint: an admin sends it again, with the same idempotency key
    got["bank"].statuses.clear()
    assert (await client.post(f"/api/v1/officer/deliveries/{logged['id']}/retry", headers=reviewer)).status == 403
    retried = await client.post(f"/api/v1/officer/deliveries/{logged['id']}/retry", headers=admin)
    assert retried.status == 200 and (await retried.json())["status"] == "pending"
    assert await _round(client) == 1
    assert (await Delivery.get(id=logged["id"])).status == "delivered"
    assert {r["headers"]["Idempotency-Key"] for r in got["bank"].received} == {logged["event_id"]}
    assert (await client.post("/api/v1/officer/deliveries/999/retry", headers=admin)).status == 404


async def test_a_revocation_is_an_event_too_and_only_subscribers_of_it_get_it(client, receivers) -> None:
    server, got = receivers
    await _subscribe(client, server, "tax", "tax_bureau", events=["licence.issued", "licence.revoked"])
    await _subscribe(client, server, "seal", "seal_maker", events=["licence.issued"])
    got["seal"].statuses.clear()
    uscc = (await Phone(client).form_company())["licence"]["uscc"]
    officer = await _reviewer(client)
    await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                      json={"status": "revoked", "reason": "测试吊销"})
    await _round(client)
    assert [json.loads(r["body"])["type"] for r in got["tax"].received] == ["licence.issued", "licence.revoked"]
    assert [json.loads(r["body"])["type"] for r in got["seal"].received] == ["licence.issued"]
    revoked = json.loads(got["tax"].received[1]["body"])
    assert revoked["data"]["status"] == "revoked" and "测试吊销" not in got["tax"].received[1]["body"].decode()


async def test_two_servers_delivering_at_once_send_each_event_once(client, receivers, server_factory,
                                                                    aiohttp_client) -> None:
    server, got = receivers
    other = await aiohttp_client(await server_factory(webhook_interval=3600, message_interval=3600))
    await _subscribe(client, server, "tax", "tax_bureau", events=["licence.issued"])
    for n in range(3):
        await Phone(client).form_company(name=f"广州市黄埔区云帆{'一二三'[n]}号信息技术有限公司")
    rounds = await asyncio.gather(_round(client), _round(other))  # both see the same three deliveries due
    assert sum(rounds) == 3
    ids = [json.loads(r["body"])["id"] for r in got["tax"].received]
    assert len(ids) == 3 and len(set(ids)) == 3
    assert await Delivery.filter(status="delivered", attempts=1).count() == 3
