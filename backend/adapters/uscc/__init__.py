"""Allocation of unified social credit codes behind a small interface that a real allocation service (the
registration authority's) could replace: a durable local allocator (a database serial, labelled simulated) and a
random one for tools that have no database."""
from __future__ import annotations

from typing import Protocol

from backend.domain.identifiers import generate_uscc

HUANGPU_REGION = "440112"


class UsccAllocator(Protocol):
    """Gives a new credit code, never one given before; the caller retries on a (unique-key) collision."""

    simulated: bool

    async def allocate(self, *, application_id: str | None = None) -> str: ...


class SimulatedUsccAllocator:
    """Valid GB 32100 codes for region 440112, generated at random and labelled simulated (no record kept)."""

    simulated = True

    async def allocate(self, *, application_id: str | None = None) -> str:
        """Return a fresh code: market regulation (9), enterprise (1), Huangpu, random GB 11714 part, check."""
        return generate_uscc(region=HUANGPU_REGION, registering_dept="9", entity_type="1")
