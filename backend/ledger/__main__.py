"""python -m backend.ledger verify|audit: check a licence proof bundle offline, or re-verify the whole stored log.

verify BUNDLE_FILE   a .tlog-proof bundle (or the JSON a licence page serves, with `licence` and `ledger`), checked
                     against keys pinned on the command line or in --config keys.json
                     ({"origin": ..., "log_keys": [...], "witnesses": [...], "quorum": n}); nothing from a server.
audit                re-verifies every entry, stored hash and checkpoint in the database (--database-url, else
                     DATABASE_URL like the server); the log key is pinned as for verify, else the server's own key.
Exit status: 0 valid, 1 invalid (the message names what failed), 2 unusable input or configuration.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from backend.errors import KaibanError
from backend.ledger.checkpoint import NoteVerifier


class UsageError(Exception):
    """The command cannot run: a missing file, a bad config, no key pinned."""


def _describe(exc: KaibanError) -> str:
    params = " ".join(f"{k}={v}" for k, v in exc.params.items())
    return f"{exc.code}{': ' + params if params else ''}"


def _load_config(args: argparse.Namespace) -> dict[str, Any]:
    """Merge --config with the command line: keys add up, --origin and --quorum override."""
    config: dict[str, Any] = {}
    if args.config:
        try:
            config = json.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read config {args.config}: {exc}") from None
        if not isinstance(config, dict):
            raise UsageError(f"config {args.config}: expected a JSON object")
    lists = {"log_keys": args.log_key, "witnesses": getattr(args, "witness_key", [])}
    for name, extra in lists.items():
        value = config.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"config {name}: expected a list of verifier key strings")
        config[name] = [*value, *(extra or [])]
        for vkey in config[name]:
            try:
                NoteVerifier.from_verifier_key(vkey)
            except KaibanError as exc:
                raise UsageError(f"bad pinned key in {name}: {vkey[:80]!r} ({_describe(exc)})") from None
    if args.origin is not None:
        config["origin"] = args.origin
    if getattr(args, "quorum", None) is not None:
        config["quorum"] = args.quorum
    witnesses = len({NoteVerifier.from_verifier_key(w).name for w in config["witnesses"]})  # rotated keys: once
    config.setdefault("quorum", witnesses)  # default: every pinned witness
    if isinstance(config["quorum"], bool) or not isinstance(config["quorum"], int) or config["quorum"] < 0:
        raise UsageError("quorum: expected a non-negative integer")
    if config["quorum"] > witnesses:
        raise UsageError(f"quorum {config['quorum']} exceeds the {witnesses} pinned witnesses")
    return config


def _read_bundle(path: str) -> tuple[str, Any]:
    """Return the tlog-proof text of a bundle file and the licence it came with (JSON form), if any."""
    from backend.ledger.bundle import bundle_from_ledger

    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read bundle {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"bundle {path} is not UTF-8 text") from None
    if not text.lstrip().startswith("{"):
        return text, None
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"bundle {path}: bad JSON: {exc}") from None
    if not isinstance(document, dict):
        raise UsageError(f"bundle {path}: expected a JSON object with `ledger`")
    ledger = document.get("ledger", document)
    return bundle_from_ledger(ledger if isinstance(ledger, dict) else {}), document.get("licence")


def _verify(args: argparse.Namespace) -> int:
    from backend.ledger.bundle import verify_bundle

    config = _load_config(args)
    if not isinstance(config.get("origin"), str) or not config["origin"]:
        raise UsageError("no origin pinned: give --origin or \"origin\" in --config")
    if not config["log_keys"]:
        raise UsageError("no log key pinned: give --log-key or \"log_keys\" in --config")
    quorum = config["quorum"]
    text, licence = _read_bundle(args.bundle)
    if args.licence:
        try:
            licence = json.loads(Path(args.licence).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read licence {args.licence}: {exc}") from None
    try:
        result = verify_bundle(
            text, origin=config["origin"], log_keys=config["log_keys"], witness_keys=config["witnesses"],
            quorum=quorum, licence=licence,
        )
    except KaibanError as exc:
        print(f"bundle INVALID ({type(exc).__name__}) {_describe(exc)}", file=sys.stderr)
        return 1
    print(f"bundle OK: entry {result.index} is in the log {config['origin']} at tree size {result.size}")
    print(f"  root         {base64.b64encode(result.root).decode()}")
    print(f"  signed by    {', '.join(result.log_keys)}")
    for name, stamp in result.cosigned.items():
        when = dt.datetime.fromtimestamp(stamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        print(f"  cosigned by  {name} at {when}")
    print(f"  witnesses    {len(result.cosigned)} valid, quorum {quorum}")
    if licence is not None:
        print("  licence      matches the logged record")
    print(f"  record       {result.leaf.decode('utf-8')}")
    return 0


def _server_log_key(settings: Any) -> str:
    """The server's own log verifier key, from LEDGER_SIGNING_SEED or var/keys/ledger_seed.b64 (never created)."""
    from backend.ledger.checkpoint import signer_from_seed

    seed_b64 = settings.ledger_seed_b64
    path = settings.var_dir / "keys" / "ledger_seed.b64"
    if not seed_b64 and path.exists():
        seed_b64 = path.read_text().strip()
    if not seed_b64:
        raise UsageError("no log key pinned: give --log-key or --config (no server key is configured either)")
    return signer_from_seed(settings.ledger_key_name, base64.b64decode(seed_b64)).verifier_key()


