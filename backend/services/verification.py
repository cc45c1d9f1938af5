"""Verifying a participant's identity: a WeChat face check for mainland identity cards, otherwise a pending partner
attestation or video verification closed by an admin or an officer. Each outcome has its own state and message;
failed face checks are bounded, then cool down (service clock)."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

from tortoise.backends.base.client import BaseDBAsyncClient

from backend.adapters.wechat.errors import WeChatError
from backend.adapters.wechat.protocol import cert_hash, classify_verify_ret
from backend.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from backend.models import Application, FaceCheck, Participant, User, Verification
from backend.services.consent import load_participating, require_consent
from backend.services.container import Services
from backend.services.participant_records import open_participant
from backend.services.steps import load_owned
from backend.services.transactions import atomic

FACE_DOCUMENTS = {"cn_resident_id": "IDENTITY_CARD"}  # WeChat face verification covers mainland identity cards only
ASSURANCE = {"face": "wechat_face", "partner_attestation": "partner_attestation", "video": "video"}
PENDING_STATUS = {"partner_attestation": "pending_attestation", "video": "pending_video"}
#: queryverifyinfo outcome -> (stored status, problem code)
OUTCOMES = {
    "cancel": ("cancelled", "face_check_cancelled"),
    "timeout": ("timed_out", "face_check_timeout"),
    "mismatch": ("mismatch", "face_check_mismatch"),
    "failed": ("failed", "face_check_failed"),
}
FAILED_STATUSES = [status for status, _ in OUTCOMES.values()]
NOT_YET_VERIFIED = 84003


class FaceCheckFailed(InvalidInput):
    """A face check ended without a pass; the code says how (cancelled, timed out, mismatch, ...)."""


async def check_attempts(svc: Services, *, user_id: str, application_id: uuid.UUID) -> None:
    """Refuse a new face check after too many failures in a row, until the cool-down has passed (429)."""
    limit, cooldown = svc.settings.face_check_max_attempts, svc.settings.face_check_cooldown
    now = svc.clock.now()
    last_pass = await FaceCheck.filter(user_id=user_id, application_id=application_id, status="passed").order_by("-passed_at").first()
    query = FaceCheck.filter(user_id=user_id, application_id=application_id, status__in=FAILED_STATUSES,
                             created_at__gte=now - dt.timedelta(seconds=cooldown))
    if last_pass is not None and last_pass.passed_at is not None:
        query = query.filter(created_at__gt=last_pass.passed_at)
    failures = await query.order_by("-created_at").limit(limit)
    if len(failures) >= limit:
        until = failures[0].created_at + dt.timedelta(seconds=cooldown)
        raise TooManyRequests("face_check_too_many_attempts", attempts=limit, retry_after_seconds=max(1, int((until - now).total_seconds())),
                              retry_after=until.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))


async def open_face_check(
    svc: Services, *, user: User, application: Application, cert_type: str, name: str, number: str,
    identity_digest: str, participant_id: uuid.UUID | None,
) -> FaceCheck:
    """getverifyid for `user` against a name and number. We keep a keyed index of the cert_hash, not the cert_hash
    itself (an unkeyed hash of a name and an identity number can be searched): the result is asked with the
    cert_hash computed again from the sealed identity, checked against that index."""
    await check_attempts(svc, user_id=str(user.id), application_id=application.id)
    out_seq_no = secrets.token_hex(16)
    ticket = await svc.wechat.face_get_verify_id(out_seq_no=out_seq_no, cert_type=cert_type, cert_name=name, cert_no=number, openid=user.openid)
    now = svc.clock.now()
    return await FaceCheck.create(
        id=uuid.uuid4(), user_id=user.id, application=application, identity_digest=identity_digest, participant_id=participant_id,
        verify_id=ticket.verify_id, out_seq_no=out_seq_no, cert_hash=_cert_index(svc, cert_hash(cert_type, name, number)), status="pending",
        created_at=now, expires_at=now + dt.timedelta(seconds=ticket.expires_in),
    )


def _cert_index(svc: Services, value: str) -> str:
    return svc.sealer.lookup_hash(value, purpose="face_cert_hash")


async def query_face_check(svc: Services, check: FaceCheck, *, cert_type: str, name: str, number: str) -> FaceCheck:
    """queryverifyinfo: record the outcome in its own state; a pass only with errcode 0 and verify_ret 10000.

    `cert_type`, `name`, `number` are the identity now on file: their cert_hash must be the one the check was opened
    with (else the identity changed since), and is what WeChat checks against getverifyid."""
    if check.status == "passed":
        return check
    if check.status == "invalidated":
        raise Conflict(check.failure_code or "face_check_identity_changed")
    if check.status in FAILED_STATUSES or check.status == "expired":
        raise FaceCheckFailed(check.failure_code or "face_check_failed", state=check.status)
    if svc.clock.now() >= check.expires_at:
        check.status, check.failure_code = "expired", "face_check_expired"
        await check.save(update_fields=["status", "failure_code"])
        raise Conflict("face_check_expired")
    expected = cert_hash(cert_type, name, number)
    if not hmac.compare_digest(_cert_index(svc, expected), check.cert_hash):
        raise Conflict("face_check_identity_changed")
    user = await User.get(id=check.user_id)
    try:  # the client raises on any errcode other than 0, so a verify_ret here came with errcode 0
        verify_ret = await svc.wechat.face_query_verify_info(
            verify_id=check.verify_id, out_seq_no=check.out_seq_no, cert_hash=expected, openid=user.openid
        )
    except WeChatError as exc:
        if exc.errcode == NOT_YET_VERIFIED:
            raise Conflict("face_check_not_completed") from exc
        raise
    outcome = classify_verify_ret(verify_ret)
    if outcome != "pass":
        check.status, check.failure_code = OUTCOMES[outcome]
        await check.save(update_fields=["status", "failure_code"])
        raise FaceCheckFailed(check.failure_code, state=check.status, verify_ret=verify_ret)
    check.status, check.passed_at = "passed", svc.clock.now()
    await check.save(update_fields=["status", "passed_at"])
    return check


async def _participant(application: Application, participant_id: str, conn: BaseDBAsyncClient | None = None) -> Participant:
    try:
        pid = uuid.UUID(str(participant_id))
    except ValueError:
        raise NotFound("participant_not_found") from None
    query = Participant.filter(id=pid, application_id=application.id)
    row = await (query.using_db(conn) if conn else query).first()
    if row is None:
        raise NotFound("participant_not_found")
    return row


async def start_verification(svc: Services, *, user_id: str, application_id: str, participant_id: str, method: str | None) -> dict:
    """Start verifying a participant: a face check (mainland card, by the person themselves) or a pending step."""
    application = await load_participating(user_id, application_id)
    row = await _participant(application, participant_id)
    if row.kind != "person":
        raise Conflict("participant_is_company")
    await require_consent(user_id=user_id, application_id=application.id)
    if row.status == "verified" and not (method == "face" and row.document_type in FACE_DOCUMENTS):
        return {"status": row.status, "assurance": row.assurance}  # a fresh face check for signing is asked for by name
    facts = open_participant(svc, row)
    if row.document_type in FACE_DOCUMENTS and method in (None, "face"):
        if row.user_id is None or str(row.user_id) != str(user_id):
            raise Conflict("participant_face_check_by_person", participant=str(row.id))
        user = await User.get(id=user_id)
        check = await open_face_check(svc, user=user, application=application, cert_type=FACE_DOCUMENTS[row.document_type],
                                      name=facts.name, number=facts.number, identity_digest=row.digest, participant_id=row.id)
        if row.status != "verified":  # a signer's fresh check leaves an earlier verification standing
            await Participant.filter(id=row.id).update(status="pending_face")
        return {"status": "pending_face", "face_check": check}
    if method == "face":
        raise Conflict("face_check_not_available", document_type=row.document_type,
                       alternatives=["partner_attestation", "video"])
    if method not in (None, "partner_attestation", "video"):
        raise InvalidInput("verification_method_unknown", method=str(method)[:32], supported=["face", "partner_attestation", "video"])
    method = method or "partner_attestation"

    async def use_case(conn):
        await Verification.filter(participant_id=row.id, status="pending").using_db(conn).update(status="invalidated")
        verification = await Verification.create(
            id=uuid.uuid4(), participant_id=row.id, method=method, status="pending", assurance=ASSURANCE[method],
            participant_digest=row.digest, created_at=svc.clock.now(), using_db=conn,
        )
        await Participant.filter(id=row.id).using_db(conn).update(status=PENDING_STATUS[method], assurance=None, verified_at=None)
        return verification

    verification = await atomic(use_case)
    return {"status": PENDING_STATUS[method], "verification": verification}


async def complete_participant_face_check(svc: Services, *, user_id: str, application_id: str, participant_id: str, verify_id: str) -> Participant:
    """Fetch a participant's face-check result; a pass made against the current identity verifies them."""
    application = await load_participating(user_id, application_id)
    row = await _participant(application, participant_id)
    check = await FaceCheck.filter(verify_id=verify_id, user_id=user_id, participant_id=row.id).first()
    if check is None:
        raise NotFound("face_check_not_found")
    if check.identity_digest != row.digest:
        raise Conflict("face_check_identity_changed")
    facts = open_participant(svc, row)
    check = await query_face_check(svc, check, cert_type=FACE_DOCUMENTS[row.document_type], name=facts.name, number=facts.number)
    await Participant.filter(id=row.id, digest=check.identity_digest).update(
        status="verified", assurance=ASSURANCE["face"], verified_at=check.passed_at
    )
    return await Participant.get(id=row.id)


