"""The fake platform answers like the real one: bodies, errcodes, single use, expiry by the shared clock."""
from __future__ import annotations

import json
from typing import Any

from aiohttp.test_utils import TestClient

from backend.adapters.wechat.fake_state import FakeWeChatState, openid_for
from backend.adapters.wechat.protocol import cert_hash, checksession_signature
from backend.clock import OffsetClock

from .conftest import APPID, MOUNT, SECRET, simulate

ID_NAME = "张三"
ID_NO = "310101199801011234"
TEMPLATE = "tmpl-formation-progress_0001"


async def get(fake: TestClient, path: str, **params: Any) -> tuple[int, str, dict[str, Any]]:
    async with fake.get(MOUNT + path, params=params) as response:
        return response.status, response.content_type, json.loads(await response.text())


async def post(fake: TestClient, path: str, body: Any = None, *, token: str | None = None, **kwargs: Any) -> dict:
    params = {"access_token": token} if token is not None else {}
    if body is not None:
        kwargs["data"] = json.dumps(body, ensure_ascii=False).encode()
    async with fake.post(MOUNT + path, params=params, **kwargs) as response:
        assert response.status == 200
        return json.loads(await response.text())


async def login(fake: TestClient, user: str = "alice") -> dict[str, Any]:
    sim = await simulate(fake, MOUNT, "login-code", appid=APPID, user=user)
    status, _, body = await get(
        fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=sim["code"], grant_type="authorization_code"
    )
    assert status == 200 and "errcode" not in body, body
    return body


async def token(fake: TestClient) -> str:
    request = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    body = await post(fake, "/cgi-bin/stable_token", request)
    return body["access_token"]


def assert_error(body: dict[str, Any], errcode: int) -> None:
    assert body["errcode"] == errcode, body
    assert ", rid: " in body["errmsg"]


# -- login -------------------------------------------------------------------------------------------------


async def test_login_code_redeems_once_with_text_plain_answer(fake: TestClient) -> None:
    sim = await simulate(fake, MOUNT, "login-code", appid=APPID, user="alice")
    assert len(sim["openid"]) == 28 and sim["openid"].startswith("o")
    params = {"appid": APPID, "secret": SECRET, "js_code": sim["code"], "grant_type": "authorization_code"}
    status, content_type, body = await get(fake, "/sns/jscode2session", **params)
    assert (status, content_type) == (200, "text/plain")
    assert set(body) == {"openid", "session_key"}
    assert body["openid"] == sim["openid"] == openid_for(APPID, "alice")
    assert len(body["session_key"]) == 24
    _, content_type, again = await get(fake, "/sns/jscode2session", **params)
    assert content_type == "text/plain"
    assert_error(again, 40163)


async def test_login_code_expires_after_five_minutes(fake: TestClient, clock: OffsetClock) -> None:
    sim = await simulate(fake, MOUNT, "login-code", appid=APPID, user="alice")
    clock.set_offset(301)
    _, _, body = await get(fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=sim["code"])
    assert_error(body, 40029)


async def test_login_parameter_and_credential_errors(fake: TestClient) -> None:
    code = (await simulate(fake, MOUNT, "login-code", appid=APPID, user="alice"))["code"]
    cases = [
        ({"secret": SECRET, "js_code": code}, 41002),
        ({"appid": "wx0000000000000000", "secret": SECRET, "js_code": code}, 40013),
        ({"appid": APPID, "js_code": code}, 41004),
        ({"appid": APPID, "secret": "wrong", "js_code": code}, 40125),
        ({"appid": APPID, "secret": SECRET}, 41008),
        ({"appid": APPID, "secret": SECRET, "js_code": "never-issued"}, 40029),
    ]
    for params, errcode in cases:
        _, _, body = await get(fake, "/sns/jscode2session", **params)
        assert_error(body, errcode)
    # none of the failures consumed the code
    _, _, body = await get(fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=code)
    assert "errcode" not in body


