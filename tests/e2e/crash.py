"""Crash safety: simulated applicants form companies while the server is killed (SIGKILL) at random moments and
restarted; afterwards every acknowledged step is still there, the ledger audit is clean, no credit code is issued twice
and every licence verifies.

``python -m tests.e2e.crash --postgres postgres://postgres@127.0.0.1:5432/postgres --seconds 120 --applicants 6``
(`make crash`). The server runs as two processes (`WEB_PROCESSES=2`) under its supervisor, so the fake WeChat
platform lives on in its own process as WeChat does while our servers die; each kill SIGKILLs one server process, or
both at once, and the supervisor starts them again. The mini-program retries a call a kill cut (every formation step
is idempotent), so every formation started completes: a formation is given up only when the log-in itself was cut
(its one-time WeChat code may have been spent), before any application exists. Exit code 0 only when every check
holds.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "miniprogram-mock"))
from kaiban_mock.client import ApiError, KaibanClient  # noqa: E402
from kaiban_mock.load import LoadResult, verify_all  # noqa: E402
from kaiban_mock.scenarios import ScenarioError, run_scenario  # noqa: E402
from kaiban_mock.steplog import StepLog  # noqa: E402
from kaiban_mock.wechat import WeChatPhone  # noqa: E402

from backend.domain.formation import State  # noqa: E402
from tests.pinned import LEDGER_ORIGIN, PINNED_LEDGER_VKEY, TEST_LEDGER_SEED_B64  # noqa: E402

ORDER = [str(s) for s in State]
INTERRUPTED = (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError)


@dataclass
class CrashReport:
    """What a crash run saw and what it checked."""

    kills: int = 0
    formations: list[dict[str, Any]] = field(default_factory=list)
    interrupted: int = 0
    retried: int = 0  # calls a kill cut and the client sent again
    refused: dict[str, int] = field(default_factory=dict)
    abandoned: list[str] = field(default_factory=list)  # formations given up after their application existed
    acknowledged: dict[str, str] = field(default_factory=dict)  # application id -> furthest state the client was told
    lost: list[str] = field(default_factory=list)
    duplicate_usccs: list[str] = field(default_factory=list)
    audit: str = ""
    audit_ok: bool = False
    unverified: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Formations done, nothing lost, no code twice, audit clean, every licence verified."""
        return (bool(self.formations) and not self.lost and not self.duplicate_usccs and self.audit_ok
                and not self.unverified and not self.abandoned)


#: How long the client keeps sending a cut call again (the supervisor restarts a killed process in a few seconds).
RETRY_FOR = 60.0


