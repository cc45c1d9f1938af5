"""The drafting provider: the local pipeline by default; an OpenAI-compatible endpoint (a local fake server) tidies
text, its output validated and dropped when it invents facts; identity numbers never reach it."""
from __future__ import annotations

import pytest
from aiohttp import web

from backend.adapters.drafting import LocalDrafting, OpenAICompatibleDrafting, drafting_provider

ID_NUMBER = "44011219900101001X"
HK_ID = "G123456(A)"


@pytest.fixture
async def fake_llm(aiohttp_server):
    received: list[str] = []
    replies: list[object] = []

    async def completions(request: web.Request) -> web.Response:
        received.append(await request.text())
        reply = replies.pop(0) if replies else "软件开发和信息技术咨询服务。"
        if isinstance(reply, int):
            return web.Response(status=reply)
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": reply}}]})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    server = await aiohttp_server(app)
    return str(server.make_url("/v1")), received, replies


async def test_the_endpoint_tidies_and_never_receives_an_identity_number(fake_llm) -> None:
    url, received, _ = fake_llm
    provider = drafting_provider(url=url, model="test-model", api_key="k")
    text = f"我们做 软件开发，和信息技术咨询服务   股东身份证{ID_NUMBER}，香港身份证{HK_ID}"
    assert await provider.tidy(field="business_description", text=text) == "软件开发和信息技术咨询服务。"
    assert len(received) == 1 and '"model": "test-model"' in received[0]
    assert ID_NUMBER not in received[0] and "G123456" not in received[0] and "19900101" not in received[0]


@pytest.mark.parametrize("reply", [
    "软件开发，注册资本5000000元",  # a number that was not in the text: an invented fact
    "Software development",  # another language
    "",  # nothing
    500,  # the endpoint fails
])
async def test_output_that_fails_the_checks_falls_back_to_the_local_pipeline(fake_llm, reply) -> None:
    url, _, replies = fake_llm
    replies.append(reply)
    provider = OpenAICompatibleDrafting(base_url=url, model="m")
    assert await provider.tidy(field="business_description", text="软件开发　 和 咨询") == "软件开发 和 咨询"


async def test_the_default_is_local_and_sends_nothing() -> None:
    provider = drafting_provider(url=None, model="m", api_key=None)
    assert isinstance(provider, LocalDrafting)
    assert await provider.tidy(field="business_description", text="ＡＩ　软件  开发") == "AI 软件 开发"


async def test_the_scope_recommender_reads_the_tidied_description(fake_llm, aiohttp_client) -> None:
    from backend import keys
    from backend.http.problems import problem_middleware
    from backend.http.routes import scope

    url, received, replies = fake_llm
    replies.append("软件开发，信息技术咨询服务")
    app = web.Application(middlewares=[problem_middleware])
    app[keys.DRAFTING] = OpenAICompatibleDrafting(base_url=url, model="m")
    for op in scope.operations():
        app.router.add_route(op.method, op.path, op.handler)
    client = await aiohttp_client(app)
    resp = await client.post("/api/v1/scope/recommend",
                             json={"description": f"做软件开法 和 IT咨询，法人身份证 {ID_NUMBER}"})
    body = await resp.json()
    assert resp.status == 200 and body["description"] == "软件开发，信息技术咨询服务"
    assert "软件开发" in [item["name"] for item in body["items"]][:5]
    assert received and all(ID_NUMBER not in sent for sent in received)
