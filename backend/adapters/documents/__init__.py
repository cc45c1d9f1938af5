"""The binding documents of a company formation, rendered as PDFs with an embedded CJK font.

`render_articles(facts)` gives the articles of association (公司章程), `render_application_form(facts)` the
registration application (公司登记（备案）申请书). Both are plain synchronous, CPU-bound functions returning
byte-for-byte deterministic PDFs (their SHA-256 is what gets signed): run them in an executor from async code.
"""
from backend.adapters.documents.application_form import render_application_form
from backend.adapters.documents.articles import render_articles
from backend.adapters.documents.facts import FormationFacts

__all__ = ["FormationFacts", "render_application_form", "render_articles"]