async def close_verification(
    svc: Services, *, participant_id: str, method: str, passed: bool, closed_by: str, reference: str | None = None
) -> Verification:
    """An admin records a partner attestation, or an officer closes a video verification (passed or rejected)."""
    try:
        pid = uuid.UUID(str(participant_id))
    except ValueError:
        raise NotFound("participant_not_found") from None

    async def use_case(conn):
        row = await Participant.filter(id=pid).using_db(conn).select_for_update().first()
        if row is None:
            raise NotFound("participant_not_found")
        return await close_pending(svc, row=row, method=method, passed=passed, closed_by=closed_by, reference=reference,
                                   conn=conn)

    return await atomic(use_case)


async def close_pending(
    svc: Services, *, row: Participant, method: str, passed: bool, closed_by: str, reference: str | None,
    conn: BaseDBAsyncClient,
) -> Verification:
    """Close the participant's pending verification by `method` inside the caller's transaction."""
    pending = await Verification.filter(participant_id=row.id, method=method, status="pending").using_db(conn).first()
    if pending is None:
        raise Conflict("verification_not_pending", method=method)
    if pending.participant_digest != row.digest:
        pending.status = "invalidated"
        await pending.save(using_db=conn, update_fields=["status"])
        raise Conflict("verification_identity_changed")
    now = svc.clock.now()
    pending.status, pending.closed_at, pending.closed_by, pending.reference = (
        "passed" if passed else "rejected", now, closed_by[:64], (reference or "")[:64] or None)
    await pending.save(using_db=conn)
    if passed:
        row.status, row.assurance, row.verified_at = "verified", pending.assurance, now
    else:
        row.status, row.assurance, row.verified_at = "unverified", None, None
    await row.save(using_db=conn, update_fields=["status", "assurance", "verified_at"])
    return pending


async def invite(svc: Services, *, user_id: str, application_id: str, participant_id: str) -> str:
    """A one-time code the participant enters in their own mini-program to link their WeChat account."""
    application = await load_owned(user_id, application_id)
    row = await _participant(application, participant_id)
    if row.kind != "person":
        raise Conflict("participant_is_company")
    code = secrets.token_urlsafe(12)
    await Participant.filter(id=row.id).update(invitation_hash=hashlib.sha256(code.encode()).hexdigest())
    return code


async def accept_invitation(svc: Services, *, user_id: str, code: str) -> Participant:
    """Link the calling user to the participant the code was made for (single use)."""
    digest = hashlib.sha256(code.strip().encode()).hexdigest()

    async def use_case(conn):
        row = await Participant.filter(invitation_hash=digest).using_db(conn).select_for_update().first()
        if row is None:
            raise NotFound("invitation_not_found")
        row.user_id, row.invitation_hash = user_id, None
        await row.save(using_db=conn, update_fields=["user_id", "invitation_hash"])
        return row

    return await atomic(use_case)
