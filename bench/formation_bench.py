"""The formation flow through HTTP (the simulator's load mode, typed data, no photo uploads), side by side with a
trivial aiohttp handler on the same machine.

Run: .venv/bin/python -m bench.formation_bench [--seconds 15] [--concurrency 1,10,50] [--processes 1,2] [--postgres URL]
For each database (SQLite; PostgreSQL when given), each number of server processes (`WEB_PROCESSES`, PostgreSQL
only beyond one) and each number of concurrent applicants, a fresh Kaiban server forms companies for `--seconds`;
every licence is then verified on the ledger. The baseline is the same number of clients asking a one-line aiohttp
handler in its own process: the formation figures read as a fraction of the framework's ceiling.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import RESULTS, busy_share, cpu_times, fresh_postgres, machine, run_and_save, table
from bench.verify_bench import LOAD_PROFILE, RATE_LIMITS_NOTE, REPO, TRIVIAL_APP, _free_port, _wait, hammer

#: Complete formations a second the issue asks of this 2-core machine.
GOAL_PER_SECOND = 20.0
#: Endpoints held to the 500 ms goal rather than 100 ms (document rendering; photo uploads are not in the flow).
SLOW_ALLOWED = ("POST /api/v1/applications/{id}/documents",)


def start_server(database_url: str, var_dir: Path, port: int, *, processes: int, render: int) -> subprocess.Popen:
    """Migrate, then serve Kaiban with `processes` server processes and `render` render workers."""
    env = {**os.environ, "PORT": str(port), "VAR_DIR": str(var_dir), "DATABASE_URL": database_url,
           "PYTHONPATH": str(REPO), "WEB_PROCESSES": str(processes), "RENDER_PROCESSES": str(render), **LOAD_PROFILE}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    return subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def run_one(database_url: str, *, label: str, processes: int, applicants: int, seconds: float, work: Path,
                  render: int) -> dict:
    """One server, one load run: the load result's summary with the setting."""
    sys.path.insert(0, str(REPO / "miniprogram-mock"))
    from kaiban_mock.load import run_load

    port = _free_port()
    server = start_server(database_url, work / f"var-{label}-{processes}-{applicants}", port, processes=processes,
                          render=render)
    try:
        base = f"http://127.0.0.1:{port}"
        await _wait(base + "/readyz")
        await run_load(base_url=base, applicants=min(applicants, 4), seconds=2)  # warm-up: imports, caches, fonts
        started = cpu_times()
        result = await run_load(base_url=base, applicants=applicants, seconds=seconds)
        busy = busy_share(started, cpu_times())
    finally:
        server.terminate()
        server.wait(timeout=30)
    summary = result.summary()
    return {**summary, "database": label, "processes": processes, "cpu_busy": busy}


async def baseline(concurrency: int, seconds: float) -> float:
    """Requests a second of the trivial handler with `concurrency` clients."""
    port = _free_port()
    trivial = subprocess.Popen([sys.executable, "-c", TRIVIAL_APP, str(port)])
    try:
        await _wait(f"http://127.0.0.1:{port}/hello")
        per_second, _ = await hammer([f"http://127.0.0.1:{port}/hello"], seconds=seconds, concurrency=concurrency)
    finally:
        trivial.terminate()
        trivial.wait(timeout=20)
    return per_second


def _worst(endpoints: list[dict], *, slow: bool) -> str:
    rows = [e for e in endpoints if (e["endpoint"] in SLOW_ALLOWED) == slow]
    if not rows:
        return "-"
    top = max(rows, key=lambda e: e["p99_ms"])
    return f"{top['p99_ms']:.0f} ({top['endpoint'].replace('/api/v1/applications/{id}', '…')})"


