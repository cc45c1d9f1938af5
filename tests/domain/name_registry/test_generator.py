"""The synthetic registry: deterministic, skewed like a real register, Guangzhou regions, mixed statuses."""
from __future__ import annotations

import collections
import subprocess
import sys

from backend.domain.name_registry import generate_rows, trade_sound
from backend.domain.name_registry.generator import DISTINCT_SHARE, DISTRICTS, EXPONENT, OFFSET
from backend.domain.names import parse_name


def test_deterministic() -> None:
    assert list(generate_rows(count=200, seed=5)) == list(generate_rows(count=200, seed=5))
    assert list(generate_rows(count=200, seed=5)) != list(generate_rows(count=200, seed=6))


def test_skew_at_one_million_by_the_parameters() -> None:
    distinct = int(1_000_000 * DISTINCT_SHARE)
    total = sum(1 / (r + OFFSET) ** EXPONENT for r in range(distinct))
    assert 1_000_000 * (1 / OFFSET ** EXPONENT) / total >= 1000  # the commonest 字号 in 1,000 names or more


def test_shape_at_a_hundred_thousand() -> None:
    rows = list(generate_rows(count=100_000, seed=1))
    assert len({r.name for r in rows}) == 100_000
    per_trade = collections.Counter(r.trade_name for r in rows)
    assert per_trade.most_common(1)[0][1] >= 300  # Zipf-like: ≥ 0.3 % of all names (3,000 at 1M)
    assert sum(1 for n in per_trade.values() if n == 1) > len(per_trade) / 4  # and a long tail
    sounds = collections.defaultdict(set)
    for trade in per_trade:
        sounds[trade_sound(trade)].add(trade)
    assert max(len(group) for group in sounds.values()) >= 50
    industries = collections.defaultdict(set)
    for r in rows:
        industries[r.trade_name].add(r.industry)
    assert all(len(industries[t]) >= 30 for t, _ in per_trade.most_common(10))
    statuses = collections.Counter(r.status for r in rows)
    assert set(statuses) == {"registered", "reserved", "deregistered", "renamed", "revoked"}
    assert statuses["registered"] > len(rows) / 2
    names = [r.name for r in rows]
    assert any("（广州）" in n for n in names) and all(any(d in n for n in names) for d in DISTRICTS)


def test_rows_parse_into_their_parts() -> None:
    for row in generate_rows(count=500, seed=3):
        parsed = parse_name(row.name)
        assert (parsed.trade_name, parsed.industry) == (row.trade_name, row.industry), row


def test_cli(tmp_path) -> None:
    out = tmp_path / "r.csv"
    subprocess.run([sys.executable, "-m", "backend.domain.name_registry.generate", "--count", "50", "--seed", "1",
                    "--out", str(out)], check=True, capture_output=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name,status,status_date,uscc" and len(lines) == 51
