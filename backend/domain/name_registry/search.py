"""Indexed conflict search: the answer of `conflicts.brute_force_conflicts`, from the 字号 buckets, ranked, and
cheap even for the commonest 字号 (thousands of names): whole lists are labelled at once and only the conflicts
shown are built."""
from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple

from backend.domain.name_registry.conflicts import Query, basis
from backend.domain.name_registry.model import ENDED, NO_GROUP, RANK, Conflict, Entry, Match, blocking_since
from backend.domain.name_registry.registry import Bucket, NameRegistry, entry_order
from backend.domain.names import ParsedName

#: How many conflicts a client is shown (the most serious first); the counts still cover every conflict.
SHOWN_CONFLICTS = 20


class ConflictSearch(NamedTuple):
    """The ranked conflicts (the first `limit` when a limit was given) and how many there are of each match."""

    conflicts: list[Conflict]
    counts: dict[str, int]
    total: int
    blocked: bool  # some conflict is an error: the name cannot be used


class _Run(NamedTuple):
    """Entries that make conflicts of one kind: `count` of them, `entries` less the wordings in `skip`."""

    match: Match
    count: int
    entries: Sequence[Entry]
    ordered: bool  # already in `entry_order`
    skip: frozenset[tuple[str, bool]] = frozenset()

    def in_order(self) -> Iterator[Entry]:
        ordered = self.entries if self.ordered else sorted(self.entries, key=entry_order)
        if self.skip:
            return (e for e in ordered if (e.industry, e.bracketed) not in self.skip)
        return iter(ordered)


# What ranks a conflict, but its name: (warning, excepted, match rank, ended) as in `Conflict.sort_key`.
_Class = tuple[bool, bool, int, bool]
_Classes = dict[_Class, list[_Run]]


def _add(classes: _Classes, *, match: Match, warning: bool, excepted: bool, ended: bool,
         entries: Sequence[Entry], ordered: bool = False, count: int | None = None,
         skip: frozenset[tuple[str, bool]] = frozenset()) -> None:
    count = len(entries) if count is None else count
    if count:
        key = (warning, excepted, RANK[match], ended)
        classes.setdefault(key, []).append(_Run(match, count, entries, ordered, skip))


def _always(entry: Entry) -> bool:
    """Whether the entry blocks whatever the day: live and without expiry."""
    return entry.status not in ENDED and entry.expires_on is None


def _related(bucket: Bucket, group: str) -> Iterable[dict[tuple[str, bool], list[Entry]]]:
    """The wordings of a 字号 whose industry compares with `group`."""
    if group == NO_GROUP:
        return bucket.values()
    return [wordings for key in (group, NO_GROUP) if (wordings := bucket.get(key))]


def _by_wording(classes: _Classes, wordings: Iterable[dict[tuple[str, bool], list[Entry]]], query: Query, *,
                homophone: bool, today: dt.date, since: dt.date, exceptions: frozenset[str]) -> None:
    """File the blocking entries of each wording list (one label per list) under their class."""
    for by_wording in wordings:
        for entries in by_wording.values():
            how = basis(query, entries[0])
            live = [e for e in entries if e.status not in ENDED and (e.expires_on is None or e.expires_on > today)]
            ended = [e for e in entries if e.status in ENDED and e.status_date > since] if len(live) < len(
                entries) else []
            for members, is_ended in ((live, False), (ended, True)):
                excepted = [e for e in members if e.uscc in exceptions] if exceptions and members else []
                if excepted:
                    members = [e for e in members if e.uscc not in exceptions]
                match: Match = "homophone" if homophone else ("recently_deregistered" if is_ended else how)
                _add(classes, match=match, warning=homophone, excepted=False, ended=is_ended, entries=members)
                _add(classes, match=match, warning=True, excepted=True, ended=is_ended, entries=excepted)


