"""`geomap doctor`: a line per feature, what is missing and how to get it; exit 1 if any is."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from geomap import doctor
from geomap.cli import cli
from geomap.doctor import Check


def geomap(*args, env):
    return subprocess.run([sys.executable, "-m", "geomap", *args], capture_output=True,
                          text=True, env=env)


def test_without_programs_or_cache_each_feature_says_how_to_get_it(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path), "GEOMAP_ASSETS": str(tmp_path / "empty")}
    result = geomap("doctor", env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("MISSING ") for line in lines)
    assets, gdal, chromium, node = lines
    assert "maps that open offline" in assets and "geomap fetch-assets --npm" in assets
    assert "apt-get install gdal-bin" in gdal
    assert "apt-get install chromium" in chromium
    assert "apt-get install nodejs npm" in node
    assert result.stderr == "4 of 4 missing; the lines above say how to get them\n"


def test_all_present_exits_0(monkeypatch):
    checks = [Check("feature one", True, "here"), Check("feature two", True, "there")]
    monkeypatch.setattr(doctor, "diagnose", lambda: checks)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 0
    assert result.output == "ok       feature one  here\nok       feature two  there\n"


def test_one_missing_exits_1(monkeypatch):
    checks = [Check("feature one", True, "here"), Check("feature two", False, "apt-get it")]
    monkeypatch.setattr(doctor, "diagnose", lambda: checks)
    result = CliRunner().invoke(cli, ["doctor"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "MISSING  feature two  apt-get it"


def test_present_programs_are_found(monkeypatch, tmp_path):
    for name in ("chromium", "node", "npm", "ogrinfo"):
        program = tmp_path / name
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert doctor.check_node() == Check(
        "page-script tests (Node)", True, f"node at {tmp_path / 'node'}; npm at {tmp_path / 'npm'}"
    )
    assert doctor.check_chromium().detail.startswith(f"chromium at {tmp_path / 'chromium'}")
    assert doctor.check_gdal().ok
