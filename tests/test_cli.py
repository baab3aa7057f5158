import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

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
    assert result.output == (
        f"Error: {tmp_path / 'nope'}: data directory not found; run inside a geomap checkout or "
        "pass --data DIR\n"
    )


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
    """The script pip installed next to this interpreter, found without PATH."""
    script = Path(sysconfig.get_path("scripts")) / "geomap"
    out = subprocess.run([script, "--version"], capture_output=True, text=True, check=True)
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


# Through the real console script (``python -m geomap``, never PATH): every message a newcomer
# meets ends in one line that says what to do.


def geomap(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "geomap", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=env,
    )


def test_module_entry_point_runs_the_cli():
    result = geomap("--version")
    assert result.returncode == 0
    assert result.stdout == f"geomap, version {__version__}\n"


@pytest.mark.parametrize(
    ("separator", "named"), [(";", "semicolons (;)"), ("\t", "tabs")], ids=["semicolon", "tab"]
)
def test_a_file_with_another_delimiter_is_named(basic_data, separator, named):
    events = basic_data / "events.csv"
    events.write_text(
        "id;date;kind\nx;2020;visit\n".replace(";", separator), encoding="utf-8"
    )
    result = geomap("validate", "--data", basic_data)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: {events}:1: values are separated by {named}, not commas; save the file as "
        "comma-separated CSV\n"
    )


def test_an_unknown_actor_is_a_warning_with_the_closest_spelling_for_stats(basic_data):
    result = geomap("stats", "--data", basic_data, "--actor", "mahan", "--format", "json")
    assert result.returncode == 0
    assert result.stderr == (
        "Warning: --actor: 'mahan' names no actor in the data (did you mean 'Mahan Air'?)\n"
    )
    assert '"events": 0' in result.stdout
    misspelt = geomap("stats", "--data", basic_data, "--actor", "Iarn")
    assert "(did you mean 'Iran'?)" in misspelt.stderr
    known = geomap("stats", "--data", basic_data, "--actor", "IRAN")
    assert known.returncode == 0 and known.stderr == ""


def test_an_unknown_actor_warns_before_render_refuses_an_empty_map(basic_data, tmp_path):
    result = geomap("render", "--data", basic_data, "-o", tmp_path / "m.html", "--actor", "Irn")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Warning: --actor: 'Irn' names no actor in the data (did you mean 'Iran'?)",
        "Error: no event matches actor Irn; nothing written",
    ]
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize(
    ("args", "option", "close"),
    [
        (["stats", "--kind", "flght"], "--kind", "flight"),
        (["stats", "--confidence", "reportd"], "--confidence", "reported"),
        (["export", "--format", "geojsn", "-o", "-"], "--format", "geojson"),
        (["add", "--date", "2020", "--kind", "vist", "--title", "t", "--places", "caracas",
          "--sources", "news-a", "--confidence", "reported", "--dry-run"], "--kind", "visit"),
    ],
    ids=["kind", "confidence", "format", "add-kind"],
)
def test_a_bad_choice_exits_2_with_usage_and_the_closest_value(basic_data, args, option, close):
    result = geomap(*args, "--data", basic_data)
    assert result.returncode == 2
    assert result.stderr.startswith(f"Usage: geomap {args[0]} [OPTIONS]")
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Error: Invalid value for '{option}': ")
    assert last.endswith(f"Did you mean {close!r}?")
    assert "Traceback" not in result.stderr


def test_cdn_and_self_contained_exclude_each_other(basic_data, tmp_path):
    result = geomap("render", "--data", basic_data, "-o", tmp_path / "m.html", "--cdn",
                    "--self-contained")
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "Error: --cdn and --self-contained exclude each other"


def test_an_unknown_place_filter_names_the_closest_place(basic_data):
    result = geomap("stats", "--data", basic_data, "--place", "Tachira statee")
    assert result.returncode == 1
    assert result.stderr == (
        "Error: --place: unknown place 'Tachira statee' (did you mean 'tachira'?)\n"
    )


@pytest.mark.parametrize("command", ["render", "validate", "stats", "places"])
def test_outside_a_checkout_the_data_hint_says_what_to_do(tmp_path, command):
    result = geomap(command, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (
        "Error: data: data directory not found; run inside a geomap checkout or pass --data DIR\n"
    )


def test_swapped_coordinates_are_a_warning_naming_the_slip(basic_data):
    places = basic_data / "places.csv"
    places.write_text(
        places.read_text(encoding="utf-8").replace("VE,10.4806,-66.9036", "VE,-66.9036,10.4806"),
        encoding="utf-8",
    )
    result = geomap("validate", "--data", basic_data)
    assert result.returncode == 0
    assert f"{places}:2: lat: -66.9036,10.4806 is not in Venezuela (VE) per the shipped " \
        "outlines, but 10.4806,-66.9036 is: latitude and longitude swapped? [warning]" in (
            result.stdout.splitlines()
        )


def _without_urls(data):
    sources = data / "sources.csv"
    rows = sources.read_text(encoding="utf-8").splitlines()
    extra = [f"extra-{n},Extra {n},Outlet,,2020,,,en,test" for n in range(3)]
    sources.write_text("\n".join([*rows, *extra]) + "\n", encoding="utf-8")
    events = data / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(
            ",reported,news-a,Over the Pacific.",
            ',reported,news-a;extra-0;extra-1;extra-2,Over the Pacific.',
        ),
        encoding="utf-8",
    )
    return sources


