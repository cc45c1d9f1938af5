"""Fixtures for the WeChat adapter tests: the fake platform mounted under /mock/wechat, as the main app does."""
from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from backend.adapters.wechat.client import WeChatClient
from backend.adapters.wechat.fake_platform import FAKE_WECHAT_STATE, create_fake_wechat_app
from backend.adapters.wechat.fake_state import FakeWeChatState
from backend.clock import OffsetClock

APPID = "wx4f4bc4dec97d474b"
SECRET = "0123456789abcdef0123456789abcdef"
MOUNT = "/mock/wechat"

CALLS: web.AppKey[dict[str, int]] = web.AppKey("calls", dict)
STATE: web.AppKey[FakeWeChatState] = web.AppKey("state", FakeWeChatState)


def build_parent_app(clock: OffsetClock) -> web.Application:
    """A parent application with the fake mounted under /mock/wechat, plus a per-path call counter."""
    calls: dict[str, int] = {}

    @web.middleware
    async def count_calls(request: web.Request, handler: Any) -> web.StreamResponse:
        calls[request.path] = calls.get(request.path, 0) + 1
        return await handler(request)

    parent = web.Application(middlewares=[count_calls])
    fake = create_fake_wechat_app(clock=clock, appid=APPID, secret=SECRET)
    parent[CALLS] = calls
    parent[STATE] = fake[FAKE_WECHAT_STATE]
    parent.add_subapp(MOUNT, fake)
    return parent


@pytest.fixture
def clock() -> OffsetClock:
    """The platform's (shared, movable) clock."""
    return OffsetClock()


@pytest.fixture
def parent_app(clock: OffsetClock) -> web.Application:
    return build_parent_app(clock)


@pytest.fixture
def state(parent_app: web.Application) -> FakeWeChatState:
    return parent_app[STATE]


@pytest.fixture
def calls(parent_app: web.Application) -> dict[str, int]:
    """Requests seen by the parent app, per path."""
    return parent_app[CALLS]


@pytest.fixture
async def fake(aiohttp_client: Any, parent_app: web.Application) -> TestClient:
    """An HTTP test client of the parent app; fake paths are under /mock/wechat."""
    return await aiohttp_client(parent_app)


@pytest.fixture
async def fake_server(aiohttp_server: Any, parent_app: web.Application) -> TestServer:
    """The parent app on a real TCP port."""
    return await aiohttp_server(parent_app)


@pytest.fixture
def base_url(fake_server: TestServer) -> str:
    """Base URL of the fake platform, like the mock-mode setting: http://127.0.0.1:PORT/mock/wechat."""
    return str(fake_server.make_url(MOUNT))


@pytest.fixture
async def http_session() -> Any:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def client_clock() -> OffsetClock:
    """The client's clock: separate from the platform's so a test can move one without the other."""
    return OffsetClock()


@pytest.fixture
def wechat(http_session: aiohttp.ClientSession, base_url: str, client_clock: OffsetClock) -> WeChatClient:
    return WeChatClient(session=http_session, base_url=base_url, appid=APPID, secret=SECRET, clock=client_clock)


async def simulate(fake: TestClient | aiohttp.ClientSession, base: str, name: str, **body: Any) -> dict[str, Any]:
    """POST a simulation call and return its JSON (asserting HTTP 200)."""
    async with fake.post(f"{base}/simulate/{name}", json=body) as response:
        assert response.status == 200, await response.text()
        return await response.json()
