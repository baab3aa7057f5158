"""A full disk for every output format: the command exits 1 with one line, the previous file
stays, and no temporary file is left. Two ways: a real small tmpfs filled to the brim (when the
tests may mount, as root), and writers patched to fail with ENOSPC (always)."""

import errno
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from geomap import output
from geomap.cli import cli

from .conftest import FIXTURES

COMMANDS = {
    "html": ["render"],
    "geojson": ["export", "--format", "geojson"],
    "gpkg": ["export", "--format", "gpkg"],
    "kml": ["export", "--format", "kml"],
    "csv": ["export", "--format", "csv"],
}
PREVIOUS = b"the previous, good file"


def run(fmt: str, target: Path):
    return CliRunner().invoke(
        cli, [*COMMANDS[fmt], "--data", str(FIXTURES / "basic"), "--output", str(target)]
    )


def assert_refused(result, target: Path):
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"Error: {target}: ")
    assert lines[0].endswith("the previous file, if any, is unchanged")
    assert target.read_bytes() == PREVIOUS
    assert not [p for p in target.parent.iterdir() if ".geomap-" in p.name]


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MiB tmpfs holding the previous output, then filled until the disk is full."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs is not permitted here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(directory: Path) -> None:
    with open(directory / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


@pytest.mark.parametrize("fmt", list(COMMANDS))
def test_a_real_full_disk(full_disk, fmt):
    target = full_disk / f"out.{fmt}"
    target.write_bytes(PREVIOUS)
    fill(full_disk)
    assert_refused(run(fmt, target), target)


@pytest.mark.parametrize("fmt", ["html", "geojson", "csv"])
def test_enospc_while_writing_bytes(tmp_path, monkeypatch, fmt):
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(PREVIOUS)
    real = os.write

    def half_then_full(fd, data):
        if len(data) > 1000:
            return real(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "write", half_then_full)
    result = run(fmt, target)
    assert_refused(result, target)
    assert "No space left on device" in result.output


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
@pytest.mark.parametrize("failure", ["raises", "silent"])
def test_enospc_in_the_gdal_writer(tmp_path, monkeypatch, fmt, failure):
    """GDAL may raise, or (as the KML driver does) report nothing and leave a short file."""
    target = tmp_path / f"out.{fmt}"
    target.write_bytes(PREVIOUS)
    real = pyogrio.write_dataframe

    def short_write(frame, path, **kwargs):
        real(frame, path, **kwargs)
        size = os.path.getsize(path)
        with open(path, "r+b") as handle:
            handle.truncate(size // 2)
        if failure == "raises":
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pyogrio, "write_dataframe", short_write)
    result = run(fmt, target)
    assert_refused(result, target)
    if failure == "raises":
        assert "No space left on device" in result.output
    elif fmt == "kml":
        assert "read" in result.output  # nothing raised: found by reading the file back


def test_a_full_standard_output_is_one_line():
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    for args in (["export", "--format", "csv", "-o", "-"], ["stats", "--format", "csv"],
                 ["validate"]):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [sys.executable, "-m", "geomap", *args, "--data", str(FIXTURES / "basic")],
                stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
            )
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr == "Error: standard output: cannot write: No space left on device\n"
