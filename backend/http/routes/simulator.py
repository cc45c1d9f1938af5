"""The clickable mini-program simulator (mock mode only): the static pages of `miniprogram-mock/h5/` at /mock/app/."""
from __future__ import annotations

import asyncio
import functools
import io
import logging
from pathlib import Path

from aiohttp import web
from fontTools.ttLib import TTCollection

from backend.adapters.documents.fonts import FONT_PATH, FONT_SUBFONT_INDEX

log = logging.getLogger(__name__)
PREFIX = "/mock/app"


def setup_simulator(app: web.Application, *, directory: Path) -> bool:
    """Serve the simulator's pages from `directory` under /mock/app/; False (and a log line) when it is absent."""
    if not (directory / "index.html").is_file():
        log.warning("simulator pages not found in %s: /mock/app/ is not served", directory)
        return False

    async def index(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(directory / "index.html", headers={"Cache-Control": "no-cache"})

    async def redirect(_request: web.Request) -> web.Response:
        raise web.HTTPFound(PREFIX + "/")

    async def font(_request: web.Request) -> web.Response:
        body = await asyncio.get_running_loop().run_in_executor(None, page_font)
        return web.Response(body=body, content_type="font/ttf", headers={"Cache-Control": "max-age=86400"})

    app.router.add_get(PREFIX, redirect)
    app.router.add_get(PREFIX + "/", index)
    app.router.add_get(PREFIX + "/font.ttf", font)
    app.router.add_static(PREFIX + "/", directory, show_index=False, append_version=False)
    return True


@functools.cache
def page_font() -> bytes:
    """The CJK font the binding PDFs embed, as a single TrueType font (browsers do not load the shipped collection),
    so the pages read the same on a machine without Chinese fonts."""
    out = io.BytesIO()
    TTCollection(str(FONT_PATH)).fonts[FONT_SUBFONT_INDEX].save(out)
    return out.getvalue()
