"""Scope recommender: recall@5 on the labelled descriptions (bench/data/scope), per language, all and held-out.

Run: `.venv/bin/python bench/scope_bench.py` (writes bench/results/scope.md); `--show-misses` lists the misses of the
development part (never of the held-out part, which is not used for tuning).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.domain.scope import ScopeIndex, default_catalogue  # noqa: E402
from bench.common import RESULTS, machine  # noqa: E402

DATA = ROOT / "bench" / "data" / "scope"
LANGUAGES = ("zh-Hans", "zh-Hant", "en")
K = 5


def load(name: str) -> list[dict]:
    """The labelled descriptions of one part."""
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def recall_at_k(index: ScopeIndex, case: dict, k: int = K) -> tuple[float, list[str]]:
    """Recall@k of one description (expected wordings found / min(expected, k)) and the missed wordings."""
    catalogue = index.catalogue
    expected = list(dict.fromkeys(catalogue.get(i).name for i in case["relevant"]))
    found = [r.item.name for r in index.rank(case["text"], limit=k)]
    hits = [w for w in expected if w in found]
    return len(hits) / min(len(expected), k), [w for w in expected if w not in found]


def table(index: ScopeIndex, parts: dict[str, list[dict]]) -> tuple[list[str], dict]:
    """Markdown rows of recall@5 per part and language."""
    rows = ["| part | language | descriptions | recall@5 |", "|---|---|---:|---:|"]
    figures = {}
    for part, cases in parts.items():
        for lang in (*LANGUAGES, "all"):
            chosen = [c for c in cases if lang == "all" or c["lang"] == lang]
            value = sum(recall_at_k(index, c)[0] for c in chosen) / len(chosen)
            figures[(part, lang)] = value
            rows.append(f"| {part} | {lang} | {len(chosen)} | {value:.3f} |")
    return rows, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    index = ScopeIndex(default_catalogue())
    build_s = time.perf_counter() - started
    dev, heldout = load("dev.jsonl"), load("heldout.jsonl")
    parts = {"all": dev + heldout, "held-out": heldout, "development": dev}
    rows, figures = table(index, parts)
    started = time.perf_counter()
    for case in dev + heldout:
        index.rank(case["text"])
    per_query_ms = (time.perf_counter() - started) * 1000 / len(dev + heldout)
    print("\n".join(rows))
    print(f"index build {build_s:.2f} s, {per_query_ms:.1f} ms a description")
    if args.show_misses:
        for case in dev:
            value, missed = recall_at_k(index, case)
            if missed:
                top = [r.item.name for r in index.rank(case["text"], limit=K)]
                print(f"{value:.2f} {case['text']} | missed {missed} | top {top}")
    if args.no_write:
        return
    catalogue = default_catalogue()
    text = "\n".join([
        "# Business scope recommender: recall@5",
        "",
        f"Command: `.venv/bin/python bench/scope_bench.py` ({dt.date.today().isoformat()}, {machine()}).",
        "",
        f"Catalogue: {len(catalogue.items)} items, {len(catalogue.wordings)} distinct wordings "
        f"(`backend/data/scope/catalogue.txt`). Labelled descriptions: `bench/data/scope/` "
        f"({len(dev) + len(heldout)}: {len(heldout)} held out, committed in b626588 before the ranker existed and "
        "never used for tuning; the development part was used to tune keywords and weights).",
        "Method: jieba (search mode, catalogue words added) + CJK bigrams, BM25 (rank_bm25 Okapi) over each item's "
        "wording and Simplified / Traditional (OpenCC tw2sp) / English keywords; one result per wording.",
        "Recall@5 of a description = expected wordings among the first 5 / min(expected, 5); mean over descriptions.",
        "",
        *rows,
        "",
        f"Index build {build_s:.2f} s (once per process); {per_query_ms:.1f} ms a description on average.",
        "",
    ])
    (RESULTS / "scope.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
