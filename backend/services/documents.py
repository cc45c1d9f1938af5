"""The documents step: the articles of association and the registration application, rendered from the data."""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from decimal import Decimal

from backend.adapters.documents import FormationFacts, render_application_form, render_articles
from backend.domain.formation import State, Step, plan_step
from backend.errors import Conflict, NotFound
from backend.models import Application, Document, Identity
from backend.privacy import commitment, new_salt
from backend.services.applications import ENTITY_TYPES
from backend.services.container import Services
from backend.services.participants import require_ready
from backend.services.identity import DOCUMENT_TYPES, FOUNDER, open_identity, today
from backend.services.steps import invalidate_documents, load_owned, record_step
from backend.services.transactions import atomic

RENDERERS = {"articles_of_association": render_articles, "application_form": render_application_form}


async def formation_facts(svc: Services, application: Application) -> FormationFacts:
    """Everything the documents state, from what the applicant gave (the founder holds every office)."""
    identity = await Identity.filter(application_id=application.id, role=FOUNDER, status="verified").first()
    if identity is None or identity.digest != application.identity_digest or not application.details:
        raise Conflict("review_identity")
    person = open_identity(svc, identity)
    details = application.details
    phone = None
    if application.contact_sealed:
        phone = svc.sealer.open_json(bytes(application.contact_sealed), aad=f"contact:{application.id}")["liaison_phone"]
    return FormationFacts(
        application_id=str(application.id),
        company_name=application.company_name or "",
        entity_type=ENTITY_TYPES[application.entity_type],
        address=details["address"],
        business_scope=tuple(details["business_scope"]),
        registered_capital_cny=Decimal(details["registered_capital_cny"]),
        contribution_deadline=dt.date.fromisoformat(details["contribution_deadline"]),
        shareholder_name=person.name,
        shareholder_id_type=DOCUMENT_TYPES[person.document_type],
        shareholder_id_number=person.document_number,
        legal_representative_name=person.name,
        director_name=person.name,
        manager_name=person.name,
        supervisor_name=None,
        has_supervisor=False,
        liaison_name=person.name,
        liaison_phone=phone,
        prepared_on=today(svc),
    )


async def render_all(svc: Services, facts: FormationFacts) -> dict[str, bytes]:
    """Render every binding document off the event loop (in the render workers when configured)."""
    rendered = await asyncio.gather(*(svc.rendering.run(render, facts) for render in RENDERERS.values()))
    return dict(zip(RENDERERS, rendered))


async def generate(svc: Services, *, user_id: str, application_id: str) -> tuple[Application, list[Document]]:
    """Render the documents; identical documents (a retry) change nothing, new ones replace the old."""
    application = await load_owned(user_id, application_id)
    plan_step(State(application.state), Step.DOCUMENTS, changed=True)  # raises early when out of order
    await require_ready(svc, application)  # the role rules hold and everyone who must be is identified
    pdfs = await render_all(svc, await formation_facts(svc, application))
    hashes = {kind: hashlib.sha256(pdf).hexdigest() for kind, pdf in pdfs.items()}

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
    """Return a current document and its decrypted PDF."""
    application = await load_owned(user_id, application_id)
    document = await Document.filter(application_id=application.id, kind=kind, current=True).first()
    if document is None:
        raise NotFound("document_not_found", kind=kind)
    return document, svc.sealer.open(bytes(document.sealed), aad=f"document:{document.id}")


def document_commitments(documents: list[Document]) -> dict[str, str]:
    """{kind: salted commitment to the document's SHA-256}: what the ledger states of documents with personal data."""
    return {d.kind: commitment(d.sha256, salt=bytes(d.salt)) for d in documents if d.salt is not None}
