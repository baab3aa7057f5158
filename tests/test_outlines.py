"""Places outside their stated country, against the shipped outlines, in plain Python."""

from __future__ import annotations

import subprocess
import sys

import pytest

from geomap.load import load_dataset
from geomap.outlines import in_country, outside_country, place_problem

from .conftest import ROOT


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [(10.5061, -66.9146, "VE"), (35.6892, 51.3890, "IR"), (21.3099, -157.8581, "US"),
     (11.6250, -70.2200, "VE")],
    ids=["caracas", "tehran", "honolulu", "cardon-on-the-coast"],
)
def test_real_places_are_in_their_country(lat, lon, code):
    assert in_country(lat, lon, code) is True
    assert place_problem(lat, lon, code) is None


def test_a_country_missing_from_the_outlines_is_not_judged():
    assert in_country(10.0, 10.0, "ZZ") is None
    assert place_problem(10.0, 10.0, "ZZ") is None


@pytest.mark.parametrize(
    ("lat", "lon", "slip"),
    [
        (-66.9146, 10.5061, "latitude and longitude swapped?"),
        (66.9146, -10.5061, "latitude and longitude swapped, and their signs?"),
        (10.5061, 66.9146, "the sign of the longitude?"),
    ],
)
def test_the_likely_slip_is_named(lat, lon, slip):
    message = place_problem(lat, lon, "VE")
    assert message.startswith(f"{lat:g},{lon:g} is not in Venezuela (VE) per the shipped outlines")
    assert message.endswith(f"10.5061,-66.9146 is: {slip}")


def test_a_point_far_from_its_country_without_a_likely_slip():
    assert place_problem(48.85, 2.35, "VE") == (
        "48.85,2.35 is not in Venezuela (VE) per the shipped outlines; check lat, lon and country"
    )


def test_the_shipped_data_has_no_place_outside_its_country():
    assert outside_country(load_dataset(ROOT / "data").places) == []


def test_validate_imports_no_geometry_library():
    code = (
        "import sys\nfrom geomap.commands import validate_data\n"
        f"validate_data({str(ROOT / 'data')!r})\n"
        "print(sorted(m for m in ('shapely', 'geopandas', 'pyproj') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
