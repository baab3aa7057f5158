import doctest
import itertools
import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, shape
from shapely.ops import unary_union

from geomap import routes
from geomap.payload import _geom
from geomap.routes import (
    MERCATOR_MAX_LAT,
    clip_polar,
    geodesic_path,
    sea_path,
    split_antimeridian,
)

PERSIAN_GULF_PORT = (56.2, 27.15)  # Bandar Abbas (lon, lat)
CARDON_REFINERY = (-70.216, 11.629)
TOKYO, HONOLULU = (139.65, 35.68), (-157.86, 21.31)
CARACAS, DAMASCUS, TEHRAN = (-66.90, 10.48), (36.28, 33.51), (51.39, 35.69)


@pytest.fixture(scope="module")
def land():
    text = resources.files("geomap").joinpath("static", "countries.geojson").read_text()
    countries = json.loads(text)["features"]
    return {f["properties"]["name"]: shape(f["geometry"]) for f in countries}


def test_doctests():
    assert doctest.testmod(routes).failed == 0


def _length_km(line) -> float:
    return Geod(ellps="WGS84").geometry_length(line) / 1000


def test_tanker_from_the_persian_gulf_to_falcon_stays_at_sea(land):
    parts = sea_path([PERSIAN_GULF_PORT, CARDON_REFINERY])
    assert len(parts) == 1
    route = LineString(parts[0])
    assert parts[0][0] == PERSIAN_GULF_PORT and parts[0][-1] == CARDON_REFINERY
    # Never across Arabia or Africa: those countries' interiors are not crossed at all …
    for country in ("Saudi Arabia", "Oman", "Yemen", "Sudan", "Libya", "Algeria", "Nigeria"):
        assert not route.intersects(land[country].buffer(-0.3)), country
    # … and at this 1:110m scale the lane touches land only in the Suez corridor (Egypt's
    # outline covers the Gulf of Suez) and for a few kilometres at each coast, where a straight
    # line would run thousands of kilometres overland.
    on_land = route.intersection(unary_union(list(land.values())))
    for piece in getattr(on_land, "geoms", [on_land]):
        in_suez = all(32.0 <= x <= 34.5 and 27.0 <= y <= 31.5 for x, y in piece.coords)
        assert in_suez or _length_km(piece) < 30, list(piece.coords)[:3]
    straight = LineString(geodesic_path([PERSIAN_GULF_PORT, CARDON_REFINERY])[0])
    assert _length_km(straight.intersection(unary_union(list(land.values())))) > 3000
    assert _length_km(route) > _length_km(straight)


def test_flight_arc_follows_the_geodesic_through_every_stop():
    parts = geodesic_path([CARACAS, DAMASCUS, TEHRAN])
    assert len(parts) == 1
    coords = parts[0]
    assert coords[0] == CARACAS and coords[-1] == TEHRAN
    assert DAMASCUS in coords
    # The great circle from Caracas to Damascus bulges north of both ends.
    assert max(lat for _, lat in coords) > DAMASCUS[1] + 3
    # Vertices are about ARC_STEP_KM apart.
    assert len(coords) > 10_000 / routes.ARC_STEP_KM


def test_arc_across_the_antimeridian_is_split_at_180():
    parts = geodesic_path([TOKYO, HONOLULU])
    assert len(parts) == 2
    assert parts[0][0] == TOKYO and parts[1][-1] == HONOLULU
    assert parts[0][-1][0] == 180.0 and parts[1][0][0] == -180.0
    assert parts[0][-1][1] == parts[1][0][1]
    for part in parts:
        assert all(-180 <= lon <= 180 for lon, _ in part)


def test_coordinates_are_rounded_to_about_a_metre():
    for lon, lat in geodesic_path([CARACAS, TEHRAN])[0]:
        assert round(lon, 5) == lon and round(lat, 5) == lat


lon = st.floats(-180, 180, allow_nan=False)
lat = st.floats(-85, 85, allow_nan=False)


@given(st.lists(st.tuples(st.floats(-540, 540, allow_nan=False), lat), min_size=2, max_size=30))
def test_split_parts_stay_in_range_and_never_jump(coords):
    parts = split_antimeridian(coords)
    assert parts
    for part in parts:
        assert len(part) >= 2
        assert all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in part)
        for (x0, _), (x1, _) in itertools.pairwise(part):
            assert abs(x1 - x0) <= 180
    first, last = coords[0], coords[-1]
    assert parts[0][0] == (routes.wrap_lon(first[0]), first[1])
    assert parts[-1][-1] == (routes.wrap_lon(last[0]), last[1])


@given(st.tuples(lon, lat), st.tuples(lon, lat))
def test_geodesic_path_endpoints_and_ranges(a, b):
    parts = geodesic_path([a, b])
    assert parts[0][0] == (round(a[0], 5), round(a[1], 5))
    assert parts[-1][-1] == (round(b[0], 5), round(b[1], 5))
    assert all(-180 <= x <= 180 for part in parts for x, _ in part)


