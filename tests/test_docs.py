"""The README tells the truth: its two set-up commands, every command, and CI running them."""

import os
import re
import subprocess

import pytest

from geomap.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def first_commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_two_commands():
    render, tests = first_commands()
    assert render.endswith("geomap render") and "pip install -e ." in render
    assert "pytest" in tests
    assert README.index("```sh") < README.index("## ")


def test_ci_runs_the_readme_test_command():
    _, tests = first_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert "ruff check" in ci
    assert "GEOMAP_REQUIRE_BROWSER=1" in ci


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20
    assert f"geomap {name}" in README


def test_readme_links_exist():
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def test_ci_starts_from_a_clean_environment(tmp_path):
    """.ci/run re-starts itself with only HOME, PATH=/usr/bin:/bin, CI and its own marker."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    header = ci.split('cd "$(dirname "$0")/.."', 1)[0]
    probe = tmp_path / "run"
    probe.write_text(header + "env\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "GEOMAP_CLEAN_ENV"}  # set when CI runs us
    env.update(VIRTUAL_ENV="/somewhere/.venv", PATH="/somewhere/bin:/usr/bin:/bin")
    out = subprocess.run(["/bin/bash", str(probe)], env=env, capture_output=True, text=True,
                         check=True).stdout
    names = {line.split("=", 1)[0] for line in out.splitlines()}
    assert names - {"PWD", "SHLVL", "_", "OLDPWD"} == {"HOME", "PATH", "CI", "GEOMAP_CLEAN_ENV"}
    assert "PATH=/usr/bin:/bin" in out.splitlines()


def test_readme_examples_call_the_venv_script_or_activate():
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            assert not line.startswith("geomap "), line
