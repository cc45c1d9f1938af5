"""The signature step: after a fresh face check the founder signs the application id, the document hashes, the
time and the identity assurance level, with a one-time certificate from the CA."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import uuid
from typing import Any

import rfc8785

from backend.adapters.ca.simulated import SignedPayload
from backend.domain.formation import State, Step, plan_step
from backend.domain.identifiers import mask_name
from backend.errors import Conflict
from backend.models import Application, Document, FaceCheck, Identity, Signature
from backend.services.container import Services
from backend.services.documents import document_commitments
from backend.services.identity import FOUNDER, open_identity
from backend.services.records import iso
from backend.services.steps import load_owned, record_step
from backend.services.transactions import atomic

ASSURANCE = "face_verified_wechat_v2"


def signature_payload(
    *, application_id: str, documents: dict[str, str], signer: str, role: str, at: dt.datetime, face_verified_at: dt.datetime
) -> dict[str, Any]:
    """What a signature covers."""
    return {
        "v": 1,
        "type": "formation.signature",
        "application": application_id,
        "documents": [{"kind": kind, "sha256": documents[kind]} for kind in sorted(documents)],
        "signer": {"user": signer, "role": role},
        "signed_at": iso(at),
        "assurance": {"level": ASSURANCE, "face_verified_at": iso(face_verified_at)},
    }


async def fresh_face_check(svc: Services, *, user_id: str, application: Application) -> FaceCheck:
    """The user's passed face check on this application, no older than the configured maximum age."""
    max_age = svc.settings.face_check_max_age
    check = (
        await FaceCheck.filter(user_id=user_id, application_id=application.id, status="passed")
        .order_by("-passed_at")
        .first()
    )
    now = svc.clock.now()
    if check is None or check.passed_at < now - dt.timedelta(seconds=max_age) or check.identity_digest != application.identity_digest:
        raise Conflict("face_check_required", max_age_minutes=max_age // 60)
    return check


async def sign(svc: Services, *, user_id: str, application_id: str) -> tuple[Application, Signature]:
    """Sign the current documents; signing the same documents again returns the existing signature."""
    application = await load_owned(user_id, application_id)
    plan_step(State(application.state), Step.SIGNATURE, changed=True)
    documents = {doc.kind: doc.sha256 for doc in await Document.filter(application_id=application.id, current=True)}
    existing = await Signature.filter(application_id=application.id, signer_id=user_id, valid=True).first()
    if existing is not None and _covered(existing.payload) == documents:
        return application, existing
    check = await fresh_face_check(svc, user_id=user_id, application=application)
    now = svc.clock.now()
    payload = signature_payload(
        application_id=str(application.id), documents=documents, signer=user_id, role=FOUNDER, at=now,
        face_verified_at=check.passed_at,
    )
    message = rfc8785.dumps(payload)
    identity = await Identity.get(application_id=application.id, role=FOUNDER)
    label = mask_name(open_identity(svc, identity).name)
    signed = svc.ca.sign(message, subject_id=user_id, subject_label=label, now=now)

    async def use_case(conn):
        locked = await load_owned(user_id, application_id, conn=conn, lock=True)
        transition = plan_step(State(locked.state), Step.SIGNATURE, changed=True)
        rows = await Document.filter(application_id=locked.id, current=True).using_db(conn)
        if {d.kind: d.sha256 for d in rows} != documents:
            raise Conflict("documents_stale")
        await Signature.filter(application_id=locked.id, signer_id=user_id, valid=True).using_db(conn).update(valid=False)
        signature = await Signature.create(
            id=uuid.uuid4(),
            application=locked,
            signer_id=user_id,
            role=FOUNDER,
            payload=payload,
            signature_b64=base64.b64encode(signed.signature).decode(),
            certificate_pem=signed.certificate_pem,
            created_at=now,
            using_db=conn,
        )
        facts = {
            "payload_sha256": hashlib.sha256(message).hexdigest(),
            "signature_sha256": hashlib.sha256(signed.signature).hexdigest(),
            "documents": document_commitments(rows),
            "assurance": ASSURANCE,
        }
        await record_step(svc, locked, step="signed", state=transition.state, facts=facts, conn=conn)
        return locked, signature

    return await atomic(use_case)


def _covered(payload: dict[str, Any]) -> dict[str, str]:
    return {item["kind"]: item["sha256"] for item in payload.get("documents", [])}


def verify_signature(svc: Services, signature: Signature, *, documents: dict[str, str], application_id: str) -> bool:
    """Whether a stored signature verifies with the CA and covers exactly these documents of this application."""
    payload = signature.payload
    if payload.get("application") != application_id or _covered(payload) != documents:
        return False
    try:
        svc.ca.verify(
            rfc8785.dumps(payload),
            SignedPayload(signature=base64.b64decode(signature.signature_b64), certificate_pem=signature.certificate_pem),
        )
    except Exception:  # any failure to verify is a failed verification, reported as such by the review
        return False
    return True
