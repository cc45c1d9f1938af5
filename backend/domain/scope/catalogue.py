"""The business-scope catalogue shipped in `backend/data/scope/catalogue.txt` (its header states the source)."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data" / "scope"
KINDS = ("general", "licensed")


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """One catalogue item: a standard wording, general (一般项目) or licensed (许可项目), and its GB/T 4754 class."""

    id: str
    kind: str
    industry_code: str
    name: str
    keywords: tuple[str, ...]
    keywords_hant: tuple[str, ...]
    keywords_en: tuple[str, ...]
    approval: str | None
    before_registration: bool

    @property
    def licensed(self) -> bool:
        """Whether the item needs an approval (许可项目)."""
        return self.kind == "licensed"


class CatalogueError(ValueError):
    """A catalogue line that cannot be read (a data error in the repository, not user input)."""


def _split(text: str, sep: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def parse_line(line: str) -> ScopeItem:
    """One `|`-separated catalogue line as an item."""
    fields = line.split("|")
    if len(fields) != 9:
        raise CatalogueError(f"expected 9 fields, found {len(fields)}: {line[:60]!r}")
    item_id, kind, code, name, zh, hant, en, approval, before = (f.strip() for f in fields)
    if kind not in KINDS:
        raise CatalogueError(f"{item_id}: kind {kind!r} is not one of {KINDS}")
    if not (len(code) == 4 and code.isdigit()):
        raise CatalogueError(f"{item_id}: industry class {code!r} is not a 4-digit GB/T 4754 class")
    if kind == "licensed" and not approval:
        raise CatalogueError(f"{item_id}: a licensed item names its approval")
    return ScopeItem(
        id=item_id, kind=kind, industry_code=code, name=name,
        keywords=_split(zh, "、"), keywords_hant=_split(hant, "、"), keywords_en=_split(en, ";"),
        approval=approval or None, before_registration=before == "yes",
    )


class Catalogue:
    """Every item, by id and in file order."""

    def __init__(self, items: tuple[ScopeItem, ...]) -> None:
        self.items = items
        self._by_id = {item.id: item for item in items}
        if len(self._by_id) != len(items):
            raise CatalogueError("duplicate item ids")

    @classmethod
    def parse(cls, text: str) -> "Catalogue":
        """Read the catalogue format (comment lines start with `#`)."""
        return cls(tuple(parse_line(line) for line in text.splitlines() if line.strip() and not line.startswith("#")))

    def get(self, item_id: str) -> ScopeItem:
        """The item with this id (KeyError if none)."""
        return self._by_id[item_id]

    @property
    def wordings(self) -> frozenset[str]:
        """The distinct standard wordings."""
        return frozenset(item.name for item in self.items)


@functools.cache
def default_catalogue() -> Catalogue:
    """The shipped catalogue, read once."""
    return Catalogue.parse((DATA / "catalogue.txt").read_text(encoding="utf-8"))
