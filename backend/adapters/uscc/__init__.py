"""Allocation of unified social credit codes: a simulated local allocator behind a small interface that a real
allocation service (the registration authority's) could replace."""
from __future__ import annotations

from typing import Protocol

from backend.domain.identifiers import generate_uscc

HUANGPU_REGION = "440112"


class UsccAllocator(Protocol):
    """Gives a new credit code; the caller retries on a (unique-key) collision."""

    simulated: bool

    async def allocate(self) -> str: ...


class SimulatedUsccAllocator:
    """Valid GB 32100 codes for region 440112, generated locally and labelled simulated."""

    simulated = True

    async def allocate(self) -> str:
        """Return a fresh code: market regulation (9), enterprise (1), Huangpu, random GB 11714 part, check."""
        return generate_uscc(region=HUANGPU_REGION, registering_dept="9", entity_type="1")
