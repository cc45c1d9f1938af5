"""Loading the assurance configuration (which level each step requires) from its JSON file."""
from __future__ import annotations

import functools
import json
from pathlib import Path

from backend.domain.assurance import AssuranceConfig, required_assurance, satisfies
from backend.settings import Settings

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "data" / "assurance.json"

__all__ = ["DEFAULT_CONFIG", "assurance_config", "load_config", "required_assurance", "satisfies", "signing_needs_face"]
FACE = "wechat_face"


@functools.cache
def load_config(path: str) -> AssuranceConfig:
    """Read and check an assurance configuration file (cached per path)."""
    return AssuranceConfig.from_mapping(json.loads(Path(path).read_text(encoding="utf-8")))


def assurance_config(settings: Settings) -> AssuranceConfig:
    """The configuration the settings name (`ASSURANCE_CONFIG`), or the bundled default."""
    return load_config(str(settings.assurance_config or DEFAULT_CONFIG))


def signing_needs_face(settings: Settings, document_type: str) -> bool:
    """Whether a person with this document signs after a fresh face check (else an attestation plus a code)."""
    return required_assurance("sign", document_type, assurance_config(settings)) == FACE
