"""Mock mode with several server processes: the fake WeChat platform runs once, in its own process, and every
server process forwards `/mock/wechat/...` to it, so a login code made through one process is redeemed by another
(as WeChat itself is one service for every process of a real deployment)."""
from __future__ import annotations

import aiohttp
from aiohttp import web

#: Hop-by-hop and length headers that the forwarded request or answer recomputes.
_DROPPED = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"})


def create_wechat_proxy(*, target: str) -> web.Application:
    """A sub-application forwarding every request under it to the fake platform at `target`."""
    app = web.Application()
    session_key = web.AppKey("wechat_proxy_session", aiohttp.ClientSession)

    async def session_ctx(sub: web.Application):
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15), auto_decompress=False) as session:
            sub[session_key] = session
            yield

    async def forward(request: web.Request) -> web.Response:
        tail = request.match_info["tail"]
        url = f"{target.rstrip('/')}/{tail}"
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _DROPPED}
        async with request.app[session_key].request(request.method, url, params=request.query, headers=headers,
                                                    data=await request.read()) as answer:
            body = await answer.read()
            kept = {k: v for k, v in answer.headers.items() if k.lower() not in _DROPPED}
            return web.Response(status=answer.status, body=body, headers=kept)

    app.cleanup_ctx.append(session_ctx)
    app.router.add_route("*", "/{tail:.*}", forward)
    return app
