"""Remote confirmation links: a signer without the mini-program (a Hong Kong or Macau applicant served by a partner)
opens a one-time link, reads what they sign, and confirms with the code sent to their phone. The link alone signs
nothing: it needs the person's partner attestation (or video verification) and the code."""
from __future__ import annotations

import hashlib
from typing import Any

from backend.domain.formation import State
from backend.domain.identifiers import mask_name
from backend.errors import Conflict, NotFound
from backend.models import Application, Participant, SigningCode
from backend.services.container import Services
from backend.services.participant_records import open_participant
from backend.services.records import iso
from backend.services.signatures import Seal, current_documents, progress_of, sign_slot, slots_of
from backend.services.signing_codes import ATTESTED, CODE_TTL, parse_participant_id, issue_code, mask_phone, resend_link_code

#: The page a link opens (served by this backend); partners hand it to the signer with the application's details.
LINK_PATH = "/confirm/"


async def create_link(svc: Services, *, application: Application, participant_id: str, phone: str, issued_by: str) -> dict[str, Any]:
    """Make a confirmation link for a participant and send the first code to their phone."""
    row = await Participant.filter(id=parse_participant_id(participant_id), application_id=application.id).first()
    if row is None:
        raise NotFound("participant_not_found")
    if row.status != "verified" or row.assurance not in ATTESTED:
        raise Conflict("signer_attestation_required", participant=str(row.id))
    entry, token = await issue_code(svc, application=application, row=row, phone=phone, issued_by=issued_by, link=True)
    return {"url": f"{(svc.settings.public_base_url or '').rstrip('/')}{LINK_PATH}{token}", "token": token,
            "expires_at": iso(entry.expires_at), "code_valid_minutes": int(CODE_TTL.total_seconds() // 60),
            "phone": mask_phone(svc.sealer.open_json(bytes(entry.phone_sealed), aad=f"signing_code:{entry.id}")["phone"])}


async def _open(svc: Services, token: str) -> tuple[SigningCode, Application, Participant]:
    entry = await SigningCode.filter(link_hash=hashlib.sha256(token.encode()).hexdigest()).first()
    if entry is None:
        raise NotFound("confirmation_not_found")
    if entry.expires_at <= svc.clock.now() and entry.used_at is None:
        raise Conflict("confirmation_expired")
    application = await Application.get(id=entry.application_id)
    row = await Participant.filter(id=entry.participant_id, application_id=application.id).first()
    if row is None or row.digest != entry.participant_digest:
        raise Conflict("signing_code_identity_changed")
    return entry, application, row


async def confirmation_view(svc: Services, *, token: str) -> dict[str, Any]:
    """What the signer sees before confirming: the company, their slots and the documents' hashes (masked names)."""
    entry, application, row = await _open(svc, token)
    slots, rows = await slots_of(svc, application)
    _, documents, _, progress = await progress_of(svc, application)
    signed = {s.key for s in progress.signed}
    mine = [s for s in slots if s.participant_id == str(row.id)]
    return {
        "application": str(application.id), "company_name": application.company_name, "state": application.state,
        "signer": {"participant_id": str(row.id), "name": mask_name(open_participant(svc, row).name)},
        "slots": [{"on_behalf_of": s.on_behalf_of, "company": mask_name(open_participant(svc, rows[s.on_behalf_of]).name) if s.on_behalf_of else None,
                   "roles": list(s.roles), "signed": s.key in signed} for s in mine],
        "documents": [{"kind": kind, "sha256": documents[kind]} for kind in sorted(documents)],
        "used": entry.used_at is not None, "expires_at": iso(entry.expires_at),
    }


async def resend_code(svc: Services, *, token: str) -> dict[str, Any]:
    """Send a new code for the link (the earlier one stops working)."""
    entry, _, _ = await _open(svc, token)
    if entry.used_at is not None:
        raise Conflict("confirmation_used")
    phone = await resend_link_code(svc, entry=entry)
    return {"phone": mask_phone(phone), "code_valid_minutes": int(CODE_TTL.total_seconds() // 60)}


async def confirm(svc: Services, *, token: str, code: str, on_behalf_of: str | None = None, seal: Seal | None = None):
    """Sign the participant's slot (their own, or a company's they represent) with the link and its code."""
    entry, application, row = await _open(svc, token)
    if State(application.state) not in (State.DOCUMENTS_GENERATED,):
        raise Conflict("confirmation_not_open", state=application.state)
    if not await current_documents(application):
        raise Conflict("documents_stale")
    slots, _ = await slots_of(svc, application)
    mine = [s for s in slots if s.participant_id == str(row.id) and s.on_behalf_of == (str(on_behalf_of) if on_behalf_of else None)]
    if not mine:
        raise NotFound("confirmation_slot_not_found")
    return await sign_slot(svc, application=application, slot=mine[0], row=row, user_id=None, code=code, seal=seal,
                           link_hash=entry.link_hash)
