"""Tortoise models (tables only, no business rules). Every module’s models are listed here for the ORM."""
from backend.models.accounts import RefreshToken, User
from backend.models.applications import (
    Application,
    Document,
    FaceCheck,
    Identity,
    Licence,
    NameClaim,
    Signature,
    StepRecord,
)
from backend.models.ledger import LedgerCheckpoint, LedgerEntry, LedgerHash, LedgerHead
from backend.models.system import ClockOffset

__all__ = [
    "Application",
    "ClockOffset",
    "Document",
    "FaceCheck",
    "Identity",
    "LedgerCheckpoint",
    "LedgerEntry",
    "LedgerHash",
    "LedgerHead",
    "Licence",
    "NameClaim",
    "RefreshToken",
    "Signature",
    "StepRecord",
    "User",
]
