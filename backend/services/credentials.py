"""The licence as a signed credential: a compact JWS (EdDSA) over the RFC 8785 form of the licence object, under
the registration authority's published key, so a bank checks a licence offline with the key it pinned."""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from backend.errors import KaibanError

MEDIA_TYPE = "kaiban-licence+jws"


class CredentialInvalid(KaibanError):
    """A licence credential that does not verify, or does not match the licence."""

    status = 422
    default_code = "licence_credential_invalid"


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def derive_issuer_key(authority_key: Ed25519PrivateKey) -> Ed25519PrivateKey:
    """The credential key, derived (HKDF-SHA256) from the authority's key so it is its own key for its own use."""
    seed = authority_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    derived = HKDF(algorithm=SHA256(), length=32, salt=None, info=b"kaiban licence credential v1").derive(seed)
    return Ed25519PrivateKey.from_private_bytes(derived)


class LicenceIssuer:
    """Signs licence objects and publishes its verification key as a JWK set."""

    def __init__(self, *, key: Ed25519PrivateKey) -> None:
        self._key = key
        raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.kid = hashlib.sha256(raw).hexdigest()[:16]
        self._jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "kid": self.kid, "use": "sig", "alg": "EdDSA"}

    def jwks(self) -> dict[str, Any]:
        """The published key set."""
        return {"keys": [dict(self._jwk)]}

    def sign(self, licence: dict[str, Any]) -> str:
        """The compact JWS of the licence (payload: its RFC 8785 bytes)."""
        return jwt.api_jws.PyJWS().encode(rfc8785.dumps(licence), self._key, algorithm="EdDSA",
                                         headers={"kid": self.kid, "typ": MEDIA_TYPE})


def verify_credential(token: str, *, jwk: dict[str, Any], licence: dict[str, Any] | None = None) -> dict[str, Any]:
    """Verify a credential with a pinned JWK; answer the licence it states (and check it equals `licence`)."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4)))
        header = jwt.get_unverified_header(token)
        if header.get("kid") != jwk.get("kid") or header.get("typ") != MEDIA_TYPE:
            raise CredentialInvalid(reason="wrong key id or type")
        payload = jwt.api_jws.PyJWS().decode(token, key, algorithms=["EdDSA"])
        stated = json.loads(payload)
    except CredentialInvalid:
        raise
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as exc:
        raise CredentialInvalid(reason=str(exc)[:100]) from exc
    if rfc8785.dumps(stated) != payload:
        raise CredentialInvalid(reason="payload is not canonical JSON")
    if licence is not None and stated != licence:
        raise CredentialInvalid(reason="the credential states another licence")
    return stated
