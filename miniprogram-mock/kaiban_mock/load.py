"""Load mode: N simulated applicants form companies at once for a set time, then every licence is verified.

``python -m kaiban_mock.load --applicants 20 --seconds 30 [--base-url URL] [--ledger-key VKEY] [--json FILE]``

Each applicant is one WeChat user running the sole-founder scenario again and again until the time is up (a formation
under way when time runs out is finished, so none is left half done). Every HTTP call is timed through aiohttp's
request tracing and grouped by endpoint (the path with its ids replaced by their names). At the end each licence is
fetched from the public endpoint and its ledger proof checked offline (RFC 9162 inclusion against the signed
checkpoint) with the pinned log key, or the served one when none is given. Exit code 0 only when at least one
formation completed, none failed and every one verified.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import aiohttp

from kaiban_mock.client import DEFAULT_BASE_URL, ApiError, KaibanClient
from kaiban_mock.scenarios import ScenarioError, run_scenario
from kaiban_mock.steplog import StepLog
from kaiban_mock.wechat import WeChatPhone

_ID_PATTERNS = (
    (re.compile(r"/applications/[0-9a-fA-F-]{36}"), "/applications/{id}"),
    (re.compile(r"/face-checks/[^/?]+/result"), "/face-checks/{verify_id}/result"),
    (re.compile(r"/documents/[^/?]+"), "/documents/{document}"),
    (re.compile(r"/licences/[0-9A-Z]{18}"), "/licences/{uscc}"),
    (re.compile(r"/entries/\d+"), "/entries/{index}"),
)


def endpoint_of(method: str, path: str) -> str:
    """The endpoint a call belongs to: method and path with its ids replaced by their names."""
    for pattern, name in _ID_PATTERNS:
        path = pattern.sub(name, path)
    return f"{method} {path}"


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank quantile of `samples`."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
    return ordered[rank]


@dataclass
class LoadResult:
    """What one load run measured."""

    applicants: int
    seconds: float
    formations: list[dict[str, Any]] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    verified: int = 0
    unverified: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        """Completed formations per second of the run."""
        return len(self.formations) / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> bool:
        """At least one formation, no failure, every licence verified."""
        return bool(self.formations) and not self.failures and self.verified == len(self.formations)

    def endpoints(self) -> list[dict[str, Any]]:
        """Per endpoint: calls, non-2xx answers, p50/p95/p99 and max in milliseconds, slowest p99 first."""
        rows = []
        for name, samples in self.latencies.items():
            ms = [s * 1000 for s in samples]
            rows.append({
                "endpoint": name, "calls": len(ms), "errors": self.errors.get(name, 0),
                "p50_ms": percentile(ms, 0.50), "p95_ms": percentile(ms, 0.95), "p99_ms": percentile(ms, 0.99),
                "max_ms": max(ms),
            })
        return sorted(rows, key=lambda row: -row["p99_ms"])

    def summary(self) -> dict[str, Any]:
        """The run as one JSON-ready object."""
        durations = [f["total_ms"] for f in self.formations]
        return {
            "applicants": self.applicants, "seconds": round(self.seconds, 2),
            "formations": len(self.formations), "formations_per_second": round(self.per_second, 3),
            "formation_ms_median": round(statistics.median(durations), 1) if durations else None,
            "failures": dict(self.failures), "verified": self.verified, "unverified": self.unverified,
            "endpoints": self.endpoints(), "ok": self.ok,
        }

    def table(self) -> str:
        """A readable report: the totals, then one line per endpoint."""
        lines = [
            f"{len(self.formations)} formations by {self.applicants} applicants in {self.seconds:.1f} s: "
            f"{self.per_second:.2f} a second; {self.verified} verified on the ledger"
            + (f"; failures {dict(self.failures)}" if self.failures else ""),
            f"{'endpoint':<58} {'calls':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}",
        ]
        for row in self.endpoints():
            lines.append(
                f"{row['endpoint']:<58} {row['calls']:>6} {row['errors']:>6} {row['p50_ms']:>8.1f} "
                f"{row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} {row['max_ms']:>8.1f}"
            )
        return "\n".join(lines)


def _tracing(result: LoadResult) -> aiohttp.TraceConfig:
    """Time every request of the session and file it under its endpoint."""
    trace = aiohttp.TraceConfig()

    async def start(_session: Any, ctx: SimpleNamespace, params: Any) -> None:
        ctx.started = time.perf_counter()

    async def end(_session: Any, ctx: SimpleNamespace, params: Any) -> None:
        name = endpoint_of(params.method, params.url.path)
        result.latencies[name].append(time.perf_counter() - ctx.started)
        if not 200 <= params.response.status < 300:
            result.errors[name] += 1

    trace.on_request_start.append(start)
    trace.on_request_end.append(end)
    return trace


async def _applicant(number: int, *, session: aiohttp.ClientSession, base_url: str, deadline: float,
                     result: LoadResult, seed: int, prefix: str) -> None:
    """One simulated person forming companies one after another until the deadline."""
    rng = random.Random(seed * 1_000_003 + number)  # noqa: S311 - simulated test data
    round_ = 0
    while time.monotonic() < deadline:
        client = KaibanClient(session, base_url)
        user = f"{prefix}-{number}-{round_}"
        round_ += 1
        try:
            summary = await run_scenario("sole_founder", client, WeChatPhone(client), user=user,
                                         log=StepLog(enabled=False), rng=rng)
        except ApiError as exc:
            result.failures[f"{exc.status} {exc.code}"] += 1
        except ScenarioError as exc:
            result.failures[f"scenario: {exc}"[:120]] += 1
        else:
            result.formations.append(summary)


async def verify_all(client: KaibanClient, result: LoadResult, *, ledger_key: str | None) -> None:
    """Fetch each formed licence and check its ledger proof offline with the pinned (or served) log key."""
    from backend.ledger.verify import verify_licence_bundle  # the project's offline verifier, no server trust

    if ledger_key is None:
        served, _ = await client.download("/api/v1/ledger/key", auth=False)
        ledger_key = served.decode().splitlines()[0]  # the current key comes first
    key = ledger_key
    origin = key.split("+", 1)[0]
    semaphore = asyncio.Semaphore(8)

    async def one(uscc: str) -> None:
        async with semaphore:
            try:
                public = await client.licence(uscc)
                verify_licence_bundle(licence=public["licence"], ledger=public["ledger"], verifier_key=key,
                                      origin=origin)
            except Exception as exc:  # any failure is reported with the USCC that failed
                result.unverified.append(f"{uscc}: {type(exc).__name__}: {exc}"[:200])
            else:
                result.verified += 1

    await asyncio.gather(*(one(f["uscc"]) for f in result.formations))


async def run_load(*, base_url: str, applicants: int, seconds: float, ledger_key: str | None = None,
                   seed: int = 1, timeout: float = 60.0) -> LoadResult:
    """Run `applicants` simulated applicants for `seconds`, then verify every licence; return the measurements."""
    if applicants < 1 or seconds <= 0:
        raise ValueError(f"applicants must be at least 1 and seconds positive (got {applicants}, {seconds})")
    result = LoadResult(applicants=applicants, seconds=seconds)
    connector = aiohttp.TCPConnector(limit=max(applicants * 2, 10))
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout),
                                     trace_configs=[_tracing(result)]) as session:
        started = time.monotonic()
        prefix = f"load{int(time.time())}{random.Random(seed).randrange(10**6):06d}"  # noqa: S311 - a run label
        await asyncio.gather(*(
            _applicant(n, session=session, base_url=base_url, deadline=started + seconds, result=result,
                       seed=seed, prefix=prefix)
            for n in range(applicants)
        ))
        result.seconds = time.monotonic() - started
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        await verify_all(KaibanClient(session, base_url), result, ledger_key=ledger_key)
    return result


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the load, print the report; 0 when every formation completed and verified."""
    parser = argparse.ArgumentParser(prog="python -m kaiban_mock.load", description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL") or DEFAULT_BASE_URL)
    parser.add_argument("--applicants", type=int, default=20, help="simulated applicants at once (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long new formations start (default 30)")
    parser.add_argument("--ledger-key", default=os.environ.get("LEDGER_KEY"),
                        help="the log's verifier key to pin (default: the one the server serves)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", dest="json_out", default=None, help="also write the summary as JSON to this file")
    args = parser.parse_args(argv)
    try:
        result = asyncio.run(run_load(base_url=args.base_url, applicants=args.applicants, seconds=args.seconds,
                                      ledger_key=args.ledger_key, seed=args.seed))
    except (aiohttp.ClientConnectionError, OSError) as exc:
        print(f"error: cannot talk to {args.base_url}: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.table())
    if any(key.startswith("429") for key in result.failures):
        print("hint: the server's per-address rate limits refused some calls; every simulated applicant comes from "
              "one address, so start the server with raised limits (LOGIN_RATE=100000 NAME_CHECK_RATE=100000 "
              "IDENTITY_CHECK_RATE=100000 VERIFY_RATE=100000 RENDERING_RATE=100000)", file=sys.stderr)
    for line in result.unverified:
        print(f"NOT VERIFIED {line}", file=sys.stderr)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as out:
            json.dump(result.summary(), out, ensure_ascii=False, indent=2)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
