"""Rules checked column by column report exactly what the row-by-row rules they replace did."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import validate
from geomap.load import parse_table
from geomap.safety import is_formula
from geomap.schema import COLUMNS
from geomap.validate import _check_formulas, _check_ids_and_required, _repeats, _Report

CELLS = st.one_of(
    st.sampled_from([
        "", " ", "ok", "a-b", "a--b", "A", "dup", "=1+2", "-66.9", " -66.9", "-33.95,151.18",
        "-1+2", "+7.5", "@sum", "\tx", "\rx", "=HYPERLINK(1)",
    ]),
    st.text(max_size=6),
)


@st.composite
def tables(draw):
    """A table of one of the three files: all its columns, shuffled, perhaps one twice and
    one of the dataset's own; a few rows of awkward cells."""
    name = draw(st.sampled_from(list(COLUMNS)))
    header = draw(st.permutations(COLUMNS[name]))
    header += draw(st.lists(st.sampled_from([*COLUMNS[name], "extra"]), max_size=2))
    rows = draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)),
                         max_size=6))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return name, parse_table(out.getvalue(), Path(name))


def _row_by_row_formulas(report, table):
    for line, row in table.records():
        for column, value in row.items():
            if value and is_formula(value):
                report.warn(table, line, column, f"{value[:40]!r} starts with {value[0]!r}, "
                            "which a spreadsheet runs as a formula; reword it (CSV exports get "
                            "a leading \"'\")", rule="formula-cell")


@settings(max_examples=300, deadline=None)
@given(tables())
def test_formula_cells_are_found_as_row_by_row(case):
    _, table = case
    fast, slow = _Report(), _Report()
    _check_formulas(fast, table)
    _row_by_row_formulas(slow, table)
    assert fast.problems == slow.problems


@settings(max_examples=300, deadline=None)
@given(tables())
def test_ids_and_required_values_are_checked_as_row_by_row(case):
    name, table = case
    fast, slow = _Report(), _Report()
    _check_ids_and_required(fast, name, table)
    with patch.object(validate, "_suspect_rows", lambda name, table: range(len(table.lines))):
        _check_ids_and_required(slow, name, table)
    assert fast.problems == slow.problems


def _repeats_row_by_row(keys):
    seen, repeats = {}, []
    for i, key in enumerate(keys):
        if not all(key):
            continue
        first = seen.setdefault(key, i)
        if first != i:
            repeats.append((i, first))
    return repeats


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, "2020", "2021-05"]),
                          st.sampled_from(["", "visit"]),
                          st.sampled_from([None, (), ("a",), ("a", "b")])), max_size=12))
def test_repeated_events_are_found_as_row_by_row(keys):
    assert _repeats(iter(keys)) == _repeats_row_by_row(keys)
