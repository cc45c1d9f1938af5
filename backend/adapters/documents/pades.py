"""PAdES signatures on the documents' PDFs with pyHanko: a signed copy is a derived file (an incremental update
appended to the binding PDF, whose SHA-256 stays the binding hash), verifiable offline with the CA certificate.

pyHanko signs with Ed25519 (EdDSA, RFC 8419 in CMS), the keys `backend.adapters.ca.simulated` makes. Validity is
judged at the time each signer reports (there is no timestamp authority here), against the given CA alone, with no
fetching of revocation data: the simulated CA publishes none.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys, x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore


#: Hex digits reserved for each signature's CMS: ours (two Ed25519 certificates, signed attributes) take about 2,600.
CMS_HEX_RESERVED = 8192


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """One embedded signature: its field, signer (certificate subject), reported time, and whether it verifies."""

    field_name: str
    signer: str
    signed_at: dt.datetime | None
    intact: bool  # the signed bytes are unchanged and the signature over them is good
    trusted: bool  # the signer's certificate chains to the given CA and was valid then
    covers_whole_file: bool  # nothing was appended after it (true of the last signature of an untouched file)

    @property
    def valid(self) -> bool:
        """Intact and trusted."""
        return self.intact and self.trusted


class _TimedSigner(signers.PdfSigner):
    """A PdfSigner that records the given signing time (pyHanko takes the system clock otherwise)."""

    def __init__(self, *args, signed_at: dt.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._signed_at = signed_at

    def init_signing_session(self, pdf_out, existing_fields_only=False):  # noqa: D102 - pyHanko's hook
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signed_at
        return session


def _asn1_certificate(pem: str) -> asn1_x509.Certificate:
    der = x509.load_pem_x509_certificate(pem.encode()).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def sign_pdf(pdf: bytes, *, private_key: Ed25519PrivateKey, certificate_pem: str, ca_certificate_pem: str,
             field_name: str, reason: str, signed_at: dt.datetime) -> bytes:
    """Append a PAdES signature (a new invisible field `field_name`) to `pdf`; earlier signatures stay valid."""
    key_der = private_key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
    ca = _asn1_certificate(ca_certificate_pem)
    signer = signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate_pem), signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([ca]),
    )
    meta = signers.PdfSignatureMetadata(field_name=field_name, reason=reason, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha512")
    pdf_signer = _TimedSigner(meta, signer, signed_at=signed_at, new_field_spec=fields.SigFieldSpec(sig_field_name=field_name))
    try:  # a fixed reservation spares pyHanko a dry-run signing to size the CMS (about 40% of the signing's time)
        return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), bytes_reserved=CMS_HEX_RESERVED).getvalue()
    except SigningError:  # a CMS larger than reserved (it cannot happen with this CA's certificates): let pyHanko size it
        return pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf))).getvalue()


def sign_pdf_with_raw_key(pdf: bytes, private_key_raw: bytes, certificate_pem: str, ca_certificate_pem: str,
                          field_name: str, reason: str, signed_at: dt.datetime) -> bytes:
    """`sign_pdf` for a render worker process: positional, with the key as its 32 raw bytes (picklable)."""
    return sign_pdf(pdf, private_key=Ed25519PrivateKey.from_private_bytes(private_key_raw), certificate_pem=certificate_pem,
                    ca_certificate_pem=ca_certificate_pem, field_name=field_name, reason=reason, signed_at=signed_at)


def verify_pdf(pdf: bytes, *, ca_certificate_pem: str) -> list[SignatureCheck]:
    """Every signature embedded in `pdf`, in signing order, checked offline against the CA certificate.

    pyHanko runs an event loop of its own: call this outside one (from async code, in a thread)."""
    ca = _asn1_certificate(ca_certificate_pem)
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    checks = []
    for embedded in reader.embedded_signatures:
        reported = embedded.self_reported_timestamp
        context = ValidationContext(trust_roots=[ca], allow_fetching=False, moment=reported,
                                    revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(embedded, signer_validation_context=context,
                                            key_usage_settings=KeyUsageConstraints(key_usage=set()), skip_diff=True)
            intact, trusted = status.intact and status.valid, status.trusted
            signer = status.signing_cert.subject.human_friendly
        except Exception:  # a damaged signature is reported invalid, whatever pyHanko raised on it
            intact, trusted, signer = False, False, ""
        try:
            whole = embedded.coverage is not None and embedded.coverage.name == "ENTIRE_FILE"
        except Exception:  # a damaged file whose coverage cannot be worked out: not the whole file
            whole = False
        checks.append(SignatureCheck(field_name=embedded.field_name, signer=signer, signed_at=reported,
                                     intact=intact, trusted=trusted, covers_whole_file=whole))
    return checks
