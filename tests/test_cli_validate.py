"""`geomap validate`: problems one per line, a summary, and the exit status."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from geomap.cli import cli

from .test_validate import add_row, set_cell


def validate(data, *args):
    return CliRunner().invoke(cli, ["validate", "--data", str(data), *args])


def test_clean_data_exits_0_with_the_summary(basic_data):
    result = validate(basic_data)
    assert result.exit_code == 0
    assert result.exception is None
    assert result.output == (
        f"{basic_data / 'sources.csv'}:3: url: no URL: readers cannot follow this source "
        "[warning]\n"
        f"0 errors, 1 warning in {basic_data} (8 places, 2 sources, 4 events)\n"
    )


def test_errors_exit_1_listing_every_problem_then_the_summary(basic_data):
    set_cell("events.csv", "visit-tachira", "places", "Teheran > Tachira statee")(basic_data)
    set_cell("events.csv", "pacific-flight", "date", "2020-02-30")(basic_data)
    set_cell("events.csv", "pacific-flight", "end_date", "")(basic_data)
    result = validate(basic_data)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    events = basic_data / "events.csv"
    assert result.output.splitlines() == [  # errors first, then warnings
        f"{events}:4: places: unknown place 'Tachira statee' (did you mean 'tachira'?)",
        f"{events}:5: date: '2020-02-30': February 2020 has no day 30",
        f"{basic_data / 'sources.csv'}:3: url: no URL: readers cannot follow this source "
        "[warning]",
        f"2 errors, 1 warning in {basic_data} (8 places, 2 sources, 4 events)",
    ]


def test_one_error_is_singular(basic_data):
    set_cell("sources.csv", "blog-b", "url", "javascript:alert(1)")(basic_data)
    result = validate(basic_data)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{basic_data / 'sources.csv'}:3: url: 'javascript:alert(1)' is not an http(s) URL "
        "with a host",
        f"1 error, 0 warnings in {basic_data} (8 places, 2 sources, 4 events)",
    ]


def test_strict_fails_on_warnings(basic_data):
    assert validate(basic_data).exit_code == 0
    result = validate(basic_data, "--strict")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"0 errors, 1 warning in {basic_data} (8 places, 2 sources, 4 events)"
    )


def test_strict_passes_without_warnings(basic_data):
    set_cell("sources.csv", "blog-b", "url", "https://example.org/b")(basic_data)
    result = validate(basic_data, "--strict")
    assert result.exit_code == 0
    assert result.output == (
        f"0 errors, 0 warnings in {basic_data} (8 places, 2 sources, 4 events)\n"
    )


def test_counts_follow_the_data(basic_data):
    add_row("events.csv", id="extra", date="2021", kind="statement", title="Extra",
            places="caracas", confidence="alleged", sources="blog-b",
            evidence="Quote.")(basic_data)
    result = validate(basic_data)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        f"0 errors, 1 warning in {basic_data} (8 places, 2 sources, 5 events)"
    )


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (b'x,2020,,visit,"Open quote,,,,,reported,news-a,\n',
         "events.csv:3: malformed CSV: unbalanced double quote; a quoted value in the record "
         "starting on this line is never closed"),
        (b"x,2020,,visit,T\xe1chira,,,caracas,,reported,news-a,\n",
         "events.csv:3: not UTF-8: byte 0xe1 at column 16; save the file as UTF-8"),
        (b"x,2020,,visit,A,B,C,caracas,,reported,news-a,quote,extra\n",
         "events.csv:3: 13 fields but the header has 12; a value that contains a comma must be "
         "in double quotes"),
    ],
    ids=["unbalanced-quote", "not-utf8", "too-many-fields"],
)
def test_a_broken_csv_is_one_error_line_without_a_traceback(basic_data, broken, message):
    events = basic_data / "events.csv"
    lines = events.read_bytes().splitlines(keepends=True)
    events.write_bytes(b"".join([lines[0], lines[1], broken, *lines[2:]]))
    result = validate(basic_data)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output == f"Error: {basic_data / message}\n"
    assert "Traceback" not in result.output


def test_a_missing_data_directory(tmp_path):
    result = validate(tmp_path / "nowhere")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output == (
        f"Error: {tmp_path / 'nowhere'}: data directory not found; run inside a geomap checkout "
        "or pass --data DIR\n"
    )


def test_a_missing_data_file(basic_data):
    (basic_data / "places.csv").unlink()
    result = validate(basic_data)
    assert result.exit_code == 1
    assert result.output == f"Error: {basic_data / 'places.csv'}: file not found\n"


def test_an_empty_data_file(basic_data):
    (basic_data / "sources.csv").write_bytes(b"")
    result = validate(basic_data)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {basic_data / 'sources.csv'}:1: the file is empty; it needs at least a header "
        "line\n"
    )


def test_default_data_directory_is_data(basic_data, monkeypatch):
    monkeypatch.chdir(basic_data.parent)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "0 errors, 1 warning in data (8 places, 2 sources, 4 events)"
    )
