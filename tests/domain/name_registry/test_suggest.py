"""Suggestions keep region, industry wording and form, and pass every rule and conflict check."""
from __future__ import annotations

import pytest

from backend.domain.name_registry import NameRegistry, find_conflicts, generate_registry, suggest
from backend.domain.names import check_name, parse_name
from tests.domain.name_registry.conftest import TODAY


@pytest.fixture(scope="module")
def busy() -> NameRegistry:
    registry = generate_registry(count=2000, seed=11)
    for name in ("广州市黄埔区云帆信息技术有限公司", "云帆（广州）置业有限公司", "广州云帆科技有限责任公司"):
        registry.add(name=name, status="registered", status_date="2021-01-01", uscc="91440101MA59AAAA1X")
    return registry


@pytest.mark.parametrize("name", ["广州市黄埔区云帆信息技术有限公司", "云帆（广州）房地产有限公司",
                                  "广州云帆科技有限责任公司", "广州市黄埔区云投资合伙企业（有限合伙）"])
def test_suggestions_pass_and_keep_the_parts(busy: NameRegistry, name: str) -> None:
    parsed = parse_name(name)
    entity = "limited_partnership" if "合伙" in name else "limited_liability_company"
    got = suggest(parsed, registry=busy, today=TODAY, entity_type=entity)
    assert len(got) == 5 and len(set(got)) == 5
    for suggestion in got:
        other = parse_name(suggestion)
        assert (other.region, other.industry, other.organisation_form, other.bracketed_region) == (
            parsed.region, parsed.industry, parsed.organisation_form, parsed.bracketed_region)
        assert other.trade_name != parsed.trade_name
        assert not any(f.is_error for f in check_name(suggestion, entity_type=entity))
        assert not any(c.is_error for c in find_conflicts(other, registry=busy, today=TODAY))
    assert got == suggest(parsed, registry=busy, today=TODAY, entity_type=entity)


def test_more_when_asked(busy: NameRegistry) -> None:
    assert len(suggest(parse_name("广州市黄埔区云帆信息技术有限公司"), registry=busy, today=TODAY, count=12)) == 12


def test_suggestions_when_no_usable_trade_name_was_typed() -> None:
    parsed = parse_name("广州市黄埔区信息技术有限公司")
    names = suggest(parsed, registry=NameRegistry(), today=TODAY)
    assert len(names) >= 5
    for name in names:
        assert name.startswith("广州市黄埔区") and name.endswith("信息技术有限公司")
        assert not any(f.is_error for f in check_name(name)), name
