"""Text for matching: Traditional to Simplified (OpenCC), jieba segmentation, CJK bigrams, English words."""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

import jieba
import opencc
import snowballstemmer

_TO_SIMPLIFIED = opencc.OpenCC("tw2sp")  # Taiwan phrases too (軟體 -> 软件, 資訊 -> 信息); Hong Kong text converts as well
_TO_HK = opencc.OpenCC("s2hk")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_WORD = re.compile(r"[a-z0-9][a-z0-9&+\-]*")
# Words that say nothing about the business; anything else that no item mentions simply scores nothing.
CHINESE_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 我 我们 你 你们 他 她 他们 想 要 会 能 也 还 都 就 在 给 为 帮 对 把 从 向 用 由 是 有 一家 一间 一个 "
    "公司 企业 主要 自己 一些 顺便 偶尔 比如 客户 开设 经营 从事 提供 业务 相关 方面 以及 并 兼".split()
)
ENGLISH_STOPWORDS = frozenset(
    "a an the and or of for to in on at by with from as is are be we our us i my you your its that this which who "
    "small big company companies business businesses firm firms also doing do does offering offer offers provide "
    "providing services service mainly other others etc new local china chinese guangzhou".split()
)


def to_simplified(text: str) -> str:
    """The text in Simplified Chinese (Simplified and Latin text pass through)."""
    return _TO_SIMPLIFIED.convert(text)


def to_hong_kong(text: str) -> str:
    """Simplified text in Hong Kong Traditional characters (for zh-HK messages)."""
    return _TO_HK.convert(text)


_STEMMER = snowballstemmer.stemmer("english")


def english_stem(word: str) -> str:
    """The Snowball (Porter 2) stem of an English word: trading and trade, consultancy and consulting meet."""
    return _STEMMER.stemWord(word)


def english_tokens(text: str) -> list[str]:
    """Lower-cased, stemmed English words without stopwords."""
    words = _LATIN_WORD.findall(text.lower().replace("e-commerce", "ecommerce"))
    return [english_stem(w) for w in words if w not in ENGLISH_STOPWORDS]


def cjk_bigrams(text: str) -> list[str]:
    """Overlapping character pairs of every run of Chinese characters (single characters stand alone)."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            continue
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True, slots=True)
class Tokens:
    """The three views of one text that the ranker scores."""

    words: list[str]
    bigrams: list[str]


class Tokenizer:
    """jieba with the catalogue's wordings and keywords as dictionary words, plus bigrams and English words."""

    def __init__(self, *, vocabulary: Iterable[str]) -> None:
        jieba.setLogLevel(logging.WARNING)
        self._jieba = jieba.Tokenizer()
        for word in sorted(set(vocabulary)):
            if _CJK_RUN.search(word):
                self._jieba.add_word(word, freq=50_000)

    def tokens(self, text: str) -> Tokens:
        """Words (jieba search mode, Chinese stopwords out, English stemmed) and CJK bigrams of Simplified text."""
        simplified = to_simplified(text)
        words: list[str] = []
        for part in _CJK_RUN.findall(simplified):
            words.extend(w for w in self._jieba.cut_for_search(part) if _meaningful(w))
        words.extend(english_tokens(simplified))
        return Tokens(words=words, bigrams=cjk_bigrams(simplified))


def _meaningful(word: str) -> bool:
    if len(word) == 1:
        return word in _SINGLE_CHARACTER_WORDS
    return word not in CHINESE_STOPWORDS


# Single characters that name a business on their own (most single characters carry nothing).
_SINGLE_CHARACTER_WORDS = frozenset("酒 茶 烟 药 鞋 书 车 花 鱼 米 肉 菜 油 煤 电 水 气".split())
