"""The CSV loader and writer."""
from __future__ import annotations

import io

import pytest

from backend.domain.name_registry import RegistryFileError, dump_csv, find_conflicts, generate_rows, load_csv
from backend.domain.name_registry.loader import write_csv
from backend.domain.names import parse_name
from tests.domain.name_registry.conftest import TODAY


def test_load_csv() -> None:
    text = ("name,status,status_date,uscc\n"
            "广州云帆房地产有限公司,registered,2019-04-01,91440101MA59AAAA1X\n"
            "广州红光科技有限公司,deregistered,2025-02-01,91440101MA59BBBB2Y\n"
            "广州澄曦科技有限公司,reserved,2025-11-20,\n")
    registry = load_csv(io.StringIO(text))
    assert len(registry) == 3
    assert [c.match for c in find_conflicts(parse_name("广州市黄埔区云帆置业有限公司"), registry=registry,
                                            today=TODAY)] == ["same_industry"]
    assert [c.match for c in find_conflicts(parse_name("广州市黄埔区红光科技有限公司"), registry=registry,
                                            today=TODAY)] == ["recently_deregistered"]


@pytest.mark.parametrize("text, message", [
    ("name,status\n", "missing columns"),
    ("name,status,status_date,uscc\n广州云帆科技有限公司,active,2020-01-01,\n", "line 2"),
    ("name,status,status_date,uscc\n广州云帆科技有限公司,registered,2020-13-01,\n", "line 2"),
])
def test_bad_files_name_the_line(text: str, message: str) -> None:
    with pytest.raises(RegistryFileError, match=message):
        load_csv(io.StringIO(text))


def test_round_trip() -> None:
    out = io.StringIO()
    rows = [(r.name, r.status, r.status_date, r.uscc) for r in generate_rows(count=300, seed=2)]
    assert write_csv(out, rows) == 300
    registry = load_csv(io.StringIO(out.getvalue()))
    again = io.StringIO()
    dump_csv(again, registry=registry)
    reloaded = load_csv(io.StringIO(again.getvalue()))
    assert sorted((e.name, e.status, e.status_date, e.uscc) for e in reloaded) == sorted(
        (e.name, e.status, e.status_date, e.uscc) for e in registry)
    assert len(reloaded) == 300
