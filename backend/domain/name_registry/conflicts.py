"""Conflict search (2017 comparison rules, Art. 17 of the 2020 Regulation): which names block or resemble a name."""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from backend.domain.name_registry.model import NO_GROUP, Conflict, Entry, Match, blocking_since
from backend.domain.name_registry.registry import NameRegistry, trade_sound
from backend.domain.names import ParsedName


class Query:
    """The parts of the proposed name that comparisons use."""

    __slots__ = ("trade_name", "industry", "group", "bracketed", "sorted_industry", "sound")

    def __init__(self, parsed: ParsedName) -> None:
        self.trade_name = parsed.trade_name
        self.industry = parsed.industry
        self.group = parsed.industry_group or NO_GROUP
        self.bracketed = parsed.bracketed_region
        self.sorted_industry = sorted(parsed.industry)
        self.sound = trade_sound(parsed.trade_name) if parsed.trade_name else ""


def relates(query: Query, entry: Entry) -> bool:
    """Whether the industries compare: the same group, or either name without industry words."""
    return query.group == NO_GROUP or entry.group == NO_GROUP or entry.group == query.group


def basis(query: Query, entry: Entry) -> Match:
    """How a name with the same 字号 (or its sound) compares: exact, reordered, same_industry or no_industry."""
    if entry.industry == query.industry:
        return "reordered" if entry.bracketed != query.bracketed else "exact"
    if len(entry.industry) == len(query.industry) and sorted(entry.industry) == query.sorted_industry:
        return "reordered"
    if query.group != NO_GROUP and entry.group == query.group:
        return "same_industry"
    return "no_industry"


def conflict(query: Query, entry: Entry, *, homophone: bool, excepted: bool, ended: bool) -> Conflict:
    """The conflict `entry` makes for the query (the caller knows it relates and still blocks)."""
    how = basis(query, entry)
    match: Match = "homophone" if homophone else ("recently_deregistered" if ended else how)
    severity = "warning" if homophone or excepted else "error"
    return Conflict(name=entry.name, match=match, severity=severity, basis=how, status=entry.status,
                    status_date=entry.status_date, uscc=entry.uscc, excepted=excepted)


def brute_force_conflicts(
    parsed_name: ParsedName,
    *,
    registry: NameRegistry,
    today: dt.date,
    exceptions: Collection[str] = (),
) -> list[Conflict]:
    """The same answer by scanning every entry (no index): the benchmark's baseline and the tests' oracle."""
    if not parsed_name.trade_name:
        return []
    query = Query(parsed_name)
    since = blocking_since(today)
    exceptions = frozenset(exceptions)
    out: list[Conflict] = []
    sound = registry.sound
    for entry in registry:
        if entry.trade_name == query.trade_name:
            homophone = False
        elif sound(entry.trade_name) == query.sound:
            homophone = True
        else:
            continue
        if relates(query, entry) and entry.blocks(today=today, since=since):
            excepted = entry.uscc is not None and entry.uscc in exceptions
            ended = entry.status in ("deregistered", "renamed", "revoked")
            out.append(conflict(query, entry, homophone=homophone, excepted=excepted, ended=ended))
    out.sort(key=Conflict.sort_key)
    return out
