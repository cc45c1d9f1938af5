"""GB/T 4754-2017 classes (`backend/data/scope/gbt4754_2017.csv`, a copy of shared/data) and the name's industry wording."""
from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from backend.domain.scope.catalogue import DATA, ScopeItem

WORDINGS = Path(__file__).resolve().parent.parent.parent / "data" / "industry_wordings.csv"


@dataclass(frozen=True, slots=True)
class IndustryClass:
    """One class (小类) of the standard with its section (门类) and division (大类)."""

    code: str
    name: str
    section: str
    section_name: str
    division: str
    division_name: str


@dataclass(frozen=True, slots=True)
class Wording:
    """One industry wording for enterprise names (`industry_wordings.csv`): its group, label and GB/T 4754 prefix."""

    group: str
    label: str
    prefix: str
    wording: str


@dataclass(frozen=True, slots=True)
class Industry:
    """The main industry of a business: its class and the wording its name can use."""

    industry_class: IndustryClass
    wording: str | None
    wording_group: str | None
    wording_label: str | None

    def to_dict(self) -> dict[str, str | None]:
        """The JSON shape of the API."""
        c = self.industry_class
        return {
            "code": c.code, "name": c.name, "section": c.section, "section_name": c.section_name,
            "division": c.division, "division_name": c.division_name,
            "name_wording": self.wording, "name_wording_group": self.wording_group,
            "name_wording_label": self.wording_label,
        }


class IndustryTable:
    """The classes of the standard and the name wordings, with the derivation of a main industry."""

    def __init__(self, *, classes_csv: str, wordings_csv: str) -> None:
        sections: dict[str, str] = {}
        divisions: dict[str, str] = {}
        rows = list(csv.DictReader(io.StringIO(classes_csv)))
        for row in rows:
            if row["level"] == "1":
                sections[row["section"]] = row["name"].strip()
            elif row["level"] == "2":
                divisions[row["division"]] = row["name"].strip()
        self.classes = {
            row["class"]: IndustryClass(
                code=row["class"], name=row["name"].strip(), section=row["section"],
                section_name=sections[row["section"]], division=row["division"],
                division_name=divisions[row["division"]],
            )
            for row in rows if row["level"] == "4"
        }
        lines = [line for line in wordings_csv.splitlines() if line and not line.startswith("#")]
        self.wordings = tuple(
            Wording(group=r["group"], label=r["label"], prefix=r["gb4754"], wording=r["wording"])
            for r in csv.DictReader(lines)
        )

    def get(self, code: str) -> IndustryClass:
        """The class with this 4-digit code (KeyError if none)."""
        return self.classes[code]

    def name_wording(self, code: str, *, context: Iterable[str]) -> Wording | None:
        """The wording for a name in the most specific group covering the class, preferring one the context uses."""
        industry_class = self.classes[code]
        full = industry_class.section + code
        candidates = [w for w in self.wordings if full.startswith(w.prefix)]
        if not candidates:
            return None
        longest = max(len(w.prefix) for w in candidates)
        best = [w for w in candidates if len(w.prefix) == longest]
        texts = list(context)
        used = [w for w in best if any(w.wording in text for text in texts)]
        if used:
            return max(used, key=lambda w: (len(w.wording), -best.index(w)))
        # The wording itself may sit in another group of the names code (广告 is filed under culture and media).
        named = [w for w in self.wordings if len(w.wording) >= 2 and texts and w.wording in texts[0]]
        if named:
            return max(named, key=lambda w: (len(w.wording), -texts[0].index(w.wording)))
        label = best[0].label
        return next((w for w in best if w.wording == label), best[0])

    def main_industry(self, items: Sequence[tuple[ScopeItem, float]]) -> Industry | None:
        """The class with the largest total score among the items, and its name wording."""
        if not items:
            return None
        totals: dict[str, float] = {}
        for item, score in items:
            totals[item.industry_code] = totals.get(item.industry_code, 0.0) + score
        code = max(totals, key=lambda c: (totals[c], -[i.industry_code for i, _ in items].index(c)))
        top = next(item for item, _ in items if item.industry_code == code)
        context = [top.name, *(t for item, _ in items if item.industry_code == code for t in (item.name, *item.keywords))]
        wording = self.name_wording(code, context=context)
        return Industry(
            industry_class=self.classes[code],
            wording=wording.wording if wording else None,
            wording_group=wording.group if wording else None,
            wording_label=wording.label if wording else None,
        )


@functools.cache
def default_industry_table() -> IndustryTable:
    """The shipped classes and wordings, read once."""
    return IndustryTable(
        classes_csv=(DATA / "gbt4754_2017.csv").read_text(encoding="utf-8"),
        wordings_csv=WORDINGS.read_text(encoding="utf-8"),
    )