async def _run_audit(url: str, *, origin: str, log_keys: list[str], batch: int) -> Any:
    from backend.db import close_database, open_database
    from backend.ledger.audit import audit_log

    if url.startswith("sqlite://") and not Path(url.removeprefix("sqlite://")).exists():
        raise UsageError(f"no database at {url}")
    await open_database(url)
    try:
        return await audit_log(origin=origin, log_keys=log_keys, batch=batch)
    finally:
        await close_database()


def _audit(args: argparse.Namespace) -> int:
    from backend.settings import Settings

    settings = Settings.from_env(**({"database_url": args.database_url} if args.database_url else {}))
    config = _load_config(args)
    origin = config.get("origin") or settings.ledger_origin
    log_keys = config["log_keys"]
    if not log_keys:
        log_keys = [_server_log_key(settings)]
        print("note: log key taken from the server's configuration, not independently pinned", file=sys.stderr)
    try:
        report = asyncio.run(_run_audit(settings.db_url, origin=origin, log_keys=log_keys, batch=args.batch))
    except KaibanError as exc:
        raise UsageError(_describe(exc)) from None
    except UsageError:
        raise
    except Exception as exc:  # the database cannot be opened or read
        raise UsageError(f"cannot read the ledger at {settings.db_url.split('@')[-1]}: {exc}") from None
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend.ledger", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    verify = commands.add_parser("verify", help="verify a licence proof bundle offline")
    verify.add_argument("bundle", metavar="BUNDLE_FILE")
    verify.add_argument("--licence", metavar="LICENCE_JSON", help="also check this licence against the record")
    verify.add_argument("--witness-key", action="append", default=[], metavar="VKEY")
    verify.add_argument("--quorum", type=int, help="valid witness cosignatures required (default: all pinned)")
    audit = commands.add_parser("audit", help="re-verify the whole stored log")
    audit.add_argument("--database-url", help="default: DATABASE_URL, else the server's SQLite file")
    audit.add_argument("--batch", type=int, default=10000, help="entries per query")
    for command in (verify, audit):
        command.add_argument("--origin", help="the pinned log origin")
        command.add_argument("--log-key", action="append", default=[], metavar="VKEY", help="a pinned log key")
        command.add_argument("--config", metavar="KEYS_JSON", help="pinned origin, log_keys, witnesses, quorum")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    args = _parser().parse_args(argv)
    try:
        return _verify(args) if args.command == "verify" else _audit(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KaibanError as exc:  # a pinned key or the bundle container itself is unusable
        print(f"bundle INVALID ({type(exc).__name__}) {_describe(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
