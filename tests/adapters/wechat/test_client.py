"""The real WeChatClient against the fake platform on a real TCP port (mounted under /mock/wechat)."""
from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from backend.adapters.wechat.client import FaceVerifyTicket, SessionInfo, WeChatClient
from backend.adapters.wechat.errors import WeChatError
from backend.adapters.wechat.fake_state import FakeWeChatState
from backend.adapters.wechat.protocol import cert_hash, checksession_signature, classify_verify_ret
from backend.clock import OffsetClock
from backend.errors import UpstreamError

from .conftest import APPID, MOUNT, SECRET, simulate

TEMPLATE = "tmpl-formation-progress_0001"
STABLE = f"{MOUNT}/cgi-bin/stable_token"
SEND = f"{MOUNT}/cgi-bin/message/subscribe/send"


async def phone_login(http_session: aiohttp.ClientSession, base_url: str, user: str = "alice") -> str:
    return (await simulate(http_session, base_url, "login-code", appid=APPID, user=user))["code"]


async def consent(http_session: aiohttp.ClientSession, base_url: str, count: int) -> None:
    await simulate(
        http_session, base_url, "subscribe-consent", appid=APPID, user="alice", template_id=TEMPLATE, count=count
    )


async def test_login(wechat: WeChatClient, http_session: aiohttp.ClientSession, base_url: str) -> None:
    code = await phone_login(http_session, base_url)
    info = await wechat.code_to_session(code)
    assert isinstance(info, SessionInfo)
    assert info.openid.startswith("o") and len(info.openid) == 28
    assert len(info.session_key) == 24 and info.unionid is None
    assert info.session_key not in repr(info)
    assert await wechat.check_session(openid=info.openid, signature=checksession_signature(info.session_key))
    newer = await wechat.code_to_session(await phone_login(http_session, base_url))
    assert not await wechat.check_session(openid=info.openid, signature=checksession_signature(info.session_key))
    assert await wechat.check_session(openid=info.openid, signature=checksession_signature(newer.session_key))


async def test_reused_code_raises_wechat_error(
    wechat: WeChatClient, http_session: aiohttp.ClientSession, base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    code = await phone_login(http_session, base_url)
    info = await wechat.code_to_session(code)
    with pytest.raises(WeChatError) as caught:
        await wechat.code_to_session(code)
    error = caught.value
    assert isinstance(error, UpstreamError)
    assert error.errcode == 40163 and error.code == "wechat_error" and error.status == 502
    assert error.params["errcode"] == 40163
    assert error.params["errmsg"].startswith("code been used, rid: ")  # kept as WeChat sent it
    assert SECRET not in str(error) and SECRET not in repr(wechat)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("backend."))
    assert "errcode 40163" in ours
    assert SECRET not in ours and info.session_key not in ours


async def test_wrong_secret(http_session: aiohttp.ClientSession, base_url: str, client_clock: OffsetClock) -> None:
    client = WeChatClient(
        session=http_session, base_url=base_url, appid=APPID, secret="not-the-secret", clock=client_clock
    )
    with pytest.raises(WeChatError) as caught:
        await client.code_to_session(await phone_login(http_session, base_url))
    assert caught.value.errcode == 40125
    with pytest.raises(WeChatError) as caught:
        await client.access_token()
    assert caught.value.errcode == 40125 and "not-the-secret" not in str(caught.value)


async def test_phone_number(wechat: WeChatClient, http_session: aiohttp.ClientSession, base_url: str) -> None:
    openid = (await wechat.code_to_session(await phone_login(http_session, base_url))).openid
    sim = await simulate(http_session, base_url, "phone-code", appid=APPID, user="alice", phone="13123456789")
    code = sim["code"]
    info = await wechat.get_phone_number(code, openid=openid)
    assert (info.phone_number, info.pure_phone_number, info.country_code) == ("13123456789", "13123456789", "86")
    assert info.watermark_appid == APPID and isinstance(info.watermark_timestamp, int)
    with pytest.raises(WeChatError) as caught:
        await wechat.get_phone_number(code)
    assert caught.value.errcode == 40029


