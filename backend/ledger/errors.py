"""Errors of the ledger library; each carries the values that failed as keyword parameters."""
from __future__ import annotations

from backend.errors import KaibanError


class LedgerError(KaibanError):
    """A ledger value is not acceptable (422), e.g. a hash the store must provide is missing."""

    status = 422
    default_code = "ledger_error"


class ProofError(LedgerError):
    """An inclusion or consistency proof does not verify or is malformed."""

    default_code = "proof_invalid"


class CheckpointError(LedgerError):
    """A checkpoint or signed note is malformed or has no valid signature from a trusted key."""

    default_code = "checkpoint_invalid"


class BundleError(LedgerError):
    """A licence proof bundle does not match the licence it accompanies, or is malformed."""

    default_code = "bundle_invalid"
