"""Drafting the documents of one formation: milliseconds to render each binding (zh-CN) PDF, in this process.

Run: .venv/bin/python -m bench.documents_bench [--rounds 30]
Two formations from the document tests: a sole founder (six documents with the shareholder decision) and two
shareholders, one of them a company, with a board, a separate manager and a supervisor (six with the resolution).
The baseline in the same run is the articles of association alone, the longest document. Each kind is rendered
once first (font loading and subsetting tables are warm), then `--rounds` times.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import time

from backend.adapters.documents import kinds_for, render
from bench.common import RESULTS, machine, summary_ms, table
from tests.adapters.documents.test_render import make_facts, two_shareholders_with_a_company


def main() -> None:
    """Measure and write bench/results/documents.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    rows = []
    for label, facts in (("sole founder", make_facts()), ("two shareholders, a company among them", two_shareholders_with_a_company())):
        kinds = kinds_for(facts)
        for kind in kinds:
            render(kind, facts)
        whole, articles = [], []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for kind in kinds:
                render(kind, facts)
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            render("articles_of_association", facts)
            articles.append(time.perf_counter() - start)
        a, b = summary_ms(whole), summary_ms(articles)
        rows.append([label, len(kinds), a["p50"], a["p99"], b["p50"], a["p50"] / b["p50"]])
    text = "\n".join([
        "## Documents of one formation",
        "",
        f"Machine: {machine()}.",
        f"Command: `.venv/bin/python -m bench.documents_bench --rounds {args.rounds}`, run {dt.date.today().isoformat()}, "
        f"load average {os.getloadavg()[0]:.1f} at the end (other work shared the 2 cores: p99 is noisy).",
        "Every binding (zh-CN) PDF of one formation rendered in one thread of this process; the baseline is the "
        "articles of association alone (the longest); the ratio is all documents / articles. The documents step runs "
        "these in the render workers (`RENDER_PROCESSES`) in parallel.",
        "",
        table(["formation", "documents", "all p50 ms", "all p99 ms", "articles alone p50 ms", "ratio"], rows),
    ])
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "documents.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
