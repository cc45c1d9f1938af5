"""The Dockerfile, without a Docker engine: linted by hadolint, a non-root numeric USER that the image creates, and its
CMD is `make run`'s migrate-then-serve, which is run here as that user id (in a user namespace) with the image's ENV."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from tests.conftest import REPO
from tests.e2e.test_demo import _free_port, _log, _wait_ready, stop

DOCKERFILE = DockerfileParser(path=str(REPO / "Dockerfile"))


def _instructions(name: str) -> list[str]:
    return [item["value"] for item in DOCKERFILE.structure if item["instruction"] == name]


def _image_user() -> tuple[int, int]:
    uid, _, gid = _instructions("USER")[-1].partition(":")
    assert uid.isdigit() and gid.isdigit(), "USER must be numeric (uid:gid) so a runtime can tell it is not root"
    return int(uid), int(gid)


def _cmd_steps() -> list[str]:
    """The commands of the image's CMD, `sh -c "a && exec b"` read as ["a", "b"]."""
    cmd = json.loads(DOCKERFILE.cmd)
    assert cmd[:2] == ["sh", "-c"], cmd
    return [re.sub(r"^exec\s+", "", step.strip()) for step in cmd[2].split("&&")]


def _make_run_steps() -> list[str]:
    """The commands `make run` executes (its prerequisite `migrate`, then its own), with `$(PY)` as `python`."""
    dry = subprocess.run(["make", "-n", "-o", ".venv/.installed", "run", "PY=python"], cwd=REPO, capture_output=True,
                         text=True, check=True)
    steps = []
    for line in dry.stdout.splitlines():
        words = [w for w in shlex.split(line) if "=" not in w or w.startswith("-")]  # without VAR=value prefixes
        if words[:3] == ["python", "-m", "backend"]:
            steps.append(" ".join(words))
    return steps


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run([hadolint, str(REPO / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_runs_as_the_non_root_user_it_creates() -> None:
    uid, gid = _image_user()
    assert uid != 0 and gid != 0
    runs = " ".join(_instructions("RUN"))
    assert f"--uid {uid}" in runs and f"--gid {gid}" in runs, "the USER's ids are made by a RUN (useradd/groupadd)"
    # nothing after USER may need root: no RUN, and the writable VAR_DIR is that user's home
    after_user = [i["instruction"] for i in DOCKERFILE.structure[DOCKERFILE.structure.index(
        next(i for i in DOCKERFILE.structure if i["instruction"] == "USER")):]]
    assert "RUN" not in after_user
    assert f"--home-dir {DOCKERFILE.envs['VAR_DIR']}" in runs and "--create-home" in runs


def test_the_command_is_make_runs_migrate_then_serve() -> None:
    assert _cmd_steps() == _make_run_steps() == ["python -m backend migrate", "python -m backend serve"]


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux unshare is needed to run as the image's user id")
def test_the_command_serves_as_the_image_user_with_the_image_environment(tmp_path) -> None:
    uid, gid = _image_user()
    probe = subprocess.run(["unshare", f"--map-user={uid}", f"--map-group={gid}", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"user namespaces unavailable here: {probe.stderr.decode()[:200]}")
    port = _free_port()
    env = {
        **DOCKERFILE.envs,  # the image's ENV, then what a deployment sets (it names DATABASE_URL in the Dockerfile)
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path),
        "HOST": "127.0.0.1", "PORT": str(port), "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite://{tmp_path}/kaiban.sqlite3",
    }
    cmd = json.loads(DOCKERFILE.cmd)
    process = subprocess.Popen(["unshare", f"--map-user={uid}", f"--map-group={gid}", *cmd], env=env,
                               cwd=REPO, stdout=_log(tmp_path), stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, timeout=60)  # /readyz: migrations applied, database reachable
        # unshare and sh exec'd in turn: the server is the process started, running as `uid` in its namespace
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert cmdline[1:4] == [b"-m", b"backend", b"serve"], cmdline
        inside, outside, _ = Path(f"/proc/{process.pid}/uid_map").read_text().split()
        status = Path(f"/proc/{process.pid}/status").read_text()
        assert int(inside) == uid and re.search(rf"^Uid:\s+{outside}\s", status, re.M), status
        with urllib.request.urlopen(f"{base}/api/v1/meta", timeout=5) as resp:
            assert resp.status == 200
        health = json.loads(_instructions("HEALTHCHECK")[0].split("CMD", 1)[1])
        assert subprocess.run(health, env=env, cwd=REPO, timeout=30).returncode == 0
    finally:
        stop(process)
