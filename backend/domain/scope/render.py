"""The scope text as business licences print it (一般项目：...；许可项目：...)."""
from __future__ import annotations

from collections.abc import Iterable

from backend.domain.scope.catalogue import ScopeItem

GENERAL_TAIL = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
LICENSED_TAIL = "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"


def render_scope_text(items: Iterable[ScopeItem]) -> str:
    """General items then licensed items, each wording once, in the given order, with the licence's standard notes."""
    general: list[str] = []
    licensed: list[str] = []
    for item in items:
        bucket = licensed if item.licensed else general
        if item.name not in general and item.name not in licensed:
            bucket.append(item.name)
    parts = []
    if general:
        parts.append("一般项目：" + "；".join(general) + "。" + GENERAL_TAIL)
    if licensed:
        parts.append("许可项目：" + "；".join(licensed) + "。" + LICENSED_TAIL)
    return "".join(parts)
