"""The word lists behind the name rules, loaded once from `backend/data/names/` (each file names its source).

Also the matching that depends only on those lists: regions at the start of a name, industry and feature words.
"""
from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent.parent / "data" / "names"


def _load(name: str) -> dict[str, Any]:
    return json.loads((_DATA / name).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The shipped word lists, indexed for matching."""

    entity_forms: dict[str, tuple[str, ...]]  # entity type -> allowed forms
    form_types: dict[str, tuple[str, ...]]  # form -> entity types
    restricted: tuple[str, ...]
    prohibited: dict[str, str]  # word -> category
    industry_words: dict[str, str]  # word -> group
    feature_words: frozenset[str]
    split_words: frozenset[str]  # industry and feature words: where a 字号 may end
    provinces: dict[str, str]  # written form -> full name
    cities: dict[str, str]  # written form (Guangdong) -> full name
    districts: dict[str, str]  # full district name -> its city
    place_words: frozenset[str]  # every region word, full and short, for "字号 is a region" checks
    development_zones: tuple[str, ...]


@functools.cache
def lexicon() -> Lexicon:
    """Load and index the word lists once."""
    forms = _load("organisation_forms.json")["entity_types"]
    form_types: dict[str, list[str]] = {}
    for entity, entity_forms in forms.items():
        for form in entity_forms:
            form_types.setdefault(form, []).append(entity)
    industries = _load("industries.json")
    regions = _load("regions.json")
    provinces: dict[str, str] = {}
    for full in regions["provinces"]:
        provinces[full] = full
        provinces[regions["province_short"].get(full, full[:-1])] = full
    gd = regions["guangdong"]
    cities = {written: full for full in gd["cities"] for written in (full, full[:-1])}
    districts = {d: city for city, ds in gd["districts"].items() for d in ds}
    places = set(provinces) | set(cities) | set(districts) | {d[:-1] for d in districts}
    return Lexicon(
        entity_forms={k: tuple(v) for k, v in forms.items()},
        form_types={k: tuple(v) for k, v in form_types.items()},
        restricted=tuple(_load("restricted_words.json")["words"]),
        prohibited={w: cat for cat, ws in _load("prohibited_words.json")["categories"].items() for w in ws},
        industry_words={w: g for g, spec in industries["groups"].items() for w in spec["words"]},
        feature_words=frozenset(industries["features"]),
        split_words=frozenset(industries["features"]) | {w for g in industries["groups"].values() for w in g["words"]},
        provinces=provinces,
        cities=cities,
        districts=districts,
        place_words=frozenset(places),
        development_zones=tuple(regions["development_zones"]),
    )


def longest_at(text: str, pos: int, words: Iterable[str]) -> str | None:
    """The longest of `words` found in `text` at `pos`, or None."""
    found = [w for w in words if text.startswith(w, pos)]
    return max(found, key=len) if found else None


def match_region(text: str, pos: int = 0) -> tuple[int, tuple[tuple[str, str], ...]]:
    """Read a region at `pos`: a development zone, or province, city and district in that order.

    Returns the end position and the parts as (level, full name), e.g. (("city", "广州市"), ("district", "黄埔区")).
    """
    lex = lexicon()
    zone = longest_at(text, pos, lex.development_zones)
    if zone:
        return pos + len(zone), (("development_zone", zone),)
    parts: list[tuple[str, str]] = []
    city: str | None = None
    if province := longest_at(text, pos, lex.provinces):
        parts.append(("province", lex.provinces[province]))
        pos += len(province)
    if written := longest_at(text, pos, lex.cities):
        city = lex.cities[written]
        parts.append(("city", city))
        pos += len(written)
    candidates = [d for d, c in lex.districts.items() if c == city] if city else ([] if parts else lex.districts)
    if district := longest_at(text, pos, candidates):
        parts.append(("district", district))
        pos += len(district)
    return pos, tuple(parts)


def industry_word_at(text: str, pos: int) -> str | None:
    """The longest industry or feature word at `pos`, or None."""
    return longest_at(text, pos, lexicon().split_words)


def all_industry(text: str) -> bool:
    """Whether `text` is made only of industry and feature words."""
    pos = 0
    while pos < len(text):
        word = industry_word_at(text, pos)
        if not word:
            return False
        pos += len(word)
    return bool(text)


def industry_group_of(industry: str) -> str | None:
    """The group of the first industry word in `industry` (features such as 发展 have none), or None."""
    lex = lexicon()
    for pos in range(len(industry)):
        word = longest_at(industry, pos, lex.industry_words)
        if word:
            return lex.industry_words[word]
    return None
