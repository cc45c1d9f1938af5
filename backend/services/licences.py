"""Public licence verification: what the licence shows, its status, and the proof that its latest status record
is in the ledger, checkable offline against a signed (and, where witnesses are configured, cosigned) checkpoint."""
from __future__ import annotations

import base64
import dataclasses
from typing import Any

from backend.domain.identifiers import check_uscc
from backend.errors import NotFound
from backend.ledger.bundle import encode_bundle
from backend.models import Licence
from backend.services.container import Services


@dataclasses.dataclass(frozen=True)
class LicenceProof:
    """A licence with its ledger entry, inclusion proof and the checkpoint the proof verifies against."""

    licence: Licence
    index: int
    leaf: bytes
    hashes: list[bytes]
    size: int
    checkpoint: str


async def licence_proof(svc: Services, *, uscc: str) -> LicenceProof:
    """Find the licence and prove its status record: against the newest cosigned checkpoint that covers it, or the
    newest signed one while witnesses have not yet cosigned."""
    code = check_uscc(uscc.strip().upper())
    licence = await Licence.get_or_none(uscc=code)
    if licence is None:
        raise NotFound("licence_not_found", uscc=code)
    index = await svc.sequencer.index_of(licence.record_id)
    if index is None:
        raise NotFound("licence_not_found", uscc=code)
    size, checkpoint = await svc.ledger.checkpoint_for_proofs(
        covering=index, now=svc.clock.now(), max_age=svc.settings.checkpoint_cache_seconds
    )
    leaf = await svc.ledger.leaf(index)
    if leaf is None:
        raise NotFound("licence_not_found", uscc=code)
    hashes = await svc.ledger.inclusion_proof(index=index, size=size)
    return LicenceProof(licence=licence, index=index, leaf=leaf, hashes=hashes, size=size, checkpoint=checkpoint)


async def licence_bundle(svc: Services, *, uscc: str) -> dict[str, Any]:
    """The licence, its status and `ledger`: index, leaf, inclusion proof and the checkpoint it verifies against."""
    proof = await licence_proof(svc, uscc=uscc)
    return {
        "licence": proof.licence.data,
        "status": proof.licence.status,
        "ledger": {
            "index": proof.index,
            "leaf": base64.b64encode(proof.leaf).decode(),
            "inclusion": {"size": proof.size, "hashes": [base64.b64encode(h).decode() for h in proof.hashes]},
            "checkpoint": proof.checkpoint,
        },
        "bundle_url": f"/api/v1/licences/{proof.licence.uscc}/bundle",
        "credential": svc.credentials.sign(proof.licence.data),
    }


async def licence_tlog_proof(svc: Services, *, uscc: str) -> tuple[str, str]:
    """The licence's proof bundle as a C2SP tlog-proof file: (credit code, text)."""
    proof = await licence_proof(svc, uscc=uscc)
    text = encode_bundle(leaf=proof.leaf, index=proof.index, hashes=proof.hashes, checkpoint=proof.checkpoint)
    return proof.licence.uscc, text
