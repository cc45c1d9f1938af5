"""The in-memory registry of names registered or reserved in Guangzhou, indexed for conflict search."""
from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Collection, Iterator

from backend.domain.name_registry.model import ENDED, NO_GROUP, STATUSES, Conflict, Entry
from backend.domain.names import ParsedName, parse_name, sound_key


@functools.cache
def _char_sound(char: str) -> str:
    return sound_key(char)


@functools.cache
def _phrases() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


def trade_sound(trade_name: str) -> str:
    """`names.sound_key` of a 字号, read character by character unless pypinyin knows a phrase in it (faster)."""
    phrases = _phrases()
    text = trade_name
    if not all("\u4e00" <= c <= "\u9fff" for c in text) or any(
        text[i:j] in phrases for i in range(len(text)) for j in range(i + 2, len(text) + 1)
    ):
        return sound_key(text)
    return " ".join(_char_sound(c) for c in text)


#: The entries of one 字号: industry group -> (industry wording, bracketed region) -> entries. Names of one
#: wording and bracketing compare alike with any query, so conflict search labels a whole list at once.
Bucket = dict[str, dict[tuple[str, bool], list[Entry]]]
#: 字号 with at least this many names get their flat lists built when a load ends, not on their first search.
PREPARED_SIZE = 16


def entry_order(entry: Entry) -> tuple[str, str, dt.date]:
    """The order of entries among conflicts of one kind: by name, then USCC and date (as `Conflict.sort_key`)."""
    return entry.name, entry.uscc or "", entry.status_date


