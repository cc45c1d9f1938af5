"""Machine review: a clean application passes every rule; each failing fact gives its own finding."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from backend.domain.review import ReviewFacts, machine_review

NOW = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.timezone.utc)
CLEAN = ReviewFacts(identity_verified=True, founder_age=35, name_reserved_until=NOW + dt.timedelta(days=30), name_errors=0,
                    address_in_huangpu=True, capital_ok=True, contribution_deadline_ok=True, documents_complete=True,
                    documents_intact=True, signature_valid=True, now=NOW)


def test_a_clean_application_is_approved_and_an_unknown_age_of_an_attested_founder_does_not_stop_it() -> None:
    assert machine_review(CLEAN) == []
    assert machine_review(dataclasses.replace(CLEAN, founder_age=None)) == []  # a Hong Kong card carries no birth date


@pytest.mark.parametrize("change, code", [
    ({"identity_verified": False}, "review_identity"),
    ({"founder_age": 17}, "founder_not_adult"),
    ({"name_reserved_until": NOW}, "review_name"),
    ({"name_errors": 1}, "review_name"),
    ({"address_in_huangpu": False}, "review_address"),
    ({"capital_ok": False}, "review_capital"),
    ({"contribution_deadline_ok": False}, "review_capital"),
    ({"documents_complete": False}, "review_documents"),
    ({"documents_intact": False}, "review_documents"),
    ({"signature_valid": False}, "review_signature"),
])
def test_each_failing_fact_has_its_own_finding(change, code) -> None:
    assert [f.code for f in machine_review(dataclasses.replace(CLEAN, **change))] == [code]


def test_company_law_findings_and_documents_that_no_longer_state_the_data_send_it_to_an_officer() -> None:
    law = machine_review(dataclasses.replace(CLEAN, law_findings=("company_law_contributions_do_not_add_up",)))
    assert [(f.code, f.params) for f in law] == [("review_company_law", {"findings": ["company_law_contributions_do_not_add_up"]})]
    assert [f.code for f in machine_review(dataclasses.replace(CLEAN, documents_match_data=False))] == ["review_documents_inconsistent"]