class RecordingClient(KaibanClient):
    """The mock mini-program's client, noting every application state the server acknowledged, and sending a call a
    kill cut again until a server process answers it (but the WeChat log-in, whose code is good once)."""

    def __init__(self, session: aiohttp.ClientSession, base_url: str, acknowledged: dict[str, str],
                 report: "CrashReport | None" = None) -> None:
        super().__init__(session, base_url)
        self._acknowledged = acknowledged
        self._report = report

    async def _again(self, call, *, once: bool = False) -> Any:
        """`call()`, sent again while a kill cuts it (unless `once`), for up to RETRY_FOR seconds."""
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                return await call()
            except INTERRUPTED:
                if once or time.monotonic() > deadline:
                    raise
                if self._report is not None:
                    self._report.retried += 1
                await asyncio.sleep(0.3)

    async def download(self, url: str, *, auth: bool = True) -> tuple[bytes, str]:
        return await self._again(lambda: super(RecordingClient, self).download(url, auth=auth))

    async def request_json(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        body = await self._again(lambda: super(RecordingClient, self).request_json(method, path, *args, **kwargs),
                                 once=path.endswith("/auth/wechat-login"))
        app = body.get("application", body) if isinstance(body, dict) else None
        if isinstance(app, dict) and isinstance(app.get("id"), str) and app.get("state") in ORDER:
            before = self._acknowledged.get(app["id"])
            if before is None or ORDER.index(app["state"]) > ORDER.index(before):
                self._acknowledged[app["id"]] = app["state"]
        return body


class Server:
    """`python -m backend serve` on one port and database, killed and started again at will."""

    def __init__(self, *, database_url: str, var_dir: Path, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ, "PORT": str(port), "VAR_DIR": str(var_dir), "DATABASE_URL": database_url,
            "LEDGER_SIGNING_SEED": TEST_LEDGER_SEED_B64, "LEDGER_ORIGIN": LEDGER_ORIGIN, "LEDGER_KEY_NAME": LEDGER_ORIGIN,
            "PYTHONPATH": str(REPO), "LOGIN_RATE": "100000", "NAME_CHECK_RATE": "100000",
            "IDENTITY_CHECK_RATE": "100000", "VERIFY_RATE": "100000", "RENDERING_RATE": "100000",
            "RENDER_PROCESSES": "0", "WEB_PROCESSES": "2",
        }
        self.log = open(var_dir.parent / f"server-{port}.log", "a")  # noqa: SIM115 - kept open for the restarts
        self.process: subprocess.Popen | None = None

    def migrate(self) -> None:
        """Apply the migrations (as `make run` does before serving)."""
        subprocess.run([sys.executable, "-m", "backend", "migrate"], env=self.env, cwd=REPO, check=True,
                       capture_output=True)

    async def start(self, *, timeout: float = 60) -> None:
        """Start serving and wait until /readyz answers 200."""
        self.process = subprocess.Popen([sys.executable, "-m", "backend", "serve"], env=self.env, cwd=REPO,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.process.returncode}")
                try:
                    async with session.get(f"{self.base}/readyz") as response:
                        if response.status == 200:
                            return
                except INTERRUPTED:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError("the server did not become ready")

    async def workers(self, *, tries: int = 20) -> set[int]:
        """The server processes answering now (each new connection may reach either)."""
        seen: set[int] = set()
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=2)) as session:
            for _ in range(tries):
                try:
                    async with session.get(f"{self.base}/api/v1/meta") as response:
                        seen.add(int((await response.json())["process"]))
                except INTERRUPTED:
                    await asyncio.sleep(0.1)
        return seen

    async def kill_workers(self, rng: random.Random) -> int:
        """SIGKILL one server process, or both (no cleanup, no flush, like a power cut); answer how many."""
        workers = sorted(await self.workers())
        victims = workers if rng.random() < 0.3 else workers[:1] if rng.random() < 0.5 else workers[-1:]
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(victims)

    def kill(self) -> None:
        """SIGKILL the supervisor and every process it started."""
        if self.process is not None and self.process.poll() is None:
            children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
            self.process.send_signal(signal.SIGKILL)
            for pid in children:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after ten seconds."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


async def _applicant(number: int, *, server: Server, session: aiohttp.ClientSession, deadline: float,
                     report: CrashReport, rng: random.Random) -> None:
    round_ = 0
    while time.monotonic() < deadline:
        client = RecordingClient(session, server.base, report.acknowledged, report)
        round_ += 1
        before = set(report.acknowledged)
        try:
            summary = await run_scenario("sole_founder", client, WeChatPhone(client), user=f"crash-{number}-{round_}",
                                         log=StepLog(enabled=False), rng=rng)
        except (*INTERRUPTED, ApiError, ScenarioError) as exc:
            key = (f"{exc.status} {exc.code}" if isinstance(exc, ApiError) else
                   f"scenario: {exc}"[:100] if isinstance(exc, ScenarioError) else f"interrupted: {type(exc).__name__}")
            report.refused[key] = report.refused.get(key, 0) + 1
            started = set(report.acknowledged) - before
            if started:  # the formation had an application: giving it up is a failure of crash safety
                report.abandoned += [f"{app_id}: {key}" for app_id in sorted(started)]
            report.interrupted += isinstance(exc, INTERRUPTED)
            await asyncio.sleep(0.5)
        else:
            report.formations.append(summary)


