"""--near, --bbox, --within, --place with coordinates and --where, each against a reference
computed independently of geomap's own code (pyproj's geodesic, shapely's polygons)."""

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.areas import country, country_at
from geomap.errors import FilterError
from geomap.filters import Criteria, select
from geomap.gazetteer import Gazetteer, Place
from geomap.load import load_dataset
from geomap.records import Event, resolve
from geomap.schema import PartialDate

from .conftest import FIXTURES

CUSTOM = FIXTURES / "custom"


def at(lon, lat, eid="e"):
    return Event(eid, PartialDate.parse("2020"), None, "visit", "t",
                 stops=(Place("", f"{lat},{lon}", lon, lat),), confidence="reported")


def kept(events, **options):
    criteria = Criteria.from_options(**options)
    attributes = [name for name, _ in events[0].attributes] if events else []
    return [e.id for e in select(events, criteria, Gazetteer([]), attributes=attributes)]


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-80, 80), lon=st.floats(-180, 180),
    dlat=st.floats(-3, 3), dlon=st.floats(-3, 3), km=st.floats(1, 500),
)
def test_near_agrees_with_the_geodesic_distance(lat, lon, dlat, dlon, km):
    from pyproj import Geod

    plat, plon = max(-89.0, min(89.0, lat + dlat)), ((lon + dlon + 180) % 360) - 180
    _, _, metres = Geod(ellps="WGS84").inv(lon, lat, plon, plat)
    distance = metres / 1000
    if abs(distance - km) <= 0.006 * km + 0.01:  # sphere vs ellipsoid: up to ~0.5 % apart
        return
    assert (kept([at(plon, plat)], near=f"{lat},{lon},{km}") == ["e"]) is (distance < km)


@settings(max_examples=300, deadline=None)
@given(lon=st.floats(-180, 180), lat=st.floats(-85, 85))
def test_within_agrees_with_shapely(lon, lat):
    from shapely.geometry import Point, shape

    collection = json.loads(
        resources.files("geomap").joinpath("static", "countries.geojson").read_text("utf-8")
    )
    point = Point(lon, lat)
    expected = next(
        (f["properties"]["name"] for f in collection["features"]
         if shape(f["geometry"]).contains(point)),
        None,
    )
    if expected is None and any(
        shape(f["geometry"]).boundary.distance(point) < 1e-9 for f in collection["features"]
    ):
        return  # exactly on an outline: either answer is fair
    found = country_at(lon, lat)
    assert (found.name if found else None) == expected


def test_within_a_country_by_name_code_or_place():
    events = [at(-66.9, 10.5, "caracas"), at(-77.0, 38.9, "washington"), at(10.5, -66.9, "swap")]
    assert kept(events, within=["Venezuela"]) == ["caracas"]
    assert kept(events, within=["ve", "United States of America"]) == ["caracas", "washington"]
    dataset = load_dataset(CUSTOM)
    gazetteer = Gazetteer.from_rows(dataset.places.rows)
    selection = select(resolve(dataset), Criteria.from_options(within=["ukraine"]), gazetteer)
    assert [e.id for e in selection] == ["p1", "p2", "a1"]


def test_unknown_area_suggests_a_country():
    with pytest.raises(FilterError, match=r"no outline for 'Venezuala'.*did you mean 'Venezuela'"):
        kept([at(0, 0)], within=["Venezuala"])


def test_bbox_including_across_the_antimeridian():
    events = [at(179.5, 10, "east"), at(-179.5, 10, "west"), at(0, 10, "middle")]
    assert kept(events, bbox="170,0,-170,20") == ["east", "west"]
    assert kept(events, bbox="-10,0,10,20") == ["middle"]
    assert kept(events, bbox="-10,11,10,20") == []


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("near", "10,20", "is not LAT,LON,KM"),
        ("near", "100,20,5", "out of range"),
        ("bbox", "1,2,3", "is not WEST,SOUTH,EAST,NORTH"),
        ("bbox", "0,10,5,0", "south is above north"),
        ("where", "province", "is not COLUMN=VALUE"),
    ],
)
def test_bad_spatial_options(option, value, message):
    value = [value] if option == "where" else value
    with pytest.raises(FilterError, match=message):
        Criteria.from_options(**{option: value})


def test_place_with_coordinates_matches_only_those_coordinates():
    dataset = load_dataset(CUSTOM)
    gazetteer = Gazetteer.from_rows(dataset.places.rows)
    events = resolve(dataset)
    chosen = select(events, Criteria.from_options(places=["45.0,-30.0"]), gazetteer)
    assert [e.id for e in chosen] == ["p3"]
    assert select(events, Criteria.from_options(places=["45.5,-30.0"]), gazetteer) == []


def test_where_matches_the_datasets_own_columns():
    events = resolve(load_dataset(CUSTOM))
    assert kept(events, where=["province=kyiv city"]) == ["p1", "a1"]
    assert kept(events, where=["province=Kyiv City", "province=Lviv Oblast"]) == [
        "p1", "p2", "a1",
    ]
    assert kept(events, where=["province=Kyiv City", "town=Lviv"]) == []
    with pytest.raises(FilterError, match=r"no column 'provnce'.*did you mean 'province'"):
        kept(events, where=["provnce=x"])


def test_country_lookup():
    assert country("Venezuela").code == "VE"
    assert country("venezuela") is country("VE")
    assert country("Atlantis") is None
