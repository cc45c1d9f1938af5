"""Who must sign an application, who has signed its current documents, and who must sign again after a change."""
from __future__ import annotations

from backend.domain.identifiers import mask_name
from backend.models import Application
from backend.services import signatures
from backend.services.container import Services
from backend.services.participant_records import open_participant
from backend.services.records import iso


async def signing_status(svc: Services, application: Application, *, user_id: str | None) -> dict:
    """Who must sign, who has signed the current documents, and who must sign again after a change."""
    rows, documents, stored, progress = await signatures.progress_of(svc, application)
    latest = {signatures.slot_key(s): s for s in sorted(stored, key=lambda s: s.created_at) if s.valid}
    signed, again = {s.key for s in progress.signed}, {s.key for s in progress.again}
    items = []
    for slot in progress.slots:
        row = rows[slot.participant_id]
        status = "signed" if slot.key in signed else "sign_again" if slot.key in again else "pending"
        items.append({
            "participant_id": slot.participant_id, "name": mask_name(open_participant(svc, row).name),
            "on_behalf_of": slot.on_behalf_of,
            "company": mask_name(open_participant(svc, rows[slot.on_behalf_of]).name) if slot.on_behalf_of else None,
            "roles": list(slot.roles), "status": status, "linked": row.user_id is not None,
            "me": user_id is not None and row.user_id is not None and str(row.user_id) == str(user_id),
            "signed_at": iso(latest[slot.key].created_at) if slot.key in signed else None,
        })
    return {"documents": [{"kind": k, "sha256": documents[k]} for k in sorted(documents)], "signers": items,
            "complete": progress.complete, "state": application.state}
