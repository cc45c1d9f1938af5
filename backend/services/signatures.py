"""Signing by every party: each natural person who must be identified signs in their own name, and each corporate
shareholder through its legal representative with the company's seal recorded. A signature covers the application
id, the hashes of every binding document, the time and the identity assurance, under a one-time certificate from the
CA; the signing completes ("signed") when every slot holds a signature over the current documents."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import uuid
from typing import Any

import rfc8785

from backend.adapters.ca.simulated import SignedPayload
from backend.domain.formation import State, Step, plan_step
from backend.domain.identifiers import mask_name
from backend.domain.signing import SignerSlot, covers, face_proof_fresh, signer_slots, signing_progress
from backend.errors import Conflict, Forbidden, InvalidInput
from backend.models import Application, Document, FaceCheck, Participant, Signature
from backend.services.assurance import signing_needs_face
from backend.services.consent import load_participating
from backend.services.container import Services
from backend.services.documents import document_commitments
from backend.services.participant_records import open_participant, to_domain
from backend.services.records import iso
from backend.services.signed_copies import embed_signature
from backend.services.signing_codes import ATTESTED, consume_code
from backend.services.steps import record_step
from backend.services.transactions import atomic

FACE_ASSURANCE = "wechat_face"
CODE_ASSURANCE = "+sms_code"  # appended to the attestation's level: the code proves the attested person signs now


@dataclasses.dataclass(frozen=True, kw_only=True)
class Seal:
    """A corporate shareholder's seal as the representative declares it: its registered serial and impression hash."""

    serial: str
    image_sha256: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class IdentityProof:
    """The fresh identity proof behind one signature."""

    level: str
    verified_at: dt.datetime


async def current_documents(application: Application, *, conn=None) -> dict[str, str]:
    """The current binding documents' `{kind: sha256}`."""
    query = Document.filter(application_id=application.id, current=True)
    return {doc.kind: doc.sha256 for doc in await (query.using_db(conn) if conn else query)}


async def slots_of(svc: Services, application: Application, *, conn=None) -> tuple[tuple[SignerSlot, ...], dict[str, Participant]]:
    """The signatures the application needs, with its participants by id."""
    query = Participant.filter(application_id=application.id).order_by("created_at")
    rows = await (query.using_db(conn) if conn else query)
    return signer_slots(to_domain(svc, rows)), {str(r.id): r for r in rows}


def slot_key(signature: Signature) -> tuple[str, str | None]:
    """The slot a stored signature fills."""
    return (str(signature.participant_id), str(signature.on_behalf_of_id) if signature.on_behalf_of_id else None)


async def progress_of(svc: Services, application: Application, *, conn=None):
    """Who has signed the current documents: the slots, the participants and the `SigningProgress`."""
    slots, rows = await slots_of(svc, application, conn=conn)
    documents = await current_documents(application, conn=conn)
    query = Signature.filter(application_id=application.id, participant_id__isnull=False)
    stored = await (query.using_db(conn) if conn else query)
    valid = [slot_key(s) for s in stored if s.valid and covers(s.payload.get("documents", []), documents)]
    progress = signing_progress(slots, valid=valid, invalidated=[slot_key(s) for s in stored if not s.valid])
    return rows, documents, stored, progress


def signature_payload(
    *, application_id: str, documents: dict[str, str], slot: SignerSlot, user_id: str | None, at: dt.datetime,
    proof: IdentityProof, seal: Seal | None,
) -> dict[str, Any]:
    """What a signature covers (no personal data: participants are named by their ids)."""
    return {
        "v": 2,
        "type": "formation.signature",
        "application": application_id,
        "documents": [{"kind": kind, "sha256": documents[kind]} for kind in sorted(documents)],
        "signer": {"participant": slot.participant_id, "user": user_id, "roles": list(slot.roles),
                   "on_behalf_of": slot.on_behalf_of, "seal": dataclasses.asdict(seal) if seal else None},
        "signed_at": iso(at),
        "assurance": {"level": proof.level, "verified_at": iso(proof.verified_at)},
    }


