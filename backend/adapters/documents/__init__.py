"""The documents of a company formation: each kind as canonical JSON (RFC 8785) and as a PDF with an embedded CJK font.

`render(kind, facts, lang)` gives the PDF: the zh-CN rendering is the binding document, byte-for-byte
deterministic (its SHA-256 is what gets signed); zh-HK and en are marked non-binding translations, for preview.
`canonical_json(kind, facts)` gives the facts that kind states, in RFC 8785 canonical form. Both are synchronous
and CPU-bound: run `render` off the event loop (`svc.rendering.run`).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import rfc8785

from backend.adapters.documents.application_form import write_application_form
from backend.adapters.documents.articles import write_articles
from backend.adapters.documents.company import CompanyFacts, Person, Shareholder
from backend.adapters.documents.records import write_address_statement, write_finance_and_liaison
from backend.adapters.documents.render import Page, render_document
from backend.adapters.documents.resolutions import write_appointments, write_shareholder_decision
from backend.adapters.documents.writer import BINDING, LANGUAGES, Writer

FORMAT_VERSION = 2
_WRITERS: dict[str, Callable[[CompanyFacts, Writer], str]] = {
    "articles_of_association": write_articles,
    "application_form": write_application_form,
    "shareholder_decision": write_shareholder_decision,
    "shareholders_resolution": write_shareholder_decision,
    "appointments": write_appointments,
    "finance_and_liaison": write_finance_and_liaison,
    "address_statement": write_address_statement,
}
KINDS = tuple(_WRITERS)
#: What each kind states, beyond the application id, the company name and the preparation day.
_STATES: dict[str, tuple[str, ...]] = {
    "articles_of_association": ("entity_type", "address", "business_scope", "registered_capital_cny",
                                "operating_term_years", "shareholders", "board", "directors", "chair",
                                "legal_representative", "manager", "supervision", "supervisors"),
    "application_form": ("entity_type", "address", "business_scope", "registered_capital_cny", "operating_term_years",
                         "shareholders", "board", "directors", "chair", "legal_representative", "manager",
                         "supervision", "supervisors", "liaison"),
    "shareholder_decision": ("shareholders", "board", "directors", "chair", "legal_representative", "supervision",
                             "supervisors"),
    "appointments": ("shareholders", "board", "directors", "chair", "manager", "supervisors"),
    "finance_and_liaison": ("legal_representative", "finance_officer", "liaison"),
    "address_statement": ("address", "address_subdivision", "legal_representative"),
}
_STATES["shareholders_resolution"] = _STATES["shareholder_decision"]


def kinds_for(facts: CompanyFacts) -> tuple[str, ...]:
    """The kinds a formation needs: a decision for one shareholder, a resolution for several."""
    skip = "shareholders_resolution" if facts.sole_shareholder else "shareholder_decision"
    return tuple(kind for kind in KINDS if kind != skip)


def content(kind: str, facts: CompanyFacts) -> dict:
    """The facts a kind of document states, as plain JSON values."""
    everything = facts.as_content()
    stated = {key: everything[key] for key in ("application_id", "company_name", "prepared_on") + _STATES[kind]}
    return {"kind": kind, "format_version": FORMAT_VERSION, "binding_language": BINDING, "facts": stated}


def canonical_json(kind: str, facts: CompanyFacts) -> bytes:
    """The document's content in RFC 8785 canonical JSON (the same facts give the same bytes)."""
    return rfc8785.dumps(content(kind, facts))


def render(kind: str, facts: CompanyFacts, lang: str = BINDING) -> bytes:
    """The document as a PDF in `lang`: binding in zh-CN, a marked non-binding translation otherwise."""
    w = Writer(lang)
    title = _WRITERS[kind](facts, w)
    w.translation_notice()
    return render_document(Page(application_id=facts.application_id, prepared_on=facts.prepared_on, title=title,
                                lang=lang), story=lambda: w.flowables, texts=facts.texts())


def render_several(kinds: Sequence[str], facts: CompanyFacts, lang: str = BINDING) -> list[bytes]:
    """`render` for each of `kinds`, in order: one task for a render worker, so the facts travel there once."""
    return [render(kind, facts, lang) for kind in kinds]


__all__ = ["KINDS", "LANGUAGES", "CompanyFacts", "Person", "Shareholder", "canonical_json", "content", "kinds_for",
           "render", "render_several"]
