"""The word lists behind the name rules, loaded once from `backend/data/names/` (each file names its source).

Also the matching that depends only on those lists: regions at the start of a name, industry and feature words.
"""
from __future__ import annotations

import csv
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_DATA = Path(__file__).resolve().parent.parent / "data" / "names"
_WORDINGS = Path(__file__).resolve().parent.parent / "data" / "industry_wordings.csv"
_INDEXES: dict[int, tuple[object, dict[str, tuple[str, ...]]]] = {}
_MAX_INDEXES = 64


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
    group_labels: dict[str, str] = field(default_factory=dict)  # industry group -> label (房地产 ...)


def load_wordings(path: Path = _WORDINGS) -> list[dict[str, str]]:
    """The rows (group, label, gb4754, wording) of the industry wordings file; "#" lines are its source notes."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _industry_words(groups: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Wording -> group from industries.json, extended by industry_wordings.csv; a wording has one group only."""
    words = {w: g for g, spec in groups.items() for w in spec["words"]}
    labels = {g: spec["label"] for g, spec in groups.items()}
    for row in load_wordings():
        if words.setdefault(row["wording"], row["group"]) != row["group"]:
            raise ValueError(f"industry wording {row['wording']!r} is in two groups")
        labels.setdefault(row["group"], row["label"])
    return words, labels


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
    industry_words, group_labels = _industry_words(industries["groups"])
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
        industry_words=industry_words,
        feature_words=frozenset(industries["features"]),
        split_words=frozenset(industries["features"]) | frozenset(industry_words),
        provinces=provinces,
        cities=cities,
        districts=districts,
        place_words=frozenset(places),
        development_zones=tuple(regions["development_zones"]),
        group_labels=group_labels,
    )


def _prefix_index(words: Iterable[str]) -> dict[str, tuple[str, ...]] | None:
    """Words by first character, longest first; cached for the lexicon's own (long-lived) collections."""
    cached = _INDEXES.get(id(words))
    if cached is not None and cached[0] is words:
        return cached[1]
    if not isinstance(words, (dict, frozenset, tuple)):
        return None
    index: dict[str, list[str]] = {}
    for word in sorted(words, key=len, reverse=True):
        if word:
            index.setdefault(word[0], []).append(word)
    if len(_INDEXES) >= _MAX_INDEXES:
        _INDEXES.clear()
    frozen = {first: tuple(ws) for first, ws in index.items()}
    _INDEXES[id(words)] = (words, frozen)
    return frozen


def longest_at(text: str, pos: int, words: Iterable[str]) -> str | None:
    """The longest of `words` found in `text` at `pos`, or None."""
    index = _prefix_index(words)
    if index is not None:
        return _first_at(text, pos, index)
    found = [w for w in words if text.startswith(w, pos)]
    return max(found, key=len) if found else None


def _first_at(text: str, pos: int, index: dict[str, tuple[str, ...]]) -> str | None:
    if pos >= len(text):
        return None
    for word in index.get(text[pos], ()):
        if text.startswith(word, pos):
            return word
    return None


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
    candidates = _districts_of(city) if city else (() if parts else lex.districts)
    if district := longest_at(text, pos, candidates):
        parts.append(("district", district))
        pos += len(district)
    return pos, tuple(parts)


@functools.cache
def _districts_of(city: str) -> tuple[str, ...]:
    return tuple(d for d, c in lexicon().districts.items() if c == city)


@functools.cache
def _split_index() -> dict[str, tuple[str, ...]]:
    return _prefix_index(lexicon().split_words) or {}


@functools.cache
def _industry_index() -> dict[str, tuple[str, ...]]:
    return _prefix_index(lexicon().industry_words) or {}


def industry_word_at(text: str, pos: int) -> str | None:
    """The longest industry or feature word at `pos`, or None."""
    return _first_at(text, pos, _split_index())


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
    index = _industry_index()
    for pos in range(len(industry)):
        word = _first_at(industry, pos, index)
        if word:
            return lex.industry_words[word]
    return None
