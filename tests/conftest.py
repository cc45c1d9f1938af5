"""Fixtures shared by the suite: a running Kaiban server on SQLite and, when TEST_DATABASE_URL is set, PostgreSQL."""
from __future__ import annotations

import asyncio
import atexit
import os
import subprocess
import shutil
import tempfile
import uuid
from pathlib import Path

import asyncpg
import pytest
from aiohttp.test_utils import TestClient
from tortoise import Tortoise

from backend.app import create_app
from backend.db import apply_migrations
from backend.settings import Settings
from tests.pinned import LEDGER_ORIGIN, TEST_LEDGER_SEED_B64

REPO = Path(__file__).resolve().parent.parent


def _shared_folder() -> Path:
    """The workplace's `shared/` beside the repository (specs, probes, the independent ledger checker): where
    KAIBAN_SHARED says, else beside this checkout, else beside the repository this one was cloned from (a clone
    made elsewhere, e.g. under /tmp, still finds it)."""
    if os.environ.get("KAIBAN_SHARED"):
        return Path(os.environ["KAIBAN_SHARED"])
    beside = REPO.parent / "shared"
    if beside.is_dir():
        return beside
    origin = subprocess.run(["git", "-C", str(REPO), "config", "--get", "remote.origin.url"], capture_output=True,
                            text=True, check=False).stdout.strip()
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared"
    return beside


SHARED = _shared_folder()
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgres"]


# Each test gets its own migrated database, copied from one migrated template per test process (running every
# migration for every test cost about two seconds a test on PostgreSQL).
_TEMPLATES: dict[str, str] = {}


async def _admin_execute(sql: str) -> None:
    admin = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(sql)
    finally:
        await admin.close()


def _drop_templates() -> None:
    template = _TEMPLATES.get("postgres")
    if template:
        asyncio.run(_admin_execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
    folder = _TEMPLATES.get("sqlite")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_drop_templates)


async def _fresh_postgres_database() -> str:
    """Create a migrated database on the TEST_DATABASE_URL server (from this process's template); return its URL."""
    assert PG_URL
    base, _, _ = PG_URL.rpartition("/")
    if "postgres" not in _TEMPLATES:
        template = f"kaiban_tmpl_{uuid.uuid4().hex[:12]}"
        await _admin_execute(f'CREATE DATABASE "{template}"')
        await apply_migrations(f"{base}/{template}")
        await Tortoise.close_connections()
        _TEMPLATES["postgres"] = template
    name = f"kaiban_test_{uuid.uuid4().hex[:12]}"
    await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATES["postgres"]}"')
    return f"{base}/{name}"


async def _fresh_sqlite_database(path: Path) -> str:
    """A migrated SQLite file at `path`, copied from this process's migrated template file."""
    if "sqlite" not in _TEMPLATES:
        folder = tempfile.mkdtemp(prefix="kaiban-template-")
        await apply_migrations(f"sqlite://{folder}/template.sqlite3")
        _TEMPLATES["sqlite"] = folder
    shutil.copyfile(Path(_TEMPLATES["sqlite"]) / "template.sqlite3", path)
    return f"sqlite://{path}"


async def _drop_postgres_database(url: str) -> None:
    name = url.rpartition("/")[2]
    admin = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(params=BACKENDS)
async def database_url(request, tmp_path):
    """A migrated, empty database: SQLite in a temporary folder, or a fresh PostgreSQL database."""
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("TEST_DATABASE_URL not set")
        url = await _fresh_postgres_database()
    else:
        url = await _fresh_sqlite_database(tmp_path / "kaiban.sqlite3")
    yield url
    if request.param == "postgres":
        await Tortoise.close_connections()
        await _drop_postgres_database(url)


def make_settings(*, database_url: str, var_dir: Path, port: int, **overrides) -> Settings:
    """Settings for a test server: mock mode, pinned ledger key, everything under `var_dir`."""
    values = dict(
        host="127.0.0.1",
        port=port,
        database_url=database_url,
        var_dir=var_dir,
        mock_mode=True,
        ledger_seed_b64=TEST_LEDGER_SEED_B64,
        ledger_origin=LEDGER_ORIGIN,
        ledger_key_name=LEDGER_ORIGIN,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def server_factory(database_url, tmp_path, aiohttp_server, unused_tcp_port_factory):
    """Start a Kaiban server on a real port (so our WeChat client reaches the fake platform over HTTP)."""

    async def start(**overrides):
        port = unused_tcp_port_factory()
        settings = make_settings(database_url=database_url, var_dir=tmp_path / "var", port=port, **overrides)
        return await aiohttp_server(create_app(settings), port=port)

    return start


@pytest.fixture
async def client(server_factory, aiohttp_client) -> TestClient:
    """An HTTP client for a fresh Kaiban server."""
    server = await server_factory()
    return await aiohttp_client(server)
