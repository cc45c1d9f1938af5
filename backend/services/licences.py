"""Public licence verification: what the licence shows, its status, and the proof that its latest status record
is in the ledger, checkable offline against a signed checkpoint."""
from __future__ import annotations

import base64
from typing import Any

from backend.domain.identifiers import check_uscc
from backend.errors import NotFound
from backend.models import Licence
from backend.services.container import Services


async def licence_bundle(svc: Services, *, uscc: str) -> dict[str, Any]:
    """The licence, its status and `ledger`: index, leaf, inclusion proof and the checkpoint it verifies against."""
    code = check_uscc(uscc.strip().upper())
    licence = await Licence.get_or_none(uscc=code)
    if licence is None:
        raise NotFound("licence_not_found", uscc=code)
    index = await svc.sequencer.index_of(licence.record_id)
    if index is None:
        raise NotFound("licence_not_found", uscc=code)
    size, checkpoint = await svc.ledger.checkpoint(now=svc.clock.now())
    entry = await svc.ledger.entry(index)
    proof = await svc.ledger.inclusion_proof(index=index, size=size)
    return {
        "licence": licence.data,
        "status": licence.status,
        "ledger": {
            "index": index,
            "leaf": base64.b64encode(bytes(entry.leaf)).decode(),
            "inclusion": {"size": size, "hashes": [base64.b64encode(h).decode() for h in proof]},
            "checkpoint": checkpoint,
        },
    }
