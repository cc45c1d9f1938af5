"""Command line of the witness: `python -m backend.witness [serve] ...` runs it, `... vkey ...` prints its key."""
from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from backend.ledger.checkpoint import CosignatureSigner, NoteVerifier, cosigner_from_seed
from backend.ledger.errors import LedgerError
from backend.witness.app import create_witness_app
from backend.witness.protocol import parse_log_key
from backend.witness.state import WitnessStore


class KeyFileError(Exception):
    """The key file exists but does not hold a base64 32-byte Ed25519 seed."""


def load_or_create_seed(*, path: Path) -> bytes:
    """Return the 32-byte seed in `path` (base64); create the file with a random seed, mode 0600, if it is missing."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        text = path.read_text(encoding="ascii", errors="replace").strip()
        try:
            seed = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise KeyFileError(f"{path}: not base64") from None
        if len(seed) != 32:
            raise KeyFileError(f"{path}: expected a 32-byte seed, got {len(seed)} bytes")
        return seed
    seed = os.urandom(32)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(base64.b64encode(seed).decode("ascii") + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return seed


def load_cosigner(*, name: str, key_file: Path) -> CosignatureSigner:
    """Return the witness's cosignature signer from its key file (created if missing)."""
    return cosigner_from_seed(name, load_or_create_seed(path=key_file))


def parse_logs(*, specs: Sequence[str]) -> dict[str, list[NoteVerifier]]:
    """Return {origin: log verifier keys} from repeated `<origin>=<verifier key>` options."""
    logs: dict[str, list[NoteVerifier]] = {}
    for spec in specs:
        origin, verifier = parse_log_key(spec)
        logs.setdefault(origin, []).append(verifier)
    return logs


def _url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


async def serve(
    *, cosigner: CosignatureSigner, logs: dict[str, list[NoteVerifier]], state: Path, host: str, port: int
) -> None:
    """Run the witness until SIGINT or SIGTERM, printing its verifier key and listening URL first."""
    store = await asyncio.to_thread(WitnessStore, state)
    runner = web.AppRunner(create_witness_app(cosigner=cosigner, logs=logs, store=store))
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
        bound_host, bound_port = runner.addresses[0][:2]
        print(f"witness verifier key: {cosigner.verifier_key()}", flush=True)
        print(f"witness listening on {_url(bound_host, bound_port)}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--name", required=True, help="the witness's key name, e.g. witness.example.org/w1")
    parser.add_argument("--key-file", required=True, type=Path, help="base64 Ed25519 seed; created (0600) if missing")


def _parsers() -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    run = argparse.ArgumentParser(prog="python -m backend.witness", description="C2SP tlog-witness server")
    _common(run)
    run.add_argument("--state", required=True, type=Path, help="SQLite file of the witness's state")
    run.add_argument("--log", action="append", default=[], metavar="ORIGIN=VKEY", help="trusted log (repeatable)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8099)
    vkey = argparse.ArgumentParser(prog="python -m backend.witness vkey", description="print the verifier key")
    _common(vkey)
    return run, vkey


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: run the witness, or with `vkey` print its cosignature verifier key."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    run, vkey = _parsers()
    try:
        if args_list[:1] == ["vkey"]:
            args = vkey.parse_args(args_list[1:])
            print(load_cosigner(name=args.name, key_file=args.key_file).verifier_key())
            return 0
        args = run.parse_args(args_list[1:] if args_list[:1] == ["serve"] else args_list)
        if not args.log:
            run.error("at least one --log ORIGIN=VKEY is required")
        logs = parse_logs(specs=args.log)
        cosigner = load_cosigner(name=args.name, key_file=args.key_file)
    except (KeyFileError, LedgerError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    asyncio.run(serve(cosigner=cosigner, logs=logs, state=args.state, host=args.host, port=args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
