"""The documents step: every binding document drafted from the application's data, and previews in each language."""
from __future__ import annotations

import asyncio
import hashlib
import uuid

from backend.adapters.documents import LANGUAGES, CompanyFacts, canonical_json, kinds_for, render, render_several
from backend.domain.formation import State, Step, plan_step
from backend.errors import InvalidInput, NotFound
from backend.models import Application, Document
from backend.privacy import commitment, new_salt
from backend.services.container import Services
from backend.services.document_facts import company_facts
from backend.services.participants import require_ready
from backend.services.consent import load_participating
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

BINDING = "zh-CN"


async def render_all(svc: Services, facts: CompanyFacts) -> dict[str, bytes]:
    """Render every binding (zh-CN) document off the event loop (in the render workers when configured): one task a
    worker, each with a share of the documents (a task a document cost the server's process about 6 ms a formation
    in pickling and pipes, one a worker about 4, with the same parallelism)."""
    kinds = kinds_for(facts)
    workers = max(1, svc.rendering.processes)
    shares = [kinds[i::workers] for i in range(min(workers, len(kinds)))]
    rendered = await asyncio.gather(*(svc.rendering.run(render_several, share, facts, BINDING) for share in shares))
    pdfs = {kind: pdf for share, pdfs in zip(shares, rendered) for kind, pdf in zip(share, pdfs)}
    return {kind: pdfs[kind] for kind in kinds}  # in the documents' own order


async def generate(svc: Services, *, user_id: str, application_id: str) -> tuple[Application, list[Document]]:
    """Render the documents; identical documents (a retry) change nothing, new ones replace the old."""
    application = await load_owned(user_id, application_id)
    plan_step(State(application.state), Step.DOCUMENTS, changed=True)  # raises early when out of order
    await require_ready(svc, application)  # the role rules hold and everyone who must be is identified
    facts = await company_facts(svc, application)
    pdfs = await render_all(svc, facts)
    hashes = {kind: hashlib.sha256(pdf).hexdigest() for kind, pdf in pdfs.items()}
    stated = {kind: hashlib.sha256(canonical_json(kind, facts)).hexdigest() for kind in pdfs}  # the review compares

    async def use_case(conn):
        application = await load_owned(user_id, application_id, conn=conn, lock=True)
        current = await Document.filter(application_id=application.id, current=True).using_db(conn)
        changed = {doc.kind: doc.sha256 for doc in current} != hashes
        transition = plan_step(State(application.state), Step.DOCUMENTS, changed=changed)
        if not transition.changes:
            return application, current
        await invalidate_documents(application, conn=conn)
        documents = []
        for kind, pdf in pdfs.items():
            document_id = uuid.uuid4()
            salt = new_salt()
            documents.append(
                await Document.create(
                    id=document_id,
                    application=application,
                    kind=kind,
                    sha256=hashes[kind],
                    size=len(pdf),
                    sealed=svc.sealer.seal(pdf, aad=f"document:{document_id}"),
                    salt=salt,
                    canonical_sha256=stated[kind],
                    created_at=svc.clock.now(),
                    using_db=conn,
                )
            )
        await record_step(
            svc, application, step="documents_generated", state=transition.state,
            facts={"documents": document_commitments(documents)}, conn=conn,
        )
        return application, documents

    return await atomic(use_case)


async def current_documents(application: Application) -> list[Document]:
    """The application's current (not superseded) documents."""
    return await Document.filter(application_id=application.id, current=True).order_by("kind")


async def read_pdf(svc: Services, *, user_id: str, application_id: str, kind: str) -> tuple[Document, bytes]:
    """Return a current document and its decrypted PDF, to the owner or a participant who signs it."""
    application = await load_participating(user_id, application_id)
    document = await Document.filter(application_id=application.id, kind=kind, current=True).first()
    if document is None:
        raise NotFound("document_not_found", kind=kind)
    return document, svc.sealer.open(bytes(document.sealed), aad=f"document:{document.id}")


def document_commitments(documents: list[Document]) -> dict[str, str]:
    """{kind: salted commitment to the document's SHA-256}: what the ledger states of documents with personal data."""
    return {d.kind: commitment(d.sha256, salt=bytes(d.salt)) for d in documents if d.salt is not None}


async def preview(svc: Services, *, user_id: str, application_id: str, kind: str, lang: str, fmt: str) -> tuple[str, bytes]:
    """A document drafted from the current data: its canonical JSON, or its PDF in zh-CN (the binding text, the same
    bytes as the generated document while nothing changed) or as a non-binding zh-HK or en translation."""
    if lang not in LANGUAGES:
        raise InvalidInput("document_language_unsupported", lang=lang[:16], supported=list(LANGUAGES))
    if fmt not in ("pdf", "json"):
        raise InvalidInput("document_format_unsupported", format=fmt[:16], supported=["pdf", "json"])
    application = await load_participating(user_id, application_id)
    facts = await company_facts(svc, application)
    if kind not in kinds_for(facts):
        raise NotFound("document_not_found", kind=kind[:32])
    if fmt == "json":
        return "application/json", canonical_json(kind, facts)
    return "application/pdf", await svc.rendering.run(render, kind, facts, lang)
