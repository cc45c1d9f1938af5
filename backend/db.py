"""Database wiring: the Tortoise configuration, opening and closing the ORM, and applying migrations."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.backends.base.executor import EXECUTOR_CACHE

log = logging.getLogger(__name__)

APP_LABEL = "models"


#: Connections a process keeps to PostgreSQL (a `?maxsize=` in the URL wins); transactions hold one each.
POSTGRES_POOL_SIZE = 10


async def keep_session(connection: Any) -> None:
    """Give a PostgreSQL connection back to the pool as it is, without asyncpg's reset query (a round trip on every
    release): the service keeps no session state (advisory locks are transaction-scoped; no SET, LISTEN or cursor),
    and asyncpg itself rolls back a transaction left open before calling this."""


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Return the Tortoise configuration for `database_url` (sqlite://PATH or postgres://...)."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://")
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # full sync: a record is on disk before it is acknowledged; wait for another process's write lock
        credentials = {"file_path": path, "journal_mode": "wal", "synchronous": "FULL", "busy_timeout": 10000, "foreign_keys": "ON"}
        connection: Any = {"engine": "tortoise.backends.sqlite", "credentials": credentials}
    else:
        connection = expand_db_url(database_url)
        credentials = connection["credentials"]
        credentials.setdefault("reset", keep_session)
        credentials.setdefault("maxsize", POSTGRES_POOL_SIZE)
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": ["backend.models"],
                "default_connection": "default",
                "migrations": "migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str) -> None:
    """Open the ORM's connections (the schema must already be migrated)."""
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    """Close every ORM connection and release the global context."""
    await Tortoise.close_connections()
    # Tortoise caches SQL per (connection name, table) without the dialect; a process that opens another
    # database next (tests run SQLite then PostgreSQL) must not reuse SQLite's "?" placeholders.
    EXECUTOR_CACHE.clear()


async def apply_migrations(database_url: str) -> None:
    """Apply every pending migration in `migrations/` (SQLite and PostgreSQL alike)."""
    from tortoise.migrations.api import migrate

    try:
        await migrate(config=tortoise_config(database_url))
    finally:  # a failed migration must not leave aiosqlite's thread behind, or the process never exits
        await close_database()


async def pending_migrations(database_url: str | None = None) -> list[str]:
    """Return the names of migrations not yet applied to the open database."""
    from tortoise.migrations.executor import MigrationExecutor

    config = tortoise_config(database_url or "sqlite://:memory:")
    executor = MigrationExecutor(connections.get("default"), {APP_LABEL: config["apps"][APP_LABEL]})
    steps = await executor.plan(None)
    return [step.migration.name for step in steps if not step.backward]
