"""How the documents write numbers, amounts and dates in Chinese."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

_DIGITS = "零一二三四五六七八九"
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL_PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
_CAPITAL_GROUPS = ("", "万", "亿", "万亿")  # groups of four digits, lowest first


def chinese_ordinal(n: int) -> str:
    """Write 1..999 the way article, chapter and item numbers are written: 一, 十, 十一, 二十一, 一百零一, 一百一十."""
    if not 1 <= n <= 999:
        raise ValueError(f"ordinal out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    if not hundreds:
        text = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
        return text + (_DIGITS[units] if units else "")
    text = _DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if tens == 0:
        return text + "零" + _DIGITS[units]
    return text + _DIGITS[tens] + "十" + (_DIGITS[units] if units else "")


def item_label(n: int) -> str:
    """The label of the n-th item of an enumeration in a legal text: （一）, （二）, ..."""
    return f"（{chinese_ordinal(n)}）"


def chinese_date(day: dt.date) -> str:
    """2025-03-01 -> 2025年3月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def yuan(amount: Decimal) -> str:
    """An amount of yuan in figures with thousands separators: 100,000 or 1,409.50."""
    if amount == amount.to_integral_value():
        return f"{int(amount):,}"
    return f"{amount.quantize(Decimal('0.01')):,}"


def yuan_in_capitals(amount: Decimal) -> str:
    """An amount of yuan in financial capitals (大写), as on a bank instrument: 100000 -> 壹拾万元整.

    Rules followed: 壹拾 is written out; one 零 stands for any run of zeros between two non-zero digits, including
    across a 万 or 亿 boundary (壹亿零壹万); trailing zeros are silent; an amount without 角 or 分 ends in 整;
    a 分 after 元 with no 角 takes a 零 (叁佰贰拾伍元零肆分).
    """
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"not an amount of yuan with at most two decimals: {amount}")
    fen_total = int(amount * 100)
    whole, fraction = divmod(fen_total, 100)
    jiao, fen = divmod(fraction, 10)
    if whole >= 10**16:
        raise ValueError(f"amount too large: {amount}")

    parts: list[str] = []
    if whole:
        parts.append(_integer_in_capitals(whole) + "元")
    if jiao:
        parts.append(_CAPITAL_DIGITS[jiao] + "角")
    if fen:
        if whole and not jiao:
            parts.append("零")
        parts.append(_CAPITAL_DIGITS[fen] + "分")
    if not parts:
        return "零元整"
    if not fen:
        parts.append("整")
    return "".join(parts)


def _integer_in_capitals(n: int) -> str:
    groups: list[int] = []
    while n:
        n, group = divmod(n, 10000)
        groups.append(group)
    out: list[str] = []
    zero_pending = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            zero_pending = bool(out)
            continue
        if out and (zero_pending or group < 1000):
            out.append("零")
        zero_pending = False
        out.append(_group_in_capitals(group) + _CAPITAL_GROUPS[index])
    return "".join(out)


def _group_in_capitals(group: int) -> str:
    """1..9999 without leading 零 (the caller writes the 零 that joins groups)."""
    digits = f"{group:04d}"
    out: list[str] = []
    zero_pending = False
    for position, char in enumerate(digits):
        digit = int(char)
        place = _CAPITAL_PLACES[3 - position]
        if digit == 0:
            zero_pending = bool(out)
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_CAPITAL_DIGITS[digit] + place)
    return "".join(out)
