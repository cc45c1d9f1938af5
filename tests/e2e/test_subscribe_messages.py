"""Applicants are told of status changes by WeChat subscribe messages, sent from an outbox through the real client to
the fake platform over HTTP: one send per consent, a refusal (43101) falls back quietly to the timeline, a failing
platform never breaks a decision; the timeline has each step's time and the status view the time to licence."""
from __future__ import annotations

import pytest

from backend import keys
from backend.models import SubscribeMessage
from tests.e2e.phone import APPID, Phone
from tests.officers.test_licence_status import _reviewer
from tests.officers.test_review import _referred

TEMPLATE = "kaiban_status_change"


@pytest.fixture
async def client(server_factory, aiohttp_client):
    """A server whose background sender stays out of the way: the test sends each round itself."""
    return await aiohttp_client(await server_factory(message_interval=3600))


async def _consent(client, phone: Phone, count: int = 1) -> None:
    resp = await client.post("/mock/wechat/simulate/subscribe-consent",
                             json={"appid": APPID, "user": phone.user, "template_id": TEMPLATE, "count": count})
    assert resp.status == 200


async def _received(client, phone: Phone) -> list[dict]:
    resp = await client.get("/mock/wechat/simulate/messages", params={"appid": APPID, "user": phone.user})
    return (await resp.json())["messages"]


async def _send_round(client) -> int:
    return await client.server.app[keys.SERVICES].messages.send_due()


async def test_each_consent_allows_one_message_and_a_refusal_falls_back_to_the_timeline(client, caplog) -> None:
    phone = Phone(client)
    await phone.login()
    await _consent(client, phone)
    app_id = await _referred(client, phone)
    assert await _send_round(client) == 1
    [first] = await _received(client, phone)
    assert first["template_id"] == TEMPLATE and first["data"]["phrase2"]["value"] == "人工审核中"
    assert first["data"]["thing1"]["value"] == "广州市黄埔区云帆信息技术有限公司" and app_id in first["page"]

    officer = await _reviewer(client)
    asked = await client.post(f"/api/v1/officer/applications/{app_id}/decision", headers=officer,
                              json={"decision": "request_info", "reasons": ["请补充住所使用证明"]})
    assert asked.status == 200  # no consent left: the decision stands, the message is refused quietly
    caplog.set_level("INFO", logger="backend.services.messages")
    assert await _send_round(client) == 1
    assert len(await _received(client, phone)) == 1
    assert "no consent" in caplog.text
    assert await _send_round(client) == 0  # a refused message is not retried
    items = (await phone.call("GET", f"/api/v1/applications/{app_id}/timeline"))["items"]
    by_step = {i["step"]: i for i in items}
    assert by_step["in_review"]["message"] == "sent" and by_step["info_requested"]["message"] == "refused"
    assert by_step["created"]["message"] is None
    assert all(i["at"] for i in items)
    assert by_step["in_review"]["since_start_s"] >= 62 * 24 * 3600  # the reservation expired 62 days on


async def test_a_failing_platform_never_breaks_an_approval_and_the_message_follows(client) -> None:
    phone = Phone(client)
    await phone.login()
    app_id = await _referred(client, phone)  # no consent yet: refused
    await _send_round(client)
    await _consent(client, phone)
    await client.post("/mock/wechat/simulate/fail-next",
                      json={"path": "/cgi-bin/message/subscribe/send", "errcode": -1, "count": 1})
    officer = await _reviewer(client)
    approved = await client.post(f"/api/v1/officer/applications/{app_id}/decision", headers=officer,
                                 json={"decision": "approve"})
    assert approved.status == 200 and (await approved.json())["state"] == "licensed"
    assert await _send_round(client) == 1  # WeChat is busy (-1): kept for a later round
    licensed = await SubscribeMessage.get(application_id=app_id, event="licensed")
    assert licensed.status == "pending" and licensed.attempts == 1
    assert await _received(client, phone) == []
    await client.post("/mock/clock/advance", json={"seconds": 60})
    assert await _send_round(client) == 1
    [message] = await _received(client, phone)
    assert message["data"]["phrase2"]["value"] == "已发照"
    assert (await SubscribeMessage.get(id=licensed.id)).status == "sent"

    view = await phone.call("GET", f"/api/v1/applications/{app_id}")
    taken = view["time_to_licence"]
    assert taken["seconds"] >= 62 * 24 * 3600 and taken["started_at"] == view["created_at"]

    # a revocation is a status change the applicant hears of too
    await _consent(client, phone)
    uscc = view["licence"]["uscc"]
    await client.post(f"/api/v1/officer/licences/{uscc}/status", headers=officer,
                      json={"status": "revoked", "reason": "虚假登记（测试）"})
    assert await _send_round(client) == 1
    assert [m["data"]["phrase2"]["value"] for m in await _received(client, phone)] == ["已发照", "已吊销"]
