"""The identity consent text: what, why, how long, withdrawable, in every language, with a stable version hash."""
from __future__ import annotations

import dataclasses

from backend.domain.consent import CONSENT_TEXTS, IDENTITY_CONSENT
from backend.i18n import LANGUAGES


def test_the_text_says_what_why_how_long_and_how_to_withdraw_in_every_language():
    shown = IDENTITY_CONSENT.as_dict()
    for part in ("what", "why", "retention", "withdrawal"):
        assert set(shown[part]) == set(LANGUAGES) and all(shown[part].values())
    assert "90" in shown["retention"]["en"] and "withdraw" in shown["withdrawal"]["en"]
    assert CONSENT_TEXTS[IDENTITY_CONSENT.version] is IDENTITY_CONSENT


def test_the_hash_changes_with_any_word_of_the_text():
    changed = dataclasses.replace(IDENTITY_CONSENT, why={**IDENTITY_CONSENT.why, "en": IDENTITY_CONSENT.why["en"] + "!"})
    assert changed.sha256 != IDENTITY_CONSENT.sha256
    assert dataclasses.replace(IDENTITY_CONSENT).sha256 == IDENTITY_CONSENT.sha256
