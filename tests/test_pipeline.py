"""The one-way flow: filtering happens on records, before any geometry is built."""

import ast
import subprocess
import sys

import pytest

from geomap.errors import FilterError
from geomap.filters import Criteria
from geomap.pipeline import selected, selected_records

from .conftest import FIXTURES

BASIC = FIXTURES / "basic"


def imported_by(code: str) -> list[str]:
    """The heavy modules a snippet of geomap code leaves imported."""
    probe = (
        f"{code}\nimport sys\n"
        "print(sorted(m for m in ('geopandas', 'folium', 'searoute', 'shapely', 'pyproj', "
        "'pandas') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_stats_imports_no_geometry_or_map_library():
    code = (
        "from geomap.cli import cli\n"
        "try:\n"
        f"    cli(['stats', '--data', {str(BASIC)!r}, '--kind', 'visit'])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
    )
    assert imported_by(code) == []


def test_selection_filters_before_geometry():
    selection = selected_records(BASIC, Criteria.from_options(kinds=["visit"]))
    assert [event.id for event in selection.events] == ["visit-tachira"]
    assembly = selected(BASIC, Criteria.from_options(kinds=["visit"]))
    assert [event.id for event in assembly.records] == ["visit-tachira"]
    assert len(assembly.shapes) == len(assembly.travels) == 1


def test_no_match_is_an_error_only_when_a_match_is_required():
    criteria = Criteria.from_options(years=["2019"])
    with pytest.raises(FilterError, match="no event matches year 2019"):
        selected_records(BASIC, criteria)
    assert selected_records(BASIC, criteria, require_match=False).events == []
