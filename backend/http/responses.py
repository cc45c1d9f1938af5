"""JSON responses written as UTF-8 text (Chinese stays readable), for every route."""
from __future__ import annotations

import functools
import json
from typing import Any

from aiohttp import web

dumps = functools.partial(json.dumps, ensure_ascii=False)


def json_response(data: Any, *, status: int = 200, **kwargs: Any) -> web.Response:
    """A JSON response; Chinese text unescaped."""
    return web.json_response(data, status=status, dumps=dumps, **kwargs)
