"""Ledger benchmark, side by side with pymerkle 7 on the same workload and the same SQLite settings.

Run: .venv/bin/python -m bench.ledger_bench [--seconds 60] [--proof-size 1000000] [--postgres URL]
Figures: durable appends per second (each batch acknowledged only after its commit with synchronous=FULL), the
full writing path (use-case transactions + sequencer), inclusion-proof latency at --proof-size entries in the
storage layer and through HTTP, and the full audit of the stored log.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from tortoise.transactions import in_transaction

from backend.app import create_app
from backend.db import apply_migrations, close_database, open_database
from backend.ledger.checkpoint import signer_from_seed
from backend.ledger.sequencer import Sequencer
from backend.ledger.store import LedgerStore
from backend.models import LedgerRecord
from backend.services.transactions import atomic, note_record
from backend.settings import Settings
from bench.common import RESULTS, Stopwatch, fresh_postgres, machine, summary_ms, table, run_and_save

ORIGIN = "bench.log"
SEED = b"\x07" * 32


def _store() -> LedgerStore:
    return LedgerStore(signers=[signer_from_seed(ORIGIN, SEED)], origin=ORIGIN)


def _leaves(start: int, count: int) -> list[bytes]:
    return [b'{"v":1,"type":"bench","n":%d,"pad":"%s"}' % (i, b"x" * 64) for i in range(start, start + count)]


async def store_appends(url: str, *, seconds: float, batch: int) -> float:
    """Sustained appends per second through LedgerStore.append, one transaction per batch."""
    await apply_migrations(url)
    await open_database(url)
    try:
        store = _store()
        await store.ensure_head()
        done, clock = 0, Stopwatch()
        while clock.elapsed < seconds:
            async with in_transaction() as conn:
                await store.append(_leaves(done, batch), conn=conn)
            done += batch
        return done / clock.elapsed
    finally:
        await close_database()


async def outbox_path(url: str, *, seconds: float, writers: int) -> float:
    """Records per second through the whole writing path: each writer commits its record, then waits for its index."""
    await apply_migrations(url)
    await open_database(url)
    try:
        store = _store()
        await store.ensure_head()
        sequencer = Sequencer(store=store)
        counter = [0]
        clock = Stopwatch()

        async def writer() -> None:
            while clock.elapsed < seconds:
                n = counter[0] = counter[0] + 1

                async def use_case(conn, n=n):
                    record = await LedgerRecord.create(
                        step="bench", leaf=_leaves(n, 1)[0], created_at=dt.datetime.now(dt.timezone.utc), using_db=conn
                    )
                    note_record(sequencer, record.id)

                await atomic(use_case)

        await asyncio.gather(*(writer() for _ in range(writers)))
        sequenced = await LedgerRecord.filter(ledger_index__isnull=False).count()
        return sequenced / clock.elapsed
    finally:
        await close_database()


def pymerkle_appends(path: Path, *, seconds: float, batch: int) -> float:
    """The same workload on pymerkle's SqliteTree with the same pragmas (WAL, synchronous=FULL)."""
    from pymerkle import SqliteTree

    tree = SqliteTree(str(path))
    tree.con.execute("PRAGMA journal_mode=WAL")
    tree.con.execute("PRAGMA synchronous=FULL")
    done, clock = 0, Stopwatch()
    while clock.elapsed < seconds:
        tree.append_entries(_leaves(done, batch))
        done += batch
    tree.close()
    return done / clock.elapsed


async def build_store(url: str, *, size: int, batch: int = 20000) -> float:
    """Fill a fresh log with `size` entries; return seconds taken."""
    await apply_migrations(url)
    await open_database(url)
    try:
        store = _store()
        await store.ensure_head()
        clock = Stopwatch()
        for start in range(0, size, batch):
            async with in_transaction() as conn:
                await store.append(_leaves(start, min(batch, size - start)), conn=conn)
        return clock.elapsed
    finally:
        await close_database()


async def store_proofs(url: str, *, size: int, samples: int) -> list[float]:
    """Latencies of inclusion proofs read from the store at tree size `size`."""
    await open_database(url)
    try:
        store, rng, out = _store(), random.Random(1), []
        for _ in range(samples):
            index = rng.randrange(size)
            start = time.perf_counter()
            await store.inclusion_proof(index=index, size=size)
            out.append(time.perf_counter() - start)
        return out
    finally:
        await close_database()


def pymerkle_proofs(path: Path, *, size: int, samples: int) -> tuple[float, list[float]]:
    """Build a pymerkle SqliteTree of `size` entries, then time inclusion proofs; return (build seconds, latencies)."""
    from pymerkle import SqliteTree

    tree = SqliteTree(str(path))
    clock = Stopwatch()
    for start in range(0, size, 100_000):
        tree.append_entries(_leaves(start, min(100_000, size - start)))
    build = clock.elapsed
    rng, out = random.Random(1), []
    for _ in range(samples):
        index = rng.randrange(size) + 1  # pymerkle counts leaves from 1
        start = time.perf_counter()
        tree.prove_inclusion(index, size)
        out.append(time.perf_counter() - start)
    tree.close()
    return build, out


async def http_proofs(url: str, *, size: int, samples: int, var_dir: Path) -> list[float]:
    """Latencies of GET /api/v1/ledger/proofs/inclusion against a server on the same database."""
    settings = Settings(database_url=url, var_dir=var_dir, port=0)
    server = TestServer(create_app(settings))
    await server.start_server()
    try:
        rng, out = random.Random(2), []
        async with aiohttp.ClientSession() as session:
            for _ in range(samples):
                index = rng.randrange(size)
                start = time.perf_counter()
                async with session.get(server.make_url(f"/api/v1/ledger/proofs/inclusion?index={index}&size={size}")) as r:
                    assert r.status == 200, await r.text()
                    await r.read()
                out.append(time.perf_counter() - start)
        return out
    finally:
        await server.close()


