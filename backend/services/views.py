"""What the client sees of an application: current state, masked personal data, documents, the chain records."""
from __future__ import annotations

import asyncio
from typing import Any

from backend.domain.findings import Finding
from backend.domain.formation import State, next_step
from backend.domain.identifiers import mask_id_number, mask_name
from backend.models import (Application, Document, Identity, Licence, NameClaim, LedgerRecord, Signature,
                            SubscribeMessage)
from backend.services.container import Services
from backend.services.identity import FOUNDER, open_identity
from backend.services.records import iso


async def application_view(svc: Services, application: Application, *, lang: str) -> dict[str, Any]:
    """The application as the API returns it; personal data masked."""
    app_id = application.id
    # read side by side (one round trip's wait, not six); a licence exists only once the application is licensed
    identity, claim, documents, signatures, licence, last = await asyncio.gather(
        Identity.filter(application_id=app_id, role=FOUNDER).first(),
        NameClaim.filter(application_id=app_id).first(),
        Document.filter(application_id=app_id, current=True).order_by("kind"),
        Signature.filter(application_id=app_id, valid=True),
        Licence.filter(application_id=app_id).first() if application.state == State.LICENSED else _nothing(),
        LedgerRecord.filter(application_id=app_id).order_by("-id").first(),
    )
    base = f"/api/v1/applications/{app_id}"
    identity_view = None
    if identity is not None:
        person = open_identity(svc, identity)
        identity_view = {
            "role": identity.role,
            "status": identity.status,
            "name": mask_name(person.name),
            "document_type": identity.document_type,
            "document_number": mask_id_number(person.document_number),
            "verified_at": iso(identity.verified_at) if identity.verified_at else None,
        }
    review = None
    if application.review:
        findings = [
            Finding(code=f["code"], severity="error", params=f.get("params") or {}, rule=f.get("rule")).to_dict(lang)
            for f in application.review.get("findings", [])
        ]
        review = {
            "decided_at": application.review.get("decided_at"),
            "method": application.review.get("method"),
            "outcome": application.review.get("outcome"),
            "findings": findings,
            "reasons": list(application.review.get("reasons", [])),  # an officer's own words
        }
    return {
        "id": str(app_id),
        "state": application.state,
        "entity_type": application.entity_type,
        "company_name": application.company_name,
        "next_step": next_step(State(application.state)),
        "ledger_index": last.ledger_index if last else None,
        "identity": identity_view,
        "name_reservation": None
        if claim is None
        else {"name": claim.name, "status": claim.status, "expires_at": iso(claim.expires_at) if claim.expires_at else None,
              "pre_approval": claim.pre_approval},
        "details": application.details,
        "documents": [document_view(application, d) for d in documents],
        "signatures": [
            {"role": s.role, "participant_id": str(s.participant_id) if s.participant_id else None,
             "on_behalf_of": str(s.on_behalf_of_id) if s.on_behalf_of_id else None,
             "signed_at": s.payload.get("signed_at"), "assurance": s.payload.get("assurance", {}).get("level")}
            for s in signatures
        ],
        "review": review,
        "licence": None if licence is None else {"uscc": licence.uscc, "url": f"/api/v1/licences/{licence.uscc}"},
        "time_to_licence": time_to_licence(application),
        "created_at": iso(application.created_at),
        "updated_at": iso(application.updated_at),
        "links": {"self": base, "timeline": f"{base}/timeline", "signatures": f"{base}/signatures"},
    }


async def _nothing() -> None:
    return None


def document_view(application: Application, document: Document) -> dict[str, Any]:
    """A document's hash, size and download link."""
    return {
        "kind": document.kind,
        "sha256": document.sha256,
        "size": document.size,
        "url": f"/api/v1/applications/{application.id}/documents/{document.kind}",
    }


def time_to_licence(application: Application) -> dict[str, Any] | None:
    """From the application's start to its licence, once licensed: both times and the seconds between."""
    if application.licensed_at is None or application.time_to_licence_s is None:
        return None
    return {"started_at": iso(application.created_at), "licensed_at": iso(application.licensed_at),
            "seconds": application.time_to_licence_s}


async def timeline(application: Application) -> list[dict[str, Any]]:
    """Every recorded step with its time, the seconds since the start, its ledger index (null while it waits to be
    sequenced) and, for a status change, what became of the WeChat message about it (pending, sent, refused...)."""
    records = await LedgerRecord.filter(application_id=application.id).order_by("id")
    messages = dict(await SubscribeMessage.filter(application_id=application.id).values_list("record_id", "status"))
    return [
        {"step": r.step, "ledger_index": r.ledger_index, "at": iso(r.created_at),
         "since_start_s": int((r.created_at - application.created_at).total_seconds()),
         "message": messages.get(r.id)}
        for r in records
    ]
