"""The registry: adding, updating and removing names, and the sound key it indexes by."""
from __future__ import annotations

import random

import pytest

from backend.domain.name_registry import NameRegistry, trade_sound
from backend.domain.name_registry.generator import vocabulary
from backend.domain.names import sound_key


def test_reservation_turns_into_registration(registry: NameRegistry) -> None:
    registry.add(name="广州云帆科技有限公司", status="reserved", status_date="2025-10-01")
    registry.add(name="广州云帆科技有限公司", status="registered", status_date="2025-11-01",
                 uscc="91440101MA59AAAA1X")
    [entry] = registry.find("广州 云帆科技有限公司")
    assert (len(registry), entry.status, entry.uscc) == (1, "registered", "91440101MA59AAAA1X")


def test_a_reservation_never_replaces_a_company(registry: NameRegistry) -> None:
    registry.add(name="广州云帆科技有限公司", status="deregistered", status_date="2015-01-01", uscc="A")
    registry.add(name="广州云帆科技有限公司", status="reserved", status_date="2025-11-01")
    assert len(registry) == 2 and {e.status for e in registry} == {"deregistered", "reserved"}


def test_set_status_and_remove(registry: NameRegistry) -> None:
    registry.add(name="广州云帆科技有限公司", status="registered", status_date="2020-01-01", uscc="A")
    entry = registry.set_status(name="广州云帆科技有限公司", status="renamed", status_date="2025-01-02")
    assert (entry.status, entry.status_date.isoformat()) == ("renamed", "2025-01-02")
    with pytest.raises(KeyError):
        registry.set_status(name="广州云航科技有限公司", status="revoked", status_date="2025-01-02")
    assert registry.remove(name="广州云帆科技有限公司") == 1
    assert len(registry) == 0 and registry.bucket("云帆") is None and "云帆" not in registry.sounding_like("云帆")


def test_bad_input_is_refused(registry: NameRegistry) -> None:
    with pytest.raises(ValueError):
        registry.add(name="广州云帆科技有限公司", status="active", status_date="2020-01-01")
    with pytest.raises(ValueError):
        registry.add(name="广州市信息技术有限公司", status="registered", status_date="2020-01-01")


def test_trade_sound_is_the_names_sound_key() -> None:
    sample = random.Random(3).sample(vocabulary(distinct=5000, rng=random.Random(3)), 500)
    for text in [*sample, "澄曦", "重庆", "银行", "长城", "云帆5G"]:
        assert trade_sound(text) == sound_key(text), text
