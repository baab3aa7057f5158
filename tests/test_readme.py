"""Every command example in the README runs: each ``sh`` block after the set-up is executed
through ``python -m geomap`` (never PATH) against a copy of data/, in a temporary folder."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SCRIPT = ".venv/bin/geomap"


def example_commands() -> list[str]:
    """The logical lines of every ``sh`` block but the first (the set-up commands)."""
    blocks = re.findall(r"```sh\n(.*?)```", README, re.S)[1:]
    text = "\n".join(blocks).replace("\\\n", " ")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def test_examples_call_the_venv_script():
    commands = example_commands()
    assert len(commands) >= 6
    for command in commands:
        assert command.startswith(f"{SCRIPT} "), command


@pytest.mark.parametrize("command", example_commands())
def test_example_runs(command, tmp_path):
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "maps").mkdir()
    args = shlex.split(command)[1:]
    result = subprocess.run([sys.executable, "-m", "geomap", *args], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