async def audit_seconds(url: str) -> tuple[float, str] | None:
    """Seconds for a full audit of the stored log, and its verdict (None when the audit module is absent)."""
    try:
        from backend.ledger.audit import audit_log
    except ImportError:
        return None
    await open_database(url)
    try:
        clock = Stopwatch()
        report = await audit_log(origin=ORIGIN, log_keys=[signer_from_seed(ORIGIN, SEED).verifier_key()])
        return clock.elapsed, str(getattr(report, "ok", report))
    finally:
        await close_database()


async def main(args: argparse.Namespace) -> str:
    """Run every measurement; return the markdown report."""
    work = Path(tempfile.mkdtemp(prefix="kaiban-bench-"))
    rows = []
    ours = await store_appends(f"sqlite://{work / 'appends.sqlite3'}", seconds=args.seconds, batch=args.batch)
    theirs = await asyncio.to_thread(pymerkle_appends, work / "pymerkle-appends.db", seconds=args.seconds, batch=args.batch)
    rows.append(["durable appends/s, SQLite, batches of %d, %g s" % (args.batch, args.seconds), ours, theirs, ours / theirs])
    outbox = await outbox_path(f"sqlite://{work / 'outbox.sqlite3'}", seconds=min(args.seconds, 20), writers=64)
    rows.append(["records/s through use-case commits + sequencer, SQLite, 64 writers", outbox, "n/a", "n/a"])
    if args.postgres:
        pg = await store_appends(await fresh_postgres(args.postgres, "kaiban_bench_appends"), seconds=args.seconds, batch=args.batch)
        rows.append(["durable appends/s, PostgreSQL, batches of %d" % args.batch, pg, "n/a", "n/a"])
        pg_outbox = await outbox_path(await fresh_postgres(args.postgres, "kaiban_bench_outbox"), seconds=min(args.seconds, 20), writers=64)
        rows.append(["records/s through use-case commits + sequencer, PostgreSQL, 64 writers", pg_outbox, "n/a", "n/a"])

    big = f"sqlite://{work / 'proofs.sqlite3'}"
    build = await build_store(big, size=args.proof_size)
    pm_build, pm = await asyncio.to_thread(pymerkle_proofs, work / "pymerkle-proofs.db", size=args.proof_size, samples=args.pymerkle_samples)
    ours_p = summary_ms(await store_proofs(big, size=args.proof_size, samples=args.samples))
    theirs_p = summary_ms(pm)
    http_p = summary_ms(await http_proofs(big, size=args.proof_size, samples=args.samples, var_dir=work / "var"))
    rows.append([f"build {args.proof_size:,} entries, s", build, pm_build, build / pm_build])
    for q in ("p50", "p99"):
        rows.append([f"inclusion proof at {args.proof_size:,}, storage layer, {q} ms", ours_p[q], theirs_p[q], ours_p[q] / theirs_p[q]])
    for q in ("p50", "p99"):
        rows.append([f"inclusion proof at {args.proof_size:,}, through HTTP, {q} ms", http_p[q], "n/a", "n/a"])
    audited = await audit_seconds(big)
    if audited is not None:
        rows.append([f"full audit of {args.proof_size:,} entries, s (verdict: {audited[1]})", audited[0], "n/a", "n/a"])
    goals = goal_lines(appends=ours, seconds=args.seconds, proof_p99=ours_p["p99"], size=args.proof_size,
                       audit=audited[0] if audited else None)
    return "\n".join([
        "## Ledger",
        "",
        f"Machine: {machine()}.",
        f"Command: `.venv/bin/python -m bench.ledger_bench --seconds {args.seconds:g} --proof-size {args.proof_size}"
        + (" --postgres URL`" if args.postgres else "`") + f", run {dt.date.today().isoformat()}.",
        "Both sides on SQLite with journal_mode=WAL and synchronous=FULL; the ratio is Kaiban / pymerkle 7.0.0"
        " (above 1 is better for rates, below 1 is better for times).",
        "",
        table(["measure", "Kaiban", "pymerkle 7", "ratio"], rows),
        "",
        *goals,
        "",
    ])


def goal_lines(*, appends: float, seconds: float, proof_p99: float, size: int, audit: float | None) -> list[str]:
    """The issue's goals, each with the figure measured and whether it was met."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines = [
        "Goals (2-core machine):",
        f"- at least 5,000 durable appends/s sustained for 60 s on SQLite: {appends:,.0f}/s over {seconds:g} s,"
        f" {verdict(appends >= 5000 and seconds >= 60)};",
        f"- inclusion proof p99 at or below 1 ms at 1,000,000 entries in the storage layer: {proof_p99:.2f} ms at"
        f" {size:,}, {verdict(proof_p99 <= 1.0 and size >= 1_000_000)};",
    ]
    if audit is not None:
        lines.append(f"- full audit of 1,000,000 entries at or below 60 s: {audit:.1f} s at {size:,},"
                     f" {verdict(audit <= 60 and size >= 1_000_000)}.")
    return lines


def cli() -> None:
    """Parse arguments, run, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--proof-size", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--pymerkle-samples", type=int, default=300)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=RESULTS / "ledger.md")
    run_and_save(main, parser.parse_args())


if __name__ == "__main__":
    cli()
