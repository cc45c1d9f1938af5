"""Checks the machine review makes on the documents themselves: the Company Law rules still hold on the data, and
every binding document states exactly the data as it is now (its canonical JSON, made again, has the hash recorded
when it was generated), so the names, numbers and amounts are the same across all of them and in the register."""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

from backend.adapters.documents import canonical_json
from backend.errors import CheckFailed, KaibanError
from backend.models import Application, Document
from backend.services.container import Services
from backend.services.document_facts import company_facts
from backend.services.identity_facts import CHINA


@dataclasses.dataclass(frozen=True, kw_only=True)
class DocumentChecks:
    """What the review found of the documents: Company Law findings (codes) and whether they state the data."""

    law_findings: tuple[str, ...]
    match_data: bool


async def check_documents(svc: Services, application: Application, documents: Sequence[Document]) -> DocumentChecks:
    """Run the Company Law checks on the current data and compare each document with it."""
    try:
        facts = await company_facts(svc, application)
    except CheckFailed as exc:
        return DocumentChecks(law_findings=tuple(sorted({f.code for f in exc.findings})), match_data=False)
    except KaibanError as exc:  # the data the documents need is missing or no longer verified
        return DocumentChecks(law_findings=(exc.code,), match_data=False)
    matched = bool(documents)
    for document in documents:
        made_on = document.created_at.astimezone(CHINA).date()  # the documents print the day they were prepared
        stated = canonical_json(document.kind, dataclasses.replace(facts, prepared_on=made_on))
        matched = matched and hashlib.sha256(stated).hexdigest() == document.canonical_sha256
    return DocumentChecks(law_findings=(), match_data=matched)
