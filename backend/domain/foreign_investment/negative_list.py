"""The negative list (special administrative measures for foreign investment access): a business scope checked
against it; prohibited items refuse the scope, restricted ones are flagged with their conditions."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from typing import Any

from backend.domain.findings import Finding
from backend.domain.name_script import to_simplified

KINDS = ("prohibited", "restricted")
#: Parenthesised exclusions of the standard wording (（不含…）, （除…）, （非…）, （仅…）) say what the item does NOT cover.
_EXCLUSION = re.compile(r"[（(](?:不含|不包括|除|非|仅)[^）)]*[）)]")


@dataclasses.dataclass(frozen=True, kw_only=True)
class NegativeListItem:
    """One special administrative measure: its number, sector, kind, text (zh-CN), keywords and message code."""

    no: int
    sector: str
    kind: str
    measure: str
    keywords: tuple[str, ...]
    message: str

    def matches(self, scope_item: str) -> bool:
        """Whether a business-scope item (simplified, exclusions removed) falls under this measure."""
        return any(keyword in scope_item for keyword in self.keywords)


@dataclasses.dataclass(frozen=True, kw_only=True)
class NegativeList:
    """One edition of the list."""

    edition: str
    title: str
    items: tuple[NegativeListItem, ...]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "NegativeList":
        """Build an edition from its JSON data file (`backend/data/negative_list/<edition>.json`)."""
        items = tuple(NegativeListItem(no=int(i["no"]), sector=i["sector"], kind=i["kind"], measure=i["measure"],
                                       keywords=tuple(i["keywords"]), message=i["message"]) for i in data["items"])
        for item in items:
            if item.kind not in KINDS or not item.keywords:
                raise ValueError(f"negative list item {item.no}: kind must be one of {KINDS}, with keywords")
        return cls(edition=str(data["edition"]), title=str(data["title"]), items=items)


def comparable(scope_item: str) -> str:
    """A scope item as matched: simplified characters, parenthesised exclusions removed."""
    simplified, _ = to_simplified(scope_item)
    return _EXCLUSION.sub("", simplified)


def check_scope(scope: Sequence[str], negative_list: NegativeList) -> list[Finding]:
    """One finding per scope item a measure covers: an error for a prohibited item, a warning with the conditions
    for a restricted one (hint: the measure's text in every language)."""
    findings: list[Finding] = []
    for position, item in enumerate(scope):
        text = comparable(item)
        for measure in negative_list.items:
            if measure.matches(text):
                findings.append(Finding(
                    code=f"negative_list_{measure.kind}", severity="error" if measure.kind == "prohibited" else "warning",
                    params={"item": item, "position": position, "no": measure.no, "sector": measure.sector,
                            "edition": negative_list.edition},
                    rule="foreign_investment.negative_list", hint_code=measure.message,
                ))
                break
    return findings