async def _killer(server: Server, *, deadline: float, report: CrashReport, rng: random.Random,
                  interval: tuple[float, float]) -> None:
    while time.monotonic() < deadline:
        await asyncio.sleep(rng.uniform(*interval))
        if time.monotonic() >= deadline:
            break
        report.kills += await server.kill_workers(rng)  # the supervisor starts them again


async def _check(server: Server, database_url: str, report: CrashReport) -> None:
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        states = {str(r["id"]): r["state"] for r in await conn.fetch("SELECT id, state FROM applications")}
        rows = await conn.fetch("SELECT uscc, COUNT(*) AS n FROM licences GROUP BY uscc HAVING COUNT(*) > 1")
        report.duplicate_usccs = [r["uscc"] for r in rows]
    finally:
        await conn.close()
    for app_id, acked in report.acknowledged.items():
        now = states.get(app_id)
        if now is None or ORDER.index(now) < ORDER.index(acked):
            report.lost.append(f"{app_id}: acknowledged {acked}, stored {now}")
    audit = subprocess.run([sys.executable, "-m", "backend.ledger", "audit", "--database-url", database_url,
                            "--origin", LEDGER_ORIGIN, "--log-key", PINNED_LEDGER_VKEY],
                           env=server.env, cwd=REPO, capture_output=True, text=True)
    report.audit, report.audit_ok = (audit.stdout + audit.stderr).strip()[-400:], audit.returncode == 0
    result = LoadResult(applicants=0, seconds=0, formations=report.formations)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        await verify_all(KaibanClient(session, server.base), result, ledger_key=PINNED_LEDGER_VKEY)
    report.unverified = result.unverified


async def run_crash(*, database_url: str, folder: Path, port: int, seconds: float, applicants: int, seed: int = 1,
                    interval: tuple[float, float] = (5.0, 15.0)) -> CrashReport:
    """Run the applicants for `seconds` while killing the server every `interval` seconds, then check everything."""
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(database_url=database_url, var_dir=folder / "var", port=port)
    server.migrate()
    report = CrashReport()
    rng = random.Random(seed)  # noqa: S311 - when to kill, and the simulated applicants' data
    await server.start()
    try:
        deadline = time.monotonic() + seconds
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            await asyncio.gather(
                _killer(server, deadline=deadline, report=report, rng=rng, interval=interval),
                *(_applicant(n, server=server, session=session, deadline=deadline, report=report,
                             rng=random.Random(seed * 1000 + n)) for n in range(applicants)),  # noqa: S311
            )
        server.kill()  # one last kill after the load, then a clean start to check from
        report.kills += 1
        await server.start()
        await _check(server, database_url, report)
    finally:
        server.stop()
    return report


async def _fresh_database(base_url: str) -> str:
    from bench.common import fresh_postgres

    return await fresh_postgres(base_url, f"kaiban_crash_{uuid.uuid4().hex[:12]}")


async def _drop_database(base_url: str, url: str) -> None:
    admin = await asyncpg.connect(base_url.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rpartition("/")[2]}" WITH (FORCE)')
    finally:
        await admin.close()


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run, print the report as JSON; 0 when every check holds."""
    parser = argparse.ArgumentParser(prog="python -m tests.e2e.crash", description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--applicants", type=int, default=6)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kill-every", type=float, nargs=2, default=(5.0, 15.0), metavar=("MIN", "MAX"),
                        help="seconds between kills, drawn uniformly (default 5 15)")
    parser.add_argument("--folder", type=Path, default=REPO / "var" / "crash")
    parser.add_argument("--keep", action="store_true", help="keep the database for a look afterwards")
    args = parser.parse_args(argv)
    url = asyncio.run(_fresh_database(args.postgres))
    try:
        report = asyncio.run(run_crash(database_url=url, folder=args.folder, port=args.port, seconds=args.seconds,
                                       applicants=args.applicants, seed=args.seed, interval=tuple(args.kill_every)))
    finally:
        if not args.keep:
            asyncio.run(_drop_database(args.postgres, url))
        else:
            print(f"database kept: {url}", file=sys.stderr)
    summary = {**report.__dict__, "formations": len(report.formations), "acknowledged": len(report.acknowledged),
               "ok": report.ok}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
