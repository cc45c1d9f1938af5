"""``python -m kaiban_mock [--base-url URL] [--user NAME] [--scenario sole_founder]``.

Prints one line per step, then one JSON line (the scenario's summary) on stdout; exit code 0. On failure it prints
what went wrong (the server's problem JSON, readably) on stderr and exits non-zero: 1 refused or unexpected answer,
2 server unreachable or too slow, 3 a bug in this client or an answer it could not read.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import sys
import traceback
from typing import Any

import aiohttp

from kaiban_mock.client import DEFAULT_BASE_URL, ApiError, KaibanClient
import kaiban_mock.parties  # noqa: F401 - registers the scenarios of several people
import kaiban_mock.remote  # noqa: F401 - registers the Hong Kong partner scenario
import kaiban_mock.paths  # noqa: F401 - registers the failure-path scenarios
from kaiban_mock.scenarios import SCENARIOS, ScenarioError, run_scenario
from kaiban_mock.steplog import StepLog
from kaiban_mock.wechat import WeChatPhone

EXIT_OK, EXIT_FAILED, EXIT_UNREACHABLE, EXIT_BUG = 0, 1, 2, 3


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m kaiban_mock",
        description="Mock Kaiban mini-program: plays the phone and forms a company through the HTTP API.",
    )
    parser.add_argument("--base-url", default=os.environ.get("BASE_URL") or DEFAULT_BASE_URL,
                        help=f"server to talk to (env BASE_URL; default {DEFAULT_BASE_URL})")
    parser.add_argument("--user", default=None,
                        help="simulated WeChat user (default: a fresh tester-<random hex> each run)")
    parser.add_argument("--scenario", default="sole_founder", choices=[*sorted(SCENARIOS), "all"],
                        help="what to play (default sole_founder; all: every scenario, one after the other)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed for the made-up founder, company name and address (default: random)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds allowed per HTTP call (default 60)")
    parser.add_argument("--quiet", action="store_true", help="print only the final JSON line")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    return parser.parse_args(argv)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.scenario == "all":
        results = {}
        # review_resubmit moves the shared clock two months on, so it runs last
        for name in sorted(SCENARIOS, key=lambda n: (n == "review_resubmit", n)):
            if not args.quiet:
                print(f"== {name}: {SCENARIOS[name].description}", flush=True)
            results[name] = await run(argparse.Namespace(**{**vars(args), "scenario": name, "user": None}))
        return {"scenario": "all", "passed": sorted(results), "results": results}
    user = args.user or f"tester-{secrets.token_hex(4)}"
    rng = random.Random(args.seed)  # noqa: S311 - simulated test data, reproducible per seed
    log = StepLog(total=SCENARIOS[args.scenario].steps, enabled=not args.quiet)
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        client = KaibanClient(session, args.base_url)
        phone = WeChatPhone(client)
        return await run_scenario(args.scenario, client, phone, user=user, log=log, rng=rng)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for entry in sorted(SCENARIOS.values(), key=lambda s: s.name):
            print(f"{entry.name:<20} {entry.steps:>3} steps  {entry.description}")
        return EXIT_OK
    try:
        summary = asyncio.run(run(args))
    except ApiError as exc:
        print(exc.describe(), file=sys.stderr)
        return EXIT_FAILED
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if exc.data is not None:
            print("  " + json.dumps(exc.data, ensure_ascii=False, indent=2, default=str).replace("\n", "\n  "),
                  file=sys.stderr)
        return EXIT_FAILED
    except (aiohttp.ClientConnectionError, asyncio.TimeoutError, OSError) as exc:
        print(f"error: cannot talk to {args.base_url}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception:  # an answer of an unexpected shape, or a bug here
        traceback.print_exc()
        return EXIT_BUG
    print(json.dumps(summary, ensure_ascii=False), flush=True)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
