"""Atomic writes: a failure at any step leaves the previous file intact and no debris."""

import errno
import os
import signal
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geomap import output
from geomap.cli import cli
from geomap.errors import OutputError
from geomap.output import write_atomic


def test_writes_and_replaces(tmp_path):
    target = tmp_path / "sub" / "map.html"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["map.html"]


def test_keeps_the_permissions_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "map.html"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_atomic(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o640


def full_disk(real_write):
    """An ``os.write`` that writes half the bytes, then fails as on a full disk."""
    calls = []

    def write(fd, data):
        if calls:
            raise OSError(errno.ENOSPC, "No space left on device")
        calls.append(fd)
        return real_write(fd, bytes(data[: len(data) // 2]))

    return write


@pytest.mark.parametrize("step", ["write", "replace"])
def test_failure_keeps_the_previous_file_and_leaves_no_temporary(tmp_path, monkeypatch, step):
    target = tmp_path / "map.html"
    target.write_bytes(b"previous")
    if step == "write":
        monkeypatch.setattr(output.os, "write", full_disk(os.write))
    else:
        def fail(*args):
            raise OSError(errno.EIO, "Input/output error")

        monkeypatch.setattr(output.os, "replace", fail)
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"new contents")
    assert str(info.value).startswith(f"{target}: cannot write: ")
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["map.html"]


def test_interrupt_mid_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "map.html"
    target.write_bytes(b"previous")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"previous"
    assert os.listdir(tmp_path) == ["map.html"]


def test_directory_in_the_way(tmp_path):
    (tmp_path / "map.html").mkdir()
    with pytest.raises(OutputError, match="is a directory; give a file name"):
        write_atomic(tmp_path / "map.html", b"x")


def test_cli_render_to_an_unwritable_place(basic_data, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        cli, ["render", "--data", str(basic_data), "--output", str(blocker / "map.html")]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {blocker / 'map.html'}: cannot write: ")
    assert len(result.output.splitlines()) == 1


def test_permission_denied_on_a_data_file(basic_data, monkeypatch):
    # Simulated: the tests may run as root, who can read a file whatever its mode.
    from geomap import load

    real = os.open

    def denied(path, *args, **kwargs):
        if str(path).endswith("events.csv"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(load.os, "open", denied)
    result = CliRunner().invoke(cli, ["validate", "--data", str(basic_data)])
    assert result.exit_code == 1
    assert result.output == f"Error: {basic_data / 'events.csv'}: permission denied\n"


def test_a_directory_where_a_data_file_should_be(basic_data):
    (basic_data / "events.csv").unlink()
    (basic_data / "events.csv").mkdir()
    result = CliRunner().invoke(cli, ["validate", "--data", str(basic_data)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {basic_data / 'events.csv'}: is a directory, not a CSV file\n"
    )


def test_commands_never_modify_data_files(basic_data, tmp_path):
    before = {p.name: p.read_bytes() for p in basic_data.iterdir()}
    runner = CliRunner()
    for args in (
        ["render", "-o", str(tmp_path / "m.html")],
        ["validate"],
        ["stats"],
        ["places", "tachira"],
        ["export", "--format", "gpkg", "-o", str(tmp_path / "e.gpkg")],
        ["add", "--date", "2020", "--kind", "visit", "--title", "t", "--places", "caracas",
         "--sources", "news-a", "--confidence", "reported", "--dry-run"],
    ):
        result = runner.invoke(cli, [args[0], "--data", str(basic_data), *args[1:]])
        assert result.exit_code == 0, (args, result.output)
    assert {p.name: p.read_bytes() for p in basic_data.iterdir()} == before


# --- What an output may not be, and temporary files under signals. ---


@pytest.mark.parametrize("command", [
    ["render"], ["export", "--format", "csv"], ["export", "--format", "kml"],
])
@pytest.mark.parametrize("name", ["events.csv", "places.csv", "extra.html"])
def test_outputs_into_the_data_directory_are_refused(basic_data, command, name):
    before = {p.name: p.read_bytes() for p in basic_data.iterdir()}
    target = basic_data / name
    result = CliRunner().invoke(
        cli, [*command, "--data", str(basic_data), "--output", str(target)]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {target}: --output: is inside the data directory {basic_data}; only "
        "`geomap add` writes there, so write outputs elsewhere\n"
    )
    assert {p.name: p.read_bytes() for p in basic_data.iterdir()} == before


def test_a_dataset_file_elsewhere_is_refused(basic_data, tmp_path):
    other = tmp_path / "other-data"
    other.mkdir()
    for name in ("events.csv", "places.csv", "sources.csv"):
        (other / name).write_bytes((basic_data / name).read_bytes())
    with pytest.raises(OutputError, match="is a dataset file; refusing to overwrite data"):
        write_atomic(other / "events.csv", b"x", data_dir=basic_data)
    assert (other / "events.csv").read_bytes() == (basic_data / "events.csv").read_bytes()


@pytest.mark.parametrize(("target", "kind"), [
    ("/dev/null", "character device"), ("/dev/full", "character device"),
])
def test_devices_are_refused(target, kind):
    if not os.path.exists(target) or not stat.S_ISCHR(os.stat(target).st_mode):
        pytest.skip(f"{target} is not a character device here")
    with pytest.raises(OutputError) as info:
        write_atomic(target, b"x")
    assert str(info.value) == (
        f"{target}: --output: is a {kind}, not a regular file; give a file name"
    )
    assert stat.S_ISCHR(os.stat(target).st_mode)


def test_a_fifo_is_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="is a FIFO"):
        write_atomic(fifo, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_symlinked_output_keeps_the_link(tmp_path):
    real = tmp_path / "real.html"
    real.write_bytes(b"old")
    link = tmp_path / "map.html"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_temporaries_of_a_killed_process_are_swept(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".map.html.geomap-{pid}-0123abcd.tmp"
    stale.write_bytes(b"x" * 1000)
    alive = tmp_path / f".map.html.geomap-{os.getppid()}-0123abcd.tmp"
    alive.write_bytes(b"y")
    write_atomic(tmp_path / "map.html", b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "map.html"]


SLOW_WRITER = """
import os, sys, time
from geomap import output
real_fsync = os.fsync
def slow_fsync(fd):
    print("writing", flush=True)
    time.sleep(60)
output.os.fsync = slow_fsync
output.write_atomic(sys.argv[1], b"new contents" * 100000)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_mid_write_removes_the_temporary_file(tmp_path, signum):
    target = tmp_path / "map.html"
    target.write_bytes(b"previous")
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout.readline() == "writing\n"
    assert len(list(tmp_path.iterdir())) == 2  # the temporary file is there, full size
    process.send_signal(signum)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
    assert target.read_bytes() == b"previous"