async def test_each_login_rotates_the_session_key(fake: TestClient) -> None:
    first = await login(fake)
    second = await login(fake)
    assert first["openid"] == second["openid"]
    assert first["session_key"] != second["session_key"]
    access_token = await token(fake)
    for key, errcode in ((first["session_key"], 87009), (second["session_key"], 0)):
        _, _, body = await get(
            fake,
            "/wxa/checksession",
            access_token=access_token,
            openid=second["openid"],
            signature=checksession_signature(key),
            sig_method="hmac_sha256",
        )
        assert body["errcode"] == errcode, body


async def test_openids_are_per_user_and_per_app(fake: TestClient, state: FakeWeChatState) -> None:
    state.register_app("wx1111111111111111", "other-secret")
    alice = await simulate(fake, MOUNT, "login-code", appid=APPID, user="alice")
    bob = await simulate(fake, MOUNT, "login-code", appid=APPID, user="bob")
    elsewhere = await simulate(fake, MOUNT, "login-code", appid="wx1111111111111111", user="alice")
    assert len({alice["openid"], bob["openid"], elsewhere["openid"]}) == 3
    # a code of another app is an invalid code here
    _, _, body = await get(fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=elsewhere["code"])
    assert_error(body, 40029)


async def test_injected_system_error(fake: TestClient) -> None:
    await simulate(fake, MOUNT, "fail-next", path="/sns/jscode2session", errcode=-1)
    code = (await simulate(fake, MOUNT, "login-code", appid=APPID, user="alice"))["code"]
    _, _, body = await get(fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=code)
    assert_error(body, -1)
    _, _, body = await get(fake, "/sns/jscode2session", appid=APPID, secret=SECRET, js_code=code)
    assert "openid" in body


# -- access tokens -----------------------------------------------------------------------------------------


async def test_wrong_secret_is_40125_everywhere(fake: TestClient) -> None:
    _, _, body = await get(fake, "/cgi-bin/token", grant_type="client_credential", appid=APPID, secret="nope")
    assert_error(body, 40125)
    body = await post(fake, "/cgi-bin/stable_token", {"grant_type": "client_credential", "appid": APPID, "secret": "x"})
    assert_error(body, 40125)


async def test_token_expires_after_7200_seconds(fake: TestClient, clock: OffsetClock) -> None:
    params = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    _, content_type, body = await get(fake, "/cgi-bin/token", **params)
    assert content_type == "application/json"
    assert body["expires_in"] == 7200 and "errcode" not in body
    access_token = body["access_token"]
    await login(fake)  # creates the user
    openid = openid_for(APPID, "alice")
    send = {"touser": openid, "template_id": TEMPLATE, "data": {"thing1": {"value": "x"}}}
    assert_error(await post(fake, "/cgi-bin/message/subscribe/send", send, token=access_token), 43101)
    clock.set_offset(7200)
    assert_error(await post(fake, "/cgi-bin/message/subscribe/send", send, token=access_token), 42001)


async def test_cgi_bin_token_invalidates_the_previous_one_after_grace(fake: TestClient, clock: OffsetClock) -> None:
    params = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET}
    first = (await get(fake, "/cgi-bin/token", **params))[2]["access_token"]
    second = (await get(fake, "/cgi-bin/token", **params))[2]["access_token"]
    assert first != second
    body = {"code": "x"}
    assert_error(await post(fake, "/wxa/business/getuserphonenumber", body, token=first), 40029)  # still valid
    clock.set_offset(301)
    assert_error(await post(fake, "/wxa/business/getuserphonenumber", body, token=first), 40001)
    assert_error(await post(fake, "/wxa/business/getuserphonenumber", body, token=second), 40029)