async def main(args: argparse.Namespace) -> str:
    """Run the matrix; return the markdown section."""
    work = Path(tempfile.mkdtemp(prefix="kaiban-formation-"))
    concurrency = [int(c) for c in args.concurrency.split(",")]
    processes = [int(p) for p in args.processes.split(",")]
    databases = [("SQLite", lambda n: f"sqlite://{work / f'formation-{n}.sqlite3'}")]
    if args.postgres:
        async def pg(n: str) -> str:
            return await fresh_postgres(args.postgres, f"kaiban_bench_formation_{n}")
        databases.append(("PostgreSQL", pg))
    rows, runs, calls_per_formation = [], [], None
    for label, make_url in databases:
        for procs in processes:
            if procs > 1 and label == "SQLite":
                continue  # several processes want PostgreSQL (SQLite serialises every writer)
            for clients in concurrency:
                name = f"{procs}-{clients}"
                url = await make_url(name) if asyncio.iscoroutinefunction(make_url) else make_url(name)
                result = await run_one(url, label=label, processes=procs, applicants=clients, seconds=args.seconds,
                                       work=work, render=args.render_processes)
                calls = sum(e["calls"] for e in result["endpoints"])
                calls_per_formation = calls / max(1, result["formations"])
                ceiling = await baseline(clients, min(args.seconds, 5))
                runs.append(result | {"applicants": clients})
                rows.append([label, procs, clients, result["formations"], result["formations_per_second"],
                             f"{result['verified']}/{result['formations']}",
                             result["formations_per_second"] * calls_per_formation / ceiling,
                             f"{result['cpu_busy']:.0%}",
                             _worst(result["endpoints"], slow=False), _worst(result["endpoints"], slow=True)])
    command = (f"`.venv/bin/python -m bench.formation_bench --seconds {args.seconds:g} --concurrency {args.concurrency}"
               f" --processes {args.processes} --render-processes {args.render_processes}"
               + (" --postgres URL`" if args.postgres else "`"))
    return "\n".join([
        "## Formation flow through HTTP (load mode)",
        "",
        f"Machine: {machine()}.",
        f"Command: {command}, run {dt.date.today().isoformat()}; the load client runs on the same 2 cores.",
        "Each row is a fresh server and database: the simulator's applicants form sole-founder companies for the"
        " time given (identity with face checks, name, details, documents, signature, submission, licence), then"
        " every licence is verified on the ledger. 'Share of ceiling' is Kaiban's HTTP calls a second (formations/s"
        f" × {calls_per_formation or 0:.0f} calls a formation) over the trivial aiohttp handler's requests a second"
        " with as many clients. " + RATE_LIMITS_NOTE + " Goal: 20 formations a second, p99 under 100 ms on every endpoint but document rendering"
        " (500 ms). 'Machine CPU busy' is the share of both cores' time in use during the window (/proc/stat:"
        " server, render workers, PostgreSQL, the load client and anything else).",
        "",
        table(["database", "processes", "applicants", "formations", "formations/s", "verified", "share of ceiling",
               "machine CPU busy", "worst p99 ms, 100 ms goal", "documents p99 ms"], rows),
        "",
        verdict(runs, goal=GOAL_PER_SECOND),
        "",
        *endpoint_tables(runs),
    ])


