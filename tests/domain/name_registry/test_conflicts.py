"""Conflict search: every match type with a conflicting name and a near miss, ranking, exception, brute-force oracle."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from backend.domain.name_registry import NameRegistry, brute_force_conflicts, find_conflicts, generate_registry
from backend.domain.name_registry.search import search_conflicts
from backend.domain.names import parse_name
from tests.domain.name_registry.conftest import TODAY


def _matches(registry: NameRegistry, name: str, **kwargs) -> list[tuple[str, str, str]]:
    return [(c.name, c.match, c.severity) for c in find_conflicts(parse_name(name), registry=registry, today=TODAY,
                                                                   **kwargs)]


def _add(registry: NameRegistry, name: str, status: str = "registered", date: str = "2020-05-01",
         uscc: str | None = "91440101MA00000001") -> None:
    registry.add(name=name, status=status, status_date=date, uscc=uscc)


@pytest.mark.parametrize("existing, proposed, match", [
    ("北京红光酒业发展有限公司", "红光（北京）酒业发展有限公司", "reordered"),  # names.md: same words, other order
    ("北京红光酒业有限公司", "红光酒业有限公司", "exact"),  # names.md: another region or form
    ("广州市天河区云帆信息技术有限公司", "广州市黄埔区云帆信息技术有限责任公司", "exact"),
    ("广州云帆房地产有限公司", "广州市黄埔区云帆置业有限公司", "same_industry"),  # 地产 / 房地产 / 置业
    ("广州云帆地产有限公司", "云帆（广州）房地产开发有限公司", "same_industry"),
    ("广州云帆实业有限公司", "广州市黄埔区云帆信息技术有限公司", "no_industry"),
    ("广州云帆信息技术有限公司", "广州市黄埔区云帆发展有限公司", "no_industry"),
    ("广州澄曦科技有限公司", "广州市黄埔区澄晞科技有限公司", "homophone"),  # names.md: similar, a warning
])
def test_conflicting_pairs(registry: NameRegistry, existing: str, proposed: str, match: str) -> None:
    _add(registry, existing)
    severity = "warning" if match == "homophone" else "error"
    assert _matches(registry, proposed) == [(parse_name(existing).name, match, severity)]


@pytest.mark.parametrize("existing, proposed", [
    ("广州市天河区云帆信息技术有限公司", "广州市黄埔区云航信息技术有限公司"),  # other 字号, other sound
    ("北京红光酒业发展有限公司", "红光（北京）食品有限公司"),  # same 字号, another industry
    ("广州云帆房地产有限公司", "广州市黄埔区云帆物业管理有限公司"),  # property management is not real estate
    ("广州云帆信息技术有限公司", "广州市黄埔区云帆科技有限公司"),  # both have industry words, other groups
    ("广州澄曦科技有限公司", "广州市黄埔区澄晞食品有限公司"),  # sounds the same, another industry
    ("广州澄曦科技有限公司", "广州市黄埔区澄辉科技有限公司"),  # 澄辉 does not sound like 澄曦
])
def test_near_misses_do_not_conflict(registry: NameRegistry, existing: str, proposed: str) -> None:
    _add(registry, existing)
    assert _matches(registry, proposed) == []


@pytest.mark.parametrize("status", ["deregistered", "renamed", "revoked"])
def test_ended_less_than_a_year_ago_still_blocks(registry: NameRegistry, status: str) -> None:
    _add(registry, "广州云帆科技有限公司", status=status, date="2025-03-01")
    [conflict] = find_conflicts(parse_name("广州市黄埔区云帆科技有限公司"), registry=registry, today=TODAY)
    assert (conflict.match, conflict.basis, conflict.severity, conflict.status) == (
        "recently_deregistered", "exact", "error", status)


@pytest.mark.parametrize("date", ["2024-12-01", "2024-11-30", "2019-01-01"])
def test_ended_a_year_or_more_ago_does_not_block(registry: NameRegistry, date: str) -> None:
    _add(registry, "广州云帆科技有限公司", status="deregistered", date=date)
    assert _matches(registry, "广州市黄埔区云帆科技有限公司") == []


def test_expired_reservation_does_not_block(registry: NameRegistry) -> None:
    registry.add(name="广州云帆科技有限公司", status="reserved", status_date="2025-09-01",
                 expires_on=TODAY.replace(day=1))
    assert _matches(registry, "广州市黄埔区云帆科技有限公司") == []
    registry.add(name="广州云帆科技有限公司", status="reserved", status_date="2025-11-01",
                 expires_on=TODAY.replace(month=12, day=31))
    assert _matches(registry, "广州市黄埔区云帆科技有限公司") == [("广州云帆科技有限公司", "exact", "error")]


def test_investment_relationship_exception(registry: NameRegistry) -> None:
    _add(registry, "广州云帆科技有限公司", uscc="91440101MA59AAAA1X")
    _add(registry, "广州云帆技术有限公司", uscc="91440101MA59BBBB2Y")
    conflicts = find_conflicts(parse_name("广州市黄埔区云帆科技有限公司"), registry=registry, today=TODAY,
                               exceptions={"91440101MA59AAAA1X"})
    assert [(c.name, c.severity, c.excepted) for c in conflicts] == [
        ("广州云帆技术有限公司", "error", False), ("广州云帆科技有限公司", "warning", True)]
    related_only = find_conflicts(parse_name("广州市黄埔区云帆科技有限公司"), registry=registry, today=TODAY,
                                  exceptions={"91440101MA59AAAA1X", "91440101MA59BBBB2Y"})
    assert not any(c.is_error for c in related_only) and len(related_only) == 2


def test_all_conflicts_ranked(registry: NameRegistry) -> None:
    for name in ("广州澄晞科技有限公司", "广州澄曦实业有限公司", "广州澄曦技术有限公司", "澄曦（广州）科技有限公司"):
        _add(registry, name)
    _add(registry, "广州市天河区澄曦科技有限公司", status="revoked", date="2025-06-01")
    got = [(c.match, c.severity) for c in find_conflicts(parse_name("广州市黄埔区澄曦科技有限公司"),
                                                          registry=registry, today=TODAY)]
    assert got == [("reordered", "error"), ("same_industry", "error"), ("no_industry", "error"),
                   ("recently_deregistered", "error"), ("homophone", "warning")]
    assert find_conflicts(parse_name("广州市黄埔区澄曦科技有限公司"), registry=registry, today=TODAY)[0].to_dict()[
        "match"] == "reordered"


def test_empty_trade_name_has_no_conflicts(registry: NameRegistry) -> None:
    _add(registry, "广州云帆科技有限公司")
    assert _matches(registry, "广州市信息技术有限公司") == []


def test_index_agrees_with_a_linear_scan() -> None:
    registry = generate_registry(count=3000, seed=7)
    rng = random.Random(7)
    entries = list(registry)
    for _ in range(60):
        entry = rng.choice(entries)
        industry = rng.choice(["科技", "置业", "实业", "信息技术", entry.industry])
        parsed = parse_name(f"广州市黄埔区{entry.trade_name}{industry}有限公司")
        indexed = find_conflicts(parsed, registry=registry, today=TODAY, exceptions={entry.uscc or ""})
        assert indexed == brute_force_conflicts(parsed, registry=registry, today=TODAY,
                                                exceptions={entry.uscc or ""})
        if industry == entry.industry and entry.blocks(today=TODAY, since=TODAY.replace(year=TODAY.year - 1)):
            assert any(c.name == entry.name for c in indexed)


def test_a_limited_search_returns_the_first_conflicts_and_counts_them_all() -> None:
    registry = generate_registry(count=3000, seed=11)
    counts = registry.trade_counts()
    commonest = max(counts, key=lambda t: (counts[t], t))
    industries = ["实业", *sorted({e.industry for e in registry if e.trade_name == commonest})]
    for industry in industries:
        parsed = parse_name(f"广州市黄埔区{commonest}{industry}有限公司")
        every = brute_force_conflicts(parsed, registry=registry, today=TODAY)
        assert every and (industry != "实业" or len(every) > 5)  # no industry words: every name of the 字号
        found = search_conflicts(parsed, registry=registry, today=TODAY, limit=5)
        assert found.conflicts == every[:5]
        assert found.total == len(every) and found.blocked == any(c.is_error for c in every)
        assert found.counts == dict(Counter(c.match for c in every))


def test_queries_without_industry_words_agree_with_a_linear_scan_as_the_registry_changes() -> None:
    registry = generate_registry(count=4000, seed=5)
    counts = registry.trade_counts()
    busiest = sorted(counts, key=lambda t: (-counts[t], t))[:6]
    sounding = sorted(max(registry.sound_groups().values(), key=lambda g: (len(g), sorted(g))))
    rng = random.Random(5)
    for round_ in range(3):
        for trade in busiest + sounding[:6]:
            for industry in ("实业", "发展", "", rng.choice([e.industry for e in registry if e.trade_name == trade]
                                                          or ["科技"])):
                parsed = parse_name(f"广州市黄埔区{trade}{industry}有限公司")
                every = brute_force_conflicts(parsed, registry=registry, today=TODAY)
                assert find_conflicts(parsed, registry=registry, today=TODAY) == every
                limited = search_conflicts(parsed, registry=registry, today=TODAY, limit=7)
                assert limited.conflicts == every[:7] and limited.total == len(every)
        entry = rng.choice([e for e in registry if e.trade_name in busiest and e.status == "registered"])
        registry.set_status(name=entry.name, status="deregistered", status_date="2025-06-01", uscc=entry.uscc)
        registry.remove(name=rng.choice([e for e in registry if e.trade_name in busiest]).name)
        registry.add(name=f"{busiest[round_]}（广州）实业有限公司", status="reserved", status_date="2025-11-20",
                     expires_on=TODAY.replace(month=12, day=20))
