"""Before and after the profile's fixes (issue #10, point 7): the same formation load against a baseline revision
and the working tree, side by side in one run, with the CPU each side spends on a formation and where.

Run: .venv/bin/python -m bench.profile_bench --postgres URL [--baseline REV] [--applicants 10] [--seconds 15]
     [--rounds 2]
The baseline revision is checked out once under `var/bench/` (a detached git worktree) and runs with this
virtual environment's packages. Rounds alternate baseline and current (ABAB...), each on a fresh server and
database, so a change in the machine's load hits both sides alike; medians are quoted. CPU is read from /proc for
the server's process tree (the server, its fake WeChat platform and its render workers), the PostgreSQL backends of
that round's database and the load client; 'PostgreSQL transactions' are its committed and rolled-back
transactions (every statement outside a transaction is one) from pg_stat_database. With py-spy installed (the
`bench` extra) one more round a side runs sampled (`bench.sampling`), for where the time goes.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench import sampling
from bench.common import RESULTS, fresh_postgres, machine, run_and_save, table
from bench.verify_bench import LOAD_PROFILE, REPO, _free_port, _wait

#: The last commit before the profile's fixes.
BASELINE = "53e428a"
#: What changed between BASELINE and the fixes, for the report (what the profile of the load run showed, and the fix).
FIXES = (
    "asyncpg's pool sent a reset query on every release of a connection (a round trip each transaction): released"
    " as they are now (`reset=keep_session`; the service keeps no session state);",
    "the ledger sequencer asked for every record whether it was sequenced yet and locked the head twice: it keeps the"
    " indexes it gave, locks once, and on PostgreSQL appends entries, hashes, record indexes and the head's"
    " compare-and-set in one statement (data-modifying CTEs);",
    "the mock clock read its offset from the database on every request: one stat() of a stamp file;",
    "every request verified its access token's signature: once a token (an LRU), its time claims on every use;",
    "the PAdES signature of the articles ran on the event loop with a dry run to size its CMS: in the render workers,"
    " with a fixed reserved space (about 20 to 10 ms);",
    "the application view read its six parts one after another and the licence before there was one: side by side,"
    " the licence only once licensed;",
    "the six documents were six render tasks (the facts pickled and sent six times): one task a worker;",
    "reportlab ran without its C accelerators: `rl_accel`; the render workers start warm before the server is ready.",
)
#: Tried on the way and not kept: what it changed.
TRIED = (
    "PostgreSQL over its Unix socket rather than TCP on 127.0.0.1: no measurable change;",
    "asyncpg's statement cache at 512 rather than 100: no change (its misses are each pooled connection's first"
    " preparation of a query, about 90 queries times 10 connections, not evictions);",
    "a lower zlib level and no ASCII85 in the PDFs: at most a tenth of the rendering time, for larger files.",
)
TICKS = os.sysconf("SC_CLK_TCK")
GROUPS = ("server", "render workers", "PostgreSQL", "load client")


def checkout(rev: str) -> Path:
    """A detached worktree of `rev` under var/bench (made once, then reused)."""
    tree = REPO / "var" / "bench" / f"baseline-{rev}"
    if not (tree / "backend").is_dir():
        tree.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", "--force", str(tree), rev], cwd=REPO, check=True,
                       capture_output=True)
    return tree


def _processes() -> dict[int, tuple[str, float, int]]:
    """Every process: (command line, CPU seconds, parent pid)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline", "rb") as cmd:
                fields = stat.read().rsplit(")", 1)[1].split()
                command = cmd.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found[int(entry)] = (command, (int(fields[11]) + int(fields[12])) / TICKS, int(fields[1]))
    return found


def _group(pid: int, command: str, *, tree: set[int], database: str) -> str | None:
    if pid == os.getpid():
        return "load client"
    if command.startswith("postgres:"):
        return "PostgreSQL" if f" {database} " in command else None
    if pid not in tree:
        return None
    return "render workers" if "multiprocessing" in command else "server"


def _descendants(root: int, snapshot: dict[int, tuple[str, float, int]]) -> set[int]:
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, (_, _, parent) in snapshot.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree


def _start_sampling(server: int, snapshot: dict[int, tuple[str, float, int]], *, seconds: float, out: Path) -> list:
    """py-spy on the server and on each render worker, for `seconds`."""
    out.mkdir(parents=True, exist_ok=True)
    workers = [pid for pid in _descendants(server, snapshot) - {server} if "multiprocessing" in snapshot[pid][0]]
    return [sampling.start(server, seconds=seconds, out=out / "server.txt")] + [
        sampling.start(pid, seconds=seconds, out=out / f"render-{pid}.txt") for pid in workers]


