"""Business scope (经营范围): the catalogue of standard wordings, a BM25 recommender, the industry and the licence text."""
from backend.domain.scope.catalogue import Catalogue, ScopeItem, default_catalogue
from backend.domain.scope.industry import Industry, IndustryTable, default_industry_table
from backend.domain.scope.ranker import Recommendation, ScopeIndex
from backend.domain.scope.render import render_scope_text

__all__ = [
    "Catalogue", "Industry", "IndustryTable", "Recommendation", "ScopeIndex", "ScopeItem",
    "default_catalogue", "default_industry_table", "render_scope_text",
]