def _whole_trade(classes: _Classes, registry: NameRegistry, trade: str, bucket: Bucket, query: Query, *,
                 homophone: bool, today: dt.date, since: dt.date) -> None:
    """A query without industry words against every name of a 字号, from its flat lists (no exceptions)."""
    live, timed = registry.flat(trade)
    special: dict[tuple[str, bool], Match] = {}  # wordings that compare as exact or reordered, not no_industry
    if not homophone:
        for wordings in bucket.values():
            for industry, bracketed in wordings:
                if len(industry) == len(query.industry):
                    how = basis(query, wordings[(industry, bracketed)][0])
                    if how != "no_industry":
                        special[(industry, bracketed)] = how
    shown_live = len(live)
    for (industry, bracketed), how in special.items():
        group = next(g for g, w in bucket.items() if (industry, bracketed) in w)
        members = [e for e in bucket[group][(industry, bracketed)] if _always(e)]
        shown_live -= len(members)
        _add(classes, match=how, warning=False, excepted=False, ended=False, entries=members)
    _add(classes, match="homophone" if homophone else "no_industry", warning=homophone, excepted=False,
         ended=False, entries=live, ordered=True, count=shown_live, skip=frozenset(special))
    ended: list[Entry] = []
    pending: dict[Match, list[Entry]] = {}
    for entry in timed:
        if entry.status in ENDED:
            if entry.status_date > since:
                ended.append(entry)
        elif entry.expires_on is None or entry.expires_on > today:
            how = "homophone" if homophone else special.get((entry.industry, entry.bracketed), "no_industry")
            pending.setdefault(how, []).append(entry)
    _add(classes, match="homophone" if homophone else "recently_deregistered", warning=homophone, excepted=False,
         ended=True, entries=ended)
    for how, members in pending.items():
        _add(classes, match=how, warning=homophone, excepted=False, ended=False, entries=members)


def search_conflicts(
    parsed_name: ParsedName,
    *,
    registry: NameRegistry,
    today: dt.date,
    exceptions: Collection[str] = (),
    limit: int | None = None,
) -> ConflictSearch:
    """The names that block (errors) or sound the same (warnings) in the same industry, ranked, with counts by match.

    Only the first `limit` conflicts are built (all without a limit); the counts always cover every conflict.
    `exceptions`: USCCs of enterprises the applicant has an investment relationship with; their names are
    returned as warnings marked `excepted` and do not block.
    """
    if not parsed_name.trade_name:
        return ConflictSearch([], {}, 0, False)
    query = Query(parsed_name)
    since = blocking_since(today)
    frozen = frozenset(exceptions)
    classes: _Classes = {}
    trades = [(query.trade_name, False)] + [(t, True) for t in registry.sounding_like(query.trade_name)
                                            if t != query.trade_name]
    for trade, homophone in trades:
        bucket = registry.bucket(trade)
        if not bucket:
            continue
        if query.group == NO_GROUP and not frozen:
            _whole_trade(classes, registry, trade, bucket, query, homophone=homophone, today=today, since=since)
        else:
            _by_wording(classes, _related(bucket, query.group), query, homophone=homophone, today=today,
                        since=since, exceptions=frozen)
    counts: dict[str, int] = {}
    for runs in classes.values():
        for run in runs:
            counts[run.match] = counts.get(run.match, 0) + run.count
    out: list[Conflict] = []
    for key in sorted(classes):
        room = None if limit is None else limit - len(out)
        if room is not None and room <= 0:
            break
        warning, excepted = key[0], key[1]
        runs = classes[key]
        tagged = heapq.merge(*((_tag(e, run.match) for e in run.in_order()) for run in runs), key=_tag_order)
        for entry, match in tagged if room is None else itertools.islice(tagged, room):
            out.append(Conflict(name=entry.name, match=match, severity="warning" if warning else "error",
                                basis=basis(query, entry), status=entry.status, status_date=entry.status_date,
                                uscc=entry.uscc, excepted=excepted))
    return ConflictSearch(out, counts, sum(counts.values()), any(not key[0] for key in classes))


def _tag(entry: Entry, match: Match) -> tuple[Entry, Match]:
    return entry, match


def _tag_order(item: tuple[Entry, Match]) -> tuple[str, str, dt.date]:
    return entry_order(item[0])


def find_conflicts(
    parsed_name: ParsedName,
    *,
    registry: NameRegistry,
    today: dt.date,
    exceptions: Collection[str] = (),
) -> list[Conflict]:
    """All names that block (errors) or sound the same (warnings) in the same industry, ranked."""
    return search_conflicts(parsed_name, registry=registry, today=today, exceptions=exceptions).conflicts
