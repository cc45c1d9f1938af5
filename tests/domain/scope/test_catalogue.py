"""The shipped catalogue: size, kinds, real GB/T 4754-2017 classes, keywords in three languages, licensed approvals."""
from __future__ import annotations

import csv

import pytest

from backend.domain.scope import default_catalogue
from backend.domain.scope.catalogue import DATA, Catalogue, CatalogueError, parse_line
from tests.conftest import SHARED


def test_catalogue_has_at_least_300_wordings_of_both_kinds() -> None:
    catalogue = default_catalogue()
    assert len(catalogue.wordings) >= 300
    kinds = {item.kind for item in catalogue.items}
    assert kinds == {"general", "licensed"}


def test_every_class_exists_in_the_standard() -> None:
    with (SHARED / "data" / "gbt4754_2017.csv").open(encoding="utf-8") as handle:
        classes = {row["class"] for row in csv.DictReader(handle) if row["level"] == "4"}
    missing = [item.id for item in default_catalogue().items if item.industry_code not in classes]
    assert missing == []


def test_shipped_classification_is_the_shared_one() -> None:
    assert (DATA / "gbt4754_2017.csv").read_bytes() == (SHARED / "data" / "gbt4754_2017.csv").read_bytes()


def test_every_item_has_simplified_traditional_and_english_keywords() -> None:
    lacking = [i.id for i in default_catalogue().items if not (i.keywords and i.keywords_hant and i.keywords_en)]
    assert lacking == []
    software = default_catalogue().get("software_dev")
    assert "軟體" in software.keywords_hant and "software" in software.keywords_en


def test_licensed_items_name_their_approval_and_some_are_needed_before_registration() -> None:
    items = default_catalogue().items
    assert all(item.approval for item in items if item.licensed)
    before = {item.name for item in items if item.before_registration}
    assert "保安服务" in before and all(i.licensed for i in items if i.before_registration)


@pytest.mark.parametrize("line", [
    "x|general|6513|软件开发|软件|軟體|software|",  # 8 fields
    "x|other|6513|软件开发|软件|軟體|software||",  # unknown kind
    "x|general|65|软件开发|软件|軟體|software||",  # not a class
    "x|licensed|6513|软件开发|软件|軟體|software||",  # licensed without approval
])
def test_malformed_lines_are_refused(line: str) -> None:
    with pytest.raises(CatalogueError):
        parse_line(line)


def test_duplicate_ids_are_refused() -> None:
    line = "x|general|6513|软件开发|软件|軟體|software||"
    with pytest.raises(CatalogueError):
        Catalogue.parse(f"{line}\n{line}\n")
