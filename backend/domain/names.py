"""Enterprise names (企业名称): normalise, split into region + 字号 + industry + form, compose, key and check.

Rules follow the checklist of `shared/specs/names.md`; word lists come from `backend.domain.name_lexicon`.
Later work (traditional -> simplified, similarity, suggestions) plugs in at `normalise_name`, `name_key`, `sound_key`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from backend.domain.findings import Finding, Severity
from backend.domain.name_lexicon import (
    all_industry,
    industry_group_of,
    industry_word_at,
    lexicon,
    longest_at,
    match_region,
)

_BRACKETS = {"(": "（", ")": "）", "[": "（", "]": "）", "【": "（", "】": "）"}
_BRACKETED = re.compile(r"（([^（）]+)）")
_NEEDS_NORMALISING = re.compile(r"[\s()\[\]【】\uff01-\uff5e]")
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+")
COMPANY_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")
#: Where a Huangpu company is: a region in its name may name only these (or a part of them).
HUANGPU_LOCALITY: Mapping[str, str] = MappingProxyType({"province": "广东省", "city": "广州市", "district": "黄埔区"})


def _normalise_indexed(name: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the position it came from in `name`."""
    if name and not _NEEDS_NORMALISING.search(name):
        return name, list(range(len(name)))
    out: list[str] = []
    index: list[int] = []
    for position, char in enumerate(name or ""):
        if char.isspace():
            continue
        char = _BRACKETS.get(char, char)
        if "\uff01" <= char <= "\uff5e" and char not in "（）":
            char = unicodedata.normalize("NFKC", char)
        out.append(char)
        index.append(position)
    return "".join(out), index


