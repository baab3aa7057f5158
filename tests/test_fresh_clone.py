"""The README's first two commands, copied exactly, on a fresh clone in a clean environment.

The clone is of the committed HEAD, in a temporary folder, with a new virtual environment and an
environment holding only ``HOME`` and ``PATH=/usr/bin:/bin`` (no venv, no ~/.local/bin), as on a
machine that has never seen the project. The first command is run exactly as written and must
reproduce the committed map byte for byte. Of the second, the set-up script is run exactly as
written; then, instead of the whole suite (which would run this test inside itself and double
CI's time; CI runs the README's test command itself, in a clean environment), the clone's venv
collects the whole suite and runs the CLI and README tests, which are the ones that failed for a
newcomer when they relied on PATH.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = "bash scripts/setup-tests.sh"
PYTEST = ".venv/bin/python -m pytest"


def clean(command: str, cwd) -> subprocess.CompletedProcess:
    env = {"HOME": os.environ["HOME"], "PATH": "/usr/bin:/bin"}
    return subprocess.run(["/bin/bash", "-c", command], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    if shutil.which("git") is None:
        pytest.fail("git is needed to clone the repository")
    target = tmp_path_factory.mktemp("fresh") / "geomap"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True)
    return target


def readme_commands() -> tuple[str, str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    render, tests = (line for line in block.splitlines() if line.strip())
    return render, tests


def test_first_command_renders_the_committed_map(clone):
    render, _ = readme_commands()
    result = clean(render, clone)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "wrote maps/index.html" in result.stdout
    diff = subprocess.run(["git", "status", "--porcelain", "maps"], cwd=clone,
                          capture_output=True, text=True, check=True)
    assert diff.stdout == "", "the fresh clone's render differs from the committed map"


def test_second_command_sets_up_and_the_tests_pass_without_path(clone):
    _, tests = readme_commands()
    assert tests == f"{SETUP} && {PYTEST}"
    setup = clean(SETUP, clone)
    assert setup.returncode == 0, setup.stderr[-2000:]
    collected = clean(f"{PYTEST} -q -p no:cacheprovider --collect-only", clone)
    assert collected.returncode == 0, collected.stdout[-2000:]
    selection = "tests/test_cli.py tests/test_docs.py tests/test_readme.py"
    ran = clean(f"{PYTEST} -q -p no:cacheprovider -m 'not slow' {selection}", clone)
    assert ran.returncode == 0, ran.stdout[-3000:]
    assert " passed" in ran.stdout and "failed" not in ran.stdout
