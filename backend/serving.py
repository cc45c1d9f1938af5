"""Serving on one or several processes. With `WEB_PROCESSES=N` (N > 1) a supervisor starts N server processes that
share the port (SO_REUSEPORT: the kernel spreads connections), each a whole Kaiban app on the same database, and
restarts any that dies. Shared state lives in the database: rate limits, the ledger's sequencing, the mock clock,
the fake SMS gateway's outbox; the WeChat client asks `stable_token`, which gives every process the same access
token. In mock mode the fake WeChat platform then runs once, in its own process, and every server forwards
`/mock/wechat/` to it."""
from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import signal
import socket
import sys
import time

from aiohttp import web

from backend.settings import Settings

log = logging.getLogger(__name__)
RESTART_PAUSE = 1.0  # seconds before a dead worker is started again


def run_worker(settings: Settings, *, reuse_port: bool) -> None:
    """One server process: the whole app on the settings' host and port."""
    from backend.app import PathOnlyAccessLogger, create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s")
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log_class=PathOnlyAccessLogger,
                print=None, reuse_port=reuse_port or None)


def run_fake_wechat(settings: Settings, port: int) -> None:
    """The fake WeChat platform alone (mock mode with several server processes)."""
    from backend.adapters.wechat.fake_platform import create_fake_wechat_app
    from backend.clock import SystemClock

    logging.basicConfig(level=logging.WARNING)
    app = create_fake_wechat_app(clock=SystemClock(), appid=settings.wechat_appid, secret=settings.wechat_secret)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def supervise(settings: Settings) -> None:
    """Run `settings.web_processes` server processes (and the fake WeChat platform in mock mode) until stopped."""
    context = multiprocessing.get_context("spawn")
    helpers: list[multiprocessing.Process] = []
    if settings.mock_mode and not settings.wechat_base_url:
        port = _free_port()
        fake = context.Process(target=run_fake_wechat, args=(settings, port), name="fake-wechat", daemon=True)
        fake.start()
        helpers.append(fake)
        settings = dataclasses.replace(settings, fake_wechat_url=f"http://127.0.0.1:{port}")
    workers = {i: _start(context, settings, i) for i in range(settings.web_processes)}
    stopping = False

    def stop(signum, frame) -> None:  # noqa: ARG001 - the signal module's signature
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        time.sleep(0.5)
        for i, worker in list(workers.items()):
            if not worker.is_alive() and not stopping:
                log.warning("server process %s exited with %s; starting it again", worker.pid, worker.exitcode)
                time.sleep(RESTART_PAUSE)
                workers[i] = _start(context, settings, i)
    for process in [*workers.values(), *helpers]:
        process.terminate()
    for process in [*workers.values(), *helpers]:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
    sys.exit(0)


def _start(context, settings: Settings, number: int) -> multiprocessing.Process:
    process = context.Process(target=run_worker, args=(settings,), kwargs={"reuse_port": True}, name=f"kaiban-{number}")
    process.start()
    return process
