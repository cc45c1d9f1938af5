"""The participant records: document types, roles and governance are validated when built."""
from __future__ import annotations

from datetime import date

import pytest

from backend.domain.id_documents import DOCUMENT_TYPES
from backend.domain.participants import (
    COMPANY_DOCUMENT_TYPES,
    PERSON_DOCUMENT_TYPES,
    BoardKind,
    CorporateShareholder,
    Governance,
    NaturalPerson,
    Role,
    Supervision,
)


def test_person_documents_are_every_document_type_but_the_company_ones() -> None:
    assert set(PERSON_DOCUMENT_TYPES) | set(COMPANY_DOCUMENT_TYPES) == set(DOCUMENT_TYPES)
    assert not set(PERSON_DOCUMENT_TYPES) & set(COMPANY_DOCUMENT_TYPES)
    assert "cn_resident_id" in PERSON_DOCUMENT_TYPES and "passport_mrz" in PERSON_DOCUMENT_TYPES


@pytest.mark.parametrize("doc", ["cn_uscc", "hk_company", "driving_licence", ""])
def test_a_person_cannot_hold_a_company_or_unknown_document(doc: str) -> None:
    with pytest.raises(ValueError):
        NaturalPerson(id="p", name="张三", document_type=doc)


@pytest.mark.parametrize("kind", ["cn_resident_id", "passport_mrz", "bvi_company"])
def test_a_company_is_identified_by_a_company_number_only(kind: str) -> None:
    with pytest.raises(ValueError):
        CorporateShareholder(id="c", name="某公司", registration_type=kind, registration_number="1")


def test_roles_are_coerced_to_a_frozenset_of_roles() -> None:
    p = NaturalPerson(id="p", name="张三", document_type="hk_id", roles=["director", Role.SHAREHOLDER])  # type: ignore[arg-type]
    assert p.roles == frozenset({Role.DIRECTOR, Role.SHAREHOLDER})
    assert isinstance(p.roles, frozenset)


def test_a_single_string_or_unknown_role_is_refused() -> None:
    with pytest.raises(TypeError):
        NaturalPerson(id="p", name="张三", document_type="hk_id", roles="director")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        NaturalPerson(id="p", name="张三", document_type="hk_id", roles=frozenset({"ceo"}))  # type: ignore[arg-type]


def test_records_are_frozen_and_keyword_only() -> None:
    p = NaturalPerson(id="p", name="张三", document_type="mo_id")
    with pytest.raises(AttributeError):
        p.name = "李四"  # type: ignore[misc]
    with pytest.raises(TypeError):
        NaturalPerson("p", "张三", "mo_id")  # type: ignore[misc]


def test_a_corporate_shareholder_is_a_shareholder_by_default() -> None:
    c = CorporateShareholder(id="c", name="某公司", registration_type="cn_uscc", registration_number="91110000600037341L")
    assert c.roles == frozenset({Role.SHAREHOLDER})
    assert not c.is_natural_person and c.representative_id is None


def test_age_on() -> None:
    p = NaturalPerson(id="p", name="张三", document_type="cn_resident_id", birth_date=date(2000, 6, 30))
    assert p.age_on(date(2018, 6, 29)) == 17
    assert p.age_on(date(2018, 6, 30)) == 18
    assert NaturalPerson(id="q", name="李四", document_type="cn_resident_id").age_on(date(2020, 1, 1)) is None


def test_governance_accepts_the_codes() -> None:
    g = Governance(board="board", supervision="audit_committee")  # type: ignore[arg-type]
    assert g.board is BoardKind.BOARD and g.supervision is Supervision.AUDIT_COMMITTEE
    assert g.all_shareholders_agree_no_supervisor is False
    with pytest.raises(ValueError):
        Governance(board="committee", supervision="none")  # type: ignore[arg-type]


def test_an_empty_id_is_refused() -> None:
    with pytest.raises(ValueError):
        NaturalPerson(id="", name="张三", document_type="hk_id")