def _ms(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def endpoint_tables(runs: list[dict]) -> list[str]:
    """Per database and number of processes: every endpoint's p50 / p95 / p99 ms at each number of applicants."""
    lines = []
    settings = sorted({(r["database"], r["processes"]) for r in runs}, key=lambda s: (s[0] != "SQLite", s[1]))
    for database, processes in settings:
        chosen = sorted((r for r in runs if (r["database"], r["processes"]) == (database, processes)),
                        key=lambda r: r["applicants"])
        cells = [{e["endpoint"]: e for e in r["endpoints"]} for r in chosen]
        names = sorted({name for cell in cells for name in cell},
                       key=lambda n: -max(cell[n]["p99_ms"] for cell in cells if n in cell))
        rows = [[name.replace("/api/v1/applications/{id}", "…"),
                 *[(" / ".join(_ms(c[name][k]) for k in ("p50_ms", "p95_ms", "p99_ms")) if name in c else "-")
                   for c in cells]] for name in names]
        lines += [f"Every endpoint, {database}, {_count(processes, 'process', 'processes')}: p50 / p95 / p99 ms"
                  " (slowest p99 first):", "",
                  table(["endpoint", *[_count(r["applicants"], "applicant", "applicants") for r in chosen]], rows), ""]
    return lines


def _p99(run: dict, *, slow: bool) -> float:
    return max((e["p99_ms"] for e in run["endpoints"] if (e["endpoint"] in SLOW_ALLOWED) == slow), default=0.0)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def verdict(runs: list[dict], *, goal: float) -> str:
    """The goals against the runs: met or by how much missed, and what a second process gave."""
    best = max(runs, key=lambda r: r["formations_per_second"])
    rate = best["formations_per_second"]
    where = (f"{best['database']}, {_count(best['processes'], 'process', 'processes')},"
             f" {_count(best['applicants'], 'applicant', 'applicants')}")
    said = [f"Throughput goal {'met' if rate >= goal else 'NOT met'}: {rate:.1f} formations a second at best ({where}),"
            f" against {goal:g}" + ("." if rate >= goal else f" ({rate / goal:.0%} of it; see the profile section"
                                    " for the CPU a formation costs and where it goes).")]
    single = [r for r in runs if r["applicants"] == 1]
    if single:
        fast, slow = max(_p99(r, slow=False) for r in single), max(_p99(r, slow=True) for r in single)
        said.append(f"One applicant at a time: worst p99 {fast:.0f} ms (goal 100 ms), documents {slow:.0f} ms"
                    f" (goal 500 ms): {'met' if fast < 100 and slow < 500 else 'NOT met'}.")
    loaded = [r for r in runs if r["applicants"] > 1]
    postgres = [r for r in loaded if r["database"] == "PostgreSQL"]
    if postgres:
        said.append(f"Under load (10 and more applicants) on PostgreSQL p99 rises to"
                    f" {max(_p99(r, slow=False) for r in postgres):.0f} ms with the cores"
                    f" {min(r['cpu_busy'] for r in postgres):.0%} to {max(r['cpu_busy'] for r in postgres):.0%} busy:"
                    " requests wait their turn for the two cores, which the load client shares.")
    sqlite = [r for r in loaded if r["database"] == "SQLite"]
    if sqlite and max(r["cpu_busy"] for r in sqlite) < 0.8:
        said.append(f"SQLite stays near {max(r['formations_per_second'] for r in sqlite):.1f} a second with the cores"
                    f" at most {max(r['cpu_busy'] for r in sqlite):.0%} busy: one writer at a time, each commit synced"
                    " to disk (synchronous=FULL), so it waits on the disk; it is the embedded default, PostgreSQL the"
                    " deployment.")
    for clients in sorted({r["applicants"] for r in runs}):
        pair = {r["processes"]: r for r in runs if r["database"] == "PostgreSQL" and r["applicants"] == clients}
        if 1 in pair and 2 in pair:
            one, two = pair[1]["formations_per_second"], pair[2]["formations_per_second"]
            said.append(f"Two server processes against one on PostgreSQL,"
                        f" {_count(clients, 'applicant', 'applicants')}: {two:.2f} vs"
                        f" {one:.2f} a second ({two / one - 1:+.0%}; machine CPU busy {pair[2]['cpu_busy']:.0%} vs"
                        f" {pair[1]['cpu_busy']:.0%}).")
    alone = {r["processes"]: r for r in runs if r["database"] == "PostgreSQL" and r["applicants"] == 1}
    if 1 in alone and 2 in alone and alone[2]["formations_per_second"] < 0.95 * alone[1]["formations_per_second"]:
        said.append("With one applicant, where the cores are not full, two processes are slower: more processes take"
                    " turns on two cores (in mock mode the fake WeChat platform then runs in a process of its own,"
                    " reached through a proxy hop, and each server process runs its own background loops: the ledger"
                    " sequencer and the outboxes); a deployment has no mock platform, and the rest was not measured"
                    " apart.")
    if any(r["processes"] == 2 and r["cpu_busy"] >= 0.95 for r in postgres):
        said.append("With two processes the cores are full: a second process gains only the share one left idle,"
                    " and more would add switching, not capacity, on this machine; on one with more cores (or"
                    " several machines) it is the way to grow (README, 'Running on more than one process').")
    return " ".join(said)


def cli() -> None:
    """Parse arguments, run, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--processes", default="1,2")
    parser.add_argument("--render-processes", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=RESULTS / "formation.md")
    run_and_save(main, parser.parse_args())


if __name__ == "__main__":
    cli()