async def _transactions(url: str, database: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetchval("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1",
                                   database)
    finally:
        await conn.close()


async def one_round(tree: Path, *, postgres: str, applicants: int, seconds: float, label: str,
                    profile_dir: Path | None = None) -> dict:
    """One fresh server of `tree` under load: formations/s and CPU ms a formation by group; with `profile_dir`, py-spy
    samples the server and its render workers meanwhile (server.txt, render-PID.txt there)."""
    sys.path.insert(0, str(REPO / "miniprogram-mock"))
    from kaiban_mock.load import run_load

    database = f"kaiban_bench_profile_{label}"
    url = await fresh_postgres(postgres, database)
    port = _free_port()
    var = Path(tempfile.mkdtemp(prefix=f"kaiban-profile-{label}-"))
    env = {**os.environ, "PORT": str(port), "VAR_DIR": str(var), "DATABASE_URL": url, "PYTHONPATH": str(tree),
           "WEB_PROCESSES": "1", "RENDER_PROCESSES": "2", **LOAD_PROFILE}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=tree, check=True, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=tree,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        await _wait(base + "/readyz")
        await run_load(base_url=base, applicants=min(applicants, 4), seconds=2)  # warm-up: imports, fonts, pools
        before, xacts = _processes(), await _transactions(postgres, database)
        spies = _start_sampling(server.pid, before, seconds=seconds, out=profile_dir) if profile_dir else []
        started = time.monotonic()
        result = await run_load(base_url=base, applicants=applicants, seconds=seconds)
        wall = time.monotonic() - started
        for spy in spies:
            spy.wait(timeout=60)
        after, xacts = _processes(), await _transactions(postgres, database) - xacts
    finally:
        server.terminate()
        server.wait(timeout=30)
    if not result.ok:
        raise RuntimeError(f"{label}: the load run failed: {result.summary()['failures']}")
    tree_pids = _descendants(server.pid, after) | _descendants(server.pid, before)
    cpu: dict[str, float] = defaultdict(float)
    for pid, (command, seconds_used, _) in after.items():
        group = _group(pid, command, tree=tree_pids, database=database)
        if group is not None:
            cpu[group] += seconds_used - before.get(pid, (command, 0.0, 0))[1]
    formations = len(result.formations)
    return {"per_second": formations / wall, "formations": formations, "round_trips": xacts / formations,
            **{group: cpu[group] * 1000 / formations for group in GROUPS}}


async def main(args: argparse.Namespace) -> str:
    """Alternate baseline and current rounds; return the markdown section."""
    baseline_tree = checkout(args.baseline)
    sides = {"baseline": baseline_tree, "current": REPO}
    rounds: dict[str, list[dict]] = {"baseline": [], "current": []}
    for number in range(args.rounds):
        for side, tree in sides.items():
            rounds[side].append(await one_round(tree, postgres=args.postgres, applicants=args.applicants,
                                                seconds=args.seconds, label=f"{side}_{number}"))

    profiles = await _profiles(sides, args) if sampling.available() else None

    def median(side: str, key: str) -> float:
        return statistics.median(r[key] for r in rounds[side])

    rows = []
    for key, label in [("per_second", "formations a second"), ("round_trips", "PostgreSQL transactions a formation"),
                       *[(g, f"CPU ms a formation: {g}") for g in GROUPS]]:
        old, new = median("baseline", key), median("current", key)
        rows.append([label, old, new, new / old if old else 0.0])
    total_old = sum(median("baseline", g) for g in GROUPS)
    total_new = sum(median("current", g) for g in GROUPS)
    rows.append(["CPU ms a formation: all", total_old, total_new, total_new / total_old])
    history = (["What the profile showed and what was fixed since " + args.baseline + ":", "",
                *[f"- {fix}" for fix in FIXES], "", "Tried and not kept:", "", *[f"- {t}" for t in TRIED], ""]
               if args.baseline == BASELINE else [])
    if profiles and all(server.samples for server, _ in profiles.values()):
        sampled = _profile_sections(
            profiles, args, server_ms=(median("baseline", "server"), median("current", "server")),
            render_ms=(median("baseline", "render workers"), median("current", "render workers")))
    else:
        sampled = [_no_profile(profiles), ""]
    command = (f"`.venv/bin/python -m bench.profile_bench --postgres URL --baseline {args.baseline} --applicants "
               f"{args.applicants} --seconds {args.seconds:g} --rounds {args.rounds}`")
    return "\n".join([
        "## Profile of the formation flow: before and after (issue #10, point 7)",
        "",
        f"Machine: {machine()}.",
        f"Command: {command}, run {dt.date.today().isoformat()}, load average {os.getloadavg()[0]:.1f} at the end.",
        f"The same load ({args.applicants} simulated applicants forming sole-founder companies, one server process,"
        f" two render workers, PostgreSQL) against revision {args.baseline} (before) and the working tree (after),"
        f" alternating for {args.rounds} rounds each; medians. The ratio is after / before (above 1 is better for"
        " formations, below 1 for costs). Both sides use the same installed packages.",
        "",
        table(["measure", "before", "after", "ratio"], rows),
        "",
        _budget(total_new, args.goal),
        "",
        *history,
        *sampled,
    ])


def _no_profile(profiles: dict | None) -> str:
    if profiles is None:
        return "(py-spy is not installed, so no sampling profile: `pip install -e '.[bench]'`.)"
    return ("(py-spy took no samples of the server: it needs to ptrace the server's process, as root or with"
            " CAP_SYS_PTRACE, or kernel.yama.ptrace_scope=0.)")


def _budget(cpu_ms: float, goal: float) -> str:
    cores = os.cpu_count() or 1
    return (f"CPU budget: {goal:g} formations a second on {cores} cores leave {cores * 1000 / goal:.0f} ms of CPU a"
            f" formation for everything on the machine (server, render workers, PostgreSQL and the load client);"
            f" after the fixes a formation takes {cpu_ms:.0f} ms, so this machine tops out near"
            f" {cores * 1000 / cpu_ms:.1f} formations a second with every core busy, whatever the concurrency.")


async def _profiles(sides: dict[str, Path], args: argparse.Namespace) -> dict[str, tuple]:
    """One more round a side with py-spy attached (its figures are not in the medians): (server, render workers)."""
    found = {}
    for side, tree in sides.items():
        out = REPO / "var" / "bench" / f"profile-{side}"
        for old in [*out.glob("*.txt"), *out.glob("*.log")]:
            old.unlink()
        await one_round(tree, postgres=args.postgres, applicants=args.applicants, seconds=args.seconds,
                        label=f"{side}_sampled", profile_dir=out)
        found[side] = (sampling.summarize([out / "server.txt"]), sampling.summarize(sorted(out.glob("render-*.txt"))))
    return found


def _profile_sections(profiles: dict[str, tuple], args: argparse.Namespace, *, server_ms: tuple[float, float],
                      render_ms: tuple[float, float]) -> list[str]:
    (server_before, render_before), (server_after, render_after) = profiles["baseline"], profiles["current"]
    columns = ["before, share", "before, ms a formation", "after, share", "after, ms a formation"]
    return [
        f"Sampling profile (py-spy, 200 Hz, one more round a side of {args.seconds:g} s, not in the medians):"
        " shares of busy samples, each frame stack given to the innermost part it runs in; 'ms a formation' is the"
        " share of the process group's median CPU a formation above.",
        "",
        "Where the server process's busy time goes:",
        "",
        table(["part", *columns], sampling.shares_table(server_before, server_after, of="parts", cpu_ms=server_ms)),
        "",
        "The server's busiest handlers (busy time spent under each, its queries included; reads a handler runs side"
        " by side with asyncio.gather are tasks of their own and count under none, as do response writes):",
        "",
        table(["handler", *columns],
              sampling.shares_table(server_before, server_after, of="handlers", cpu_ms=server_ms)[:10]),
        "",
        "Where the render workers' busy time goes:",
        "",
        table(["part", *columns], sampling.shares_table(render_before, render_after, of="parts", cpu_ms=render_ms)),
        "",
    ]


def cli() -> None:
    """Parse arguments, run, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"), required=False)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--applicants", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--goal", type=float, default=20.0, help="formations a second the issue asks for")
    parser.add_argument("--out", type=Path, default=RESULTS / "profile.md")
    args = parser.parse_args()
    if not args.postgres:
        parser.error("--postgres URL (or BENCH_POSTGRES_URL) is needed: the profile is of the PostgreSQL deployment")
    run_and_save(main, args)


if __name__ == "__main__":
    cli()
