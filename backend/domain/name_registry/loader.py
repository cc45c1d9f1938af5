"""Read and write the registry as CSV: `name,status,status_date,uscc` (optional `expires_on` for reservations)."""
from __future__ import annotations

import csv
import datetime as dt
import gc
from collections.abc import Iterable
from typing import IO

from backend.domain.name_registry.model import STATUSES
from backend.domain.name_registry.registry import NameRegistry

COLUMNS = ("name", "status", "status_date", "uscc")


class RegistryFileError(ValueError):
    """A row of the registry file is not usable; the message names the line."""


def load_csv(handle: IO[str], *, registry: NameRegistry | None = None) -> NameRegistry:
    """Load names from an open CSV file (header row required) into `registry` or a new one."""
    # A bulk load makes millions of long-lived objects and no reference cycles: the cyclic collector would only
    # rescan them again and again (a quarter of the load time), so it pauses until the load is over.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(handle, registry if registry is not None else NameRegistry())
    finally:
        if paused:
            gc.enable()


def _load(handle: IO[str], registry: NameRegistry) -> NameRegistry:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return registry
    columns = [c.strip().lower() for c in header]
    missing = [c for c in COLUMNS if c not in columns]
    if missing:
        raise RegistryFileError(f"line 1: missing columns {missing}; expected {', '.join(COLUMNS)}")
    at = {c: columns.index(c) for c in (*COLUMNS, "expires_on") if c in columns}
    expires_at = at.get("expires_on")
    for line, row in enumerate(reader, start=2):
        if not row:
            continue
        try:
            status = row[at["status"]].strip()
            if status not in STATUSES:
                raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
            expires = row[expires_at].strip() if expires_at is not None and expires_at < len(row) else ""
            registry.add(
                name=row[at["name"]],
                status=status,
                status_date=row[at["status_date"]].strip(),
                uscc=row[at["uscc"]].strip() or None,
                expires_on=dt.date.fromisoformat(expires) if expires else None,
            )
        except (ValueError, IndexError) as exc:
            raise RegistryFileError(f"line {line}: {exc}") from exc
    registry.prepare()
    return registry


def write_csv(handle: IO[str], rows: Iterable[tuple[str, str, dt.date | str, str | None]]) -> int:
    """Write (name, status, status_date, uscc) rows with the header; returns the number of rows."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for name, status, status_date, uscc in rows:
        date = status_date.isoformat() if isinstance(status_date, dt.date) else status_date
        writer.writerow((name, status, date, uscc or ""))
        count += 1
    return count


def dump_csv(handle: IO[str], *, registry: NameRegistry) -> int:
    """Write every entry of the registry (reservation expiry included) as CSV."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow((*COLUMNS, "expires_on"))
    for entry in registry:
        writer.writerow((entry.name, entry.status, entry.status_date.isoformat(), entry.uscc or "",
                         entry.expires_on.isoformat() if entry.expires_on else ""))
    return len(registry)