def choose_slot(slots, rows, *, user_id: str, participant_id: str | None, on_behalf_of: str | None) -> SignerSlot:
    """The slot the calling user signs: theirs, narrowed by the participant and company asked for."""
    mine = [s for s in slots if rows[s.participant_id].user_id is not None and str(rows[s.participant_id].user_id) == str(user_id)]
    if participant_id is not None:
        mine = [s for s in mine if s.participant_id == str(participant_id)]
    if on_behalf_of is not None:
        mine = [s for s in mine if s.on_behalf_of == str(on_behalf_of)]
    elif len(mine) > 1:
        mine = [s for s in mine if s.on_behalf_of is None] or mine
    if not mine:
        raise Forbidden("signer_not_participant")
    if len(mine) > 1:
        raise InvalidInput("signer_ambiguous", slots=[{"participant_id": s.participant_id, "on_behalf_of": s.on_behalf_of} for s in mine])
    return mine[0]


async def face_proof(svc: Services, *, application: Application, row: Participant, user_id: str) -> IdentityProof:
    """The signer's passed face check against their current identity, no older than ten minutes."""
    digests = [row.digest]
    if str(row.user_id) == str(application.owner_id) and application.identity_digest:
        digests.append(application.identity_digest)  # the founder's check is made by the identity step
    check = (
        await FaceCheck.filter(participant_id=row.id, user_id=user_id, status="passed", identity_digest__in=digests)
        .order_by("-passed_at").first()
    )
    if check is None or not face_proof_fresh(passed_at=check.passed_at, now=svc.clock.now()):
        raise Conflict("face_check_required", max_age_minutes=10, participant=str(row.id))
    return IdentityProof(level=FACE_ASSURANCE, verified_at=check.passed_at)


async def attested_proof(svc: Services, *, application: Application, row: Participant, code: str | None,
                         link_hash: str | None = None) -> IdentityProof:
    """A passed partner attestation (or video verification) of the current identity, plus a one-time code."""
    if row.status != "verified" or row.assurance not in ATTESTED:
        raise Conflict("signer_attestation_required", participant=str(row.id))
    if not code:
        raise Conflict("signing_code_required", participant=str(row.id))
    used = await consume_code(svc, application=application, row=row, code=code, link_hash=link_hash)
    return IdentityProof(level=f"{row.assurance}{CODE_ASSURANCE}", verified_at=used)


async def sign(
    svc: Services, *, user_id: str, application_id: str, participant_id: str | None = None,
    on_behalf_of: str | None = None, code: str | None = None, seal: Seal | None = None,
) -> tuple[Application, Signature]:
    """Sign the current documents in one's own slot; signing the same documents again returns the same signature."""
    application = await load_participating(user_id, application_id)
    plan_step(State(application.state), Step.SIGNATURE, changed=True)  # out of order fails before anything else
    slots, rows = await slots_of(svc, application)
    slot = choose_slot(slots, rows, user_id=user_id, participant_id=participant_id, on_behalf_of=on_behalf_of)
    return await sign_slot(svc, application=application, slot=slot, row=rows[slot.participant_id], user_id=user_id,
                           code=code, seal=seal)


async def sign_slot(
    svc: Services, *, application: Application, slot: SignerSlot, row: Participant, user_id: str | None,
    code: str | None, seal: Seal | None, link_hash: str | None = None,
) -> tuple[Application, Signature]:
    """Sign `slot` as the person of `row` (through the mini-program as `user_id`, or by a confirmation link)."""
    documents = await current_documents(application)
    if not documents:
        raise Conflict("documents_stale")
    existing = await Signature.filter(application_id=application.id, participant_id=row.id,
                                      on_behalf_of_id=slot.on_behalf_of, valid=True).first()
    if existing is not None and covers(existing.payload.get("documents", []), documents):
        return application, existing
    if slot.on_behalf_of and seal is None:
        raise InvalidInput("signature_seal_required", company=slot.on_behalf_of)
    needs_face = signing_needs_face(svc.settings, row.document_type)  # the assurance configuration says
    if row.status != "verified" and needs_face:
        raise Conflict("signer_not_identified", participant=str(row.id))
    if needs_face and link_hash is None:
        proof = await face_proof(svc, application=application, row=row, user_id=str(user_id))
    else:
        proof = await attested_proof(svc, application=application, row=row, code=code, link_hash=link_hash)
    now = svc.clock.now()
    payload = signature_payload(application_id=str(application.id), documents=documents, slot=slot, user_id=user_id,
                                at=now, proof=proof, seal=seal)
    message = rfc8785.dumps(payload)
    label = mask_name(open_participant(svc, row).name)
    key, certificate_pem = svc.ca.issue(subject_id=str(row.id), subject_label=label, now=now)  # one-time key
    signed = SignedPayload(signature=key.sign(message), certificate_pem=certificate_pem)
    reason = f"{label} {'/'.join(slot.roles)}" + (" (for a corporate shareholder)" if slot.on_behalf_of else "")
    return await atomic(lambda conn: _store(svc, application.id, slot, row, user_id, documents, payload, message, signed,
                                            conn, pades=(key, reason)))


