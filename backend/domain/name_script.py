"""Traditional characters (typed by Hong Kong and Macau applicants) read as standard simplified ones (OpenCC)."""
from __future__ import annotations

import functools

from backend.domain.findings import Finding


@functools.cache
def _converter():
    import opencc  # OpenCC's own tables, shipped inside the package (no download)

    return opencc.OpenCC("t2s.json")


def to_simplified(name: str) -> tuple[str, list[int]]:
    """`name` with each traditional character replaced by its simplified form, and the positions replaced.

    OpenCC reads whole phrases (乾坤 stays 乾坤); when that changes the length, characters are converted one by
    one instead, so positions (and the spans of findings) stay those of the name as typed.
    """
    if name.isascii():
        return name, []
    converter = _converter()
    whole = converter.convert(name)
    if len(whole) != len(name):
        whole = "".join(simple if len(simple := converter.convert(char)) == 1 else char for char in name)
    return whole, [position for position, (a, b) in enumerate(zip(name, whole)) if a != b]


def simplified_finding(name: str, simplified: str, changed: list[int]) -> Finding | None:
    """A warning that names the traditional characters and what they were read as (None when there were none)."""
    if not changed:
        return None
    typed = "".join(name[p] for p in changed)
    read = "".join(simplified[p] for p in changed)
    return Finding(code="name_traditional_converted", severity="warning",
                   params={"characters": typed, "simplified": read, "name": simplified},
                   span=(changed[0], changed[-1] + 1), rule="name.characters",
                   hint_code="hint_name_traditional_converted")
