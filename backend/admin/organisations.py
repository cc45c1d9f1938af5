"""python -m backend admin partner add|list|disable|enable, officer add, subscriber add: partner organisations,
officer accounts and the departments and banks that receive licence events."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys

from backend.clock import SystemClock
from backend.db import close_database, open_database
from backend.errors import KaibanError
from backend.i18n import messages
from backend.models import Partner
from backend.secrets import load_secrets, make_sealer
from backend.services.notifications import EVENTS
from backend.services.notifications import KINDS as SUBSCRIBER_KINDS
from backend.services.notifications import add_subscriber
from backend.services.officers import ROLES, create_officer
from backend.services.partners import KINDS, REGIONS, SCOPES, register_partner, set_partner_active
from backend.settings import Settings


def _view(partner: Partner) -> dict:
    return {
        "name": partner.name, "kind": partner.kind, "region": partner.region, "key_id": partner.key_id,
        "scopes": partner.scopes, "rate_limit_per_minute": partner.rate_limit_per_minute, "active": partner.active,
    }


async def _officer(args: argparse.Namespace, settings: Settings) -> list[dict]:
    password = sys.stdin.readline().rstrip("\n")  # never on the command line, where `ps` shows it
    secrets = load_secrets(settings)
    created = await create_officer(
        username=args.username, display_name=args.name, roles=args.role, password=password,
        sealer=make_sealer(secrets), clock=SystemClock(),
    )
    return [{"username": created.officer.username, "roles": created.officer.roles,
             "totp_secret": created.totp_secret, "totp_uri": created.provisioning_uri}]


async def _subscriber(args: argparse.Namespace, settings: Settings) -> list[dict]:
    secrets = load_secrets(settings)
    subscriber, secret = await add_subscriber(
        name=args.name, kind=args.kind, url=args.url, events=args.event or list(EVENTS),
        sealer=make_sealer(secrets), clock=SystemClock(),
    )
    return [{"name": subscriber.name, "kind": subscriber.kind, "url": subscriber.url, "events": subscriber.events,
             "secret": secret}]


async def _run(args: argparse.Namespace, settings: Settings) -> list[dict]:
    await open_database(settings.db_url)
    try:
        if args.what == "subscriber":
            return await _subscriber(args, settings)
        if args.what == "officer":
            return await _officer(args, settings)
        if args.action == "add":
            partner = await register_partner(
                name=args.name, kind=args.kind, region=args.region, public_key_b64=args.public_key,
                scopes=args.scope or list(SCOPES), rate_limit_per_minute=args.rate_limit, clock=SystemClock(),
                key_id=args.key_id,
            )
            return [_view(partner)]
        if args.action in ("disable", "enable"):
            return [_view(await set_partner_active(key_id=args.key_id, active=args.action == "enable"))]
        return [_view(p) for p in await Partner.all().order_by("created_at")]
    finally:
        await close_database()


def parser() -> argparse.ArgumentParser:
    """The command line."""
    top = argparse.ArgumentParser(prog="python -m backend admin", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="what", required=True)
    partner = commands.add_parser("partner", help="partner organisations in Hong Kong and Macau")
    actions = partner.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="register a partner and its request-signing key")
    add.add_argument("--name", required=True)
    add.add_argument("--kind", required=True, choices=KINDS)
    add.add_argument("--region", required=True, choices=REGIONS)
    add.add_argument("--public-key", required=True, help="base64 of the raw 32-byte Ed25519 public key")
    add.add_argument("--key-id", default=None, help="the keyid its signatures name (default: derived from the key)")
    add.add_argument("--scope", action="append", choices=SCOPES, help="repeat for several (default: all)")
    add.add_argument("--rate-limit", type=int, default=60, help="requests a minute (default 60)")
    actions.add_parser("list", help="every registered partner")
    officer = commands.add_parser("officer", help="officer accounts (reviewers, admins)")
    officer_actions = officer.add_subparsers(dest="action", required=True)
    officer_add = officer_actions.add_parser(
        "add", help="create an officer; reads the password from standard input, prints the TOTP secret once")
    officer_add.add_argument("--username", required=True)
    officer_add.add_argument("--name", required=True, help="the name shown in the console")
    officer_add.add_argument("--role", action="append", required=True, choices=ROLES, help="repeat for several")
    subscriber = commands.add_parser("subscriber", help="departments and banks that receive licence events")
    subscriber_actions = subscriber.add_subparsers(dest="action", required=True)
    subscriber_add = subscriber_actions.add_parser("add", help="subscribe a receiver; prints its signing secret once")
    subscriber_add.add_argument("--name", required=True)
    subscriber_add.add_argument("--kind", required=True, choices=SUBSCRIBER_KINDS)
    subscriber_add.add_argument("--url", required=True)
    subscriber_add.add_argument("--event", action="append", choices=EVENTS, help="repeat for several (default: all)")
    for name in ("disable", "enable"):
        action = actions.add_parser(name, help=f"{name} a partner by its key id")
        action.add_argument("key_id")
    return top


def main(argv: list[str] | None = None) -> int:
    """Run one command; print the partners it touched as JSON lines; 1 with the error's message on failure."""
    args = parser().parse_args(argv)
    try:
        rows = asyncio.run(_run(args, Settings.from_env()))
    except KaibanError as exc:
        print(f"error: {exc.code}: {messages(exc.code, exc.params)['en']}", file=sys.stderr)
        return 1
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    return 0

