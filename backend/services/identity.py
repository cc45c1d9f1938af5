"""The identity step: the founder's mainland identity card, checked, sealed, and confirmed by a WeChat face check."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
import uuid
from zoneinfo import ZoneInfo

from backend.adapters.wechat.errors import WeChatError
from backend.adapters.wechat.protocol import cert_hash, classify_verify_ret
from backend.domain.formation import State, Step, plan_step
from backend.domain.identifiers import check_mainland_id
from backend.errors import Conflict, InvalidInput, NotFound
from backend.models import Application, FaceCheck, Identity, User
from backend.privacy import commitment, new_salt
from backend.services.container import Services
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

CHINA = ZoneInfo("Asia/Shanghai")
FOUNDER = "founder"
DOCUMENT_TYPES = {"mainland_resident_id": "中华人民共和国居民身份证"}
CERT_TYPE = {"mainland_resident_id": "IDENTITY_CARD"}
_NAME = re.compile(r"^[\u3400-\u9fff\u00b7\u30fb]{2,30}$")
NOT_YET_VERIFIED = 84003


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


def today(svc: Services) -> dt.date:
    """Today's date in China, by the service clock."""
    return svc.clock.now().astimezone(CHINA).date()


async def submit_identity(
    svc: Services, *, user_id: str, application_id: str, name: str, document_type: str, document_number: str
) -> tuple[Application, FaceCheck | None]:
    """Record the founder's identity (pending until the face check) and open a face check; a retry is idempotent."""
    if document_type not in DOCUMENT_TYPES:
        raise InvalidInput("document_type_unsupported", document_type=document_type, supported=sorted(DOCUMENT_TYPES))
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
        values = dict(
            user_id=user_id,
            document_type=document_type,
            sealed=sealed,
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
    """Ask WeChat for a face verification of the user against the identity on the application."""
    application = await load_owned(user_id, application_id)
    identity = await Identity.filter(application_id=application.id, role=FOUNDER, user_id=user_id).first()
    if identity is None:
        raise Conflict("identity_not_pending")
    facts = open_identity(svc, identity)
    user = await User.get(id=user_id)
    cert_type = CERT_TYPE[facts.document_type]
    out_seq_no = secrets.token_hex(16)
    ticket = await svc.wechat.face_get_verify_id(
        out_seq_no=out_seq_no, cert_type=cert_type, cert_name=facts.name, cert_no=facts.document_number, openid=user.openid
    )
    now = svc.clock.now()
    return await FaceCheck.create(
        id=uuid.uuid4(),
        user_id=user_id,
        application=application,
        identity_digest=identity.digest,
        verify_id=ticket.verify_id,
        out_seq_no=out_seq_no,
        cert_hash=cert_hash(cert_type, facts.name, facts.document_number),
        status="pending",
        created_at=now,
        expires_at=now + dt.timedelta(seconds=ticket.expires_in),
    )


_FAILURES = {
    "cancel": "face_check_cancelled",
    "timeout": "face_check_timeout",
    "mismatch": "face_check_mismatch",
    "failed": "face_check_failed",
}


async def complete_face_check(
    svc: Services, *, user_id: str, application_id: str, verify_id: str
) -> tuple[FaceCheck, Application]:
    """Ask WeChat for the result; a pass verifies a pending identity. Failures explain what to do next."""
    application = await load_owned(user_id, application_id)
    check = await FaceCheck.filter(verify_id=verify_id, user_id=user_id, application_id=application.id).first()
    if check is None:
        raise NotFound("face_check_not_found")
    if check.status == "passed":
        return check, await _verify_identity(svc, user_id=user_id, application_id=application_id, check=check)
    if check.status == "failed":
        raise InvalidInput(check.failure_code or "face_check_failed", verify_ret=0)
    if svc.clock.now() >= check.expires_at:
        raise Conflict("face_check_expired")
    user = await User.get(id=user_id)
    try:
        verify_ret = await svc.wechat.face_query_verify_info(
            verify_id=check.verify_id, out_seq_no=check.out_seq_no, cert_hash=check.cert_hash, openid=user.openid
        )
    except WeChatError as exc:
        if exc.errcode == NOT_YET_VERIFIED:
            raise Conflict("face_check_not_completed") from exc
        raise
    outcome = classify_verify_ret(verify_ret)
    if outcome != "pass":
        check.status, check.failure_code = "failed", _FAILURES[outcome]
        await check.save(update_fields=["status", "failure_code"])
        raise InvalidInput(check.failure_code, verify_ret=verify_ret)
    check.status, check.passed_at = "passed", svc.clock.now()
    await check.save(update_fields=["status", "passed_at"])
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
