"""Recording a partner's signed attestation: the JWS verified against the partner's registered Ed25519 key, put on
the ledger as it came (it holds hashes and references only), and the participant's pending partner attestation
passed with it, as the admin command does. When the person is the founder, it is their identity step."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import uuid

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.assurance import required_assurance, satisfies
from backend.domain.attestation import check_attestation, parse_attestation
from backend.domain.formation import State
from backend.errors import Conflict, InvalidInput, NotFound
from backend.models import Application, Partner, PartnerAttestation, Participant, Verification
from backend.services.assurance import assurance_config
from backend.services.container import Services
from backend.services.identity import verify_founder_by_attestation
from backend.services.partner_auth import AuthenticatedPartner
from backend.services.steps import parse_id, record_step
from backend.services.transactions import atomic
from backend.services.verification import ASSURANCE, close_pending

JWS_TYPE = "kaiban-attestation+jws"
LEVEL = ASSURANCE["partner_attestation"]


@dataclasses.dataclass(frozen=True)
class Recorded:
    """An attestation as recorded: its row and the participant it verified."""

    attestation: PartnerAttestation
    participant: Participant


def verify_jws(token: str, *, key_id: str, public_key: bytes) -> tuple[dict, bytes]:
    """The payload of a compact JWS (EdDSA) signed by the key `key_id`, and its bytes; 422 with a distinct code."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidInput("attestation_malformed", reason=f"not a compact JWS: {str(exc)[:80]}") from None
    if header.get("alg") != "EdDSA" or header.get("typ") != JWS_TYPE:
        raise InvalidInput("attestation_malformed", reason=f"header must have alg EdDSA and typ {JWS_TYPE}")
    if header.get("kid") != key_id:
        raise InvalidInput("attestation_key_mismatch", kid=str(header.get("kid"))[:64], keyid=key_id)
    try:
        decoded = jwt.api_jws.PyJWS().decode_complete(
            token, key=Ed25519PublicKey.from_public_bytes(public_key), algorithms=["EdDSA"])
    except jwt.InvalidSignatureError:
        raise InvalidInput("attestation_signature_invalid") from None
    except jwt.PyJWTError as exc:
        raise InvalidInput("attestation_malformed", reason=str(exc)[:80]) from None
    try:
        payload = json.loads(decoded["payload"])
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("attestation_malformed", reason="the payload is not JSON") from None
    if not isinstance(payload, dict):
        raise InvalidInput("attestation_malformed", reason="the payload is not a JSON object")
    return payload, decoded["payload"]


async def partner_application(partner_id: uuid.UUID, application_id: str, *, conn: BaseDBAsyncClient | None = None,
                              lock: bool = False) -> Application:
    """An application the partner submitted; 404 for any other (another partner's, an applicant's own)."""
    query = Application.filter(id=parse_id(application_id), partner_id=partner_id)
    if lock:
        query = query.select_for_update()
    application = await (query.using_db(conn) if conn else query).first()
    if application is None:
        raise NotFound("application_not_found")
    return application


async def record_attestation(svc: Services, *, partner: AuthenticatedPartner, application_id: str,
                             participant_id: str, token: str) -> Recorded:
    """Verify and record a partner's attestation of one participant; the same attestation again changes nothing."""
    registered = await Partner.get(id=partner.id)
    payload, raw = verify_jws(token, key_id=registered.key_id, public_key=bytes(registered.public_key))
    attestation = parse_attestation(payload)
    application = await partner_application(partner.id, application_id)
    row = await Participant.filter(id=parse_id(participant_id), application_id=application.id).first()
    if row is None:
        raise NotFound("participant_not_found")
    check_attestation(attestation, application_id=str(application.id), participant_id=str(row.id),
                      now=svc.clock.now(), leeway=dt.timedelta(seconds=svc.settings.partner_signature_window))
    if row.kind == "person":
        required = required_assurance("identify", row.document_type, assurance_config(svc.settings))
        if not satisfies(LEVEL, required, assurance_config(svc.settings)):
            raise Conflict("assurance_insufficient", level=LEVEL, required=required, document_type=row.document_type)
    payload_sha256 = hashlib.sha256(raw).hexdigest()

    async def use_case(conn):
        app = await partner_application(partner.id, application_id, conn=conn, lock=True)
        person = await Participant.filter(id=row.id).using_db(conn).select_for_update().first()
        existing = await PartnerAttestation.filter(payload_sha256=payload_sha256).using_db(conn).first()
        if existing is not None:
            return Recorded(attestation=existing, participant=person)
        verification_id = uuid.uuid4()
        if person.kind == "person":
            if person.status == "verified":
                raise Conflict("participant_already_verified", assurance=person.assurance)
            closed = await close_pending(svc, row=person, method="partner_attestation", passed=True,
                                         closed_by=f"partner:{registered.key_id}", reference=attestation.staff_reference,
                                         conn=conn)
            verification_id = closed.id
        recorded = await PartnerAttestation.create(
            id=uuid.uuid4(), partner_id=partner.id, application=app, participant_id=person.id,
            verification_id=verification_id, jws=token, payload_sha256=payload_sha256, assurance=LEVEL,
            created_at=svc.clock.now(), using_db=conn)
        await record_step(svc, app, step="partner_attested", state=State(app.state), conn=conn, facts={
            "participant": str(person.id), "partner": registered.key_id, "assurance": LEVEL,
            "attestation_sha256": payload_sha256, "attestation": token})
        if person.kind == "person" and person.user_id is not None and str(person.user_id) == str(app.owner_id):
            await verify_founder_by_attestation(svc, app, participant=person, conn=conn)
        return Recorded(attestation=recorded, participant=person)

    return await atomic(use_case)


async def pending_verifications(participant_ids: list[uuid.UUID]) -> dict[str, Verification]:
    """The latest verification of each participant (for the partner's status view)."""
    latest: dict[str, Verification] = {}
    for verification in await Verification.filter(participant_id__in=participant_ids).order_by("created_at"):
        latest[str(verification.participant_id)] = verification
    return latest
