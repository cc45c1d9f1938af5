"""Machine review: the rules an application must pass before a licence is issued. Pure, no I/O."""
from __future__ import annotations

import dataclasses
import datetime as dt

from backend.domain.findings import Finding


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReviewFacts:
    """What the review looks at, gathered by the service."""

    identity_verified: bool
    founder_age: int | None
    name_reserved_until: dt.datetime | None
    name_errors: int
    address_in_huangpu: bool
    capital_ok: bool
    contribution_deadline_ok: bool
    documents_complete: bool
    documents_intact: bool
    signature_valid: bool
    now: dt.datetime
    law_findings: tuple[str, ...] = ()  # codes of the Company Law rules the data fails now
    documents_match_data: bool = True  # every binding document states the data as it is now


def machine_review(facts: ReviewFacts) -> list[Finding]:
    """Every rule that fails, as an error finding; an empty list approves the application."""
    failed: list[tuple[str, str, dict]] = []
    if not facts.identity_verified:
        failed.append(("review.identity", "review_identity", {}))
    elif facts.founder_age is not None and facts.founder_age < 18:  # unknown (a Hong Kong card): checked in person
        failed.append(("review.identity", "founder_not_adult", {"age": facts.founder_age}))
    if facts.name_reserved_until is None or facts.name_reserved_until <= facts.now or facts.name_errors:
        failed.append(("review.name", "review_name", {}))
    if not facts.address_in_huangpu:
        failed.append(("review.address", "review_address", {}))
    if not (facts.capital_ok and facts.contribution_deadline_ok):
        failed.append(("review.capital", "review_capital", {}))
    if not (facts.documents_complete and facts.documents_intact):
        failed.append(("review.documents", "review_documents", {}))
    if facts.law_findings:
        failed.append(("review.law", "review_company_law", {"findings": list(facts.law_findings)}))
    elif not facts.documents_match_data:
        failed.append(("review.documents", "review_documents_inconsistent", {}))
    if not facts.signature_valid:
        failed.append(("review.signature", "review_signature", {}))
    return [Finding(code=code, severity="error", params=params, rule=rule) for rule, code, params in failed]