async def test_subscribe_message(wechat: WeChatClient, http_session: aiohttp.ClientSession, base_url: str) -> None:
    openid = (await wechat.code_to_session(await phone_login(http_session, base_url))).openid
    data = {"thing1": "广州黄埔某某科技有限公司", "phrase2": {"value": "已受理"}}
    with pytest.raises(WeChatError) as caught:
        await wechat.send_subscribe_message(touser=openid, template_id=TEMPLATE, data=data)
    assert caught.value.errcode == 43101
    await consent(http_session, base_url, 1)
    await wechat.send_subscribe_message(
        touser=openid, template_id=TEMPLATE, data=data, page="pages/company/index?id=1", lang="zh_CN"
    )
    async with http_session.get(f"{base_url}/simulate/messages", params={"appid": APPID, "user": "alice"}) as response:
        (message,) = (await response.json())["messages"]
    assert message["data"] == {"thing1": {"value": "广州黄埔某某科技有限公司"}, "phrase2": {"value": "已受理"}}
    assert message["lang"] == "zh_CN" and message["page"] == "pages/company/index?id=1"


async def test_face_flow(wechat: WeChatClient, http_session: aiohttp.ClientSession, base_url: str) -> None:
    openid = (await wechat.code_to_session(await phone_login(http_session, base_url))).openid
    digest = cert_hash("IDENTITY_CARD", "张三", "310101199801011234")
    results = {}
    for n, outcome in enumerate(("pass", "cancel", "timeout", "mismatch")):
        out_seq_no = f"kb-face-{n:03d}"
        ticket = await wechat.face_get_verify_id(
            out_seq_no=out_seq_no, cert_name="张三", cert_no="310101199801011234", openid=openid
        )
        assert isinstance(ticket, FaceVerifyTicket) and ticket.expires_in == 3600
        with pytest.raises(WeChatError) as caught:  # the user has not done it yet
            await wechat.face_query_verify_info(
                verify_id=ticket.verify_id, out_seq_no=out_seq_no, cert_hash=digest, openid=openid
            )
        assert caught.value.errcode == 84003
        await simulate(http_session, base_url, "face", appid=APPID, user="alice", outcome=outcome)
        verify_ret = await wechat.face_query_verify_info(
            verify_id=ticket.verify_id, out_seq_no=out_seq_no, cert_hash=digest, openid=openid
        )
        results[outcome] = classify_verify_ret(verify_ret)
    assert results == {"pass": "pass", "cancel": "cancel", "timeout": "timeout", "mismatch": "mismatch"}
    with pytest.raises(WeChatError) as caught:
        await wechat.face_query_verify_info(
            verify_id=ticket.verify_id, out_seq_no=out_seq_no, cert_hash=digest[::-1], openid=openid
        )
    assert caught.value.errcode == 47003


async def test_token_is_cached_and_fetched_once_by_concurrent_callers(
    wechat: WeChatClient, calls: dict[str, int], http_session: aiohttp.ClientSession, base_url: str
) -> None:
    openid = (await wechat.code_to_session(await phone_login(http_session, base_url))).openid
    await consent(http_session, base_url, 10)
    await asyncio.gather(
        *(wechat.send_subscribe_message(touser=openid, template_id=TEMPLATE, data={"thing1": "x"}) for _ in range(5))
    )
    await wechat.send_subscribe_message(touser=openid, template_id=TEMPLATE, data={"thing1": "x"})
    assert calls[STABLE] == 1 and calls[SEND] == 6


async def test_token_refreshed_ahead_of_expiry_by_the_clock(
    wechat: WeChatClient, calls: dict[str, int], clock: OffsetClock, client_clock: OffsetClock
) -> None:
    first = await wechat.access_token()
    client_clock.set_offset(7200 - 301)
    assert await wechat.access_token() == first
    assert calls[STABLE] == 1
    clock.set_offset(7200 - 299)
    client_clock.set_offset(7200 - 299)
    assert await wechat.access_token() != first
    assert calls[STABLE] == 2


