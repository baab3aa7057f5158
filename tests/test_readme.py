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


def help_examples() -> list[tuple[str, str]]:
    """(command, example) for the ``Example:`` of every command's help."""
    from geomap.cli import cli

    out = []
    for name, command in sorted(cli.commands.items()):
        text = command.help.split("Example:", 1)[1].replace("\\\n", " ")
        out.append((name, " ".join(text.split())))
    return out


@pytest.mark.parametrize(("name", "example"), help_examples(), ids=[n for n, _ in help_examples()])
def test_help_example_runs(name, example, tmp_path):
    """Each command's help example runs against a copy of data/ (doctor's exit status says
    whether this machine has everything, so either is fine there)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "maps").mkdir()
    args = shlex.split(example)
    assert args[:2] == ["geomap", name]
    result = subprocess.run([sys.executable, "-m", "geomap", *args[1:]], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode in ((0, 1) if name == "doctor" else (0,)), result.stderr
    assert "Traceback" not in result.stderr