def test_sea_lane_across_the_pacific_is_split_and_in_range():
    parts = sea_path([(139.7, 35.4), (-118.3, 33.7)])  # Tokyo Bay to Los Angeles
    assert len(parts) >= 2
    assert all(-180 <= x <= 180 for part in parts for x, _ in part)
    for part in parts:
        for (x0, _), (x1, _) in itertools.pairwise(part):
            assert abs(x1 - x0) <= 180


def test_a_sea_lane_names_the_straits_it_passes_and_caches_them(tmp_path):
    from geomap.routes import RouteCache, route_passages

    stops = [(56.2, 27.15), (-70.216, 11.629)]  # Bandar Abbas to Cardón
    cache = RouteCache(tmp_path)
    names = route_passages(stops, cache)
    assert names == ["Bab-el-Mandeb", "Strait of Gibraltar", "Strait of Hormuz", "Suez Canal"]
    assert route_passages(stops, RouteCache(tmp_path)) == names  # tests/test_route_cache.py


ANCHORAGE, OSLO = (-149.90, 61.22), (10.75, 59.91)
LOS_ANGELES = (-118.41, 33.94)


def _along_edge(parts) -> list:
    """Segments drawn at Web Mercator's edge: both ends at or beyond ±85.05°."""
    return [
        (a, b) for part in parts for a, b in itertools.pairwise(part)
        if abs(a[1]) >= MERCATOR_MAX_LAT - 1e-6 and abs(b[1]) >= MERCATOR_MAX_LAT - 1e-6
    ]


def test_a_flight_over_the_pole_is_cut_at_the_maps_edge_not_drawn_along_it():
    over = geodesic_path([(-100.0, 60.0), (80.0, 60.0)])  # due north, over the pole, due south
    assert max(lat for part in over for _, lat in part) > 89.5  # a vertex every 100 km
    drawn = _geom(("L", *over))["c"]
    assert len(drawn) == 2
    assert all(abs(lat) <= MERCATOR_MAX_LAT + 1e-9 for part in drawn for _, lat in part)
    assert _along_edge(drawn) == []
    # Each piece keeps its own meridian up to the edge: no vertex was moved sideways.
    assert {lon for lon, _ in drawn[0]} == {-100.0} and {lon for lon, _ in drawn[1]} == {80.0}
    assert drawn[0][0] == [-100.0, 60.0] and drawn[1][-1] == [80.0, 60.0]
    assert drawn[0][-1][1] == pytest.approx(MERCATOR_MAX_LAT, abs=1e-5)


def test_a_flight_near_the_pole_is_cut_where_it_leaves_the_map():
    high = geodesic_path([(-150.0, 80.0), (30.0, 82.0)])  # passes within a few km of the pole
    drawn = _geom(("L", *high))["c"]
    assert len(drawn) == 2 and _along_edge(drawn) == []
    kept = [p for part in high for p in part if abs(p[1]) <= MERCATOR_MAX_LAT]
    assert [tuple(p) for part in drawn for p in part if abs(p[1]) < MERCATOR_MAX_LAT - 1e-6] == kept


def test_anchorage_to_oslo_stays_below_the_edge_and_is_not_cut():
    parts = geodesic_path([ANCHORAGE, OSLO])
    assert clip_polar(parts) == parts


def test_tokyo_to_los_angeles_is_one_line_over_the_pacific():
    drawn = _geom(("L", *geodesic_path([TOKYO, LOS_ANGELES])))["c"]
    assert len(drawn) == 1
    lons = [lon for lon, _ in drawn[0]]
    assert lons[0] == TOKYO[0] and lons[-1] == pytest.approx(LOS_ANGELES[0] + 360)
    assert all(abs(b - a) < 5 for a, b in itertools.pairwise(lons))


def test_a_line_wholly_beyond_the_edge_is_kept_rather_than_lost():
    near_pole = [[(0.0, 86.0), (90.0, 87.0)]]
    assert clip_polar(near_pole) == []
    assert _geom(("L", *near_pole))["c"] == [[[0.0, 86.0], [90.0, 87.0]]]


any_lat = st.floats(-90, 90, allow_nan=False)


@given(st.lists(st.tuples(st.floats(-179, 179, allow_nan=False), any_lat), min_size=2, max_size=30))
def test_clipped_parts_keep_every_vertex_inside_and_add_only_edge_points(coords):
    parts = split_antimeridian(coords)
    clipped = clip_polar(parts)
    inside = [p for part in parts for p in part if abs(p[1]) <= MERCATOR_MAX_LAT]
    assert [p for part in clipped for p in part if abs(p[1]) < MERCATOR_MAX_LAT] == [
        p for p in inside if abs(p[1]) < MERCATOR_MAX_LAT
    ]
    for part in clipped:
        assert len(part) >= 2
        assert all(abs(lat) <= MERCATOR_MAX_LAT + 1e-9 for _, lat in part)
