"""Name-check benchmark: registry load time, memory and check latency (indexed vs brute force) at 10k/100k/1M names.

Run: `.venv/bin/python bench/names_bench.py` (writes bench/results/names.md); `--sizes 10000,100000` for a quick run.
Each size runs in its own process so memory figures do not mix.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backend.domain.name_registry.conflicts import brute_force_conflicts  # noqa: E402
from backend.domain.name_registry.search import SHOWN_CONFLICTS, find_conflicts, search_conflicts  # noqa: E402
from backend.domain.name_registry.generator import generate_rows, trade_name_chars  # noqa: E402
from backend.domain.name_registry.loader import load_csv, write_csv  # noqa: E402
from backend.domain.name_registry.registry import trade_sound  # noqa: E402
from backend.domain.name_lexicon import lexicon  # noqa: E402
from backend.domain.names import check_name, parse_name  # noqa: E402

TODAY = dt.date(2025, 12, 1)
FIXTURES = ROOT / "var" / "bench" / "names"
GOALS = "p99 ≤ 10 ms at 1M names, load ≤ 60 s, memory ≤ 1 GB (2 cores)"


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _check(name: str, registry, mode: str) -> int:
    findings = check_name(name)
    parsed = parse_name(name)
    if mode == "brute":
        return len(findings) + len(brute_force_conflicts(parsed, registry=registry, today=TODAY))
    if mode == "all":
        return len(findings) + len(find_conflicts(parsed, registry=registry, today=TODAY))
    found = search_conflicts(parsed, registry=registry, today=TODAY, limit=SHOWN_CONFLICTS)
    return len(findings) + found.total


def _queries(registry, rng: random.Random, count: int) -> dict[str, list[str]]:
    words = sorted(w for w in lexicon().industry_words)
    chars = "".join(trade_name_chars().values())
    counts = registry.trade_counts()
    trades = sorted(counts)
    top = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]]
    groups = sorted(registry.sound_groups().values(), key=lambda g: (-len(g), sorted(g)))[:5]
    sounding = sorted(t for g in groups for t in g)

    def name(trade: str, industry: str) -> str:
        return f"广州市黄埔区{trade}{industry}有限公司"

    random_names = [name(rng.choice(trades) if rng.random() < 0.5 else "".join(rng.sample(chars, 2)),
                         rng.choice(words)) for _ in range(count)]
    hard = [name(rng.choice(top) if rng.random() < 0.5 else rng.choice(sounding), rng.choice(words))
            for _ in range(count)]
    no_industry = [name(rng.choice(top) if rng.random() < 0.5 else rng.choice(sounding), "实业")
                   for _ in range(count)]
    return {"random": random_names, "hard": hard, "hard_no_industry": no_industry}


def _latency(names: list[str], registry, mode: str) -> dict[str, float]:
    times, cpu = [], []
    for query in names:
        start, start_cpu = time.perf_counter(), time.thread_time()
        _check(query, registry, mode)
        cpu.append((time.thread_time() - start_cpu) * 1000)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    cpu.sort()
    p99 = min(len(times) - 1, int(len(times) * 0.99))
    return {"n": len(times), "p50": statistics.median(times), "p99": times[p99],
            "cpu_p50": statistics.median(cpu), "cpu_p99": cpu[p99]}


def registry_fixture(size: int, seed: int) -> tuple[Path, float | None]:
    """The generated register of `size` names (same seed, same names), made once under var/bench/names and reused:
    its path and the seconds it took to make, None when it was there already."""
    path = FIXTURES / f"registry-{size}-seed{seed}-{TODAY.isoformat()}.csv"
    if path.exists():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="", dir=path.parent, delete=False) as handle:
        write_csv(handle, ((r.name, r.status, r.status_date, r.uscc)
                           for r in generate_rows(count=size, seed=seed, today=TODAY)))
    os.replace(handle.name, path)  # whole or not at all: a cut run leaves no half register to reuse
    return path, time.perf_counter() - start


def run_one(size: int, seed: int, queries: int, brute_queries: int) -> dict:
    """Generate, load and query one registry size; returns the figures."""
    path, generated = registry_fixture(size, seed)
    check_name("广州市黄埔区云帆科技有限公司")  # load word lists and pinyin before measuring
    trade_sound("云帆")
    gc.collect()
    before = _rss_mb()
    start, start_cpu = time.perf_counter(), time.process_time()
    with path.open(encoding="utf-8", newline="") as handle:
        registry = load_csv(handle)
    loaded, loaded_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    gc.freeze()  # as the service does once the register is loaded (NameEngine.load)
    gc.collect()
    memory = _rss_mb() - before
    rng = random.Random(seed)
    sets = _queries(registry, rng, queries)
    load_before = os.getloadavg()[0]
    result = {"size": size, "names": len(registry), "generate_s": generated, "load_s": loaded, "load_cpu_s": loaded_cpu,
              "memory_mb": memory, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
              "top_trade_names": max(registry.trade_counts().values()),
              "biggest_sound_group": max(len(g) for g in registry.sound_groups().values()), "latency": {}}
    for label, names in sets.items():
        result["latency"][label] = {"indexed": _latency(names, registry, "shown"),
                                    "all": _latency(names, registry, "all"),
                                    "brute": _latency(names[:brute_queries], registry, "brute")}
    result["loadavg"] = [load_before, os.getloadavg()[0]]  # other work on the machine skews the figures
    return result


def table(results: list[dict], command: str) -> str:
    """The markdown report."""
    lines = [
        "# Name check benchmark", "",
        f"Command: `{command}`  ",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.system()}; "
        f"date {dt.date.today().isoformat()}. Goals: {GOALS}.  ",
        "Latency is one full check: `check_name` + `parse_name` + conflict search. Indexed: `search_conflicts` as "
        f"the service calls it (the {SHOWN_CONFLICTS} most serious conflicts built, every conflict counted by match "
        "type); indexed, all: `find_conflicts`, every conflict built and ranked; brute: `brute_force_conflicts`, "
        "a linear scan of the same registry (every conflict). Load: reading the CSV into the indexed registry "
        "(parse of every name included). Random: existing or new 字号 with any "
        "industry; hard: the 20 commonest 字号 and the 5 biggest homophone groups, with an industry; "
        "hard_no_industry: the same 字号 with 实业 (no industry words: every name of the 字号 conflicts).  ",
        "Machine load (1-minute load average before/after the queries of each size): "
        + ", ".join(f"{r['names']:,}: {r['loadavg'][0]:.1f}/{r['loadavg'][1]:.1f}" for r in results)
        + " — above 2 on 2 cores means other processes shared the CPUs: wall-clock figures are then pessimistic, "
        "and the CPU-time columns (thread CPU time per check, process CPU time of the load) show what the code "
        "itself costs, which is the wall-clock time on an idle machine (single-threaded).", "",
        "| names | load s (wall / CPU) | memory MB (RSS Δ) | top 字号 names | biggest homophone group | queries | "
        "indexed p50 ms | indexed p99 ms | indexed p99 ms CPU | indexed, all p50 ms | indexed, all p99 ms | "
        "indexed, all p99 ms CPU | brute n | brute p50 ms | brute p99 ms |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for label, lat in r["latency"].items():
            ix, al, br = lat["indexed"], lat["all"], lat["brute"]
            lines.append(
                f"| {r['names']:,} | {r['load_s']:.1f} / {r['load_cpu_s']:.1f} | {r['memory_mb']:.0f} | "
                f"{r['top_trade_names']:,} | {r['biggest_sound_group']} | {label} (n={ix['n']}) | {ix['p50']:.2f} | "
                f"{ix['p99']:.2f} | {ix['cpu_p99']:.2f} | {al['p50']:.2f} | {al['p99']:.2f} | {al['cpu_p99']:.2f} | "
                f"{br['n']} | {br['p50']:.1f} | {br['p99']:.1f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    """Run every size in a child process and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "names.md"))
    args = parser.parse_args()
    if args.one:
        brute = 20 if args.one >= 1_000_000 else 50
        print(json.dumps(run_one(args.one, args.seed, args.queries, brute)))
        return 0
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        child = subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed),
                                "--queries", str(args.queries)], capture_output=True, text=True, check=True)
        results.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"{size:,} names: load {results[-1]['load_s']:.1f} s, memory {results[-1]['memory_mb']:.0f} MB",
              file=sys.stderr)
    command = "python bench/names_bench.py" + ("" if args.sizes == "10000,100000,1000000" else f" --sizes {args.sizes}")
    report = table(results, command)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
