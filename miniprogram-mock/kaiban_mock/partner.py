"""A partner organisation's client (a Hong Kong bank, a Macau notary): every request signed per RFC 9421.

Signing is the `http-message-signatures` library's (any RFC 9421 implementation would do): Ed25519 over
``@method``, ``@target-uri`` and, for a request with a body, its ``Content-Digest``, with ``created``, ``keyid`` and
a fresh random ``nonce``. Against a server in mock mode, `created` follows the shared mock clock (``sync_clock``) the
way a real partner's clock follows real time.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urljoin

import aiohttp
import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from http_message_signatures import HTTPMessageSigner, algorithms
from yarl import URL

COVERED = ("@method", "@target-uri")


class _Key:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key

    def resolve_private_key(self, key_id: str) -> Ed25519PrivateKey:
        return self._key


@dataclass
class PartnerClient:
    """Signed requests of one partner key against one Kaiban server."""

    session: aiohttp.ClientSession
    base_url: str
    key_id: str
    key: Ed25519PrivateKey
    clock_offset: float = 0.0  # seconds the server's (mock) clock runs ahead of ours
    last_headers: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def public_key_b64(key: Ed25519PrivateKey) -> str:
        """The base64 raw public key an admin registers for this partner."""
        return base64.b64encode(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()

    async def sync_clock(self) -> None:
        """Follow the server's mock clock (mock mode only), so signatures carry the time the server lives in."""
        async with self.session.get(urljoin(self.base_url, "/mock/clock")) as response:
            if response.status == 200:
                self.clock_offset = float((await response.json())["offset_seconds"])

    def signed_headers(self, method: str, url: str, body: bytes, *, created: dt.datetime | None = None,
                       nonce: str | None = None) -> dict[str, str]:
        """The headers that sign this request (Content-Type, Content-Digest, Signature-Input, Signature)."""
        headers: dict[str, str] = {"Content-Type": "application/json"} if body else {}
        message = SimpleNamespace(method=method.upper(), url=url, headers=headers)
        now = created or dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.clock_offset)
        HTTPMessageSigner(signature_algorithm=algorithms.ED25519, key_resolver=_Key(self.key)).sign(
            message, key_id=self.key_id, created=now, nonce=nonce or secrets.token_urlsafe(24), label="partner",
            covered_component_ids=COVERED, body=body if body else None,
        )
        return headers

    def attestation(self, *, application_id: str, participant_id: str, documents: dict[str, bytes],
                    staff_reference: str = "HK-BRANCH-001/staff-17", method: str = "in_person_document_check",
                    verified_at: dt.datetime | None = None, key_id: str | None = None) -> str:
        """A compact JWS (EdDSA) attesting that this partner verified a participant in person: the documents seen
        go in by their SHA-256 only, the verifier by a staff reference (never a name)."""
        moment = verified_at or dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.clock_offset)
        payload = {
            "v": 1, "type": "kaiban.partner-attestation", "application": application_id, "participant": participant_id,
            "verifier": {"staff_reference": staff_reference}, "method": method,
            "verified_at": moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "documents": [{"kind": kind, "sha256": hashlib.sha256(content).hexdigest()} for kind, content in documents.items()],
        }
        return jwt.encode(payload, self.key, algorithm="EdDSA",
                          headers={"kid": key_id or self.key_id, "typ": "kaiban-attestation+jws"})

    async def request(self, method: str, path: str, payload: Any = None, **sign: Any) -> tuple[int, Any]:
        """Send one signed request; answer (status, decoded JSON body or None)."""
        url = str(URL(urljoin(self.base_url, path)))  # percent-encoded, as it goes on the wire and is signed
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        headers = self.signed_headers(method, url, body, **sign)
        self.last_headers = dict(headers)
        async with self.session.request(method, URL(url, encoded=True), data=body or None, headers=headers) as response:
            return response.status, await _decoded(response)

    async def replay(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        """Send the last signed headers again, unchanged (what an eavesdropper replaying a request does)."""
        url = urljoin(self.base_url, path)
        body = json.dumps(payload, ensure_ascii=False).encode() if payload is not None else b""
        async with self.session.request(method, url, data=body or None, headers=self.last_headers) as response:
            return response.status, await _decoded(response)


async def _decoded(response: aiohttp.ClientResponse) -> Any:
    """The JSON body, the text of another body, or None when empty."""
    raw = await response.read()
    if not raw:
        return None
    if response.content_type.endswith("json"):
        return json.loads(raw)
    return raw.decode("utf-8", "replace")
