"""Alternative names that keep region, industry wording and organisation form, and pass every rule and conflict check."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterator

from backend.domain.name_registry.search import find_conflicts
from backend.domain.name_registry.generator import trade_name_chars, usable_trade_name
from backend.domain.name_registry.registry import NameRegistry
from backend.domain.names import ParsedName, check_name, compose_name, parse_name

MAX_TRIES = 400


def _chars(seed: str) -> list[str]:
    """The curated 字号 characters in an order fixed by `seed` (same name, same suggestions)."""
    chars = [c for group in trade_name_chars().values() for c in group]
    return sorted(chars, key=lambda c: hashlib.blake2b((seed + c).encode(), digest_size=8).digest())


def _candidates(trade: str) -> Iterator[str]:
    """New 字号: one curated character appended, replacing one character, or put in front."""
    chars = _chars(trade)
    if not trade:  # nothing usable was typed: new 字号 of two characters
        for first, second in zip(chars, reversed(chars)):
            if first != second:
                yield first + second
        return
    for index, char in enumerate(chars):
        if char not in trade:
            yield trade + char
            position = index % max(len(trade), 1)
            yield trade[:position] + char + trade[position + 1:]
            yield char + trade
    for first, second in zip(chars, reversed(chars)):
        if first != second:
            yield first + second


def suggest(
    parsed_name: ParsedName,
    *,
    registry: NameRegistry,
    today: dt.date,
    count: int = 5,
    exceptions: Collection[str] = (),
    entity_type: str = "limited_liability_company",
) -> list[str]:
    """Up to `count` names (at least five unless the tries run out) with a new 字号 that pass check and conflicts.

    Names with no warning at all come first; the order is deterministic for a given name and registry.
    """
    clean: list[str] = []
    warned: list[str] = []
    seen: set[str] = set()
    trade = parsed_name.trade_name if len(parsed_name.trade_name) <= 3 else parsed_name.trade_name[:2]
    for tries, candidate in enumerate(_candidates(trade)):
        if len(clean) >= count or tries >= MAX_TRIES:
            break
        if candidate in seen or len(candidate) < 2 or not usable_trade_name(candidate):
            continue
        seen.add(candidate)
        name = compose_name(trade_name=candidate, industry=parsed_name.industry,
                            organisation_form=parsed_name.organisation_form, region=parsed_name.region,
                            bracketed_region=parsed_name.bracketed_region)
        parsed = parse_name(name)
        if (parsed.trade_name, parsed.industry, parsed.region, parsed.organisation_form) != (
                candidate, parsed_name.industry, parsed_name.region, parsed_name.organisation_form):
            continue
        findings = check_name(name, entity_type=entity_type)
        if any(f.is_error for f in findings):
            continue
        conflicts = find_conflicts(parsed, registry=registry, today=today, exceptions=exceptions)
        if any(c.is_error for c in conflicts):
            continue
        (clean if not findings and not conflicts else warned).append(name)
    return (clean + warned)[:count]
