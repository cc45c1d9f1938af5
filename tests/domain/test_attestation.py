"""A partner's attestation payload: hashes and references only, about one participant, recent."""
from __future__ import annotations

import datetime as dt

import pytest

from backend.domain.attestation import check_attestation, parse_attestation
from backend.errors import InvalidInput

NOW = dt.datetime(2026, 12, 4, 4, 0, tzinfo=dt.timezone.utc)
PAYLOAD = {"v": 1, "type": "kaiban.partner-attestation", "application": "a1", "participant": "p1",
           "verifier": {"staff_reference": "HK-001/staff-17"}, "method": "in_person_document_check",
           "verified_at": "2026-12-04T03:30:00Z", "documents": [{"kind": "hk_id_card", "sha256": "a" * 64}]}


def test_a_good_payload_is_read_and_checked() -> None:
    attestation = parse_attestation(PAYLOAD)
    assert attestation.documents[0].sha256 == "a" * 64 and attestation.verified_at.hour == 3
    check_attestation(attestation, application_id="a1", participant_id="p1", now=NOW, leeway=dt.timedelta(minutes=5))


@pytest.mark.parametrize("changes", [
    {"type": "other"}, {"v": 2}, {"verifier": {"staff_reference": "陳大文"}}, {"verifier": {}}, {"method": "phone_call"},
    {"documents": []}, {"documents": [{"kind": "hk_id_card", "sha256": "A" * 64}]}, {"verified_at": "2026-12-04T03:30:00+08:00"},
    {"name": "陳大文"},  # no field beyond the schema: nothing personal slips in
])
def test_a_malformed_payload_is_refused(changes) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_attestation({**PAYLOAD, **changes})
    assert refused.value.code == "attestation_malformed"


@pytest.mark.parametrize("participant, verified_at, code", [
    ("p2", "2026-12-04T03:30:00Z", "attestation_mismatch"),
    ("p1", "2026-08-01T00:00:00Z", "attestation_stale"),
    ("p1", "2026-12-04T05:00:00Z", "attestation_stale"),
])
def test_another_participant_or_an_old_or_future_check_is_refused(participant, verified_at, code) -> None:
    attestation = parse_attestation({**PAYLOAD, "verified_at": verified_at})
    with pytest.raises(InvalidInput) as refused:
        check_attestation(attestation, application_id="a1", participant_id=participant, now=NOW, leeway=dt.timedelta(minutes=5))
    assert refused.value.code == code
