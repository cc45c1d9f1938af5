"""The industry wordings file: sourced, one group per wording, consistent with industries.json."""
from __future__ import annotations

import json
from pathlib import Path

import backend
from backend.domain.name_lexicon import lexicon, load_wordings
from backend.domain.names import name_key, parse_name

DATA = Path(backend.__file__).resolve().parent / "data"


def test_source_and_groups() -> None:
    assert (DATA / "industry_wordings.csv").read_text(encoding="utf-8").startswith("# source: GB/T 4754-2017")
    rows = load_wordings()
    words = [r["wording"] for r in rows]
    assert len(words) == len(set(words)) and len(words) >= 300 and all(len(w) >= 2 for w in words)
    groups = {r["wording"]: r["group"] for r in rows}
    for group, spec in json.loads((DATA / "names" / "industries.json").read_text(encoding="utf-8"))["groups"].items():
        assert all(groups[w] == group for w in spec["words"])
    assert all(r["gb4754"][:1].isupper() for r in rows)
    assert lexicon().group_labels["real_estate"] == "房地产"


def test_new_wordings_group() -> None:
    assert name_key(parse_name("广州市黄埔区云帆酒店管理有限公司")) == name_key(parse_name("广州云帆宾馆有限公司"))
    assert parse_name("广州市黄埔区云帆劳务派遣有限公司").industry_group == "human_resources"
