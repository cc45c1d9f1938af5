"""How participants' numbers are stored, compared for duplicates and shown masked."""
from __future__ import annotations

from backend.services.participant_records import canonical_number, display_number, identity_key
from tests.domain.id_documents.test_check_document import MRZ


def test_numbers_are_stored_as_their_check_normalises_them():
    assert canonical_number("hk_id", "ca182361(1)") == "CA1823611"
    assert canonical_number("mo_id", "5215299(8)") == "52152998"
    assert canonical_number("cn_resident_id", "11010519491231002x") == "11010519491231002X"
    assert canonical_number("cn_resident_id", "１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X"
    assert canonical_number("passport_mrz", MRZ.replace("\n", "\n\n")) == MRZ


def test_a_passport_is_the_same_document_by_number_and_nationality():
    assert identity_key("passport_mrz", MRZ) == "L898902C3|UTO"
    assert identity_key("hk_id", "G123456A") == "G123456A"


def test_applicants_see_person_numbers_masked_and_company_numbers_in_full():
    assert display_number("cn_resident_id", "44011320141005001X") == "4401**********001X"
    assert display_number("hk_id", "G123456A") == "G1****6A"
    assert display_number("passport_mrz", MRZ) == "L8*****C3"
    assert display_number("cn_uscc", "91110000600037341L") == "91110000600037341L"
