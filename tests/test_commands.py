"""The library functions behind the thin commands."""

from __future__ import annotations

import pytest

from geomap.commands import filter_warnings, find_places, report_lines, validate_data
from geomap.errors import DataFileError, FilterError
from geomap.filters import Criteria
from geomap.load import load_dataset
from geomap.validate import Problem

from .conftest import FIXTURES


def test_find_places_honours_the_limit_with_and_without_a_query():
    assert [p.id for p in find_places(FIXTURES / "basic", "", 3)] == [
        "bandar-abbas", "caracas", "cardon-refinery",
    ]
    assert [p.id for p in find_places(FIXTURES / "basic", "teheran", 1)] == ["tehran"]
    with pytest.raises(FilterError, match="no place matches 'zzz'"):
        find_places(FIXTURES / "basic", "zzz")


def test_a_missing_data_directory_says_what_to_do(tmp_path):
    with pytest.raises(DataFileError) as info:
        validate_data(tmp_path / "none")
    assert str(info.value) == (
        f"{tmp_path / 'none'}: data directory not found; run inside a geomap checkout or pass "
        "--data DIR"
    )


def test_filter_warnings_name_unknown_actors_only():
    dataset = load_dataset(FIXTURES / "basic")
    criteria = Criteria.from_options(actors=["iran", "Mahan", "Zzyzx"])
    assert filter_warnings(dataset, criteria) == [
        "--actor: 'Mahan' names no actor in the data (did you mean 'Mahan Air'?)",
        "--actor: 'Zzyzx' names no actor in the data",
    ]


def test_report_lines_put_errors_first_and_count_repeated_warnings():
    problems = [
        Problem("s.csv", 2, "url", "no URL", "warning"),
        Problem("s.csv", 3, "id", "source 'a' is not cited by any event", "warning"),
        Problem("s.csv", 4, "url", "no URL", "warning"),
        Problem("s.csv", 5, "id", "source 'b' is not cited by any event", "warning"),
        Problem("e.csv", 9, "date", "'2020-13': month 13 does not exist"),
        Problem("e.csv", 1, "-", "no records below the header"),
    ]
    assert report_lines(problems) == [
        "e.csv:9: date: '2020-13': month 13 does not exist",
        "e.csv:1: no records below the header",
        "s.csv:2: url: no URL [2 warnings like this, on lines 2, 4; geomap validate --all lists "
        "each]",
        "s.csv:3: id: source 'a' is not cited by any event [2 warnings like this, on lines 3, 5; "
        "geomap validate --all lists each]",
    ]
    assert len(report_lines(problems, every=True)) == 6
