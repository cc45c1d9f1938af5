"""python -m backend [serve|migrate|admin ...]: run the server, apply migrations, or an operator command (see
backend/admin/), with settings from the environment."""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiohttp import web

from backend.settings import Settings


def _serve(settings: Settings) -> None:
    from backend.app import PathOnlyAccessLogger, create_app

    base = f"http://{settings.host}:{settings.port}"
    print(f"Kaiban listening on {base}  (database: {settings.db_url.split('@')[-1]}, mock WeChat: {settings.mock_mode})")
    print(f"  API docs     {base}/api/docs")
    print(f"  OpenAPI      {base}/api/openapi.json")
    print(f"  health       {base}/healthz   ready {base}/readyz")
    print(f"  ledger       {base}/api/v1/ledger/checkpoint")
    if settings.mock_mode:
        print(f"  fake WeChat  {base}/mock/wechat/   mock clock {base}/mock/clock")
        print(f"  simulator    {base}/mock/app/   (the clickable mini-program for testers)")
    if settings.web_processes > 1:
        from backend.serving import supervise

        print(f"  processes    {settings.web_processes} sharing the port")
        sys.stdout.flush()
        supervise(settings)
        return
    sys.stdout.flush()
    web.run_app(
        create_app(settings), host=settings.host, port=settings.port, access_log_class=PathOnlyAccessLogger, print=None
    )


def _migrate(settings: Settings) -> None:
    from backend.db import apply_migrations

    asyncio.run(apply_migrations(settings.db_url))
    print(f"migrations applied to {settings.db_url.split('@')[-1]}")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run it."""
    parser = argparse.ArgumentParser(prog="python -m backend", description="Kaiban (开办) backend")
    parser.add_argument("command", nargs="?", default="serve", choices=["serve", "migrate", "admin"])
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["admin"]:
        from backend import admin

        logging.basicConfig(level=logging.WARNING)
        sys.exit(admin.main(argv[1:], settings=Settings.from_env()))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    if args.command == "migrate":
        _migrate(settings)
    else:
        _serve(settings)


if __name__ == "__main__":
    main()
