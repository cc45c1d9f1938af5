"""Business scope recommendation: rank catalogue items for a description, derive the industry, render the scope text."""
from __future__ import annotations

import threading
from dataclasses import dataclass

from backend.domain.scope import (
    Industry, IndustryTable, Recommendation, ScopeIndex, default_catalogue, default_industry_table, render_scope_text,
)
from backend.domain.scope.text import to_hong_kong
from backend.i18n import messages

DEFAULT_LIMIT = 10
SUGGESTED_MAX = 6  # items put into the suggested scope text
SUGGESTED_FRACTION = 0.3  # ... scoring at least this fraction of the best item


@dataclass(frozen=True, slots=True)
class ScopeAdvice:
    """The ranked items, the main industry and the suggested scope text."""

    recommendations: list[Recommendation]
    industry: Industry | None
    suggested: list[Recommendation]
    scope_text: str


def explain(recommendation: Recommendation) -> dict[str, str]:
    """Why an item was recommended, in zh-CN, zh-HK and en."""
    item = recommendation.item
    terms = list(recommendation.matched) or [item.name]
    code = "scope_why_general"
    if item.licensed:
        code = "scope_why_licensed_before" if item.before_registration else "scope_why_licensed"
    params = {"terms": terms, "wording": item.name, "approval": item.approval or ""}
    texts = messages(code, params)
    hk = messages(code, {**params, "terms": [to_hong_kong(t) for t in terms], "wording": to_hong_kong(item.name),
                         "approval": to_hong_kong(item.approval or "")})
    texts["zh-HK"] = hk["zh-HK"]
    return texts


class ScopeService:
    """The recommender over the shipped catalogue (the index is built once, on first use, in about 3 s)."""

    def __init__(self, *, index: ScopeIndex | None = None, industries: IndustryTable | None = None) -> None:
        self._index = index
        self._industries = industries
        self._lock = threading.Lock()

    @property
    def index(self) -> ScopeIndex:
        """The BM25 index (built on first use)."""
        with self._lock:
            if self._index is None:
                self._index = ScopeIndex(default_catalogue())
            return self._index

    def recommend(self, *, description: str, limit: int = DEFAULT_LIMIT) -> ScopeAdvice:
        """Items for a description (best first), its main industry and the suggested scope text (CPU-bound)."""
        ranked = self.index.rank(description, limit=limit)
        industries = self._industries or default_industry_table()
        suggested = [r for r in ranked[:SUGGESTED_MAX] if ranked and r.score >= SUGGESTED_FRACTION * ranked[0].score]
        industry = industries.main_industry([(r.item, r.score) for r in suggested])
        return ScopeAdvice(
            recommendations=ranked, industry=industry, suggested=suggested,
            scope_text=render_scope_text(r.item for r in suggested),
        )


_DEFAULT: ScopeService | None = None
_DEFAULT_LOCK = threading.Lock()


def default_scope_service() -> ScopeService:
    """The process-wide recommender over the shipped catalogue."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = ScopeService()
        return _DEFAULT