def normalise_name(name: str) -> str:
    """Remove every space, write brackets full-width （）, full-width letters and digits half-width."""
    return _normalise_indexed(name)[0]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into its parts; `spans` give each part's (start, end) in the name as it was given."""

    name: str  # normalised
    region: str
    trade_name: str
    industry: str
    organisation_form: str
    bracketed_region: bool
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    industry_group: str | None = None
    region_parts: tuple[tuple[str, str], ...] = ()  # (level, full name), e.g. ("city", "广州市")
    norm_spans: dict[str, tuple[int, int]] = field(default_factory=dict, repr=False, compare=False)
    index: tuple[int, ...] = field(default=(), repr=False, compare=False)
    raw_length: int = field(default=0, repr=False, compare=False)

    @property
    def region_levels(self) -> tuple[str, ...]:
        """The levels the region names: "development_zone", or some of "province", "city", "district"."""
        return tuple(level for level, _ in self.region_parts)

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a (start, end) range of the normalised name to the name as given."""
        return _map_span(self.index, self.raw_length, start, end)


def _map_span(index: tuple[int, ...], raw_length: int, start: int, end: int) -> tuple[int, int]:
    if start >= len(index):
        return (raw_length, raw_length)
    if end <= start:
        return (index[start], index[start])
    return (index[start], index[end - 1] + 1)


def _split_middle(mid: str) -> int:
    """Where the 字号 ends and the industry begins in the part between region and form.

    The first industry word at position 2 or later, unless a longer word at position 1 runs over it (帆 + 信息技术,
    not 帆信息 + 技术); else one at position 1; else none (all 字号).
    """
    if all_industry(mid):
        return 0
    at_one = industry_word_at(mid, 1) if len(mid) > 1 else None
    for position in range(2, len(mid)):
        word = industry_word_at(mid, position)
        if word:
            if at_one and 1 + len(at_one) > position and len(at_one) > len(word):
                return 1
            return position
    return 1 if at_one else len(mid)


@functools.cache
def _forms_longest_first() -> tuple[str, ...]:
    return tuple(sorted(lexicon().form_types, key=len, reverse=True))


def organisation_form_of(normalised: str) -> str:
    """The longest known organisation form the name ends with, or ""."""
    return next((f for f in _forms_longest_first() if normalised.endswith(f)), "")


def parse_name(name: str) -> ParsedName:
    """Split a name into region, 字号, industry and organisation form (best effort; check_name judges it)."""
    norm, index = _normalise_indexed(name)
    form = organisation_form_of(norm)
    body_end = len(norm) - len(form)
    region_end, parts = match_region(norm[:body_end])
    spans: dict[str, tuple[int, int]] = {"region": (0, region_end)}
    mid = norm[region_end:body_end]
    bracket = _BRACKETED.search(mid)
    region, bracketed = norm[:region_end], False
    if bracket and not region_end:
        inner_end, inner_parts = match_region(bracket.group(1))
        if inner_parts and inner_end == len(bracket.group(1)):
            region, parts, bracketed = bracket.group(1), inner_parts, True
            spans["region"] = (bracket.start(1), bracket.end(1))
    if bracketed and bracket:
        trade, industry = (0, bracket.start()), (bracket.end(), body_end)
    else:
        split = region_end + _split_middle(mid)
        trade, industry = (region_end, split), (split, body_end)
    spans.update(trade_name=trade, industry=industry, organisation_form=(body_end, len(norm)))
    spans = {part: span for part, span in spans.items() if span[1] > span[0]}
    industry_text = norm[industry[0]:industry[1]]
    raw_length = len(name or "")
    identity = len(index) == raw_length  # nothing removed: positions are the same in both forms
    return ParsedName(
        name=norm,
        region=region,
        trade_name=norm[trade[0]:trade[1]],
        industry=industry_text,
        organisation_form=form,
        bracketed_region=bracketed,
        industry_group=industry_group_of(industry_text),
        region_parts=parts,
        spans=dict(spans) if identity else {part: _map_span(tuple(index), raw_length, *span)
                                            for part, span in spans.items()},
        norm_spans=spans,
        index=tuple(index),
        raw_length=raw_length,
    )


def compose_name(
    *,
    trade_name: str,
    industry: str,
    organisation_form: str = "有限公司",
    region: str = "广州市黄埔区",
    bracketed_region: bool = False,
) -> str:
    """Write a name in the standard order, or with the region in brackets after the 字号."""
    parts = [trade_name, f"（{region}）", industry] if bracketed_region else [region, trade_name, industry]
    return normalise_name("".join(parts) + organisation_form)


def name_key(parsed: ParsedName) -> str:
    """字号 + industry group: equal keys mean identical names by the 2017 rules (region, order and form ignored).

    An empty group after "|" means the name has no industry words, which the rules treat as the same industry as any.
    """
    return f"{parsed.trade_name}|{parsed.industry_group or ''}"


def sound_key(text: str) -> str:
    """Pinyin without tones, for "sounds the same" comparisons of 字号 (澄曦 / 澄晞)."""
    from pypinyin import lazy_pinyin  # imported here: only similarity checks need it

    return " ".join(lazy_pinyin(text))


def _scan(text: str, start: int, end: int, words: Iterable[str]) -> list[tuple[str, int]]:
    """Non-overlapping longest occurrences of `words` in text[start:end], as (word, position)."""
    found: list[tuple[str, int]] = []
    pos = start
    while pos < end:
        word = longest_at(text[:end], pos, words)
        if word:
            found.append((word, pos))
        pos += len(word) if word else 1
    return found


class _Findings(list[Finding]):
    """Collects findings, mapping spans of the normalised name back to the name as given."""

    def __init__(self, parsed: ParsedName) -> None:
        super().__init__()
        self.parsed = parsed

    def add(self, code: str, severity: Severity, rule: str, span: tuple[int, int] | None, **params: Any) -> None:
        mapped = self.parsed.original_span(*span) if span else None
        self.append(Finding(code, severity, params, mapped, f"name.{rule}", f"hint_{code}"))


def check_name(
    name: str,
    *,
    entity_type: str = "limited_liability_company",
    locality: Mapping[str, str] | None = HUANGPU_LOCALITY,
) -> list[Finding]:
    """Check a proposed name against the basic rules; errors block the declaration, warnings inform."""
    lex = lexicon()
    if entity_type not in lex.entity_forms:
        raise ValueError(f"unknown entity type {entity_type!r}; known: {sorted(lex.entity_forms)}")
    parsed = parse_name(name)
    out = _Findings(parsed)
    if not parsed.name:
        out.add("name_empty", "error", "structure", None)
        return list(out)
    _check_form(parsed, out, entity_type)
    _check_region(parsed, out, locality)
    _check_trade_name(parsed, out)
    _check_words(parsed, out)
    return sorted(out, key=lambda f: (f.severity != "error", f.span or (0, 0)))


def _check_form(parsed: ParsedName, out: _Findings, entity_type: str) -> None:
    expected = list(lexicon().entity_forms[entity_type])
    span = parsed.norm_spans.get("organisation_form")
    if not parsed.organisation_form:
        inside = _scan(parsed.name, 0, len(parsed.name), COMPANY_FORMS)
        if inside:
            word, pos = inside[0]
            out.add("name_form_not_at_end", "error", "structure", (pos, pos + len(word)), form=word)
        else:
            out.add("name_form_missing", "error", "form", None, entity_type=entity_type, expected=expected)
    elif parsed.organisation_form not in expected:
        out.add("name_form_mismatch", "error", "form", span,
                form=parsed.organisation_form, entity_type=entity_type, expected=expected)


def _check_region(parsed: ParsedName, out: _Findings, locality: Mapping[str, str] | None) -> None:
    span, levels = parsed.norm_spans.get("region"), parsed.region_levels
    suggestion = "".join(locality.get(k, "") for k in ("city", "district")) if locality else "广州市黄埔区"
    if not levels:
        out.add("name_region_missing", "error", "region", None, expected=suggestion)
    elif levels == ("development_zone",):
        out.add("name_region_development_zone", "error", "region", span, region=parsed.region, expected=suggestion)
    elif levels == ("district",):
        city = lexicon().districts[parsed.region]
        out.add("name_region_district_without_city", "error", "region", span,
                district=parsed.region, city=city, expected=f"{city}{parsed.region}")
    elif locality and any(locality.get(level, full) != full for level, full in parsed.region_parts):
        out.add("name_region_not_local", "error", "region", span, region=parsed.region, expected=suggestion)


def _check_trade_name(parsed: ParsedName, out: _Findings) -> None:
    lex, trade = lexicon(), parsed.trade_name
    span = parsed.norm_spans.get("trade_name")
    if not trade:
        if parsed.industry and all_industry(parsed.industry):
            out.add("name_trade_name_is_industry", "error", "trade_name", parsed.norm_spans.get("industry"),
                    trade_name=parsed.industry)
        else:
            out.add("name_trade_name_missing", "error", "trade_name", None)
        return
    start = span[0] if span else 0
    for run in _NOT_HAN.finditer(trade):
        out.add("name_trade_name_not_chinese", "error", "trade_name",
                (start + run.start(), start + run.end()), trade_name=trade, characters=run.group())
    han = len(_NOT_HAN.sub("", trade))
    if han < 2:
        out.add("name_trade_name_too_short", "error", "trade_name", span, trade_name=trade, length=han)
    if trade in lex.place_words:
        out.add("name_trade_name_is_region", "error", "trade_name", span, trade_name=trade)
    else:
        for word, pos in _scan(trade, 0, len(trade), [w for w in lex.place_words if len(w) >= 2]):
            out.add("name_region_in_trade_name", "warning", "structure",
                    (start + pos, start + pos + len(word)), word=word, trade_name=trade)
    if not parsed.industry:
        out.add("name_industry_unrecognised", "warning", "industry", span, trade_name=trade)


def _check_words(parsed: ParsedName, out: _Findings) -> None:
    lex, text = lexicon(), parsed.name
    trade_span = parsed.norm_spans.get("trade_name", (0, 0))
    for run in _NOT_HAN.finditer(text):
        chars = [i for i in range(run.start(), run.end())
                 if text[i] not in "（）" and not trade_span[0] <= i < trade_span[1]]
        if chars:
            out.add("name_non_chinese_characters", "error", "characters", (chars[0], chars[-1] + 1),
                    characters="".join(text[i] for i in chars))
    for part in ("trade_name", "industry"):
        if part in parsed.norm_spans:
            for word, pos in _scan(text, *parsed.norm_spans[part], lex.prohibited):
                out.add("name_prohibited_word", "error", "prohibited", (pos, pos + len(word)),
                        word=word, category=lex.prohibited[word])
    for word, pos in _scan(text, 0, len(text), lex.restricted):
        if pos == 0:
            out.add("name_restricted_word_start", "error", "restricted", (0, len(word)), word=word)
        else:
            out.add("name_restricted_word_middle", "warning", "restricted", (pos, pos + len(word)), word=word)
