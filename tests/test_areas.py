"""Areas: where a route to a place known only to an area ends, and a dataset's own outlines."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.areas import areas_containing, countries, country, place_outlines, route_ends
from geomap.assemble import assemble_records
from geomap.errors import DataFileError
from geomap.filters import Criteria, haversine_km, select
from geomap.gazetteer import Place
from geomap.load import load_dataset
from geomap.records import resolve
from geomap.validate import inspect

from .conftest import FIXTURES, copy_fixture

OUTLINED = FIXTURES / "outlined"
CARACAS = Place("caracas", "Caracas", -66.9146, 10.5061, "city", "city", "VE")
RUSSIA = Place("russia", "Russia", 105.3, 61.5, "region", "country", "RU")
VENEZUELA = Place("venezuela", "Venezuela", -66.2, 7.1, "region", "country", "VE")


def _outline_vertices(area):
    return [p for polygon in area.polygons for p in polygon[0]]


@settings(max_examples=60, deadline=None)
@given(st.floats(-180, 180), st.floats(-80, 80))
def test_nearest_edge_is_no_farther_than_any_vertex(lon, lat):
    """Checked against brute force over the outline's vertices, which are edge points too."""
    area = country("Venezuela")
    edge = area.nearest_edge(lon, lat)
    best = min(haversine_km(lat, lon, y, x) for x, y in _outline_vertices(area))
    assert haversine_km(lat, lon, edge[1], edge[0]) <= best + 1e-6


def test_a_route_to_a_country_ends_at_its_edge_not_its_centroid():
    start, end = route_ends((CARACAS, RUSSIA))
    assert start == (CARACAS.lon, CARACAS.lat)
    russia = country("RU")
    assert end != (RUSSIA.lon, RUSSIA.lat)
    # on the outline: the nearest vertex of the outline is within a rounding step
    assert min(abs(end[0] - x) + abs(end[1] - y) for x, y in _outline_vertices(russia)) < 5
    assert haversine_km(CARACAS.lat, CARACAS.lon, end[1], end[0]) < haversine_km(
        CARACAS.lat, CARACAS.lon, RUSSIA.lat, RUSSIA.lon) - 3000


def test_both_ends_countries_and_middle_stops_unchanged():
    start, end = route_ends((VENEZUELA, RUSSIA))
    assert start != (VENEZUELA.lon, VENEZUELA.lat) and end != (RUSSIA.lon, RUSSIA.lat)
    assert country("VE").contains(*start) or min(
        haversine_km(start[1], start[0], y, x) for x, y in _outline_vertices(country("VE"))
    ) < 200
    middle = route_ends((CARACAS, VENEZUELA, CARACAS))
    assert middle[1] == (VENEZUELA.lon, VENEZUELA.lat)


def test_a_city_route_is_untouched():
    tehran = Place("tehran", "Tehran", 51.389, 35.6892, "city", "city", "IR")
    assert route_ends((CARACAS, tehran)) == ((CARACAS.lon, CARACAS.lat), (51.389, 35.6892))


def test_a_datasets_outline_draws_its_state_and_ends_travel_at_its_edge():
    dataset = load_dataset(OUTLINED)
    problems, gazetteer = inspect(dataset)
    assert [p for p in problems if p.severity == "error"] == []
    assert gazetteer.lookup("tachira").outline is not None
    events = resolve(dataset, gazetteer)
    visit = next(e for e in events if e.id == "visit-tachira")
    assembly = assemble_records([visit], {})
    travel = assembly.travels[0]
    lon, lat = travel[-1][-1]
    assert (lat, lon) != (7.7669, -72.225)
    # ends on the box's northern or eastern side, facing Tehran
    assert lat == pytest.approx(8.7, abs=1e-3) or lon == pytest.approx(-71.3, abs=1e-3)


def test_within_a_place_outline():
    dataset = load_dataset(OUTLINED)
    _, gazetteer = inspect(dataset)
    chosen = select(resolve(dataset, gazetteer), Criteria.from_options(within=["Táchira"]),
                    gazetteer)
    assert [e.id for e in chosen] == ["visit-tachira"]


def _write(folder, text):
    (folder / "outlines.geojson").write_text(text, encoding="utf-8")


