"""python -m backend admin ...: operator commands on identity verification and personal data.

  attest          record a partner attestation for a participant with a pending one (until the Hong Kong and Macau
                  issue builds the partner channel)
  close-video     an officer closes a pending video verification, passed or rejected
  erase-abandoned erase the personal data of drafts untouched for the retention period (ledger records stay)
  reseal          key rotation: seal every stored identity again with the current data key
"""
from __future__ import annotations

import argparse
import asyncio
import json
from types import SimpleNamespace

from backend.clock import OffsetClock, SystemClock
from backend.db import close_database, open_database
from backend.errors import KaibanError
from backend.i18n import messages
from backend.secrets import load_secrets, make_sealer
from backend.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m backend admin", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    attest = commands.add_parser("attest", help="record a partner attestation")
    attest.add_argument("--participant", required=True)
    attest.add_argument("--partner", required=True, help="who attests (the partner's name or id)")
    attest.add_argument("--reference", required=True, help="the partner's reference for the attestation")
    attest.add_argument("--rejected", action="store_true", help="the partner could not attest the identity")
    video = commands.add_parser("close-video", help="close a pending video verification")
    video.add_argument("--participant", required=True)
    video.add_argument("--officer", required=True)
    video.add_argument("--outcome", required=True, choices=["passed", "rejected"])
    video.add_argument("--reference", default=None)
    erase = commands.add_parser("erase-abandoned", help="retention erasure of abandoned drafts")
    erase.add_argument("--older-than-days", type=int, default=None)
    commands.add_parser("reseal", help="seal stored identities again with the current data key")
    return parser


async def _services(settings: Settings) -> SimpleNamespace:
    """What these commands use of the service container: settings, the (shared mock) clock and the sealer."""
    from backend.services import clock as clock_service

    clock = OffsetClock() if settings.mock_mode else SystemClock()
    if isinstance(clock, OffsetClock):
        await clock_service.load_offset(clock)
    return SimpleNamespace(settings=settings, clock=clock, sealer=make_sealer(load_secrets(settings)))


async def run(argv: list[str], *, settings: Settings) -> dict:
    """Run one admin command and return what it did."""
    from backend.services import personal_data, verification

    args = _parser().parse_args(argv)
    await open_database(settings.db_url)
    try:
        svc = await _services(settings)
        if args.command == "attest":
            done = await verification.close_verification(
                svc, participant_id=args.participant, method="partner_attestation", passed=not args.rejected,
                closed_by=f"partner:{args.partner}", reference=args.reference)
            return {"verification": str(done.id), "status": done.status, "assurance": done.assurance}
        if args.command == "close-video":
            done = await verification.close_verification(
                svc, participant_id=args.participant, method="video", passed=args.outcome == "passed",
                closed_by=f"officer:{args.officer}", reference=args.reference)
            return {"verification": str(done.id), "status": done.status, "assurance": done.assurance}
        if args.command == "erase-abandoned":
            return {"erased": await personal_data.erase_abandoned(svc, older_than_days=args.older_than_days)}
        return {"resealed": await personal_data.reseal_all(svc), "key_id": svc.sealer.key_id}
    finally:
        await close_database()


def main(argv: list[str], *, settings: Settings) -> int:
    """Run the command; print one JSON line, or the error's code and English message (exit status 1)."""
    try:
        result = asyncio.run(run(argv, settings=settings))
    except KaibanError as error:
        print(json.dumps({"error": error.code, "message": messages(error.code, error.params)["en"]}, ensure_ascii=False))
        return 1
    print(json.dumps(result, ensure_ascii=False))
    return 0
