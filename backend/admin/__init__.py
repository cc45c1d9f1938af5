"""Operator commands, `python -m backend admin ...` (or `python -m backend.admin ...`), on the configured database:
partner organisations, officer accounts and webhook subscribers (`organisations`), identity verification and
personal data (`identity`)."""
from __future__ import annotations

from backend.settings import Settings

ORGANISATION_COMMANDS = ("partner", "officer", "subscriber")


def main(argv: list[str], *, settings: Settings) -> int:
    """Run one operator command; answer the process exit code."""
    if argv[:1] and argv[0] in ORGANISATION_COMMANDS:
        from backend.admin import organisations

        return organisations.main(argv)
    from backend.admin import identity

    return identity.main(argv, settings=settings)
