"""Who signs a formation, in what capacity, with which identity proof, and when the signing is complete. Pure, no I/O.

Every natural person who must be identified (`roles_needing_identity`) signs in their own name; each corporate
shareholder signs through its legal representative, with the company's seal recorded. A signature counts only while
it covers exactly the current binding documents.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from backend.domain.participants import IDENTIFIED_ROLES, CorporateShareholder, Participant, roles_needing_identity

#: A face check older than this is no fresh identity proof for signing (issue 3, point 5).
FACE_PROOF_MAX_AGE = dt.timedelta(minutes=10)
@dataclasses.dataclass(frozen=True, kw_only=True)
class SignerSlot:
    """One signature the formation needs: a person signing for themselves or for a corporate shareholder."""

    participant_id: str  # the natural person who signs
    on_behalf_of: str | None  # the corporate shareholder they sign for, or None for their own capacity
    roles: tuple[str, ...]  # the roles this signature is given in

    @property
    def key(self) -> tuple[str, str | None]:
        """What identifies the slot among the application's signatures."""
        return (self.participant_id, self.on_behalf_of)


def signer_slots(participants: Sequence[Participant]) -> tuple[SignerSlot, ...]:
    """Every signature the application needs, in the participants' order."""
    slots = [  # a company's representative who holds no role of their own signs only for the company
        SignerSlot(participant_id=person.id, on_behalf_of=None, roles=tuple(sorted(str(r) for r in person.roles)))
        for person in roles_needing_identity(participants) if person.roles & IDENTIFIED_ROLES
    ]
    for company in participants:
        if isinstance(company, CorporateShareholder) and company.representative_id:
            slots.append(SignerSlot(participant_id=company.representative_id, on_behalf_of=company.id,
                                    roles=tuple(sorted(str(r) for r in company.roles))))
    return tuple(slots)


def face_proof_fresh(*, passed_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a face check passed at `passed_at` still proves identity for signing at `now`."""
    return passed_at is not None and now - FACE_PROOF_MAX_AGE <= passed_at <= now


@dataclasses.dataclass(frozen=True, kw_only=True)
class SigningProgress:
    """Who has signed the current documents and who has still to."""

    slots: tuple[SignerSlot, ...]  # every slot, in the participants' order
    signed: tuple[SignerSlot, ...]
    pending: tuple[SignerSlot, ...]
    again: tuple[SignerSlot, ...]  # pending slots whose earlier signature a change invalidated

    @property
    def complete(self) -> bool:
        """Every slot holds a valid signature (and there is at least one slot)."""
        return bool(self.signed) and not self.pending


def signing_progress(
    slots: Sequence[SignerSlot], *, valid: Iterable[tuple[str, str | None]], invalidated: Iterable[tuple[str, str | None]] = (),
) -> SigningProgress:
    """Sort the slots by the keys of valid signatures (covering the current documents) and of invalidated ones."""
    valid_keys, old_keys = set(valid), set(invalidated)
    signed = tuple(s for s in slots if s.key in valid_keys)
    pending = tuple(s for s in slots if s.key not in valid_keys)
    return SigningProgress(slots=tuple(slots), signed=signed, pending=pending, again=tuple(s for s in pending if s.key in old_keys))


def covers(payload_documents: Iterable[Mapping[str, str]], current: Mapping[str, str]) -> bool:
    """Whether a signature's document list is exactly the current binding documents."""
    return {d["kind"]: d["sha256"] for d in payload_documents} == dict(current) and bool(current)
