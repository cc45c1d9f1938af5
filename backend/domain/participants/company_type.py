"""The company type a licence prints (企业类型), from who the shareholders are. Pure, no I/O."""
from __future__ import annotations

from collections.abc import Sequence

from backend.domain.participants.model import CorporateShareholder, NaturalPerson, Participant, Role

#: Documents of Hong Kong, Macau and Taiwan residents (and their companies): the company is 港澳台-invested.
HK_MO_TW_DOCUMENTS = frozenset({"hk_id", "mo_id", "hk_mo_travel_permit", "tw_travel_permit", "hk_company", "mo_company"})
FOREIGN_DOCUMENTS = frozenset({"passport_mrz", "foreign_permanent_resident_id"})


def _document(p: Participant) -> str:
    return p.document_type if isinstance(p, NaturalPerson) else p.registration_type


def company_type(participants: Sequence[Participant]) -> str:
    """The 企业类型 of a limited liability company with these participants' shareholders."""
    holders = [p for p in participants if Role.SHAREHOLDER in p.roles]
    documents = {_document(p) for p in holders}
    sole = len(holders) == 1
    if documents & HK_MO_TW_DOCUMENTS:
        if sole:
            return "有限责任公司（台港澳自然人独资）" if isinstance(holders[0], NaturalPerson) else "有限责任公司（台港澳法人独资）"
        return "有限责任公司（港澳台投资、非独资）"
    if documents & FOREIGN_DOCUMENTS:
        if sole:
            return "有限责任公司（外国自然人独资）" if isinstance(holders[0], NaturalPerson) else "有限责任公司（外国法人独资）"
        return "有限责任公司（中外合资）"
    if sole:
        return "有限责任公司（自然人独资）" if isinstance(holders[0], NaturalPerson) else "有限责任公司（法人独资）"
    if any(isinstance(p, CorporateShareholder) for p in holders):
        return "其他有限责任公司"
    return "有限责任公司（自然人投资或控股）"


def legal_representative(participants: Sequence[Participant]) -> NaturalPerson | None:
    """The participant who is the legal representative, if one is named."""
    for p in participants:
        if isinstance(p, NaturalPerson) and Role.LEGAL_REPRESENTATIVE in p.roles:
            return p
    return None
