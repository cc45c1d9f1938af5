"""Where an investor is from, read from the document that identifies them."""
from __future__ import annotations

#: Origins that make a company foreign-invested (Hong Kong and Macau investors are treated as foreign investors).
FOREIGN_ORIGINS = frozenset({"HK", "MO", "TW", "foreign"})
_BY_TYPE = {"cn_resident_id": "mainland", "cn_uscc": "mainland", "hk_id": "HK", "hk_company": "HK", "mo_id": "MO",
            "mo_company": "MO", "tw_travel_permit": "TW", "foreign_permanent_resident_id": "foreign"}
_RESIDENCE_PERMIT = {"81": "HK", "82": "MO", "83": "TW"}  # the region code of a residence permit number


def investor_origin(document_type: str, number: str) -> str:
    """mainland, HK, MO, TW or foreign for a participant identified by `document_type` with `number`."""
    if document_type in _BY_TYPE:
        return _BY_TYPE[document_type]
    if document_type == "hk_mo_travel_permit":
        return "MO" if number.upper().startswith("M") else "HK"
    if document_type == "cn_residence_permit":
        return _RESIDENCE_PERMIT.get(number[:2], "foreign")
    if document_type == "passport_mrz":
        nationality = number.split("\n")[-1][10:13]
        return "mainland" if nationality == "CHN" else "foreign"
    return "foreign"
