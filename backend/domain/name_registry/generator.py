"""Synthetic registries shaped like real ones: Zipf-like 字号 frequencies, big homophone groups, many industries."""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from backend.domain.identifiers import generate_uscc
from backend.domain.name_lexicon import lexicon
from backend.domain.name_registry.registry import NameRegistry

_CHARS = Path(__file__).resolve().parents[2] / "data" / "trade_name_chars.json"
DEFAULT_TODAY = dt.date(2025, 12, 1)
#: Guangzhou's districts and their GB/T 2260 codes (the region part of a USCC).
DISTRICTS: dict[str, str] = {
    "荔湾区": "440103", "越秀区": "440104", "海珠区": "440105", "天河区": "440106", "白云区": "440111",
    "黄埔区": "440112", "番禺区": "440113", "花都区": "440114", "南沙区": "440115", "从化区": "440117",
    "增城区": "440118",
}
#: Zipf-Mandelbrot shape of 字号 frequencies: weight of rank r is 1 / (r + OFFSET) ** EXPONENT.
EXPONENT, OFFSET = 1.0, 30
DISTINCT_SHARE = 0.5  # distinct 字号 per name
COMMON_WORDINGS = ("科技", "贸易", "信息技术", "商贸", "咨询", "建筑工程", "餐饮管理", "文化传媒", "物流", "电子商务",
                   "网络科技", "企业管理", "投资", "房地产", "置业", "医药", "教育科技", "生物科技", "食品", "装饰工程")
NO_INDUSTRY = ("实业", "发展", "集团", "控股", "")


class Row(NamedTuple):
    """One synthetic registry line and the parts it was made from."""

    name: str
    status: str
    status_date: dt.date
    uscc: str
    trade_name: str
    industry: str


@functools.cache
def trade_name_chars() -> dict[str, str]:
    """The curated 字号 characters by toneless pinyin, commonest groups first (backend/data/trade_name_chars.json)."""
    return dict(json.loads(_CHARS.read_text(encoding="utf-8"))["groups"])


@functools.cache
def _blocked_words() -> frozenset[str]:
    lex = lexicon()
    return frozenset(lex.place_words | lex.split_words | set(lex.prohibited) | set(lex.restricted))


def usable_trade_name(text: str) -> bool:
    """Whether no region, industry, prohibited or restricted word hides in the 字号."""
    blocked = _blocked_words()
    return not any(text[i:j] in blocked for i in range(len(text)) for j in range(i + 2, len(text) + 1))


def vocabulary(*, distinct: int, rng: random.Random) -> list[str]:
    """Distinct 字号, commonest first: combinations of popular characters, popularity independent of sound."""
    chars = [c for group in trade_name_chars().values() for c in group]
    rng.shuffle(chars)
    weighted = [(c, 1 / (1 + rank) ** 0.5) for rank, c in enumerate(chars)]
    scored = [(wa * wb * rng.lognormvariate(0, 0.9), a + b)
              for (a, wa), (b, wb) in itertools.product(weighted, weighted) if a != b]
    triples = max(distinct // 4, 100)
    for _ in range(triples):
        (a, wa), (b, wb), (c, wc) = rng.sample(weighted, 3)
        scored.append((0.2 * wa * wb * wc * rng.lognormvariate(0, 0.6), a + b + c))
    scored.sort(reverse=True)
    seen: set[str] = set()
    out = []
    for _, text in scored:
        if text not in seen and usable_trade_name(text):
            seen.add(text)
            out.append(text)
            if len(out) == distinct:
                break
    return out


def _wordings(rng: random.Random) -> tuple[list[str], list[float]]:
    words = sorted(lexicon().industry_words)
    rng.shuffle(words)
    weights = [(8.0 if w in COMMON_WORDINGS else 1.0) / (1 + rank) ** 0.3 for rank, w in enumerate(words)]
    return words, weights


def _region(rng: random.Random) -> tuple[str, bool, str]:
    district = rng.choice(list(DISTRICTS))
    roll = rng.random()
    if roll < 0.40:
        return f"广州市{district}", False, DISTRICTS[district]
    if roll < 0.65:
        return "广州", False, "440101"
    if roll < 0.78:
        return "广州市", False, "440101"
    if roll < 0.92:
        return rng.choice(("广州", "广州市")), True, "440101"
    return "广东", False, "440000"


def _status(rng: random.Random, today: dt.date) -> tuple[str, dt.date]:
    roll = rng.random()
    if roll < 0.02:
        return "reserved", today - dt.timedelta(days=rng.randrange(60))
    ended = "deregistered" if roll < 0.14 else "revoked" if roll < 0.18 else "renamed" if roll < 0.21 else ""
    if ended:
        return ended, today - dt.timedelta(days=rng.randrange(8 * 365))
    return "registered", today - dt.timedelta(days=rng.randrange(25 * 365))


def generate_rows(*, count: int, seed: int, today: dt.date = DEFAULT_TODAY) -> Iterator[Row]:
    """`count` distinct synthetic names of Guangzhou with status, status date and USCC (deterministic per seed)."""
    rng = random.Random(seed)  # noqa: S311 - synthetic registry data, reproducible per seed; no secret
    trades = vocabulary(distinct=max(50, int(count * DISTINCT_SHARE)), rng=rng)
    cumulative = list(itertools.accumulate(1 / (r + OFFSET) ** EXPONENT for r in range(len(trades))))
    words, word_weights = _wordings(rng)
    word_cumulative = list(itertools.accumulate(word_weights))
    investment = {w for w, g in lexicon().industry_words.items() if g == "investment"}
    seen: set[str] = set()
    while len(seen) < count:
        trade = rng.choices(trades, cum_weights=cumulative)[0]
        if rng.random() < 0.06:
            industry = rng.choice(NO_INDUSTRY)
        else:
            industry = rng.choices(words, cum_weights=word_cumulative)[0]
            industry += "发展" if rng.random() < 0.05 else ""
        region, bracketed, code = _region(rng)
        roll = rng.random()
        form = ("有限公司" if roll < 0.80 else "有限责任公司" if roll < 0.90 else "股份有限公司")
        if industry in investment and rng.random() < 0.3:
            industry, form = f"{industry}合伙企业", "（有限合伙）"  # how parse_name splits a partnership name
        name = f"{trade}（{region}）{industry}{form}" if bracketed else f"{region}{trade}{industry}{form}"
        if name in seen:
            continue
        seen.add(name)
        status, date = _status(rng, today)
        uscc = "" if status == "reserved" else generate_uscc(region=code, rng=rng)
        yield Row(name, status, date, uscc, trade, industry)


def generate_registry(*, count: int, seed: int, today: dt.date = DEFAULT_TODAY) -> NameRegistry:
    """A registry of `count` synthetic names (each parsed as a real one would be)."""
    registry = NameRegistry()
    for row in generate_rows(count=count, seed=seed, today=today):
        registry.add(name=row.name, status=row.status, status_date=row.status_date, uscc=row.uscc or None)
    registry.prepare()
    return registry