class NameRegistry:
    """Names with their status, indexed by 字号 -> industry group -> wording and by the sound of the 字号."""

    def __init__(self) -> None:
        self._by_trade: dict[str, Bucket] = {}
        self._by_sound: dict[str, set[str]] = {}
        self._sound_of: dict[str, str] = {}
        self._dates: dict[str, dt.date] = {}
        self._flat: dict[str, tuple[list[Entry], list[Entry]]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Entry]:
        for bucket in self._by_trade.values():
            for wordings in bucket.values():
                for entries in wordings.values():
                    yield from entries

    def bucket(self, trade_name: str) -> Bucket | None:
        """The entries of one 字号 by industry group ("" for names without industry words), then by wording."""
        return self._by_trade.get(trade_name)

    def flat(self, trade_name: str) -> tuple[list[Entry], list[Entry]]:
        """Every entry of a 字号: those that block whatever the day (live, no expiry) in `entry_order`, and the
        others (ended, or reserved until a day); built on first use, dropped when the 字号 changes."""
        found = self._flat.get(trade_name)
        if found is None:
            live: list[Entry] = []
            timed: list[Entry] = []
            for wordings in self._by_trade.get(trade_name, {}).values():
                for entries in wordings.values():
                    for entry in entries:
                        (live if entry.status not in ENDED and entry.expires_on is None else timed).append(entry)
            live.sort(key=entry_order)
            found = self._flat[trade_name] = (live, timed)
        return found

    def prepare(self, *, min_size: int = PREPARED_SIZE) -> None:
        """Build the flat lists of the 字号 with many names now (after a load), so no search pays for them."""
        for trade, bucket in self._by_trade.items():
            if sum(len(entries) for wordings in bucket.values() for entries in wordings.values()) >= min_size:
                self.flat(trade)

    def sounding_like(self, trade_name: str) -> Collection[str]:
        """Every registered 字号 with the same toneless pinyin (the 字号 itself included when present)."""
        return self._by_sound.get(self.sound(trade_name), ())

    def sound(self, trade_name: str) -> str:
        """Toneless pinyin of a 字号, from the registry's own table when it holds the 字号."""
        found = self._sound_of.get(trade_name)
        return found if found is not None else trade_sound(trade_name)

    def trade_counts(self) -> dict[str, int]:
        """How many names each 字号 has."""
        return {trade: sum(len(entries) for wordings in bucket.values() for entries in wordings.values())
                for trade, bucket in self._by_trade.items()}

    def sound_groups(self) -> dict[str, set[str]]:
        """字号 by toneless pinyin (groups of one included)."""
        return self._by_sound

    def date(self, value: str | dt.date) -> dt.date:
        """A date shared between entries (the registry holds far fewer days than names)."""
        key = value if isinstance(value, str) else value.isoformat()
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
        return found

    def add(
        self,
        *,
        name: str,
        status: str,
        status_date: dt.date | str,
        uscc: str | None = None,
        expires_on: dt.date | None = None,
        parsed: ParsedName | None = None,
    ) -> Entry:
        """Add a name issued, reserved or ended; an entry of the same name and company (or reservation) is replaced."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        parsed = parsed if parsed is not None else parse_name(name)
        if not parsed.trade_name:
            raise ValueError(f"no 字号 found in {name!r}")
        group = sys.intern(parsed.industry_group or NO_GROUP)
        entry = Entry(
            name=parsed.name, status=sys.intern(status), status_date=self.date(status_date), uscc=uscc or None,
            trade_name=sys.intern(parsed.trade_name), industry=sys.intern(parsed.industry), group=group,
            bracketed=parsed.bracketed_region, expires_on=expires_on,
        )
        self._flat.pop(entry.trade_name, None)
        bucket = self._by_trade.get(entry.trade_name)
        if bucket is None:
            bucket = self._by_trade[entry.trade_name] = {}
            sound = self._sound_of[entry.trade_name] = trade_sound(entry.trade_name)
            self._by_sound.setdefault(sound, set()).add(entry.trade_name)
        entries = bucket.setdefault(group, {}).setdefault((entry.industry, entry.bracketed), [])
        for position, old in enumerate(entries):
            if old.name == entry.name and _same_holder(old, entry):
                entries[position] = entry
                return entry
        entries.append(entry)
        self._count += 1
        return entry

    def _entries_of(self, parsed: ParsedName) -> list[Entry]:
        bucket = self._by_trade.get(parsed.trade_name, {})
        return bucket.get(parsed.industry_group or NO_GROUP, {}).get((parsed.industry, parsed.bracketed_region), [])

    def find(self, name: str) -> list[Entry]:
        """The entries carrying exactly this name (after normalisation)."""
        parsed = parse_name(name)
        return [e for e in self._entries_of(parsed) if e.name == parsed.name]

    def set_status(self, *, name: str, status: str, status_date: dt.date | str, uscc: str | None = None) -> Entry:
        """Record a change of status (deregistered, renamed, revoked ...) of a name in the registry."""
        found = [e for e in self.find(name) if uscc is None or e.uscc in (uscc, None)]
        if not found:
            raise KeyError(name)
        live = [e for e in found if e.status not in ENDED] or found
        entry = live[0]
        if status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {status!r}")
        entry.status, entry.status_date = sys.intern(status), self.date(status_date)
        entry.uscc = uscc or entry.uscc
        self._flat.pop(entry.trade_name, None)
        return entry

    def remove(self, *, name: str, uscc: str | None = None) -> int:
        """Drop a name (a withdrawn reservation, say); returns how many entries went."""
        parsed = parse_name(name)
        bucket = self._by_trade.get(parsed.trade_name)
        if not bucket:
            return 0
        self._flat.pop(parsed.trade_name, None)
        group, wording = parsed.industry_group or NO_GROUP, (parsed.industry, parsed.bracketed_region)
        wordings = bucket.get(group, {})
        entries = wordings.get(wording, [])
        kept = [e for e in entries if not (e.name == parsed.name and (uscc is None or e.uscc == uscc))]
        removed = len(entries) - len(kept)
        if kept:
            wordings[wording] = kept
        else:
            wordings.pop(wording, None)
        if not wordings:
            bucket.pop(group, None)
        if not bucket:
            del self._by_trade[parsed.trade_name]
            sounds = self._by_sound.get(self._sound_of.pop(parsed.trade_name, ""), set())
            sounds.discard(parsed.trade_name)
        self._count -= removed
        return removed

    def find_conflicts(
        self, parsed_name: ParsedName, *, today: dt.date, exceptions: Collection[str] = ()
    ) -> list[Conflict]:
        """Every name that blocks or resembles `parsed_name`, ranked (see `conflicts.find_conflicts`)."""
        from backend.domain.name_registry.search import find_conflicts

        return find_conflicts(parsed_name, registry=self, today=today, exceptions=exceptions)


def _same_holder(old: Entry, new: Entry) -> bool:
    """Whether `new` updates `old`: the same company, or the reservation (no USCC yet) it turns into."""
    return old.uscc == new.uscc or (old.uscc is None and old.status == "reserved")
