"""One-time signing codes: where WeChat cannot check a face (Hong Kong, Macau, Taiwan and foreign documents), an
attested signer confirms each signature with a six-digit code sent to their phone. A code is valid ten minutes,
tried at most five times, used once; a new code replaces the earlier ones. Codes are kept as keyed hashes, phone
numbers sealed."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid

import phonenumbers

from backend.services.assurance import signing_needs_face
from backend.errors import Conflict, InvalidInput, NotFound, TooManyRequests
from backend.models import Application, Participant, SigningCode
from backend.services.consent import load_participating
from backend.services.container import Services
from backend.services.records import iso
from backend.services.transactions import atomic

CODE_TTL = dt.timedelta(minutes=10)
LINK_TTL = dt.timedelta(days=7)
MAX_ATTEMPTS = 5
RESEND_AFTER = dt.timedelta(seconds=60)
#: Regions a signer's phone may be in: the mainland, Hong Kong, Macau, Taiwan (others by their + prefix).
DEFAULT_REGION = "CN"
#: Verifications after which a signer confirms with a code instead of a face check.
ATTESTED = ("partner_attestation", "video")


def normalise_phone(raw: str) -> str:
    """The number in E.164 (`+8613800138000`); 422 when it is no valid mobile or fixed number."""
    try:
        number = phonenumbers.parse(str(raw)[:32], DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise InvalidInput("phone_invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """`+852 ****5678`: the country code and the last four digits."""
    number = phonenumbers.parse(e164)
    return f"+{number.country_code} ****{str(number.national_number)[-4:]}"


def _code_hash(svc: Services, code_id: uuid.UUID, code: str) -> str:
    return svc.sealer.lookup_hash(f"{code_id}:{code.strip()}", purpose="signing_code")


async def issue_code(
    svc: Services, *, application: Application, row: Participant, phone: str, issued_by: str, link: bool = False,
) -> tuple[SigningCode, str | None]:
    """Send a fresh code to `phone` for `row`'s next signature (and make a confirmation link's token when asked)."""
    if row.kind != "person":
        raise Conflict("participant_is_company")
    if signing_needs_face(svc.settings, row.document_type) and not link:
        raise Conflict("signing_code_not_needed", participant=str(row.id))
    e164 = normalise_phone(phone)
    now = svc.clock.now()
    last = await SigningCode.filter(participant_id=row.id, used_at__isnull=True).order_by("-created_at").first()
    if last is not None and now - last.created_at < RESEND_AFTER and not link:
        wait = int((last.created_at + RESEND_AFTER - now).total_seconds()) + 1
        raise TooManyRequests("signing_code_too_soon", retry_after_seconds=wait)
    code = f"{secrets.randbelow(10**6):06d}"
    token = secrets.token_urlsafe(24) if link else None
    code_id = uuid.uuid4()

    async def use_case(conn):
        await SigningCode.filter(participant_id=row.id, used_at__isnull=True, link_hash__isnull=not link).using_db(conn).update(
            expires_at=now)
        return await SigningCode.create(
            id=code_id, application=application, participant_id=row.id, participant_digest=row.digest,
            code_hash=_code_hash(svc, code_id, code), link_hash=hashlib.sha256(token.encode()).hexdigest() if token else None,
            phone_sealed=svc.sealer.seal_json({"phone": e164}, aad=f"signing_code:{code_id}"), issued_by=issued_by[:64],
            created_at=now, expires_at=now + (LINK_TTL if link else CODE_TTL), using_db=conn,
        )

    stored = await atomic(use_case)
    await _send(svc, phone=e164, code=code, now=now)
    return stored, token


async def _send(svc: Services, *, phone: str, code: str, now: dt.datetime) -> None:
    minutes = int(CODE_TTL.total_seconds() // 60)
    await svc.sms.send(phone=phone, now=now, text=(
        f"【开办 Kaiban】签署验证码 {code}，{minutes} 分钟内有效，请勿告诉他人。"
        f" Your Kaiban signing code is {code}, valid {minutes} minutes; do not share it."))


async def resend_link_code(svc: Services, *, entry: SigningCode) -> str:
    """A new code for a confirmation link (the earlier code stops working); answer the phone it went to."""
    now = svc.clock.now()
    if now - entry.created_at < RESEND_AFTER:
        wait = int((entry.created_at + RESEND_AFTER - now).total_seconds()) + 1
        raise TooManyRequests("signing_code_too_soon", retry_after_seconds=wait)
    phone = svc.sealer.open_json(bytes(entry.phone_sealed), aad=f"signing_code:{entry.id}")["phone"]
    code = f"{secrets.randbelow(10**6):06d}"
    await SigningCode.filter(id=entry.id, used_at__isnull=True).update(
        code_hash=_code_hash(svc, entry.id, code), created_at=now, attempts=0)
    await _send(svc, phone=phone, code=code, now=now)
    return phone


async def request_code(svc: Services, *, user_id: str, application_id: str, participant_id: str, phone: str) -> dict:
    """The mini-program path: an attested signer asks for a code to their phone for their next signature."""
    application = await load_participating(user_id, application_id)
    row = await Participant.filter(application_id=application.id, user_id=user_id, id=parse_participant_id(participant_id)).first()
    if row is None:
        raise NotFound("participant_not_found")
    if row.status != "verified" or row.assurance not in ATTESTED:
        raise Conflict("signer_attestation_required", participant=str(row.id))
    entry, _ = await issue_code(svc, application=application, row=row, phone=phone, issued_by=f"user:{user_id}")
    return {"phone": mask_phone(normalise_phone(phone)), "expires_at": iso(entry.expires_at)}


def parse_participant_id(raw: str) -> uuid.UUID:
    """A participant id from a URL; anything else is simply not found."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound("participant_not_found") from None


async def consume_code(
    svc: Services, *, application: Application, row: Participant, code: str, link_hash: str | None = None,
) -> dt.datetime:
    """Use the participant's live code (or the link's): answer when it was confirmed; a wrong code counts a try."""
    now = svc.clock.now()
    query = SigningCode.filter(application_id=application.id, participant_id=row.id, used_at__isnull=True)
    query = query.filter(link_hash=link_hash) if link_hash else query.filter(link_hash__isnull=True)
    entry = await query.order_by("-created_at").first()
    if entry is None or entry.expires_at <= now or entry.created_at + CODE_TTL <= now:  # the link, or its code, expired
        raise Conflict("signing_code_expired")
    if entry.participant_digest != row.digest:
        raise Conflict("signing_code_identity_changed")
    if entry.attempts >= MAX_ATTEMPTS:
        raise TooManyRequests("signing_code_locked", attempts=MAX_ATTEMPTS, retry_after_seconds=60)
    good = hmac.compare_digest(_code_hash(svc, entry.id, str(code)), entry.code_hash)
    updated = await SigningCode.filter(id=entry.id, used_at__isnull=True, attempts=entry.attempts).update(
        attempts=entry.attempts + 1, **({"used_at": now} if good else {}))
    if not updated:
        raise Conflict("signing_code_expired")  # a concurrent attempt used or counted it first
    if not good:
        raise InvalidInput("signing_code_wrong", attempts_left=MAX_ATTEMPTS - entry.attempts - 1)
    return now


