"""The OpenAPI document describes every route; the docs page, health and readiness answer."""
from __future__ import annotations

import re


async def test_every_route_is_in_the_openapi_document(client):
    document = await (await client.get("/api/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, methods in document["paths"].items() for method in methods}
    routed = set()
    for route in client.server.app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        # the fake WeChat platform and the simulator's static pages (mock mode only) are not Kaiban's API
        if path is None or route.method == "HEAD" or path.startswith(("/mock/wechat", "/mock/app")):
            continue
        routed.add((re.sub(r"{(\w+)(:[^}]*)?}", r"{\1}", path), route.method))
    assert routed == documented
    for path, methods in document["paths"].items():
        for method, entry in methods.items():
            assert entry["summary"] and entry["responses"], (path, method)


async def test_docs_health_and_readiness(client):
    docs = await client.get("/api/docs")
    assert docs.status == 200 and "/api/v1/applications/{id}/identity" in await docs.text()
    assert (await (await client.get("/healthz")).json())["status"] == "alive"
    ready = await client.get("/readyz")
    assert ready.status == 200 and (await ready.json())["pending_migrations"] == []


async def test_nothing_mock_is_mounted_outside_mock_mode(server_factory, aiohttp_client):
    client = await aiohttp_client(await server_factory(mock_mode=False, wechat_base_url="http://127.0.0.1:9/unused"))
    for path in ("/mock/wechat/simulate/login-code", "/mock/wechat/sns/jscode2session", "/mock/clock/advance"):
        resp = await client.post(path, json={"appid": "x", "user": "y", "seconds": 60})
        assert resp.status in (404, 405), path
    document = await (await client.get("/api/openapi.json")).json()
    assert not [path for path in document["paths"] if path.startswith("/mock")]
    assert (await client.get("/mock/clock")).status == 404
    for path in ("/mock/app/", "/mock/app/index.html", "/mock/app/app.js", "/mock/app/font.ttf"):
        assert (await client.get(path)).status == 404, path
