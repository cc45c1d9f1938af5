"""Assurance levels of identity proofs and what each step requires: configuration read into a pure object, no I/O.

A level names how a person was identified (`wechat_face`: WeChat face check of a mainland identity card,
`partner_attestation`: a registered partner verified the person in person, `video`: an officer's video call). The
configuration (`backend/data/assurance.json` unless `ASSURANCE_CONFIG` names another file) says which level each
step requires per document type, and which levels satisfy a requirement.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from backend.errors import InvalidInput

LEVELS: tuple[str, ...] = ("wechat_face", "partner_attestation", "video")
DEFAULT_KEY = "default"


@dataclasses.dataclass(frozen=True, kw_only=True)
class AssuranceConfig:
    """Which level each step requires per document type, and which levels satisfy each required level."""

    version: str
    steps: Mapping[str, Mapping[str, str]]  # step -> {document_type | "default": required level}
    satisfied_by: Mapping[str, tuple[str, ...]]  # required level -> levels that satisfy it

    def __post_init__(self) -> None:
        for step, table in self.steps.items():
            if DEFAULT_KEY not in table:
                raise ValueError(f"assurance step {step!r} needs a {DEFAULT_KEY!r} level")
            unknown = {level for level in table.values() if level not in LEVELS}
            if unknown:
                raise ValueError(f"assurance step {step!r} requires unknown levels {sorted(unknown)}")
        for required, levels in self.satisfied_by.items():
            if required not in LEVELS or not set(levels) <= set(LEVELS):
                raise ValueError(f"assurance satisfied_by for {required!r} names unknown levels")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "AssuranceConfig":
        """Build the configuration from its JSON form (see `backend/data/assurance.json`)."""
        return cls(
            version=str(data["version"]),
            steps={str(step): {str(k): str(v) for k, v in table.items()} for step, table in data["steps"].items()},
            satisfied_by={str(k): tuple(str(v) for v in levels) for k, levels in data.get("satisfied_by", {}).items()},
        )


def required_assurance(step: str, document_type: str, config: AssuranceConfig) -> str:
    """The assurance level `step` requires of a person identified by `document_type` (422 for an unknown step)."""
    table = config.steps.get(step)
    if table is None:
        raise InvalidInput("assurance_step_unknown", step=step[:32], steps=sorted(config.steps))
    return table.get(document_type, table[DEFAULT_KEY])


def satisfies(level: str | None, required: str, config: AssuranceConfig | None = None) -> bool:
    """Whether an identity proof of `level` meets `required`: the same level, or one the configuration accepts."""
    if level is None:
        return False
    if level == required:
        return True
    return config is not None and level in config.satisfied_by.get(required, ())