def _errors(folder):
    problems, _ = inspect(load_dataset(folder))
    return [str(p) for p in problems if p.severity == "error"]


def test_an_outline_for_an_unknown_place_points_at_its_line(tmp_path):
    folder = copy_fixture("outlined", tmp_path / "data")
    text = (folder / "outlines.geojson").read_text(encoding="utf-8")
    _write(folder, text.replace('"place": "tachira"', '"place": "tachra"'))
    assert _errors(folder) == [
        f"{folder / 'outlines.geojson'}:2: place: outline for unknown place 'tachra' "
        "(did you mean 'tachira'?)"
    ]


def test_a_point_outside_its_own_outline_is_a_warning(tmp_path):
    folder = copy_fixture("outlined", tmp_path / "data")
    text = (folder / "outlines.geojson").read_text(encoding="utf-8")
    _write(folder, text.replace("-71.3", "-72.3"))
    problems, _ = inspect(load_dataset(folder))
    assert [(p.line, p.rule) for p in problems if p.rule == "outline-misses-place"] == [
        (2, "outline-misses-place")]


def test_bad_json_names_line_and_column(tmp_path):
    folder = copy_fixture("outlined", tmp_path / "data")
    _write(folder, '{"type": "FeatureCollection",\n "features": [,]}')
    with pytest.raises(DataFileError) as caught:
        load_dataset(folder)
    assert caught.value.location.line == 2 and "not valid JSON" in str(caught.value)


@pytest.mark.parametrize(("feature", "message"), [
    ({"type": "Feature", "properties": {}, "geometry": None},
     'feature 1 has no "place" property'),
    ({"type": "Feature", "properties": {"place": "x"},
      "geometry": {"type": "Point", "coordinates": [0, 0]}},
     "outline of 'x': geometry must be a Polygon or MultiPolygon, not 'Point'"),
    ({"type": "Feature", "properties": {"place": "x"},
      "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}},
     "must be closed, with at least 4 positions"),
    ({"type": "Feature", "properties": {"place": "x"},
      "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 95], [0, 0]]]}},
     "position '[1, 95]' is not [lon, lat] within range"),
])
def test_unusable_outlines_are_named(feature, message):
    text = json.dumps({"type": "FeatureCollection", "features": [feature]})
    outlines, problems = place_outlines(json.loads(text), text)
    assert outlines == [] and len(problems) == 1 and message in problems[0][1]


def test_a_second_outline_for_one_place():
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    features = [{"type": "Feature", "properties": {"place": "x"}, "geometry": square}] * 2
    text = '{"type": "FeatureCollection", "features": [\n' + ",\n".join(
        json.dumps(f) for f in features) + "]}"
    outlines, problems = place_outlines(json.loads(text), text)
    assert [o.place for o in outlines] == ["x"]
    assert problems == [(3, "a second outline for 'x'")]


def test_not_a_feature_collection():
    assert place_outlines([], "[]") == ([], [(1, "must be a GeoJSON FeatureCollection")])


def test_the_shipped_states_hold_their_points():
    """data/outlines.geojson: each state's outline holds its place's point (its capital)."""
    from pathlib import Path

    data = Path(__file__).resolve().parents[1] / "data"
    problems, gazetteer = inspect(load_dataset(data))
    assert not [p for p in problems if p.rule == "outline-misses-place"]
    for pid in ("tachira", "falcon"):
        place = gazetteer.lookup(pid)
        assert place.outline is not None and place.outline.contains(place.lon, place.lat)


_VERTICES = [p for area in countries() for polygon in area.polygons for p in polygon[0]]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.floats(-200, 200), st.floats(-90, 90)),
            # on and beside the outlines' own vertices, where the even-odd rule is hardest
            st.tuples(st.sampled_from(_VERTICES), st.sampled_from([0, 1e-9, -1e-7, 0.01]))
            .map(lambda v: (v[0][0] + v[1], v[0][1] - v[1])),
        ),
        min_size=1, max_size=60,
    )
)
def test_areas_containing_answers_as_contains_does(points):
    areas = countries()
    expected = [[n for n, area in enumerate(areas) if area.contains(lon, lat)]
                for lon, lat in points]
    assert areas_containing(points, areas) == expected
