"""The assurance each step requires is configuration: the bundled policy, and another file changing it."""
from __future__ import annotations

import json

import pytest

from backend.domain.assurance import AssuranceConfig, required_assurance, satisfies
from backend.errors import InvalidInput
from backend.services.assurance import DEFAULT_CONFIG, assurance_config, load_config
from backend.settings import Settings

CONFIG = load_config(str(DEFAULT_CONFIG))


def test_signing_needs_a_face_check_for_mainland_cards_and_an_attestation_for_other_documents() -> None:
    assert required_assurance("sign", "cn_resident_id", CONFIG) == "wechat_face"
    for document in ("hk_id", "mo_id", "hk_mo_travel_permit", "passport_mrz", "cn_residence_permit"):
        assert required_assurance("sign", document, CONFIG) == "partner_attestation"
    assert required_assurance("identify", "hk_id", CONFIG) == "partner_attestation"


def test_a_level_satisfies_its_own_requirement_and_those_the_configuration_accepts() -> None:
    assert satisfies("wechat_face", "wechat_face")
    assert satisfies("partner_attestation", "partner_attestation")
    assert not satisfies("partner_attestation", "wechat_face", CONFIG)  # an attestation never stands in for a face check
    assert not satisfies(None, "partner_attestation", CONFIG)
    assert satisfies("wechat_face", "partner_attestation", CONFIG)
    assert not satisfies("wechat_face", "partner_attestation")  # without a configuration, only the same level


def test_an_unknown_step_is_refused_with_its_code() -> None:
    with pytest.raises(InvalidInput) as refused:
        required_assurance("teleport", "hk_id", CONFIG)
    assert refused.value.code == "assurance_step_unknown"


def test_another_configuration_file_changes_the_policy_without_code(tmp_path) -> None:
    stricter = json.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    stricter["steps"]["sign"]["hk_id"] = "video"
    path = tmp_path / "assurance.json"
    path.write_text(json.dumps(stricter), encoding="utf-8")
    config = assurance_config(Settings(assurance_config=str(path)))
    assert required_assurance("sign", "hk_id", config) == "video"
    assert required_assurance("sign", "mo_id", config) == "partner_attestation"
    assert assurance_config(Settings()) == CONFIG


def test_a_configuration_naming_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError):
        AssuranceConfig.from_mapping({"version": "x", "steps": {"sign": {"default": "telepathy"}}})
    with pytest.raises(ValueError):
        AssuranceConfig.from_mapping({"version": "x", "steps": {"sign": {"hk_id": "video"}}})