async def test_expired_token_is_refreshed_and_the_call_retried_once(
    wechat: WeChatClient,
    calls: dict[str, int],
    clock: OffsetClock,
    http_session: aiohttp.ClientSession,
    base_url: str,
) -> None:
    openid = (await wechat.code_to_session(await phone_login(http_session, base_url))).openid
    await consent(http_session, base_url, 2)
    await wechat.send_subscribe_message(touser=openid, template_id=TEMPLATE, data={"thing1": "x"})
    # The platform's clock moves past the token's life; the client's clock does not, so it still
    # trusts its cached token, gets 42001, refreshes once and retries once.
    clock.set_offset(7201)
    await wechat.send_subscribe_message(touser=openid, template_id=TEMPLATE, data={"thing1": "y"})
    assert calls[STABLE] == 2 and calls[SEND] == 3


async def test_token_errors_never_loop(aiohttp_server: Any, http_session: aiohttp.ClientSession) -> None:
    hits = {"token": 0, "send": 0}

    async def stable_token(request: web.Request) -> web.Response:
        hits["token"] += 1
        return web.json_response({"access_token": f"token{hits['token']}" * 4, "expires_in": 7200})

    async def send(request: web.Request) -> web.Response:
        hits["send"] += 1
        return web.json_response({"errcode": 40001, "errmsg": "invalid credential, rid: 0-0-0"})

    stub = web.Application()
    stub.router.add_post("/cgi-bin/stable_token", stable_token)
    stub.router.add_post("/cgi-bin/message/subscribe/send", send)
    server = await aiohttp_server(stub)
    client = WeChatClient(
        session=http_session, base_url=str(server.make_url("")), appid=APPID, secret=SECRET, clock=OffsetClock()
    )
    with pytest.raises(WeChatError) as caught:
        await client.send_subscribe_message(touser="o" * 28, template_id=TEMPLATE, data={"thing1": "x"})
    assert caught.value.errcode == 40001
    assert hits == {"token": 2, "send": 2}


async def test_answers_are_parsed_whatever_the_content_type(
    aiohttp_server: Any, http_session: aiohttp.ClientSession
) -> None:
    async def jscode2session(request: web.Request) -> web.Response:
        # no errcode at all, and a content type that is not JSON
        return web.Response(text='{"session_key":"tQY+38pdTVnAIWCBNiM1+A==","openid":"o--sB5rdWBfwTidbZzzn4FXfWpEg"}',
                            content_type="text/html")

    stub = web.Application()
    stub.router.add_get("/sns/jscode2session", jscode2session)
    server = await aiohttp_server(stub)
    client = WeChatClient(
        session=http_session, base_url=str(server.make_url("/")), appid=APPID, secret=SECRET, clock=OffsetClock()
    )
    info = await client.code_to_session("any")
    assert info.openid == "o--sB5rdWBfwTidbZzzn4FXfWpEg"


async def test_malformed_answers_and_http_errors_are_upstream_errors(
    aiohttp_server: Any, http_session: aiohttp.ClientSession
) -> None:
    async def html(request: web.Request) -> web.Response:
        return web.Response(text="<html>bad gateway</html>", content_type="text/html")

    async def http_500(request: web.Request) -> web.Response:
        return web.Response(status=500, text="oops")

    stub = web.Application()
    stub.router.add_get("/sns/jscode2session", html)
    stub.router.add_post("/cgi-bin/stable_token", http_500)
    server = await aiohttp_server(stub)
    client = WeChatClient(
        session=http_session, base_url=str(server.make_url("")), appid=APPID, secret=SECRET, clock=OffsetClock()
    )
    for call in (client.code_to_session("x"), client.access_token()):
        with pytest.raises(UpstreamError) as caught:
            await call
        assert not isinstance(caught.value, WeChatError)
        assert SECRET not in str(caught.value)


async def test_network_failure_is_an_upstream_error_without_the_secret(
    http_session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = WeChatClient(
        session=http_session,
        base_url=f"http://127.0.0.1:{port}/mock/wechat",
        appid=APPID,
        secret=SECRET,
        clock=OffsetClock(),
    )
    with pytest.raises(UpstreamError) as caught:
        await client.code_to_session("some-code")
    assert not isinstance(caught.value, WeChatError)
    assert caught.value.params["service"] == "wechat"
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("backend."))
    assert "ClientConnectorError" in ours
    assert SECRET not in str(caught.value) and SECRET not in ours


async def test_fake_state_is_reachable_for_tooling(state: FakeWeChatState, clock: OffsetClock) -> None:
    assert state.now() == pytest.approx(clock.timestamp(), abs=1)