def test_repeated_warnings_are_one_line_per_rule_and_all_lists_each(basic_data):
    sources = _without_urls(basic_data)
    result = geomap("validate", "--data", basic_data)
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{sources}:3: url: no URL: readers cannot follow this source [4 warnings like this "
        "(rule no-url), on lines 3, 4, 5, 6; geomap validate --all lists each]",
        f"0 errors, 4 warnings in {basic_data} (8 places, 5 sources, 4 events)",
    ]
    every = geomap("validate", "--data", basic_data, "--all")
    assert every.stdout.splitlines()[:-1] == [
        f"{sources}:{line}: url: no URL: readers cannot follow this source [warning]"
        for line in (3, 4, 5, 6)
    ]


def test_render_shows_the_real_error_before_the_summarised_warnings(basic_data, tmp_path):
    sources = _without_urls(basic_data)
    events = basic_data / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace("Teheran > tachira", "Teheran > Tachira statee"),
        encoding="utf-8",
    )
    result = geomap("render", "--data", basic_data, "-o", tmp_path / "m.html")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{events}:4: places: unknown place 'Tachira statee' (did you mean 'tachira'?)",
        f"{sources}:3: url: no URL: readers cannot follow this source [4 warnings like this "
        "(rule no-url), on lines 3, 4, 5, 6; geomap validate --all lists each]",
        "Error: 1 error in the data; nothing written",
    ]


def test_counts_have_plural_forms(basic_data, tmp_path):
    one = geomap("render", "--data", basic_data, "-o", tmp_path / "one.html", "--kind", "shipment")
    assert one.returncode == 0, one.stderr
    assert one.stdout.startswith(f"wrote {tmp_path / 'one.html'}: 1 event from 1 source (")
    two = geomap("export", "--data", basic_data, "--format", "geojson", "-o", tmp_path / "v.json",
                 "--kind", "visit")
    assert two.stdout == f"wrote {tmp_path / 'v.json'}: 1 event\n"


def test_help_summaries_fit_on_one_line():
    result = geomap("--help", env={**os.environ, "COLUMNS": "80"})
    assert result.returncode == 0
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert len(listed) == len(cli.commands)
    for line in listed:
        name, summary = line.split(None, 1)
        assert summary == cli.commands[name].get_short_help_str(limit=1000), line
        assert not summary.endswith("..."), line
        assert len(line) <= 80, line


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_help_has_an_example(name):
    result = geomap(name, "--help")
    assert result.returncode == 0
    example = result.stdout.split("Example:\n", 1)[1].splitlines()[0]
    assert example.strip().startswith(f"geomap {name}")


def test_fetch_assets_accepts_data(cdn_files, tmp_path):
    folder = tmp_path / "assets"
    for path in {p.resolve() for p in cdn_files.values()}:
        shutil.copytree(path.parents[1], folder / path.parents[1].name, dirs_exist_ok=True)
    env = {**os.environ, "GEOMAP_ASSETS": str(folder)}
    result = geomap("fetch-assets", "--data", "data", env=env)
    assert result.returncode == 0, result.stderr
    from geomap.assets import ASSETS

    assert result.stdout == f"{len(ASSETS)} pinned assets verified in {folder}\n"


def test_places_limit_without_a_query(basic_data):
    result = geomap("places", "--data", basic_data, "--limit", "2")
    assert result.returncode == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == [
        "bandar-abbas", "caracas",
    ]
    assert len(geomap("places", "--data", basic_data).stdout.splitlines()) == 8


def test_a_header_only_events_file_names_the_file(basic_data, tmp_path):
    events = basic_data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = geomap("validate", "--data", basic_data)
    assert result.returncode == 1
    assert f"{events}:1: no records below the header" in result.stdout.splitlines()
    rendered = geomap("render", "--data", basic_data, "-o", tmp_path / "m.html")
    assert f"{events}:1: no records below the header" in rendered.stderr.splitlines()


def test_export_streams_bytes_to_stdout(basic_data):
    result = subprocess.run(
        [sys.executable, "-m", "geomap", "export", "--data", str(basic_data), "--format",
         "geojson", "-o", "-", "--kind", "visit"],
        capture_output=True,
    )
    assert result.returncode == 0
    assert b"T\xc3\xa1chira" in result.stdout  # UTF-8 bytes, whatever the locale
    assert result.stderr == b""


def test_add_reports_the_new_id_from_the_library(basic_data):
    result = geomap("add", "--data", basic_data, "--date", "2020-08", "--kind", "statement",
                    "--title", "A, quoted \"title\"", "--places", "caracas",
                    "--sources", "news-a", "--confidence", "reported", "--evidence", "Quote.")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        f"added {basic_data / 'events.csv'}:6: 2020-08-a-quoted-title\n"
    )


def test_stats_counts_have_plural_forms(basic_data):
    result = geomap("stats", "--data", basic_data, "--kind", "visit")
    assert result.stdout.splitlines()[0] == "1 event from 2 sources"
    result = geomap("stats", "--data", basic_data, "--kind", "shipment")
    assert result.stdout.splitlines()[0] == "1 event from 1 source"


def test_add_with_an_unknown_source_names_the_closest(basic_data):
    result = geomap("add", "--data", basic_data, "--date", "2020", "--kind", "visit",
                    "--title", "t", "--places", "caracas", "--sources", "nws-a",
                    "--confidence", "reported", "--evidence", "Quote.", "--dry-run")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{basic_data / 'events.csv'}:6: sources: unknown source 'nws-a' (did you mean "
        "'news-a'?)",
        "Error: 1 error in the data; nothing written",
    ]  # only the new row's problems: other rows' warnings are `geomap validate`'s business
