"""The ledger's leaf records: canonical (RFC 8785) JSON, with hashes and commitments only, never personal data."""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Any

import rfc8785

RECORD_VERSION = 1


def iso(moment: dt.datetime) -> str:
    """UTC time as RFC 3339 with a Z and second precision."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(value: Any) -> str:
    """Lowercase hex SHA-256 of the RFC 8785 form of a JSON value."""
    return hashlib.sha256(rfc8785.dumps(value)).hexdigest()


def step_record(*, application_id: str, step: str, state: str, at: dt.datetime, facts: Mapping[str, Any]) -> bytes:
    """A formation step: which application, which step, the resulting state, when, and hashes of what it fixed."""
    return rfc8785.dumps(
        {
            "v": RECORD_VERSION,
            "type": "formation.step",
            "application": application_id,
            "step": step,
            "state": state,
            "time": iso(at),
            "facts": dict(facts),
        }
    )


def licence_record(*, uscc: str, status: str, licence: Mapping[str, Any], application_id: str, at: dt.datetime) -> bytes:
    """A licence's status: the credit code and the SHA-256 of the RFC 8785 form of what the licence shows."""
    return rfc8785.dumps(
        {
            "v": RECORD_VERSION,
            "type": "licence.status",
            "uscc": uscc,
            "status": status,
            "licence_sha256": digest(dict(licence)),
            "application": application_id,
            "time": iso(at),
        }
    )