async def test_stable_token_is_stable_and_force_refresh_is_limited(fake: TestClient, clock: OffsetClock) -> None:
    request = {"grant_type": "client_credential", "appid": APPID, "secret": SECRET, "force_refresh": False}
    first = await post(fake, "/cgi-bin/stable_token", request)
    clock.set_offset(100)
    second = await post(fake, "/cgi-bin/stable_token", request)
    assert second["access_token"] == first["access_token"]
    assert abs(second["expires_in"] - (first["expires_in"] - 100)) <= 1
    # refreshed 5 minutes early: never handed out with less than 300 s to live
    clock.set_offset(7200 - 299)
    third = await post(fake, "/cgi-bin/stable_token", request)
    assert third["access_token"] != first["access_token"] and third["expires_in"] == 7200
    # force_refresh: a new token, the previous one invalid at once, at most one per 30 s
    forced = await post(fake, "/cgi-bin/stable_token", {**request, "force_refresh": True})
    assert forced["access_token"] != third["access_token"]
    stale = await post(fake, "/wxa/business/getuserphonenumber", {"code": "x"}, token=third["access_token"])
    assert_error(stale, 40001)
    assert_error(await post(fake, "/cgi-bin/stable_token", {**request, "force_refresh": True}), 45011)
    # at most 20 per day
    for i in range(19):
        clock.set_offset(7200 - 299 + 31 * (i + 1))
        assert "access_token" in await post(fake, "/cgi-bin/stable_token", {**request, "force_refresh": True})
    clock.set_offset(7200 - 299 + 31 * 20)
    assert_error(await post(fake, "/cgi-bin/stable_token", {**request, "force_refresh": True}), 45009)


async def test_stable_token_requires_post_json(fake: TestClient) -> None:
    _, _, body = await get(fake, "/cgi-bin/stable_token", grant_type="client_credential", appid=APPID, secret=SECRET)
    assert_error(body, 43002)
    body = await post(fake, "/cgi-bin/stable_token", data=f"grant_type=client_credential&appid={APPID}&secret={SECRET}")
    assert_error(body, 47001)


async def test_protected_endpoints_check_the_token(fake: TestClient) -> None:
    path = "/cityservice/face/identify/getverifyid"
    assert_error(await post(fake, path, {}), 41001)
    assert_error(await post(fake, path, {}, token="not a token!"), 40014)
    assert_error(await post(fake, path, {}, token="A" * 136), 40001)


# -- phone number ------------------------------------------------------------------------------------------


async def test_phone_number_code_single_use(fake: TestClient) -> None:
    access_token = await token(fake)
    code = (await simulate(fake, MOUNT, "phone-code", appid=APPID, user="alice", phone="13123456789"))["code"]
    body = await post(fake, "/wxa/business/getuserphonenumber", {"code": code}, token=access_token)
    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    info = body["phone_info"]
    assert info["phoneNumber"] == info["purePhoneNumber"] == "13123456789"
    assert info["countryCode"] == 86 and info["watermark"]["appid"] == APPID
    assert_error(await post(fake, "/wxa/business/getuserphonenumber", {"code": code}, token=access_token), 40029)


async def test_phone_number_rejects_form_body_and_expired_code(fake: TestClient, clock: OffsetClock) -> None:
    access_token = await token(fake)
    code = (await simulate(fake, MOUNT, "phone-code", appid=APPID, user="alice", phone="13123456789"))["code"]
    form = await post(fake, "/wxa/business/getuserphonenumber", token=access_token, data={"code": code})
    assert_error(form, 47001)
    clock.set_offset(301)
    access_token = await token(fake)
    assert_error(await post(fake, "/wxa/business/getuserphonenumber", {"code": code}, token=access_token), 40029)


# -- subscribe messages ------------------------------------------------------------------------------------


