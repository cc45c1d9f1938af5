"""Public licence verification throughput, side by side with a trivial aiohttp handler on the same machine.

Run: .venv/bin/python -m bench.verify_bench [--licences 20] [--seconds 10] [--concurrency 16] [--postgres URL]
A Kaiban server (`python -m backend serve`, its own process, SQLite or PostgreSQL) gets `--licences` companies formed
through the load mode; then `--concurrency` clients ask `GET /api/v1/licences/{uscc}` (licence, status, inclusion
proof and signed checkpoint) for `--seconds`, and the same clients ask a one-line aiohttp app in its own process
(the framework's ceiling here) the same way. Both servers run while nothing else is measured.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.common import RESULTS, fresh_postgres, machine, percentile, table, run_and_save

REPO = Path(__file__).resolve().parent.parent
# The load profile: the per-address budgets stay on but are raised, since every simulated client shares one address.
LOAD_PROFILE = {"LOGIN_RATE": "1000000", "NAME_CHECK_RATE": "1000000", "IDENTITY_CHECK_RATE": "1000000",
                "VERIFY_RATE": "1000000", "DOCUMENT_READ_RATE": "1000000", "SCOPE_RATE": "1000000",
                "RENDERING_RATE": "1000000"}
#: What the reports say of the rate limits under load (issue #10, point 5).
RATE_LIMITS_NOTE = (
    "Rate limits stay on under load: one-minute budgets counted in the database (shared by every server process),"
    " by client address before login (log-in, name check, identity check, photo reads, scope, verification), by"
    " user for rendering PDFs, by partner for partners' calls; each is configurable (README, settings). Every"
    " simulated client comes from one address, so the load profile raises them: "
    + ", ".join(f"{name}={value}" for name, value in LOAD_PROFILE.items()) + " (a minute)."
)
TRIVIAL_APP = """
from aiohttp import web
async def hello(request):
    return web.json_response({"ok": True})
app = web.Application()
app.router.add_get("/hello", hello)
web.run_app(app, host="127.0.0.1", port=int(__import__("sys").argv[1]), print=None, access_log=None)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.get(url) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start_kaiban(database_url: str, var_dir: Path, port: int) -> subprocess.Popen:
    """Migrate, then serve Kaiban in its own process (access log off, as measured servers run)."""
    env = {**os.environ, "PORT": str(port), "VAR_DIR": str(var_dir), "DATABASE_URL": database_url,
           "PYTHONPATH": str(REPO), **LOAD_PROFILE}
    subprocess.run([sys.executable, "-m", "backend", "migrate"], env=env, cwd=REPO, check=True, capture_output=True)
    return subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def hammer(urls: list[str], *, seconds: float, concurrency: int) -> tuple[float, list[float]]:
    """Requests per second and latencies (s) of `concurrency` clients asking `urls` in turn for `seconds`."""
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def client(n: int) -> None:
            rng = random.Random(n)
            while time.monotonic() < deadline:
                url = rng.choice(urls)
                started = time.perf_counter()
                async with session.get(url) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{url}: HTTP {response.status}")
                latencies.append(time.perf_counter() - started)

        started = time.monotonic()
        await asyncio.gather(*(client(n) for n in range(concurrency)))
        return len(latencies) / (time.monotonic() - started), latencies


async def form_licences(base: str, count: int) -> list[str]:
    """Form `count` companies through the mock client's load mode; answer their credit codes."""
    sys.path.insert(0, str(REPO / "miniprogram-mock"))
    from kaiban_mock.load import run_load

    usccs: list[str] = []
    while len(usccs) < count:
        result = await run_load(base_url=base, applicants=min(8, count), seconds=1.0)
        if not result.ok:
            raise RuntimeError(f"forming companies failed: {result.summary()}")
        usccs += [f["uscc"] for f in result.formations]
    return usccs[:count]


async def measure(database_url: str, *, label: str, args: argparse.Namespace, work: Path) -> list[list[object]]:
    """Verification figures of one database beside the trivial handler's, measured one after the other."""
    port, trivial_port = _free_port(), _free_port()
    kaiban = start_kaiban(database_url, work / f"var-{label}", port)
    trivial = subprocess.Popen([sys.executable, "-c", TRIVIAL_APP, str(trivial_port)])
    try:
        base = f"http://127.0.0.1:{port}"
        await _wait(base + "/readyz")
        await _wait(f"http://127.0.0.1:{trivial_port}/hello")
        usccs = await form_licences(base, args.licences)
        urls = [f"{base}/api/v1/licences/{u}" for u in usccs]
        await hammer(urls, seconds=1, concurrency=args.concurrency)  # warm-up
        ours, ours_lat = await hammer(urls, seconds=args.seconds, concurrency=args.concurrency)
        ceiling, ceiling_lat = await hammer([f"http://127.0.0.1:{trivial_port}/hello"], seconds=args.seconds,
                                            concurrency=args.concurrency)
    finally:
        for process in (kaiban, trivial):
            process.terminate()
            process.wait(timeout=20)
    ms = lambda values, q: percentile(values, q) * 1000  # noqa: E731
    return [
        [f"licence verifications/s, {label}, {args.concurrency} clients", ours, ceiling, ours / ceiling],
        [f"licence verification p50 ms, {label}", ms(ours_lat, 0.5), ms(ceiling_lat, 0.5),
         ms(ours_lat, 0.5) / ms(ceiling_lat, 0.5)],
        [f"licence verification p99 ms, {label}", ms(ours_lat, 0.99), ms(ceiling_lat, 0.99),
         ms(ours_lat, 0.99) / ms(ceiling_lat, 0.99)],
    ]


async def main(args: argparse.Namespace) -> str:
    """Run the measurements; return the markdown section."""
    work = Path(tempfile.mkdtemp(prefix="kaiban-verify-"))
    rows = await measure(f"sqlite://{work / 'verify.sqlite3'}", label="SQLite", args=args, work=work)
    if args.postgres:
        url = await fresh_postgres(args.postgres, "kaiban_bench_verify")
        rows += await measure(url, label="PostgreSQL", args=args, work=work)
    return "\n".join([
        "## Public licence verification",
        "",
        f"Machine: {machine()}.",
        f"Command: `.venv/bin/python -m bench.verify_bench --licences {args.licences} --seconds {args.seconds:g}"
        f" --concurrency {args.concurrency}" + (" --postgres URL`" if args.postgres else "`")
        + f", run {dt.date.today().isoformat()}.",
        "One Kaiban process serves `GET /api/v1/licences/{uscc}` (licence, status, RFC 9162 inclusion proof and the"
        " signed checkpoint it verifies against); the baseline is a one-line aiohttp JSON handler in its own process,"
        " asked by the same client the same way; the ratio is Kaiban / baseline. The client runs on the same"
        " 2 cores. " + RATE_LIMITS_NOTE,
        "",
        table(["measure", "Kaiban", "trivial aiohttp", "ratio"], rows),
        "",
    ])


def cli() -> None:
    """Parse arguments, run, print and save the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--licences", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=RESULTS / "verify.md")
    run_and_save(main, parser.parse_args())


if __name__ == "__main__":
    cli()
