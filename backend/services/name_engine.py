"""The one conflict search behind the name check and the name step: Guangzhou's register, held in memory, plus
Kaiban's own claims (reservations and the names of licences it issued), read from the database on every search so
that every server process sees every other process's reservations, withdrawals and licences at once."""
from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import uuid
from collections.abc import Collection, Iterable
from pathlib import Path

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from backend.domain.name_registry import NameRegistry, load_csv, search_conflicts, trade_sound
from backend.domain.name_registry.search import SHOWN_CONFLICTS, ConflictSearch
from backend.domain.name_registry.model import Conflict
from backend.domain.names import ParsedName, parse_name
from backend.models import NameClaim

log = logging.getLogger(__name__)


class NameEngine:
    """Conflict search over the register of the registration area and the live name claims."""

    def __init__(self, registry: NameRegistry | None = None) -> None:
        self.registry = registry if registry is not None else NameRegistry()

    @classmethod
    async def load(cls, csv_path: str | None) -> "NameEngine":
        """The engine with the register file loaded (parsing runs in a thread), or an empty register."""
        if not csv_path:
            return cls()

        def read() -> NameRegistry:
            with Path(csv_path).open(encoding="utf-8", newline="") as handle:
                return load_csv(handle)

        registry = await asyncio.to_thread(read)
        gc.freeze()  # the register lives as long as the process: keep it out of every later collection
        log.info("name register: %d names loaded from %s", len(registry), csv_path)
        return cls(registry)

    async def claims_registry(
        self, trade_names: Iterable[str], *, now: dt.datetime, exclude_application: uuid.UUID | None = None,
        conn: BaseDBAsyncClient | None = None,
    ) -> NameRegistry:
        """Kaiban's live claims on these 字号 or on any 字号 that sounds the same, as a small registry."""
        trades = {t for t in trade_names if t}
        claims = NameRegistry()
        if not trades:
            return claims
        condition = Q(sound__in=sorted({trade_sound(t) for t in trades}))
        for trade in trades:  # claims written before the sound column existed
            condition |= Q(name_key__startswith=f"{trade}|", sound__isnull=True)
        query = NameClaim.filter(condition)
        if conn is not None:
            query = query.using_db(conn)
        for claim in await query:
            if claim.application_id == exclude_application:
                continue
            if claim.status == "reserved" and claim.expires_at is not None and claim.expires_at <= now:
                continue  # an expired reservation releases the name
            try:
                claims.add(name=claim.name, status="registered" if claim.status == "registered" else "reserved",
                           status_date=claim.created_at.date(), uscc=None)
            except ValueError:  # a claim the parser reads differently now: it cannot be compared
                log.warning("name claim %s is not comparable", claim.id)
        return claims

    async def search(
        self, parsed: ParsedName, *, now: dt.datetime, today: dt.date, exclude_application: uuid.UUID | None = None,
        exceptions: Collection[str] = (), limit: int | None = SHOWN_CONFLICTS, conn: BaseDBAsyncClient | None = None,
    ) -> ConflictSearch:
        """The conflicts of a name with the register and with the live claims, merged and ranked."""
        if not parsed.trade_name:
            return ConflictSearch([], {}, 0, False)
        claims = await self.claims_registry([parsed.trade_name], now=now, exclude_application=exclude_application,
                                            conn=conn)
        found = [search_conflicts(parsed, registry=registry, today=today, exceptions=exceptions, limit=limit)
                 for registry in (self.registry, claims)]
        return merge(found, limit=limit)

    async def free(self, names: list[str], *, now: dt.datetime, today: dt.date,
                   exceptions: Collection[str] = ()) -> list[str]:
        """Those of `names` (checked against the register already) that no live claim blocks."""
        parsed = [parse_name(n) for n in names]
        claims = await self.claims_registry([p.trade_name for p in parsed], now=now)
        return [p.name for p in parsed
                if not search_conflicts(p, registry=claims, today=today, exceptions=exceptions, limit=1).blocked]


def merge(results: list[ConflictSearch], *, limit: int | None) -> ConflictSearch:
    """One ranked answer from the searches of several registries."""
    conflicts: list[Conflict] = sorted((c for r in results for c in r.conflicts), key=Conflict.sort_key)
    counts: dict[str, int] = {}
    for result in results:
        for match, count in result.counts.items():
            counts[match] = counts.get(match, 0) + count
    return ConflictSearch(conflicts if limit is None else conflicts[:limit], counts,
                          sum(r.total for r in results), any(r.blocked for r in results))
