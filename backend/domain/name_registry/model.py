"""Registry entries, conflict labels and their ranking (pure data, no I/O)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, NamedTuple

Status = Literal["registered", "reserved", "deregistered", "renamed", "revoked"]
STATUSES: tuple[Status, ...] = ("registered", "reserved", "deregistered", "renamed", "revoked")
#: Statuses of names that no longer exist but still block for a year after their status date (Art. 17).
ENDED: frozenset[str] = frozenset({"deregistered", "renamed", "revoked"})

Match = Literal["exact", "reordered", "same_industry", "no_industry", "recently_deregistered", "homophone"]
#: Match types, most serious first: the order conflicts are ranked in.
MATCHES: tuple[Match, ...] = ("exact", "reordered", "same_industry", "no_industry", "recently_deregistered",
                              "homophone")
RANK = {match: rank for rank, match in enumerate(MATCHES)}
NO_GROUP = ""  # the industry-group key of a name without industry words


def blocking_since(today: dt.date) -> dt.date:
    """Ended names whose status date is after this day (less than a year before `today`) still block."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


class Entry:
    """One name of the registry with the parts conflict search compares (strings shared between entries)."""

    __slots__ = ("name", "status", "status_date", "uscc", "trade_name", "industry", "group", "bracketed",
                 "expires_on")

    def __init__(self, *, name: str, status: str, status_date: dt.date, uscc: str | None, trade_name: str,
                 industry: str, group: str, bracketed: bool, expires_on: dt.date | None = None) -> None:
        self.name = name
        self.status = status
        self.status_date = status_date
        self.uscc = uscc
        self.trade_name = trade_name
        self.industry = industry
        self.group = group
        self.bracketed = bracketed
        self.expires_on = expires_on

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, {self.status}, {self.status_date}, {self.uscc})"

    def blocks(self, *, today: dt.date, since: dt.date) -> bool:
        """Whether the name still counts: live, a reservation not expired, or ended after `since`."""
        if self.status in ENDED:
            return self.status_date > since
        return self.expires_on is None or self.expires_on > today


class Conflict(NamedTuple):
    """Another name that blocks (error) or resembles (warning) the proposed one, and why."""

    name: str
    match: Match
    severity: Literal["error", "warning"]
    basis: Match  # how the names compare; differs from `match` only for recently ended names
    status: str
    status_date: dt.date
    uscc: str | None
    excepted: bool = False  # related enterprise (investment relationship): shown, does not block

    @property
    def is_error(self) -> bool:
        """Whether this conflict refuses the name."""
        return self.severity == "error"

    def sort_key(self) -> tuple[Any, ...]:
        """Errors first, then by match type, live names before ended ones, then by name (USCC and date break ties)."""
        return (self.severity != "error", self.excepted, RANK[self.match], self.status in ENDED, self.name,
                self.uscc or "", self.status_date)

    def to_dict(self) -> dict[str, Any]:
        """Render for a client (the `conflicts` items of the name-check answer)."""
        return {
            "name": self.name, "match": self.match, "severity": self.severity, "basis": self.basis,
            "status": self.status, "status_date": self.status_date.isoformat(), "uscc": self.uscc,
            "excepted": self.excepted,
        }
