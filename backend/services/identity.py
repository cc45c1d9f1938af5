"""The identity step: the founder's mainland identity card, checked, sealed, and confirmed by a WeChat face check."""
from __future__ import annotations

import dataclasses
import re
import uuid

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.domain.formation import State, Step, plan_step
from backend.domain.identifiers import check_mainland_id
from backend.errors import Conflict, InvalidInput, NotFound
from backend.models import Application, FaceCheck, Identity, Participant, User
from backend.privacy import commitment, new_salt
from backend.services.consent import require_consent
from backend.services.container import Services
from backend.services.identity_facts import CHINA, today
from backend.services.participant_records import identity_key, open_participant
from backend.services.participants import sync_founder
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic
from backend.services.verification import ASSURANCE, open_face_check, query_face_check

__all__ = ["CHINA", "DOCUMENT_TYPES", "FOUNDER", "IdentityFacts", "open_identity", "today"]
FOUNDER = "founder"
#: How each document is named on the registration forms: the founder's own identity step (mainland card), then the
#: documents of founders a partner verified in person (participant document types).
DOCUMENT_TYPES = {
    "mainland_resident_id": "中华人民共和国居民身份证",
    "cn_resident_id": "中华人民共和国居民身份证",
    "cn_residence_permit": "港澳台居民居住证",
    "hk_id": "香港居民身份证",
    "mo_id": "澳门居民身份证",
    "hk_mo_travel_permit": "港澳居民来往内地通行证",
    "tw_travel_permit": "台湾居民来往大陆通行证",
    "foreign_permanent_resident_id": "外国人永久居留身份证",
    "passport_mrz": "护照",
}
SELF_SERVICE_TYPES = ("mainland_resident_id",)  # what the mini-program's identity step takes (WeChat face check)
CERT_TYPE = {"mainland_resident_id": "IDENTITY_CARD"}
_NAME = re.compile(r"^[\u3400-\u9fff\u00b7\u30fb]{2,30}$")


@dataclasses.dataclass(frozen=True)
class IdentityFacts:
    """The sealed personal fields of an identity, opened."""

    name: str
    document_type: str
    document_number: str
    birth_date: str
    salt_hex: str


def open_identity(svc: Services, identity: Identity) -> IdentityFacts:
    """Decrypt an identity's personal fields."""
    values = svc.sealer.open_json(bytes(identity.sealed), aad=f"identity:{identity.id}")
    return IdentityFacts(**values)


async def submit_identity(
    svc: Services, *, user_id: str, application_id: str, name: str, document_type: str, document_number: str
) -> tuple[Application, FaceCheck | None]:
    """Record the founder's identity (pending until the face check) and open a face check; a retry is idempotent."""
    owned = await load_owned(user_id, application_id)
    await require_consent(user_id=user_id, application_id=owned.id)  # before any identity data is looked at
    if document_type not in SELF_SERVICE_TYPES:
        raise InvalidInput("document_type_unsupported", document_type=document_type, supported=list(SELF_SERVICE_TYPES))
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInput("field_invalid", field="name", reason="2-30 Chinese characters")
    checked = check_mainland_id(document_number.strip().upper(), today=today(svc))
    age = checked.age_on(today(svc))
    if age < 18:
        raise InvalidInput("founder_not_adult", age=age)
    digest = svc.sealer.lookup_hash(f"{name}|{document_type}|{checked.number}", purpose="identity")

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        plan_step(State(application.state), Step.IDENTITY, changed=True)  # raises if the step is not allowed now
        await require_consent(user_id=user_id, application_id=application.id, conn=conn)
        identity = await Identity.filter(application_id=application.id, role=FOUNDER).using_db(conn).first()
        if identity is not None and identity.digest == digest and identity.status == "verified":
            return application, None
        identity_id = identity.id if identity else uuid.uuid4()
        facts = IdentityFacts(
            name=name,
            document_type=document_type,
            document_number=checked.number,
            birth_date=checked.birth_date.isoformat(),
            salt_hex=new_salt().hex(),
        )
        sealed = svc.sealer.seal_json(dataclasses.asdict(facts), aad=f"identity:{identity_id}")
        await sync_founder(svc, application, user_id=user_id, name=name, number=checked.number,
                           birth_date=facts.birth_date, conn=conn)
        values = dict(
            user_id=user_id,
            document_type=document_type,
            sealed=sealed,
            key_id=svc.sealer.key_id,
            number_lookup=svc.sealer.lookup_hash(checked.number, purpose="id_number"),
            digest=digest,
            status="pending",
            verified_at=None,
        )
        if identity is None:
            await Identity.create(
                id=identity_id, application=application, role=FOUNDER, created_at=svc.clock.now(), using_db=conn, **values
            )
        else:
            await Identity.filter(id=identity_id).using_db(conn).update(**values)
        return application, None

    application, _ = await atomic(use_case)
    face_check = await start_face_check(svc, user_id=user_id, application_id=str(application.id))
    return application, face_check


