"""Each case that once ended in a Python traceback, run through the real entry point
(``python -m geomap``): exit status 1 and exactly one line naming the option or the file."""

import os
import subprocess
import sys

import pytest

from .conftest import FIXTURES

BASIC = str(FIXTURES / "basic")


def geomap(*args, cwd=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "geomap", *args], capture_output=True, text=True,
        cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def one_line(done) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_year_zero(tmp_path):
    line = one_line(geomap("render", "--data", BASIC, "--year", "0000",
                           "-o", str(tmp_path / "m.html")))
    assert line == "Error: --year: year '0000' is before year 1"


def option_error(done) -> str:
    """A bad option value: exit 2, click's usage lines, then one ``Error:`` line."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stderr.splitlines()[-1]


def test_unknown_tiles(tmp_path):
    line = option_error(geomap("render", "--data", BASIC, "--tiles", "OpenStreetMap.Mapnk",
                               "-o", str(tmp_path / "m.html")))
    assert line == (
        "Error: Invalid value for '--tiles': unknown basemap 'OpenStreetMap.Mapnk' (did you mean "
        "'OpenStreetMap.Mapnik'?); give an xyzservices name such as OpenStreetMap.Mapnik, or none"
    )
    assert not (tmp_path / "m.html").exists()


def test_tiles_that_need_an_api_key(tmp_path):
    line = option_error(geomap("render", "--data", BASIC, "--tiles",
                               "Thunderforest.OpenCycleMap", "-o", str(tmp_path / "m.html")))
    assert line.startswith(
        "Error: Invalid value for '--tiles': basemap 'Thunderforest.OpenCycleMap' needs an API key"
    )


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
def test_export_below_a_file_that_is_not_a_directory(tmp_path, fmt):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    target = blocker / "sub" / f"events.{fmt}"
    line = one_line(geomap("export", "--data", BASIC, "--format", fmt, "-o", str(target)))
    assert line.startswith(f"Error: {target}: cannot ")
    assert "Not a directory" in line


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
def test_export_with_a_too_long_name(tmp_path, fmt):
    target = tmp_path / ("a" * 300 + f".{fmt}")
    line = one_line(geomap("export", "--data", BASIC, "--format", fmt, "-o", str(target)))
    assert line.startswith(f"Error: {target}: cannot write: File name too long")


@pytest.mark.parametrize("fmt", ["gpkg", "kml"])
def test_export_into_an_unwritable_directory(tmp_path, fmt):
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make the directory a read-only mount instead
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(locked)],
                              capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root and cannot mount a read-only tmpfs")
    else:
        locked.chmod(0o555)
    try:
        target = locked / f"events.{fmt}"
        line = one_line(geomap("export", "--data", BASIC, "--format", fmt, "-o", str(target)))
        assert line.startswith(f"Error: {target}: cannot write: ")
        assert "Read-only file system" in line or "Permission denied" in line
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(locked)], check=False)
        else:
            locked.chmod(0o755)


def test_places_on_a_csv_missing_columns(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "places.csv").write_text("id,name\ncaracas,Caracas\n", encoding="utf-8")
    line = one_line(geomap("places", "--data", str(data), "cara"))
    assert line == f"Error: {data / 'places.csv'}:1: aliases: missing column 'aliases' (and 7 more)"


@pytest.mark.parametrize("command", [
    ["render"], ["export", "--format", "csv"], ["export", "--format", "gpkg"],
])
@pytest.mark.parametrize("device", ["/dev/full", "/dev/stdout"])
def test_output_to_a_device(command, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    before = os.stat(device)
    line = one_line(geomap(*command, "--data", BASIC, "-o", device))
    assert line.startswith(f"Error: {device}: --output: is a ")
    assert line.endswith(", not a regular file; give a file name")
    after = os.stat(device)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


def test_a_fifo_as_a_data_file_does_not_hang(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("places.csv", "sources.csv"):
        (data / name).write_bytes((FIXTURES / "basic" / name).read_bytes())
    os.mkfifo(data / "events.csv")
    line = one_line(geomap("validate", "--data", str(data), timeout=60))
    assert line == (
        f"Error: {data / 'events.csv'}: is a FIFO (named pipe), not a regular file; "
        "data files must be plain files"
    )


def test_a_link_to_the_environment_prints_no_secret(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("places.csv", "sources.csv"):
        (data / name).write_bytes((FIXTURES / "basic" / name).read_bytes())
    (data / "events.csv").symlink_to("/proc/self/environ")
    done = subprocess.run(
        [sys.executable, "-m", "geomap", "validate", "--data", str(data)],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "GEOMAP_TEST_SECRET": "s3cr3t-t0ken"},
    )
    line = one_line(done)
    assert "outside the data directory" in line
    assert "s3cr3t-t0ken" not in done.stdout + done.stderr
