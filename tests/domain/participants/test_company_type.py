"""The company type printed on the licence follows from who the shareholders are."""
import pytest

from backend.domain.participants import CorporateShareholder, NaturalPerson
from backend.domain.participants.company_type import company_type, legal_representative


def person(pid: str, doc: str = "cn_resident_id", roles=("shareholder",)) -> NaturalPerson:
    return NaturalPerson(id=pid, name=pid, document_type=doc, roles=frozenset(roles))


def company(pid: str, reg: str = "cn_uscc") -> CorporateShareholder:
    return CorporateShareholder(id=pid, name=pid, registration_type=reg, registration_number="x", representative_id="r")


@pytest.mark.parametrize("holders, expected", [
    ([person("a")], "有限责任公司（自然人独资）"),
    ([company("c")], "有限责任公司（法人独资）"),
    ([person("a"), person("b")], "有限责任公司（自然人投资或控股）"),
    ([person("a"), company("c")], "其他有限责任公司"),
    ([person("h", "hk_id")], "有限责任公司（台港澳自然人独资）"),
    ([company("h", "hk_company")], "有限责任公司（台港澳法人独资）"),
    ([person("a"), person("m", "mo_id")], "有限责任公司（港澳台投资、非独资）"),
    ([person("f", "passport_mrz")], "有限责任公司（外国自然人独资）"),
])
def test_company_type_by_shareholders(holders, expected):
    officers = [person("m", roles=("manager",))]  # officers who hold no shares do not change the type
    assert company_type([*holders, *officers]) == expected


def test_the_legal_representative_is_the_person_holding_the_role():
    lead = person("l", roles=("shareholder", "legal_representative"))
    assert legal_representative([person("a"), lead]) is lead
    assert legal_representative([person("a")]) is None
