"""Every error code raised in the code base, and every finding code, has its message in zh-CN, zh-HK and en."""
from __future__ import annotations

import re
from pathlib import Path

from backend.i18n import LANGUAGES, catalogue
from tests.conftest import REPO

RAISED = re.compile(r"\b(?:InvalidInput|Conflict|NotFound|Forbidden|Unauthorized|CheckFailed|TooManyRequests|BadRequest|"
                    r"KaibanError|UpstreamError|FaceCheckFailed|StepConflict)\(\s*\"([a-z_0-9]+)\"")
FINDING = re.compile(r"\bcode=\"([a-z_0-9]+)\"")


def test_every_literal_code_in_the_backend_has_all_three_messages() -> None:
    codes = catalogue()
    seen, missing = set(), []
    for path in (REPO / "backend").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in [*RAISED.finditer(text), *FINDING.finditer(text)]:
            seen.add(match.group(1))
            if match.group(1) not in codes or set(codes[match.group(1)]) < set(LANGUAGES):
                missing.append(f"{path.relative_to(REPO)}: {match.group(1)}")
    assert {"attestation_signature_invalid", "negative_list_scope_prohibited", "capital_rate_missing"} <= seen
    assert missing == []
