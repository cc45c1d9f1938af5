"""The mock mini-program's made-up data: ID numbers with the right check character, Chinese-only 字号."""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "miniprogram-mock"))

from kaiban_mock import testdata  # noqa: E402

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def test_check_character_of_the_standard_example() -> None:
    assert testdata.id_check_character("11010519491231002") == "X"
    assert testdata.is_valid_id_number("11010519491231002X")
    assert not testdata.is_valid_id_number("110105194912310021")


@pytest.mark.parametrize("seed", range(200))
def test_generated_id_numbers_are_valid(seed: int) -> None:
    rng = random.Random(seed)
    founder = testdata.mainland_founder(rng)
    number = founder.document_number
    assert len(number) == 18 and number[:17].isdigit()
    assert number[:6] in ("440112", "440106")
    assert number[17] == _check(number[:17])
    birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert 18 <= (dt.date.today() - birth).days // 366 < 100
    assert testdata.is_valid_id_number(number)


def test_sex_decides_the_parity_of_the_17th_digit() -> None:
    rng = random.Random(7)
    for _ in range(100):
        assert int(testdata.mainland_id_number(rng, sex="m")[16]) % 2 == 1
        assert int(testdata.mainland_id_number(rng, sex="f")[16]) % 2 == 0


def test_fixed_birth_date_and_region() -> None:
    number = testdata.mainland_id_number(random.Random(1), region="440106", birth=dt.date(1990, 1, 1))
    assert number.startswith("44010619900101")
    assert number[17] == _check(number[:17])


@pytest.mark.parametrize("seed", range(200))
def test_trade_names_are_chinese_only(seed: int) -> None:
    trade = testdata.trade_name(random.Random(seed))
    assert 2 <= len(trade) <= 3
    assert all("\u4e00" <= ch <= "\u9fff" for ch in trade), trade
    assert testdata.is_chinese_only(trade)
    assert testdata.company_name(trade) == f"广州市黄埔区{trade}信息技术有限公司"


def test_character_list_has_no_digits_latin_or_repeats() -> None:
    chars = testdata.TRADE_NAME_CHARACTERS
    assert testdata.is_chinese_only(chars)
    assert len(set(chars)) == len(chars) >= 30


def test_contribution_deadline_is_about_four_years_away() -> None:
    details = testdata.llc_details(random.Random(3), today=dt.date(2028, 2, 29))
    assert details["contribution_deadline"] == "2032-02-29"
    assert testdata.years_from(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert details["address"].startswith("广州市黄埔区")