async def test_subscribe_message_needs_one_consent_per_send(fake: TestClient) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    send = {
        "touser": openid,
        "template_id": TEMPLATE,
        "page": "pages/company/index?id=1",
        "data": {"thing1": {"value": "广州黄埔某某科技有限公司"}, "phrase2": {"value": "已受理"}},
        "lang": "zh_CN",
    }
    assert_error(await post(fake, "/cgi-bin/message/subscribe/send", send, token=access_token), 43101)
    await simulate(fake, MOUNT, "subscribe-consent", appid=APPID, user="alice", template_id=TEMPLATE, count=1)
    accepted = await post(fake, "/cgi-bin/message/subscribe/send", send, token=access_token)
    assert accepted == {"errcode": 0, "errmsg": "ok"}
    assert_error(await post(fake, "/cgi-bin/message/subscribe/send", send, token=access_token), 43101)
    async with fake.get(f"{MOUNT}/simulate/messages", params={"appid": APPID, "user": "alice"}) as response:
        sent = (await response.json())["messages"]
    assert len(sent) == 1
    assert sent[0]["data"] == send["data"] and sent[0]["page"] == send["page"] and sent[0]["touser"] == openid


async def test_subscribe_message_argument_errors(fake: TestClient) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    await simulate(fake, MOUNT, "subscribe-consent", appid=APPID, user="alice", template_id=TEMPLATE, count=5)
    base = {"touser": openid, "template_id": TEMPLATE, "data": {"thing1": {"value": "ok"}}}
    cases = [
        ({**base, "touser": "o" + "x" * 27}, 40003),
        ({**base, "template_id": "bad template"}, 40037),
        ({**base, "data": {"thing1": {"value": "x" * 21}}}, 47003),
        ({**base, "lang": "fr_FR"}, 47003),
        ({**base, "page": "https://example.com"}, 41030),
    ]
    for body, errcode in cases:
        assert_error(await post(fake, "/cgi-bin/message/subscribe/send", body, token=access_token), errcode)


# -- face verification -------------------------------------------------------------------------------------


async def open_verification(fake: TestClient, access_token: str, openid: str, out_seq_no: str) -> str:
    body = await post(
        fake,
        "/cityservice/face/identify/getverifyid",
        {
            "out_seq_no": out_seq_no,
            "cert_info": {"cert_type": "IDENTITY_CARD", "cert_name": ID_NAME, "cert_no": ID_NO},
            "openid": openid,
        },
        token=access_token,
    )
    assert body["errcode"] == 0 and body["expires_in"] == 3600, body
    return body["verify_id"]


async def query(
    fake: TestClient, access_token: str, verify_id: str, user_openid: str, out_seq_no: str, **override: Any
) -> dict:
    body = {
        "verify_id": verify_id,
        "out_seq_no": out_seq_no,
        "cert_hash": cert_hash("IDENTITY_CARD", ID_NAME, ID_NO),
        "openid": user_openid,
    }
    return await post(fake, "/cityservice/face/identify/queryverifyinfo", {**body, **override}, token=access_token)


async def test_face_outcomes(fake: TestClient) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    expected = {"pass": 10000, "cancel": 90004, "timeout": 90017, "mismatch": 10004}
    for n, (outcome, verify_ret) in enumerate(expected.items()):
        out_seq_no = f"seq-{n:04d}"
        verify_id = await open_verification(fake, access_token, openid, out_seq_no)
        assert_error(await query(fake, access_token, verify_id, openid, out_seq_no), 84003)  # not done yet
        await simulate(fake, MOUNT, "face", appid=APPID, user="alice", outcome=outcome)
        result = await query(fake, access_token, verify_id, openid, out_seq_no)
        assert result == {"errcode": 0, "errmsg": "ok", "verify_ret": verify_ret}


async def test_face_scripted_before_getverifyid_applies_to_the_next(fake: TestClient) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    await simulate(fake, MOUNT, "face", appid=APPID, user="alice", outcome="pass")
    verify_id = await open_verification(fake, access_token, openid, "seq-next")
    assert (await query(fake, access_token, verify_id, openid, "seq-next"))["verify_ret"] == 10000


