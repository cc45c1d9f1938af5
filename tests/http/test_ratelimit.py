"""Request budgets: counted in the database, so every server process shares them; 429 with Retry-After once spent."""
from __future__ import annotations

import pytest

from backend.clock import OffsetClock
from backend.db import close_database, open_database
from backend.errors import TooManyRequests
from backend.http.ratelimit import RateLimiter
from tests.e2e.phone import APPID, Phone


@pytest.fixture
async def db(database_url):
    await open_database(database_url)
    yield
    await close_database()


async def test_two_limiters_on_one_database_share_the_budget_and_the_next_minute_opens(db) -> None:
    clock = OffsetClock()
    clock.set_offset(60 - clock.timestamp() % 60 + 600)  # the start of a minute, ten minutes on
    first = RateLimiter(bucket="login", per_minute=3, clock=clock)
    second = RateLimiter(bucket="login", per_minute=3, clock=clock)  # as in another server process
    await first.hit("10.0.0.1")
    await second.hit("10.0.0.1")
    await first.hit("10.0.0.2")  # another client has its own budget
    await second.hit("10.0.0.1")
    clock.set_offset(clock.offset_seconds + 15)
    with pytest.raises(TooManyRequests) as refused:
        await first.hit("10.0.0.1")
    assert refused.value.params == {"retry_after": 45}
    await RateLimiter(bucket="names", per_minute=3, clock=clock).hit("10.0.0.1")  # another budget is untouched
    clock.set_offset(clock.offset_seconds + 45)
    await second.hit("10.0.0.1")  # a new minute


def test_a_budget_needs_at_least_one_request() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RateLimiter(bucket="login", per_minute=0, clock=OffsetClock())


async def test_logins_and_verifications_past_their_budget_get_429_across_two_servers(server_factory, aiohttp_client):
    one = await aiohttp_client(await server_factory(login_rate=3, verify_rate=2))
    two = await aiohttp_client(await server_factory(login_rate=3, verify_rate=2))  # a second process, same database
    statuses = []
    for client in (one, two, one, two):
        code = await (await client.post("/mock/wechat/simulate/login-code", json={"appid": APPID, "user": "u"})).json()
        statuses.append((await client.post("/api/v1/auth/wechat-login", json={"code": code["code"]})).status)
    assert statuses == [200, 200, 200, 429]
    refused = await two.post("/api/v1/auth/wechat-login", json={"code": "x"})
    body = await refused.json()
    assert refused.status == 429 and body["code"] == "rate_limited" and int(refused.headers["Retry-After"]) >= 1
    assert {"zh-CN", "zh-HK", "en"} <= set(body["messages"])
    checks = [(await c.get("/api/v1/licences/91440112MA0ADUR94Q")).status for c in (one, two, one)]
    assert checks == [404, 404, 429]  # unknown licences count too: a scan of codes is limited the same way


async def test_photo_reads_and_scope_recommendations_are_counted_by_address_before_the_upload_is_read(
        server_factory, aiohttp_client):
    client = await aiohttp_client(await server_factory(document_read_rate=2, scope_rate=1))
    reads = [(await client.post("/api/v1/documents/read", data=b"not a form",
                                headers={"Content-Type": "text/plain"})).status for _ in range(3)]
    assert reads == [415, 415, 429]  # refused uploads count: the budget is of the work asked, not of the work done
    refused = await client.post("/api/v1/documents/read", data=b"x" * 1000, headers={"Content-Type": "text/plain"})
    assert refused.status == 429 and (await refused.json())["code"] == "rate_limited"
    scope = [(await client.post("/api/v1/scope/recommend", json={"description": "软件开发和信息技术咨询"})).status
             for _ in range(2)]
    assert scope == [200, 429]


async def test_rendering_is_counted_by_user_so_one_user_spending_it_leaves_another_theirs(server_factory,
                                                                                          aiohttp_client):
    client = await aiohttp_client(await server_factory(rendering_rate=1))
    first, second = Phone(client, user="renders-a-lot"), Phone(client, user="renders-once")
    statuses = {}
    for phone in (first, second):
        await phone.login()
        created = await phone.call("POST", "/api/v1/applications", json={}, expect=201)
        statuses[phone.user] = [
            (await client.get(f"/api/v1/applications/{created['id']}/documents/articles_of_association/preview",
                              headers=phone.auth)).status for _ in range(2 if phone is first else 1)]
    assert statuses["renders-a-lot"][1] == 429 and statuses["renders-a-lot"][0] != 429
    assert statuses["renders-once"] == [statuses["renders-a-lot"][0]]  # same answer as the first user's first
