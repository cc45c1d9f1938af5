"""The log side of C2SP tlog-witness: submit a signed checkpoint to a witness and read its cosignature or its size."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

from backend.ledger.checkpoint import NoteVerifier, parse_note, verify_cosignatures
from backend.ledger.errors import CheckpointError, LedgerError
from backend.witness.protocol import SIZE_CONTENT_TYPE, WitnessRefusal, format_request, parse_size_body

MAX_RESPONSE_BYTES = 64 * 1024


class WitnessClientError(LedgerError):
    """A witness could not be asked or did not cosign (502 for our own callers); params say which and why."""

    status = 502
    default_code = "witness_failed"


class WitnessUnreachable(WitnessClientError):
    """The request did not reach the witness or timed out."""

    default_code = "witness_unreachable"


class WitnessBadResponse(WitnessClientError):
    """The witness answered 200 or 409 with a body that is not what the protocol says, or a bad cosignature."""

    default_code = "witness_bad_response"


class WitnessRejected(WitnessClientError):
    """The witness refused the checkpoint (400, 403, 404, 422, 5xx, ...); `witness_status` is its HTTP status."""

    default_code = "witness_rejected"

    def __init__(self, code: str | None = None, /, *, witness_status: int, **params: Any) -> None:
        super().__init__(code, witness_status=witness_status, **params)
        self.witness_status = witness_status


@dataclass(frozen=True)
class WitnessAnswer:
    """A witness's answer: its cosignature lines (200), or its latest size for the origin (409)."""

    cosignatures: tuple[str, ...] = ()
    conflict_size: int | None = None

    @property
    def accepted(self) -> bool:
        """Return whether the witness cosigned (the lines can be appended to the checkpoint note)."""
        return self.conflict_size is None

    def cosigned_note(self, checkpoint: str) -> str:
        """Return the signed checkpoint `checkpoint` with these cosignature lines appended."""
        if not self.accepted:
            raise WitnessClientError(reason="not_cosigned", conflict_size=self.conflict_size)
        return checkpoint + "".join(self.cosignatures)


def _endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/add-checkpoint") else f"{url}/add-checkpoint"


def _cosignature_lines(*, checkpoint: str, text: str, verifier: NoteVerifier | None, url: str) -> tuple[str, ...]:
    """Check that `text` is one or more signature lines (and, with `verifier`, a valid cosignature of it)."""
    if not text or not text.endswith("\n"):
        raise WitnessBadResponse(reason="no_cosignature_lines", url=url, got=text[:200])
    try:
        body, _ = parse_note(checkpoint)
        parse_note(f"{body}\n{text}")
        valid = verify_cosignatures(f"{body}\n{text}", cosigners=[verifier]) if verifier is not None else None
    except CheckpointError as exc:
        raise WitnessBadResponse(reason="bad_cosignature_lines", url=url, detail=exc.params) from None
    if verifier is not None and verifier.name not in (valid or {}):
        raise WitnessBadResponse(reason="cosignature_missing", url=url, witness=verifier.name)
    return tuple(f"{line}\n" for line in text[:-1].split("\n"))


async def add_checkpoint(
    session: aiohttp.ClientSession,
    url: str,
    *,
    old_size: int,
    proof: list[bytes],
    checkpoint: str,
    verifier: NoteVerifier | None = None,
    timeout: float = 30.0,
) -> WitnessAnswer:
    """POST `checkpoint` with the consistency proof from `old_size` to the witness at `url` (base or full endpoint).

    Returns the cosignature lines (200) or the witness's latest size (409 with text/x.tlog.size); with `verifier`
    (the witness's pinned cosignature key) the cosignature is checked. Other answers raise WitnessClientError.
    """
    try:
        body = format_request(old_size=old_size, proof=proof, checkpoint=checkpoint)
    except WitnessRefusal as exc:
        raise WitnessClientError(reason="bad_request_values", detail=exc.params) from None
    endpoint = _endpoint(url)
    try:
        async with session.post(
            endpoint,
            data=body,
            headers={"Content-Type": "text/plain; charset=utf-8"},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            raw = await response.content.read(MAX_RESPONSE_BYTES + 1)
            status, content_type = response.status, response.content_type
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise WitnessUnreachable(url=endpoint, error=f"{type(exc).__name__}: {exc}"[:300]) from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise WitnessBadResponse(reason="response_too_large", url=endpoint, limit=MAX_RESPONSE_BYTES)
    if status == 409 and content_type == SIZE_CONTENT_TYPE:
        try:
            return WitnessAnswer(conflict_size=parse_size_body(raw))
        except WitnessRefusal:
            raise WitnessBadResponse(reason="bad_size_body", url=endpoint, got=raw[:40].decode("ascii", "replace"))
    if status != 200:
        text = raw[:300].decode("utf-8", errors="replace").strip()
        raise WitnessRejected(witness_status=status, url=endpoint, content_type=content_type, body=text)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WitnessBadResponse(reason="not_utf8", url=endpoint) from None
    lines = _cosignature_lines(checkpoint=checkpoint, text=text, verifier=verifier, url=endpoint)
    return WitnessAnswer(cosignatures=lines)
