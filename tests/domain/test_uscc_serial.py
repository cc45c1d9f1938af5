"""Credit codes from allocation serials: GB 11714 and GB 32100 check characters valid, one code per serial."""
from __future__ import annotations

import pytest

from backend.domain.identifiers import check_uscc, uscc_for_serial


def test_serials_map_to_distinct_codes_with_valid_check_characters() -> None:
    codes = {uscc_for_serial(n) for n in (1, 2, 30, 31, 32, 961, 31**6 - 1)}
    assert len(codes) == 7 and all(check_uscc(c, strict_org_code=True) for c in codes)
    assert uscc_for_serial(1)[:16] == "91440112MA000001" and uscc_for_serial(31)[:16] == "91440112MA000010"
    with pytest.raises(ValueError):
        uscc_for_serial(31**6)
    with pytest.raises(ValueError):
        uscc_for_serial(0)
