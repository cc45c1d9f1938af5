"""An independent client, wechatpy (synchronous, requests-based), accepts the fake as WeChat.

wechatpy hard-codes api.weixin.qq.com in three places: `WeChatClient.API_BASE_URL` (cgi-bin APIs),
`WeChatWxa.API_BASE_URL` (wxa.* APIs, e.g. code_to_session -> "sns/jscode2session") and the token URL in
`WeChatClient.fetch_access_token`. Subclasses repoint all three at the fake's base URL; everything else
(query strings, bodies without a content type, JSON parsing of text/plain, errcode handling) is wechatpy's.
"""
from __future__ import annotations

import asyncio
import warnings

import aiohttp
import pytest
from wechatpy import WeChatClient as WeChatPyClient
from wechatpy.client.api import WeChatWxa
from wechatpy.exceptions import WeChatClientException

from .conftest import APPID, SECRET, simulate

TEMPLATE = "tmpl-formation-progress_0001"


def wechatpy_client(base_url: str, appid: str = APPID, secret: str = SECRET) -> WeChatPyClient:
    """A wechatpy client whose every URL points at `base_url` (e.g. http://127.0.0.1:PORT/mock/wechat)."""
    root = base_url.rstrip("/") + "/"

    class FakeWxa(WeChatWxa):
        API_BASE_URL = root

    class FakeClient(WeChatPyClient):
        API_BASE_URL = root + "cgi-bin/"
        wxa = FakeWxa()

        def fetch_access_token(self) -> dict:
            return self._fetch_access_token(
                url=root + "cgi-bin/token",
                params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
            )

    return FakeClient(appid, secret, timeout=10)


def _quietly(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    # wechatpy's wxa API calls its own deprecated `_get`/`_post`; that warning is not ours to fix.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args, **kwargs)


async def test_code_to_session_and_reused_code(http_session: aiohttp.ClientSession, base_url: str) -> None:
    client = wechatpy_client(base_url)
    sim = await simulate(http_session, base_url, "login-code", appid=APPID, user="alice")
    session = await asyncio.to_thread(_quietly, client.wxa.code_to_session, sim["code"])
    assert session["openid"] == sim["openid"]
    assert len(session["session_key"]) == 24
    with pytest.raises(WeChatClientException) as caught:
        await asyncio.to_thread(_quietly, client.wxa.code_to_session, sim["code"])
    assert caught.value.errcode == 40163
    assert ", rid: " in caught.value.errmsg


async def test_wrong_secret_is_40125(http_session: aiohttp.ClientSession, base_url: str) -> None:
    client = wechatpy_client(base_url, secret="wrong")
    with pytest.raises(WeChatClientException) as caught:
        await asyncio.to_thread(client.fetch_access_token)
    assert caught.value.errcode == 40125


async def test_subscribe_message_via_wechatpy(http_session: aiohttp.ClientSession, base_url: str) -> None:
    client = wechatpy_client(base_url)
    sim = await simulate(http_session, base_url, "login-code", appid=APPID, user="alice")
    await asyncio.to_thread(_quietly, client.wxa.code_to_session, sim["code"])
    data = {"thing1": {"value": "广州黄埔某某科技有限公司"}}
    with pytest.raises(WeChatClientException) as caught:
        await asyncio.to_thread(_quietly, client.wxa.send_subscribe_message, sim["openid"], TEMPLATE, data)
    assert caught.value.errcode == 43101
    await simulate(
        http_session, base_url, "subscribe-consent", appid=APPID, user="alice", template_id=TEMPLATE, count=1
    )
    result = await asyncio.to_thread(_quietly, client.wxa.send_subscribe_message, sim["openid"], TEMPLATE, data)
    assert result["errcode"] == 0
    async with http_session.get(f"{base_url}/simulate/messages", params={"appid": APPID, "user": "alice"}) as response:
        (message,) = (await response.json())["messages"]
    assert message["data"] == data
