"""Health, readiness, service facts, the OpenAPI document and its docs page, and the mock clock."""
from __future__ import annotations

import os

from aiohttp import web

from backend.http.responses import json_response

from backend.clock import OffsetClock
from backend.db import pending_migrations
from backend.errors import NotFound
from backend.http.openapi import Operation, build_document, docs_page
from backend.http.request import parse_body
from backend.http.schemas import ClockAdvance
from backend.keys import CLOCK, OPENAPI, SETTINGS
from backend.services import clock as clock_service

VERSION = "0.1.0"


async def healthz(request: web.Request) -> web.Response:
    return json_response({"status": "alive"})


async def readyz(request: web.Request) -> web.Response:
    try:
        pending = await pending_migrations()
    except Exception as exc:  # the database is unreachable: not ready, and say why
        return json_response({"status": "unavailable", "database": "unreachable", "error": type(exc).__name__}, status=503)
    if pending:
        return json_response({"status": "unavailable", "database": "ok", "pending_migrations": pending}, status=503)
    return json_response({"status": "ready", "database": "ok", "pending_migrations": []})


async def meta(request: web.Request) -> web.Response:
    settings = request.config_dict[SETTINGS]
    answer = {"service": "kaiban", "version": VERSION, "mock_mode": settings.mock_mode,
              "wechat_appid": settings.wechat_appid, "ledger_origin": settings.ledger_origin}
    if settings.mock_mode:  # testers see which server process answered (several share the port)
        answer["process"] = os.getpid()
    return json_response(answer)


async def openapi_json(request: web.Request) -> web.Response:
    return json_response(request.config_dict[OPENAPI])


async def api_docs(request: web.Request) -> web.Response:
    return web.Response(text=docs_page(request.config_dict[OPENAPI]), content_type="text/html")


def _movable(request: web.Request) -> OffsetClock:
    clock = request.config_dict[CLOCK]
    if not request.config_dict[SETTINGS].mock_mode or not isinstance(clock, OffsetClock):
        raise NotFound()
    return clock


async def get_clock(request: web.Request) -> web.Response:
    clock = _movable(request)
    return json_response({"now": clock.now().isoformat(), "offset_seconds": clock.offset_seconds})


async def advance_clock(request: web.Request) -> web.Response:
    clock = _movable(request)
    body = await parse_body(request, ClockAdvance)
    stamp = clock_service.stamp_path(request.config_dict[SETTINGS].var_dir)
    await clock_service.advance(clock, seconds=body.seconds, stamp=stamp)
    return json_response({"now": clock.now().isoformat(), "offset_seconds": clock.offset_seconds})


def operations(*, mock_mode: bool) -> list[Operation]:
    """Service endpoints; the clock endpoints only in mock mode."""
    ops = [
        Operation(method="GET", path="/healthz", handler=healthz, tag="operations", summary="Alive"),
        Operation(method="GET", path="/readyz", handler=readyz, tag="operations", summary="Database reachable, migrations current", errors=(503,)),
        Operation(method="GET", path="/api/v1/meta", handler=meta, tag="operations", summary="Service facts (mode, appid, ledger origin)"),
        Operation(method="GET", path="/api/openapi.json", handler=openapi_json, tag="operations", summary="This OpenAPI document"),
        Operation(method="GET", path="/api/docs", handler=api_docs, tag="operations", summary="Human-readable API page", response_type="text/html"),
    ]
    if mock_mode:
        ops += [
            Operation(method="GET", path="/mock/clock", handler=get_clock, tag="mock", summary="The shared mock clock"),
            Operation(method="POST", path="/mock/clock/advance", handler=advance_clock, tag="mock", body=ClockAdvance,
                      summary="Move the shared clock forward"),
        ]
    return ops
