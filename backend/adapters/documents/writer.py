"""Writing a document in one language: the binding zh-CN text, its zh-HK rendering and an English translation.

Each text is given once in simplified Chinese and once in English with `{placeholders}`; zh-HK is the simplified
template converted with OpenCC (s2hk) before the values are filled in, so that names, numbers and the business scope
are printed exactly as given and never converted. Values may differ by language (a date, an amount): pass a
`Localized` for those. A `Writer` collects reportlab flowables; the layout primitives are in `render`.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from backend.adapters.documents.formatting import chinese_date, chinese_ordinal, item_label, yuan, yuan_in_capitals
from backend.adapters.documents.render import TEXT_WIDTH, field_table, grid_table, para, styles

BINDING = "zh-CN"
LANGUAGES = ("zh-CN", "zh-HK", "en")


@dataclass(frozen=True, slots=True)
class Localized:
    """A value printed differently in each language."""

    zh: str
    en: str


@functools.lru_cache(maxsize=4096)
def to_hk(text: str) -> str:
    """Simplified Chinese template text in Hong Kong traditional characters (OpenCC s2hk)."""
    return _converter().convert(text)


@functools.cache
def _converter():
    import opencc  # imported lazily: only translations need it

    return opencc.OpenCC("s2hk")


class Writer:
    """Builds one document in `lang`, numbering chapters and articles as legal texts do in that language."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        self.flowables: list[Flowable] = []
        self._chapters = 0
        self._articles = 0

    def t(self, zh: str, en: str, /, **values: object) -> str:
        """The text in this writer's language with the values filled in."""
        template = en if self.lang == "en" else (to_hk(zh) if self.lang == "zh-HK" else zh)
        chosen = {k: self.pick(v) if isinstance(v, Localized) else v for k, v in values.items()}
        return template.format(**chosen)

    def pick(self, value: Localized) -> str:
        """A localized value in this writer's language (zh-HK converted from the simplified text)."""
        return value.en if self.lang == "en" else (to_hk(value.zh) if self.lang == "zh-HK" else value.zh)

    def date(self, day: dt.date) -> Localized:
        """A date: 2030年3月1日 / 1 March 2030."""
        return Localized(chinese_date(day), f"{day.day} {day:%B} {day.year}")

    def money(self, amount: Decimal, *, capitals: bool = False) -> Localized:
        """An amount: 人民币100,000元（大写：人民币壹拾万元整） / CNY 100,000."""
        zh = f"人民币{yuan(amount)}元" + (f"（大写：人民币{yuan_in_capitals(amount)}）" if capitals else "")
        return Localized(zh, f"CNY {yuan(amount)}")

    def title(self, zh: str, en: str, /, **values: object) -> None:
        self.flowables.append(para(self.t(zh, en, **values), styles().title))

    def subtitle(self, zh: str, en: str, /, **values: object) -> None:
        self.flowables.append(para(self.t(zh, en, **values), styles().subtitle))

    def section(self, zh: str, en: str, /, **values: object) -> None:
        self.flowables.append(CondPageBreak(30 * mm))  # a heading does not end a page alone
        self.flowables.append(para(self.t(zh, en, **values), styles().section))

    def body(self, zh: str, en: str, /, **values: object) -> None:
        self.flowables.append(para(self.t(zh, en, **values), styles().body))

    def note(self, zh: str, en: str, /, **values: object) -> None:
        self.flowables.append(para(self.t(zh, en, **values), styles().note))

    def chapter(self, zh: str, en: str) -> None:
        self._chapters += 1
        number = f"第{chinese_ordinal(self._chapters)}章　" if self.lang != "en" else f"Chapter {self._chapters}  "
        self.flowables.append(CondPageBreak(30 * mm))
        self.flowables.append(para(number + self.t(zh, en), styles().chapter))

    def article(self, zh: str, en: str, /, items: list[tuple[str, str]] | None = None,
                after: tuple[str, str] | None = None, **values: object) -> None:
        """A numbered article (第一条 / Article 1) with optional enumerated items and a closing paragraph."""
        self._articles += 1
        number = f"第{chinese_ordinal(self._articles)}条　" if self.lang != "en" else f"Article {self._articles}  "
        s = styles()
        self.flowables.append(para(number + self.t(zh, en, **values), s.body))
        for index, (item_zh, item_en) in enumerate(items or [], start=1):
            label = item_label(index) if self.lang != "en" else f"({index}) "
            self.flowables.append(para(label + self.t(item_zh, item_en, **values), s.item))
        if after:
            self.flowables.append(para(self.t(*after, **values), s.body))

    def items(self, texts: list[str]) -> None:
        """Verbatim items (the business scope), numbered 1. 2. 3."""
        for number, text in enumerate(texts, start=1):
            self.flowables.append(para(f"{number}. {text}", styles().item))

    def fields(self, rows: list[tuple[tuple[str, str], str]]) -> None:
        """A form of labels (zh, en) and printed values."""
        width = 42 * mm if self.lang == "en" else 34 * mm  # English labels are longer
        self.flowables.append(field_table([(self.t(*label), value) for label, value in rows], label_width=width))

    def grid(self, header: list[tuple[str, str]], rows: list[list[str]], widths: list[float]) -> None:
        self.flowables.append(grid_table([self.t(*h) for h in header], rows, [w * TEXT_WIDTH for w in widths]))

    def signatures(self, lines: list[str]) -> None:
        """Signature lines kept together on one page."""
        s = styles()
        self.flowables.append(Spacer(1, 6 * mm))
        self.flowables.append(KeepTogether([para(line, s.signature) for line in lines]))

    def translation_notice(self) -> None:
        """The banner of a non-binding translation (nothing in the binding zh-CN document)."""
        if self.lang == BINDING:
            return
        self.flowables.insert(0, para(self.t(
            "非约束性译本：仅供预览，不作签署；具有法律效力的是简体中文（zh-CN）文本。",
            "NON-BINDING TRANSLATION for preview only, not signed; the binding text is the simplified Chinese (zh-CN) "
            "document."), styles().note))
