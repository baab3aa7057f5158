"""The README tells the truth: its two set-up commands, every command, and CI running them."""

import re

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