async def start_face_check(svc: Services, *, user_id: str, application_id: str) -> FaceCheck:
    """Ask WeChat for a face verification of the user against the founder identity on the application."""
    application = await load_owned(user_id, application_id)
    identity = await Identity.filter(application_id=application.id, role=FOUNDER, user_id=user_id).first()
    if identity is None:
        raise Conflict("identity_not_pending")
    await require_consent(user_id=user_id, application_id=application.id)
    facts = open_identity(svc, identity)
    founder = await Participant.filter(application_id=application.id, user_id=user_id).first()
    return await open_face_check(
        svc, user=await User.get(id=user_id), application=application, cert_type=CERT_TYPE[facts.document_type],
        name=facts.name, number=facts.document_number, identity_digest=identity.digest,
        participant_id=founder.id if founder else None,
    )


async def complete_face_check(
    svc: Services, *, user_id: str, application_id: str, verify_id: str
) -> tuple[FaceCheck, Application]:
    """Ask WeChat for the result; a pass verifies a pending identity. Each failure has its own state and message."""
    application = await load_owned(user_id, application_id)
    check = await FaceCheck.filter(verify_id=verify_id, user_id=user_id, application_id=application.id).first()
    if check is None:
        raise NotFound("face_check_not_found")
    identity = await Identity.filter(application_id=application.id, role=FOUNDER).first()
    if identity is None:
        raise Conflict("identity_not_pending")
    facts = open_identity(svc, identity)
    check = await query_face_check(svc, check, cert_type=CERT_TYPE[facts.document_type], name=facts.name,
                                   number=facts.document_number)
    return check, await _verify_identity(svc, user_id=user_id, application_id=application_id, check=check)


async def _verify_identity(svc: Services, *, user_id: str, application_id: str, check: FaceCheck) -> Application:
    """Mark the pending identity that the face check was made against as verified, and record the step."""

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        identity = await Identity.filter(application_id=application.id, role=FOUNDER).using_db(conn).first()
        if identity is None or identity.digest != check.identity_digest or identity.status == "verified":
            return application  # a face check for signing, or an identity replaced since: nothing to verify
        transition = plan_step(
            State(application.state), Step.IDENTITY, changed=application.identity_digest != identity.digest
        )
        identity.status, identity.verified_at = "verified", svc.clock.now()
        await identity.save(using_db=conn, update_fields=["status", "verified_at"])
        if check.participant_id is not None:  # the founder as a participant, checked by this same face check
            await Participant.filter(id=check.participant_id, application_id=application.id).using_db(conn).update(
                status="verified", assurance=ASSURANCE["face"], verified_at=check.passed_at
            )
        application.identity_digest = identity.digest
        if transition.invalidates_documents:
            await invalidate_documents(application, conn=conn)
        if transition.changes:
            facts = open_identity(svc, identity)
            proof = commitment(f"{facts.document_type}|{facts.document_number}|{facts.name}", salt=bytes.fromhex(facts.salt_hex))
            await record_step(
                svc,
                application,
                step="identity_verified",
                state=transition.state,
                facts={"founder_commitment": proof, "assurance": "wechat_face_v2"},
                conn=conn,
            )
        else:
            await application.save(using_db=conn, update_fields=["identity_digest"])
        return application

    return await atomic(use_case)


async def verify_founder_by_attestation(
    svc: Services, application: Application, *, participant: Participant, conn: BaseDBAsyncClient
) -> None:
    """A partner attested the founder of an application it submitted: their participant record becomes the founder
    identity, verified with assurance partner_attestation, and the identity step is recorded (as a face check does)."""
    facts = open_participant(svc, participant)
    number = identity_key(participant.document_type, facts.number).split("|")[0]
    digest = svc.sealer.lookup_hash(f"{facts.name}|{participant.document_type}|{number}", purpose="identity")
    transition = plan_step(State(application.state), Step.IDENTITY, changed=application.identity_digest != digest)
    identity = await Identity.filter(application_id=application.id, role=FOUNDER).using_db(conn).first()
    identity_id = identity.id if identity else uuid.uuid4()
    person = IdentityFacts(name=facts.name, document_type=participant.document_type, document_number=number,
                           birth_date=facts.birth_date or "", salt_hex=new_salt().hex())
    values = dict(user_id=application.owner_id, document_type=participant.document_type,
                  sealed=svc.sealer.seal_json(dataclasses.asdict(person), aad=f"identity:{identity_id}"),
                  key_id=svc.sealer.key_id, number_lookup=svc.sealer.lookup_hash(number, purpose="id_number"),
                  digest=digest, status="verified", verified_at=svc.clock.now())
    if identity is None:
        await Identity.create(id=identity_id, application=application, role=FOUNDER, created_at=svc.clock.now(),
                              using_db=conn, **values)
    else:
        await Identity.filter(id=identity_id).using_db(conn).update(**values)
    application.identity_digest = digest
    if transition.invalidates_documents:
        await invalidate_documents(application, conn=conn)
    if not transition.changes:
        await application.save(using_db=conn, update_fields=["identity_digest"])
        return
    proof = commitment(f"{person.document_type}|{person.document_number}|{person.name}", salt=bytes.fromhex(person.salt_hex))
    await record_step(svc, application, step="identity_verified", state=transition.state,
                      facts={"founder_commitment": proof, "assurance": ASSURANCE["partner_attestation"]}, conn=conn)