async def test_face_request_mismatch_and_expiry(fake: TestClient, clock: OffsetClock) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    other = (await login(fake, "bob"))["openid"]
    verify_id = await open_verification(fake, access_token, openid, "seq-1")
    await simulate(fake, MOUNT, "face", appid=APPID, user="alice", outcome="pass")
    wrong_hash = cert_hash("IDENTITY_CARD", "李四", ID_NO)
    assert_error(await query(fake, access_token, verify_id, openid, "seq-1", cert_hash=wrong_hash), 47003)
    assert_error(await query(fake, access_token, verify_id, openid, "seq-1", openid=other), 47003)
    assert_error(await query(fake, access_token, verify_id, openid, "seq-2"), 47003)
    assert_error(await query(fake, access_token, "unknown-verify-id", openid, "seq-1"), 84001)
    # a verification never done within 3600 s has expired
    expiring = await open_verification(fake, access_token, openid, "seq-3")
    clock.set_offset(3600)
    access_token = await token(fake)
    await simulate(fake, MOUNT, "face", appid=APPID, user="alice", outcome="pass")
    assert_error(await query(fake, access_token, expiring, openid, "seq-3"), 84002)
    # the result recorded in time stays readable
    assert (await query(fake, access_token, verify_id, openid, "seq-1"))["verify_ret"] == 10000


async def test_face_getverifyid_validation(fake: TestClient) -> None:
    access_token = await token(fake)
    openid = (await login(fake))["openid"]
    cert = {"cert_type": "IDENTITY_CARD", "cert_name": ID_NAME, "cert_no": ID_NO}
    path = "/cityservice/face/identify/getverifyid"
    cases = [
        ({"out_seq_no": "abc", "cert_info": cert, "openid": openid}, 47003),
        ({"out_seq_no": "seq/0001", "cert_info": cert, "openid": openid}, 47003),
        ({"out_seq_no": "x" * 33, "cert_info": cert, "openid": openid}, 47003),
        ({"out_seq_no": "seq-0001", "cert_info": {**cert, "cert_name": ""}, "openid": openid}, 84006),
        ({"out_seq_no": "seq-0001", "cert_info": {**cert, "cert_no": "12345"}, "openid": openid}, 47003),
        ({"out_seq_no": "seq-0001", "cert_info": {**cert, "cert_type": "PASSPORT"}, "openid": openid}, 47003),
        ({"out_seq_no": "seq-0001", "cert_info": cert, "openid": "o" + "y" * 27}, 40003),
    ]
    for body, errcode in cases:
        assert_error(await post(fake, path, body, token=access_token), errcode)
    await open_verification(fake, access_token, openid, "seq-0001")
    again = {"out_seq_no": "seq-0001", "cert_info": cert, "openid": openid}
    assert_error(await post(fake, path, again, token=access_token), 47003)


# -- simulation input --------------------------------------------------------------------------------------


async def test_bad_simulation_input_is_400_json(fake: TestClient) -> None:
    cases = [
        ("login-code", {"appid": APPID}),
        ("login-code", {"appid": "wx-unknown", "user": "alice"}),
        ("phone-code", {"appid": APPID, "user": "alice", "phone": "+86 131"}),
        ("face", {"appid": APPID, "user": "alice", "outcome": "maybe"}),
        ("subscribe-consent", {"appid": APPID, "user": "alice", "template_id": TEMPLATE, "count": 0}),
    ]
    for name, body in cases:
        async with fake.post(f"{MOUNT}/simulate/{name}", json=body) as response:
            assert response.status == 400
            assert (await response.json())["error"] == "bad_simulation_input"
    async with fake.post(f"{MOUNT}/simulate/login-code", data=b"not json") as response:
        assert response.status == 400
    async with fake.get(f"{MOUNT}/simulate/messages", params={"appid": APPID}) as response:
        assert response.status == 400