async def _store(svc, application_id, slot, row, user_id, documents, payload, message, signed, conn, *, pades):
    locked = await Application.filter(id=application_id).select_for_update().using_db(conn).get()
    plan_step(State(locked.state), Step.SIGNATURE, changed=True)
    if await current_documents(locked, conn=conn) != documents:
        raise Conflict("documents_stale")
    same = await Signature.filter(application_id=locked.id, participant_id=row.id, on_behalf_of_id=slot.on_behalf_of,
                                  valid=True).using_db(conn).first()
    if same is not None and covers(same.payload.get("documents", []), documents):
        return locked, same  # a concurrent retry of this signature committed first
    await Signature.filter(application_id=locked.id, participant_id=row.id, on_behalf_of_id=slot.on_behalf_of,
                           valid=True).using_db(conn).update(valid=False)
    signature = await Signature.create(
        id=uuid.uuid4(), application=locked, signer_id=user_id, role="company_representative" if slot.on_behalf_of else "participant",
        participant_id=row.id, on_behalf_of_id=slot.on_behalf_of, payload=payload,
        signature_b64=base64.b64encode(signed.signature).decode(), certificate_pem=signed.certificate_pem,
        created_at=svc.clock.now(), using_db=conn,
    )
    key, reason = pades
    await embed_signature(svc, application=locked, key=key, certificate_pem=signed.certificate_pem, reason=reason,
                          signed_at=svc.clock.now(), conn=conn)
    _, _, _, progress = await progress_of(svc, locked, conn=conn)
    rows = await Document.filter(application_id=locked.id, current=True).using_db(conn)
    facts = {"payload_sha256": hashlib.sha256(message).hexdigest(), "signature_sha256": hashlib.sha256(signed.signature).hexdigest(),
             "documents": document_commitments(rows), "assurance": payload["assurance"]["level"],
             "signed": len(progress.signed), "of": len(progress.signed) + len(progress.pending)}
    state = State.SIGNED if progress.complete else State(locked.state)
    await record_step(svc, locked, step="signed" if progress.complete else "signature", state=state, facts=facts, conn=conn)
    return locked, signature


def verify_signature(svc: Services, signature: Signature, *, documents: dict[str, str], application_id: str) -> bool:
    """Whether a stored signature verifies with the CA and covers exactly these documents of this application."""
    payload = signature.payload
    if payload.get("application") != application_id or not covers(payload.get("documents", []), documents):
        return False
    try:
        svc.ca.verify(
            rfc8785.dumps(payload),
            SignedPayload(signature=base64.b64decode(signature.signature_b64), certificate_pem=signature.certificate_pem),
        )
    except Exception:  # any failure to verify is a failed verification, reported as such by the review
        return False
    return True


async def all_signed(svc: Services, application: Application) -> bool:
    """Whether every slot holds a valid signature that verifies with the CA over the current documents."""
    rows, documents, stored, progress = await progress_of(svc, application)
    if not progress.complete:
        return False
    wanted = {s.key for s in progress.signed}
    good = {slot_key(s) for s in stored
            if s.valid and verify_signature(svc, s, documents=documents, application_id=str(application.id))}
    return wanted <= good
