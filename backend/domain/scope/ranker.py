"""BM25 ranking of catalogue items against a description (rank_bm25 over jieba words plus CJK bigrams)."""
from __future__ import annotations

from dataclasses import dataclass

from rank_bm25 import BM25Okapi

from backend.domain.scope.catalogue import Catalogue, ScopeItem
from backend.domain.scope.text import Tokenizer, to_simplified

BIGRAM_WEIGHT = 0.4  # bigrams catch compounds jieba does not know; words carry the main signal
NAME_REPEAT = 2  # the standard wording counts twice in an item's document


@dataclass(frozen=True, slots=True)
class Recommendation:
    """An item, its score and the description's words that matched it."""

    item: ScopeItem
    score: float
    matched: tuple[str, ...]


def _item_texts(item: ScopeItem) -> list[str]:
    texts = [item.name] * NAME_REPEAT + list(item.keywords)
    texts += [to_simplified(word) for word in item.keywords_hant]
    texts += list(item.keywords_en)
    return texts


class ScopeIndex:
    """The catalogue indexed for BM25; build once and share (read-only after construction)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        vocabulary = [w for item in catalogue.items for w in (item.name, *item.keywords)]
        vocabulary += [to_simplified(w) for item in catalogue.items for w in item.keywords_hant]
        self.tokenizer = Tokenizer(vocabulary=vocabulary)
        words: list[list[str]] = []
        bigrams: list[list[str]] = []
        for item in catalogue.items:
            item_words: list[str] = []
            item_bigrams: list[str] = []
            for text in _item_texts(item):
                tokens = self.tokenizer.tokens(text)
                item_words += tokens.words
                item_bigrams += tokens.bigrams
            words.append(item_words)
            bigrams.append(item_bigrams or ["\x00"])
        self._word_sets = [frozenset(w) for w in words]
        self._words = BM25Okapi(words)
        self._bigrams = BM25Okapi(bigrams)

    def rank(self, description: str, *, limit: int = 10) -> list[Recommendation]:
        """The best items for a description, one per wording, best first; empty when nothing matches."""
        tokens = self.tokenizer.tokens(description)
        if not tokens.words and not tokens.bigrams:
            return []
        scores = self._words.get_scores(tokens.words) if tokens.words else [0.0] * len(self.catalogue.items)
        if tokens.bigrams:
            bigram_scores = self._bigrams.get_scores(tokens.bigrams)
            scores = [s + BIGRAM_WEIGHT * b for s, b in zip(scores, bigram_scores)]
        query_words = list(dict.fromkeys(tokens.words))
        ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
        out: list[Recommendation] = []
        seen: set[str] = set()
        for i in ranked:
            if scores[i] <= 0 or len(out) >= limit:
                break
            item = self.catalogue.items[i]
            matched = tuple(w for w in query_words if w in self._word_sets[i])
            if item.name in seen or not matched and scores[i] < _BIGRAM_ONLY_MINIMUM:
                continue
            seen.add(item.name)
            out.append(Recommendation(item=item, score=round(float(scores[i]), 3), matched=matched))
        return out


# An item matched by bigrams alone needs at least this score (two shared character pairs, roughly).
_BIGRAM_ONLY_MINIMUM = 2.0
