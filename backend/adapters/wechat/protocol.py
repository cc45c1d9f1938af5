"""Pure helpers for WeChat's wire protocol: body parsing, signatures, cert_hash, user-data decryption.

No I/O here; both the client and the fake platform use these, and they are unit-tested against the
vectors of the WeChat protocol spec (cert_hash, HMAC, the official WXBizDataCrypt sample).
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from backend.adapters.wechat.errors import WeChatDataError

#: errcodes meaning "the access_token is the problem": refresh once and retry once.
ACCESS_TOKEN_ERRCODES = frozenset({40001, 40014, 41001, 42001})

#: verify_ret of queryverifyinfo meaning the face verification passed (only together with errcode 0).
FACE_VERIFY_PASS = 10000
#: verify_ret values for "the user cancelled" (tutorial page, init, recognition, upload, release).
FACE_VERIFY_CANCELLED = frozenset(range(90002, 90007))
#: verify_ret for "the recognition timed out".
FACE_VERIFY_TIMEOUT = 90017
#: verify_ret values for "the ID number / the face does not match the identity".
FACE_VERIFY_MISMATCH = frozenset({10003, 10004})


def parse_body(raw: bytes) -> dict[str, Any]:
    """Parse a WeChat answer as a JSON object, whatever its content type claimed.

    Raises ValueError when the bytes are not UTF-8 JSON holding an object.
    """
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("WeChat answer is not a JSON object")
    return data


def errcode_of(body: dict[str, Any]) -> int:
    """The errcode of a parsed answer; a missing (or null) errcode means success (0)."""
    value = body.get("errcode")
    if value is None:
        return 0
    return int(value)


def classify_verify_ret(verify_ret: int) -> str:
    """Name a queryverifyinfo verify_ret: "pass", "cancel", "timeout", "mismatch" or "failed"."""
    if verify_ret == FACE_VERIFY_PASS:
        return "pass"
    if verify_ret in FACE_VERIFY_CANCELLED:
        return "cancel"
    if verify_ret == FACE_VERIFY_TIMEOUT:
        return "timeout"
    if verify_ret in FACE_VERIFY_MISMATCH:
        return "mismatch"
    return "failed"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def cert_hash(cert_type: str, cert_name: str, cert_no: str) -> str:
    """The cert_hash of queryverifyinfo: lowercase hex SHA-256 of
    `cert_type=<b64>&cert_name=<b64>&cert_no=<b64>`, each value base64 of its UTF-8 bytes."""
    message = f"cert_type={_b64(cert_type)}&cert_name={_b64(cert_name)}&cert_no={_b64(cert_no)}"
    return hashlib.sha256(message.encode("utf-8")).hexdigest()


def hmac_sha256_hex(key: str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of `message` keyed with the UTF-8 bytes of the text `key`."""
    return hmac.new(key.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def checksession_signature(session_key: str) -> str:
    """The `signature` of /wxa/checksession: HMAC-SHA256 keyed with the session_key TEXT over ""."""
    return hmac_sha256_hex(session_key, "")


def data_signature(raw_data: str, session_key: str) -> str:
    """The signature of wx.getUserInfo's rawData: sha1(rawData + session_key), lowercase hex."""
    return hashlib.sha1((raw_data + session_key).encode("utf-8")).hexdigest()  # noqa: S324 - WeChat defines this signature as SHA-1


def verify_data_signature(raw_data: str, signature: str, session_key: str) -> bool:
    """Whether `signature` is the data signature of `raw_data` (constant-time comparison)."""
    return hmac.compare_digest(data_signature(raw_data, session_key), signature.lower())


def _decode_16(text: str, field: str) -> bytes:
    if not isinstance(text, str) or len(text) != 24:
        raise WeChatDataError(field, "must be 24 base64 characters")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise WeChatDataError(field, "is not base64") from None
    if len(raw) != 16:
        raise WeChatDataError(field, "must decode to 16 bytes")
    return raw


def decrypt_user_data(session_key: str, encrypted_data: str, iv: str, appid: str) -> dict[str, Any]:
    """Decrypt mini-program `encryptedData` (AES-128-CBC, PKCS#7) and check its watermark.

    Returns the JSON object; raises WeChatDataError when the data cannot be decrypted with this key
    (often a session_key rotated by a newer wx.login) or its `watermark.appid` is not `appid`.
    The session_key never appears in an error.
    """
    key = _decode_16(session_key, "session_key")
    iv_bytes = _decode_16(iv, "iv")
    try:
        ciphertext = base64.b64decode(encrypted_data, validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise WeChatDataError("encryptedData", "is not base64") from None
    if not ciphertext or len(ciphertext) % 16:
        raise WeChatDataError("encryptedData", "is not a whole number of AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv_bytes)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    try:
        plaintext = unpadder.update(padded) + unpadder.finalize()
        data = json.loads(plaintext.decode("utf-8"))
    except ValueError:  # bad padding, bad UTF-8 and bad JSON are all ValueError
        raise WeChatDataError("encryptedData", "does not decrypt with the current session_key") from None
    if not isinstance(data, dict):
        raise WeChatDataError("encryptedData", "does not hold a JSON object")
    watermark = data.get("watermark")
    if not isinstance(watermark, dict) or watermark.get("appid") != appid:
        raise WeChatDataError("encryptedData", "watermark appid does not match this mini-program")
    return data


def encrypt_user_data(session_key: str, data: dict[str, Any], iv: bytes | None = None) -> tuple[str, str]:
    """The inverse of `decrypt_user_data` (what WeChat does for the phone): returns (encryptedData, iv),
    both base64. Used by the fake platform and tests; `data` should already carry its watermark."""
    key = _decode_16(session_key, "session_key")
    iv = os.urandom(16) if iv is None else iv
    padder = padding.PKCS7(128).padder()
    plaintext = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    ciphertext = encryptor.update(padded) + encryptor.finalize()
    return base64.b64encode(ciphertext).decode("ascii"), base64.b64encode(iv).decode("ascii")
