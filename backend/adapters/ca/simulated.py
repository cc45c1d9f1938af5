"""A simulated CA issuing one-time "event certificates" (事件证书), as Chinese cloud e-signature services do.

For each signature a fresh Ed25519 key is made on the server, certified for a few minutes, used once and discarded,
so no signer key is ever stored. The certificates say SIMULATED in their issuer name: they have no legal standing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.x509.oid import NameOID

from backend.errors import KaibanError

EVENT_CERT_MINUTES = 10


class SignatureInvalid(KaibanError):
    """A signature or its certificate does not verify."""

    status = 422
    default_code = "signature_invalid"


@dataclasses.dataclass(frozen=True)
class SignedPayload:
    """A signature with the certificate that verifies it."""

    signature: bytes
    certificate_pem: str


class SignatureAuthority(Protocol):
    """What the signature service needs from a CA."""

    def ca_certificate_pem(self) -> str: ...

    def issue(self, *, subject_id: str, subject_label: str, now: dt.datetime) -> tuple[Ed25519PrivateKey, str]: ...

    def sign(self, payload: bytes, *, subject_id: str, subject_label: str, now: dt.datetime) -> SignedPayload: ...

    def verify(self, payload: bytes, signed: SignedPayload) -> None: ...


class SimulatedCA:
    """A local CA for development and tests; never a substitute for a licensed CA."""

    def __init__(self, *, key: Ed25519PrivateKey, name: str = "Kaiban SIMULATED Signature CA") -> None:
        self._key = key
        self._name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kaiban (SIMULATED, no legal effect)"),
                x509.NameAttribute(NameOID.COMMON_NAME, name),
            ]
        )
        start = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
        self._certificate = (
            x509.CertificateBuilder()
            .subject_name(self._name)
            .issuer_name(self._name)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650 * 3))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .sign(key, None)
        )

    def ca_certificate_pem(self) -> str:
        """The CA certificate that verifies every signature offline."""
        return self._certificate.public_bytes(serialization.Encoding.PEM).decode()

    def issue(self, *, subject_id: str, subject_label: str, now: dt.datetime) -> tuple[Ed25519PrivateKey, str]:
        """A fresh one-time key and its event certificate (PEM), valid a few minutes; the caller discards the key."""
        signer_key = Ed25519PrivateKey.generate()
        certificate = (
            x509.CertificateBuilder()
            .subject_name(
                x509.Name(
                    [
                        x509.NameAttribute(NameOID.COMMON_NAME, subject_label),
                        x509.NameAttribute(NameOID.USER_ID, subject_id),
                    ]
                )
            )
            .issuer_name(self._name)
            .public_key(signer_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(minutes=EVENT_CERT_MINUTES))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(self._key, None)
        )
        return signer_key, certificate.public_bytes(serialization.Encoding.PEM).decode()

    def sign(self, payload: bytes, *, subject_id: str, subject_label: str, now: dt.datetime) -> SignedPayload:
        """Certify a one-time key for the subject and sign `payload` with it."""
        signer_key, certificate_pem = self.issue(subject_id=subject_id, subject_label=subject_label, now=now)
        return SignedPayload(signature=signer_key.sign(payload), certificate_pem=certificate_pem)

    def verify(self, payload: bytes, signed: SignedPayload) -> None:
        """Check the certificate was issued by this CA and the signature covers `payload`."""
        try:
            certificate = x509.load_pem_x509_certificate(signed.certificate_pem.encode())
            if certificate.issuer != self._name:
                raise SignatureInvalid(reason="issuer")
            self._key.public_key().verify(certificate.signature, certificate.tbs_certificate_bytes)
            public = certificate.public_key()
            if not isinstance(public, Ed25519PublicKey):
                raise SignatureInvalid(reason="key_type")
            public.verify(signed.signature, payload)
        except (InvalidSignature, ValueError) as exc:
            raise SignatureInvalid(reason=type(exc).__name__) from exc
