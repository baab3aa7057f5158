import subprocess
import sys

import pytest
from click.testing import CliRunner

from geomap import __version__
from geomap.cli import cli

from .conftest import FIXTURES, ROOT


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"geomap, version {__version__}\n"


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help_lists_the_commands(flag):
    result = run(flag)
    assert result.exit_code == 0
    for command in ("render", "validate", "places"):
        assert command in result.output


HEAVY = ("geopandas", "folium", "searoute", "shapely", "pyproj", "pandas")


@pytest.mark.parametrize(
    ("args", "forbidden"),
    [
        (["--help"], HEAVY),
        (["render", "--help"], HEAVY),
        (["validate", "--data", str(FIXTURES / "basic")], HEAVY),
    ],
)
def test_fast_commands_import_no_heavy_library(args, forbidden):
    code = (
        "import sys\n"
        "from geomap.cli import cli\n"
        "try:\n"
        f"    cli({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {forbidden!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_render_writes_the_map(basic_data, tmp_path):
    out = tmp_path / "out" / "map.html"
    result = run("render", "--data", str(basic_data), "--output", str(out), "--title", "Mine")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {out}: 4 events from 2 sources (")
    assert "<title>Mine</title>" in out.read_text(encoding="utf-8")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]  # no temporary file left


def test_render_refuses_invalid_data_naming_file_line_and_column(basic_data, tmp_path):
    events = basic_data / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("Teheran > tachira", "Teheran > Tachira statee"),
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    result = run("render", "--data", str(basic_data), "--output", str(out))
    assert result.exit_code == 1
    assert f"{events}:4: places: unknown place 'Tachira statee' (did you mean 'tachira'?)" in (
        result.output
    )
    assert result.output.rstrip().splitlines()[-1] == "Error: 1 error in the data; nothing written"
    assert "Traceback" not in result.output
    assert not out.exists()


def test_render_missing_data_directory(tmp_path):
    result = run("render", "--data", str(tmp_path / "nope"), "--output", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path / 'nope'}: data directory not found\n"


def test_render_missing_file(basic_data, tmp_path):
    (basic_data / "places.csv").unlink()
    result = run("render", "--data", str(basic_data), "--output", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.output == f"Error: {basic_data / 'places.csv'}: file not found\n"


def test_render_malformed_csv(basic_data, tmp_path):
    events = basic_data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + 'bad,"2020,,,\n', encoding="utf-8")
    result = run("render", "--data", str(basic_data), "--output", str(tmp_path / "m.html"))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {events}:6: malformed CSV")
    assert len(result.output.splitlines()) == 1


def test_render_keeps_the_previous_map_when_data_is_bad(basic_data, tmp_path):
    out = tmp_path / "map.html"
    out.write_text("previous map", encoding="utf-8")
    (basic_data / "events.csv").write_bytes(b"\xff\xfe not utf-8")
    result = run("render", "--data", str(basic_data), "--output", str(out))
    assert result.exit_code == 1
    assert "not UTF-8" in result.output
    assert out.read_text(encoding="utf-8") == "previous map"


def test_places_search():
    result = run("places", "teheran", "--data", str(FIXTURES / "basic"))
    assert result.exit_code == 0
    assert result.output.splitlines()[0].split() == [
        "tehran", "Tehrān", "(city,", "IR)", "35.6892,51.3890",
    ]


def test_places_without_match(tmp_path):
    result = run("places", "zzzzqqq", "--data", str(FIXTURES / "basic"))
    assert result.exit_code == 1
    assert result.output == "Error: no place matches 'zzzzqqq'\n"


def test_console_script_is_installed():
    out = subprocess.run(["geomap", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"geomap, version {__version__}"


def test_committed_map_is_current(tmp_path):
    """maps/index.html is what `geomap render` writes from data/ today, byte for byte."""
    fresh = tmp_path / "index.html"
    result = run("render", "--data", str(ROOT / "data"), "--output", str(fresh))
    assert result.exit_code == 0, result.output
    committed = ROOT / "maps" / "index.html"
    assert committed.read_bytes() == fresh.read_bytes(), (
        "maps/index.html is out of date: run `geomap render` and commit it"
    )


def test_nothing_on_stderr_when_it_is_not_a_terminal(basic_data, tmp_path):
    for args in (
        ["render", "--data", str(basic_data), "-o", str(tmp_path / "m.html")],
        ["export", "--data", str(basic_data), "--format", "gpkg", "-o", str(tmp_path / "e.gpkg")],
        ["stats", "--data", str(basic_data)],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0
        assert result.stderr == ""
