"""`python -m backend.witness` as its own process: key file, `vkey`, serving on a free port, called with the client."""
from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import aiohttp

from backend.ledger.checkpoint import NoteVerifier, verify_cosignatures
from backend.witness.client import WitnessRejected, add_checkpoint
from tests.witness.conftest import LOG, ORIGIN, OTHER_LOG, make_tree, signed

REPO = Path(__file__).resolve().parents[2]
NAME = "witness.example/cli"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backend.witness", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def test_vkey_creates_a_private_key_file_and_prints_a_cosignature_key(tmp_path) -> None:
    key_file = tmp_path / "witness.key"
    first = _run("vkey", "--name", NAME, "--key-file", str(key_file))
    assert first.returncode == 0, first.stderr
    assert key_file.stat().st_mode & 0o777 == 0o600
    verifier = NoteVerifier.from_verifier_key(first.stdout.strip())
    assert (verifier.name, verifier.sig_type) == (NAME, 0x04)
    assert _run("vkey", "--name", NAME, "--key-file", str(key_file)).stdout == first.stdout  # same key again
    key_file.write_text("not a key\n")
    assert _run("vkey", "--name", NAME, "--key-file", str(key_file)).returncode == 2


async def _read_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    while True:
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        assert line, "the witness exited before listening"
        found = re.search(r"listening on (http://\S+)", line)
        if found:
            return found.group(1)


async def test_the_witness_process_cosigns_through_the_client(tmp_path) -> None:
    key_file, state = tmp_path / "witness.key", tmp_path / "state" / "witness.sqlite3"
    verifier = NoteVerifier.from_verifier_key(_run("vkey", "--name", NAME, "--key-file", str(key_file)).stdout)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "backend.witness",
        "--name", NAME, "--key-file", str(key_file), "--state", str(state),
        "--log", f"{ORIGIN}={LOG.verifier_key()}", "--log", f"other.example/log={OTHER_LOG.verifier_key()}",
        "--host", "127.0.0.1", "--port", "0",
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = await _read_url(process)
        tree = make_tree(10)
        async with aiohttp.ClientSession() as session:
            note = signed(tree, 4)
            before = int(time.time())
            answer = await add_checkpoint(session, url, old_size=0, proof=[], checkpoint=note, verifier=verifier)
            stamps = verify_cosignatures(answer.cosigned_note(note), cosigners=[verifier])
            assert before <= stamps[NAME] <= int(time.time())  # the current unix time in seconds
            grown = await add_checkpoint(
                session, url, old_size=4, proof=tree.consistency_proof(4, 10), checkpoint=signed(tree, 10)
            )
            assert grown.accepted
            stale = await add_checkpoint(session, url, old_size=4, proof=[], checkpoint=signed(tree, 6))
            assert stale.conflict_size == 10
            other = signed(tree, 2, signer=OTHER_LOG, origin="other.example/log")
            assert (await add_checkpoint(session, url, old_size=0, proof=[], checkpoint=other)).accepted
            try:
                await add_checkpoint(session, url, old_size=0, proof=[], checkpoint=signed(tree, 3, signer=OTHER_LOG))
            except WitnessRejected as exc:
                assert exc.witness_status == 403
            else:
                raise AssertionError("a checkpoint signed by another log's key was cosigned")
    finally:
        process.terminate()
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    assert state.exists() and os.path.getsize(state) > 0
