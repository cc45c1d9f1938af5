"""Signed copies: each signature is also embedded, as a PAdES signature made with the signer's one-time key, in a copy
of the articles of association (the document every shareholder signs). The copy is derived: the binding PDF is its
untouched prefix, so its SHA-256 stays the hash every signature covers; anyone checks the copy offline with the CA
certificate (pyHanko, or any PAdES reader)."""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tortoise.backends.base.client import BaseDBAsyncClient

from backend.adapters.documents.pades import sign_pdf_with_raw_key
from backend.errors import NotFound
from backend.models import Application, Document, SignedCopy
from backend.services.consent import load_participating
from backend.services.container import Services

#: The binding documents that carry PAdES signatures (each costs a signing of the PDF per signature).
SIGNED_KINDS = ("articles_of_association",)


async def embed_signature(
    svc: Services, *, application: Application, key: Ed25519PrivateKey, certificate_pem: str, reason: str,
    signed_at: dt.datetime, conn: BaseDBAsyncClient,
) -> None:
    """Append one PAdES signature to the signed copy of each signed kind (inside the signing's transaction)."""
    documents = await Document.filter(application_id=application.id, current=True, kind__in=SIGNED_KINDS).using_db(conn)
    for document in documents:
        copy = await SignedCopy.filter(document_id=document.id).using_db(conn).select_for_update().first()
        base = svc.sealer.open(bytes(copy.sealed if copy else document.sealed),
                               aad=f"signed_copy:{document.id}" if copy else f"document:{document.id}")
        count = (copy.signatures if copy else 0) + 1
        # in the render workers: a PAdES signing is CPU work that would hold this process's GIL
        pdf = await svc.rendering.run(sign_pdf_with_raw_key, base, key.private_bytes_raw(), certificate_pem,
                                      svc.ca.ca_certificate_pem(), f"Signature{count}", reason, signed_at)
        sealed = svc.sealer.seal(pdf, aad=f"signed_copy:{document.id}")
        if copy is None:
            await SignedCopy.create(id=uuid.uuid4(), document=document, sealed=sealed, sha256=hashlib.sha256(pdf).hexdigest(),
                                    signatures=count, updated_at=signed_at, using_db=conn)
        else:
            copy.sealed, copy.sha256, copy.signatures, copy.updated_at = sealed, hashlib.sha256(pdf).hexdigest(), count, signed_at
            await copy.save(using_db=conn)


async def read_signed_copy(svc: Services, *, user_id: str, application_id: str, kind: str) -> tuple[SignedCopy, bytes]:
    """The current signed copy of a document, to the owner or a participant."""
    application = await load_participating(user_id, application_id)
    document = await Document.filter(application_id=application.id, kind=kind, current=True).first()
    copy = None if document is None else await SignedCopy.filter(document_id=document.id).first()
    if copy is None:
        raise NotFound("signed_copy_not_found", kind=kind[:32])
    return copy, svc.sealer.open(bytes(copy.sealed), aad=f"signed_copy:{document.id}")
