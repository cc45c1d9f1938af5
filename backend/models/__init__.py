"""Tortoise models (tables only, no business rules). Every module’s models are listed here for the ORM."""
from backend.models.accounts import RefreshToken, User
from backend.models.applications import (
    Application,
    Document,
    FaceCheck,
    Identity,
    LedgerRecord,
    Licence,
    NameClaim,
    Signature,
)
from backend.models.limits import RateCounter
from backend.models.messages import SubscribeMessage
from backend.models.notifications import Delivery, Subscriber
from backend.models.officers import AuditEvent, Officer
from backend.models.partners import Partner, PartnerAttestation, PartnerRequest
from backend.models.participants import Consent, DataAccess, Participant, Verification
from backend.models.signing import SignedCopy, SigningCode
from backend.models.sms import FakeSmsMessage
from backend.models.ledger import LedgerCheckpoint, LedgerEntry, LedgerHash, LedgerHead
from backend.models.system import ClockOffset
from backend.models.uscc import UsccAllocation

__all__ = [
    "Application",
    "AuditEvent",
    "ClockOffset",
    "Delivery",
    "Consent",
    "DataAccess",
    "Document",
    "FaceCheck",
    "FakeSmsMessage",
    "Identity",
    "LedgerCheckpoint",
    "LedgerEntry",
    "LedgerHash",
    "LedgerHead",
    "LedgerRecord",
    "Licence",
    "NameClaim",
    "Officer",
    "Partner",
    "PartnerAttestation",
    "PartnerRequest",
    "RateCounter",
    "Participant",
    "RefreshToken",
    "Signature",
    "SignedCopy",
    "SigningCode",
    "SubscribeMessage",
    "UsccAllocation",
    "Subscriber",
    "User",
    "Verification",
]
