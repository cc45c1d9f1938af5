"""PAdES: two signatures in sequence on one binding PDF both verify offline with the CA certificate; a changed byte
breaks them; the binding hash stays that of the unsigned PDF."""
from __future__ import annotations

import datetime as dt
import hashlib
import io

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from backend.adapters.ca.simulated import SimulatedCA
from backend.adapters.documents import render
from backend.adapters.documents.pades import sign_pdf, verify_pdf
from tests.adapters.documents.test_render import make_facts

NOW = dt.datetime(2025, 3, 1, 2, 0, tzinfo=dt.timezone.utc)


def certified(ca_key: Ed25519PrivateKey, name: str) -> tuple[Ed25519PrivateKey, str]:
    """A one-time signer key and its certificate from the simulated CA's key, as the CA issues them."""
    key = Ed25519PrivateKey.generate()
    ca_name = x509.load_pem_x509_certificate(SimulatedCA(key=ca_key).ca_certificate_pem().encode()).subject
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(minutes=1)).not_valid_after(NOW + dt.timedelta(minutes=10))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True).sign(ca_key, None))
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


def test_two_signatures_in_sequence_verify_offline_and_a_changed_byte_breaks_them() -> None:
    ca_key = Ed25519PrivateKey.generate()
    ca_pem = SimulatedCA(key=ca_key).ca_certificate_pem()
    binding = render("articles_of_association", make_facts())
    binding_hash = hashlib.sha256(binding).hexdigest()
    first_key, first_cert = certified(ca_key, "张三")
    second_key, second_cert = certified(ca_key, "李四")
    once = sign_pdf(binding, private_key=first_key, certificate_pem=first_cert, ca_certificate_pem=ca_pem,
                    field_name="shareholder-1", reason=f"binding sha256 {binding_hash}", signed_at=NOW)
    twice = sign_pdf(once, private_key=second_key, certificate_pem=second_cert, ca_certificate_pem=ca_pem,
                     field_name="supervisor-1", reason=f"binding sha256 {binding_hash}",
                     signed_at=NOW + dt.timedelta(minutes=2))
    assert twice.startswith(once) and once.startswith(binding)  # incremental: the binding bytes are untouched
    assert hashlib.sha256(twice[: len(binding)]).hexdigest() == binding_hash

    checks = verify_pdf(twice, ca_certificate_pem=ca_pem)
    assert [c.field_name for c in checks] == ["shareholder-1", "supervisor-1"]
    assert all(c.valid for c in checks), checks
    assert "张三" in checks[0].signer and "李四" in checks[1].signer
    assert checks[0].signed_at == NOW and [c.covers_whole_file for c in checks] == [False, True]

    # another CA's certificate does not vouch for them
    stranger = SimulatedCA(key=Ed25519PrivateKey.generate(), name="Another CA").ca_certificate_pem()
    assert not any(c.trusted for c in verify_pdf(twice, ca_certificate_pem=stranger))

    # a byte of the binding text changed: neither signature holds
    body = twice.index(b"stream", len(binding) // 2)
    tampered = twice[: body + 20] + bytes([twice[body + 20] ^ 0x01]) + twice[body + 21:]
    assert not any(c.valid for c in verify_pdf(tampered, ca_certificate_pem=ca_pem))


def test_an_update_appended_after_the_last_signature_shows() -> None:
    """The signature still covers what was signed, and the check says something came after it."""
    ca_key = Ed25519PrivateKey.generate()
    ca_pem = SimulatedCA(key=ca_key).ca_certificate_pem()
    key, cert = certified(ca_key, "张三")
    signed = sign_pdf(render("address_statement", make_facts()), private_key=key, certificate_pem=cert,
                      ca_certificate_pem=ca_pem, field_name="legal-representative", reason="r", signed_at=NOW)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/KaibanNote"] = generic.TextStringObject("changed after signing")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    [check] = verify_pdf(out.getvalue(), ca_certificate_pem=ca_pem)
    assert check.intact and check.trusted and not check.covers_whole_file


def test_a_signature_larger_than_the_reserved_space_is_still_made_whole(monkeypatch) -> None:
    from backend.adapters.documents import pades

    monkeypatch.setattr(pades, "CMS_HEX_RESERVED", 64)  # far too small for any CMS: pyHanko must size it itself
    ca_key = Ed25519PrivateKey.generate()
    ca_pem = SimulatedCA(key=ca_key).ca_certificate_pem()
    binding = render("articles_of_association", make_facts())
    key, cert = certified(ca_key, "王五")
    signed = sign_pdf(binding, private_key=key, certificate_pem=cert, ca_certificate_pem=ca_pem,
                      field_name="shareholder-1", reason="binding", signed_at=NOW)
    checks = verify_pdf(signed, ca_certificate_pem=ca_pem)
    assert [c.valid for c in checks] == [True] and checks[0].covers_whole_file
