"""The payload carries the map's meaning, so the page script never recomputes it."""

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.assemble import assemble_records
from geomap.gazetteer import Place, fold
from geomap.payload import CONFIDENCE_STYLES, KIND_STYLES, map_payload
from geomap.records import Event
from geomap.schema import CONFIDENCE_LEVELS, EVENT_KINDS, PartialDate
from geomap.words import plural


@pytest.fixture(scope="module")
def payload():
    berlin = Place("berlin", "Berlin", 13.4, 52.5, "city", aliases=("Straßburg-Ost",))
    events = [
        Event("a", PartialDate.parse("2021-03"), None, "statement", "A",
              actors=("Große Straße", "Ärzte"), stops=(berlin,), confidence="alleged",
              sources=("s",)),
        Event("b", PartialDate.parse("2020"), PartialDate.parse("2020-06-30"), "visit", "B",
              actors=("Ärzte",), stops=(berlin,), confidence="confirmed", sources=("s",)),
    ]
    assembly = assemble_records(events, {"s": {"id": "s", "title": "S"}})
    return map_payload(assembly, "T", "m")


def test_every_kind_and_level_has_a_style():
    assert set(KIND_STYLES) == set(EVENT_KINDS)
    assert set(CONFIDENCE_STYLES) == {*CONFIDENCE_LEVELS, "unassessed"}
    assert len({s["mark"] for s in KIND_STYLES.values()}) == len(KIND_STYLES)


def test_names_ship_with_python_folded_keys(payload):
    assert payload["names"][:2] == ["Große Straße", "Ärzte"]
    assert payload["name_keys"][:2] == ["grosse strasse", "arzte"]
    assert payload["name_keys"] == [fold(n) for n in payload["names"]]


def test_places_ship_their_search_keys(payload):
    assert payload["places"] == [
        {"id": "berlin", "name": "Berlin", "keys": ["berlin", "strassburg-ost"], "kind": "",
         "country": ""}
    ]
    assert payload["events"]["places"] == [[0], [0]]


def test_dates_keep_their_precision(payload):
    events = payload["events"]
    assert events["date"] == ["2021-03", "2020"]
    assert events["end_date"] == ["", "2020-06-30"]
    assert events["start"] == ["2021-03-01", "2020-01-01"]
    assert events["end"] == ["2021-03-31", "2020-06-30"]
    assert payload["subtitle"] == "2020 – March 2021 · 2 events from 1 source"


def test_styles_are_in_the_payload(payload):
    assert payload["version"] == 3
    assert payload["styles"]["alleged"] == CONFIDENCE_STYLES["alleged"]
    assert [k["mark"] for k in payload["kinds"]] == ["circle", "diamond"]


def test_plural():
    assert plural(1, "event") == "1 event"
    assert plural(1200, "event") == "1,200 events"


def test_a_route_across_the_antimeridian_ships_as_one_continuous_line():
    from geomap.assemble import assemble
    from geomap.load import load_dataset

    from .conftest import FIXTURES

    payload = map_payload(assemble(load_dataset(FIXTURES / "basic")), "t", "m")
    n = payload["events"]["id"].index("pacific-flight")
    geom = payload["geoms"][payload["events"]["geom"][n]]
    assert len(geom["c"]) == 1  # not two stubs at the map's edges
    lons = [lon for lon, _ in geom["c"][0]]
    assert lons[0] == 139.6503 and lons[-1] == 202.1419  # Honolulu's -157.8581 + 360
    assert all(b - a < 5 for a, b in pairwise(lons))


def test_a_place_with_an_outline_ships_it_once():
    from geomap.load import load_dataset
    from geomap.records import resolve
    from geomap.validate import inspect

    from .conftest import FIXTURES

    dataset = load_dataset(FIXTURES / "outlined")
    _, gazetteer = inspect(dataset)
    from geomap.assemble import source_rows

    assembly = assemble_records(resolve(dataset, gazetteer), source_rows(dataset))
    doc = map_payload(assembly, "T", "m")
    outlined = [p for p in doc["places"] if "outline" in p]
    assert [p["id"] for p in outlined] == ["tachira"]
    ring = outlined[0]["outline"]["coordinates"][0][0]
    assert ring[0] == ring[-1] == [-72.6, 7.3] and len(ring) == 5


def test_what_the_panel_filters_on_ships_as_python_computes_it(tmp_path):
    """Stop coordinates, the outlines each event lies in, the names --within accepts (a
    country-kind place's too) and the folded column values --where compares."""
    from geomap.areas import country
    from geomap.filters import Criteria
    from geomap.pipeline import selected

    from .conftest import copy_fixture

    data = copy_fixture("custom", tmp_path / "custom")
    places = data / "places.csv"
    places.write_text(places.read_text(encoding="utf-8")
                      + "ua-state,Ukrainian State,Ukrayina,country,,UA,49.0,31.4,region,\n",
                      encoding="utf-8")
    doc = map_payload(selected(data, Criteria()), "T", "m")
    cols = doc["events"]
    names = [row["name"] for row in doc["areas"]]
    assert cols["id"] == ["p1", "p2", "p3", "a1"]
    assert cols["coords"] == [[[50.4501, 30.5234]], [[49.8397, 24.0297]], [[45.0, -30.0]],
                              [[49.8397, 24.0297], [50.4501, 30.5234]]]
    assert [[names[n] for n in areas] for areas in cols["areas"]] == [
        ["Ukraine"], ["Ukraine"], [], ["Ukraine"]]
    ukraine = doc["areas"][names.index("Ukraine")]
    assert ukraine["keys"] == ["ukraine", "ua", "ua-state", "ukrainian state", "ukrayina"]
    assert country("Ukraine").contains(30.5234, 50.4501)
    assert doc["attribute_names"] == ["province", "town"]
    folded = doc["attribute_key_table"]
    assert [[folded[k] for k in row] for row in cols["attribute_keys"]] == [
        ["kyiv city", "kyiv"], ["lviv oblast", "lviv"], ["", ""], ["kyiv city", "kyiv"]]
    assert len(folded) == len(set(folded)) == 5
    keys = [key for row in doc["areas"] for key in row["keys"]]
    assert len(keys) == len(set(keys))  # a name the page looks up names one area


def _drawn(shape):
    """A shape as the page draws it, point by point in plain Python: the reference that
    ``payload.geometries`` computes in arrays."""
    from geomap.routes import MERCATOR_MAX_LAT, clip_polar, join_antimeridian

    if shape[0] == "P":
        return {"t": "P", "c": list(shape[1])}
    parts = [[tuple(map(float, point)) for point in part] for part in shape[1:]]
    if len(parts) == 1 and parts[0] and all(abs(lat) <= MERCATOR_MAX_LAT for _, lat in parts[0]):
        return {"t": "L", "c": [[list(point) for point in parts[0]]]}
    parts = join_antimeridian(clip_polar(parts) or parts)
    return {"t": "L", "c": [[[round(lon, 5), lat] for lon, lat in part] for part in parts]}


_lon = st.floats(-180, 180, allow_nan=False)
_lat = st.floats(-90, 90, allow_nan=False)
_point = st.one_of(st.tuples(_lon, _lat), st.tuples(st.sampled_from([180.0, -180.0]), _lat))
# lines split at the antimeridian as routes.route_path splits them: a part ending at ±180
# and the next starting at ∓180 on the same latitude
_crossing = st.tuples(
    st.lists(st.tuples(_lon, _lat), min_size=1, max_size=4), _lat,
    st.sampled_from([180.0, -180.0]), st.lists(st.tuples(_lon, _lat), min_size=1, max_size=4),
).map(lambda t: ((*t[0], (t[2], t[1])), ((-t[2], t[1]), *t[3])))
_shape = st.one_of(
    st.tuples(st.just("P"), st.tuples(_lon, _lat)),
    st.lists(st.lists(_point, min_size=2, max_size=6).map(tuple), min_size=1, max_size=3)
    .map(lambda parts: ("L", *parts)),
    _crossing.map(lambda parts: ("L", *parts)),
    st.tuples(_crossing, _crossing).map(lambda two: ("L", *two[0], *two[1])),
)


def _as_arrays(shape):
    """A line's parts as (n, 2) float64 arrays, as assembly holds routes."""
    import numpy as np

    if shape[0] == "P":
        return shape
    return ("L", *(np.array(part, dtype=np.float64).reshape(-1, 2) for part in shape[1:]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_shape, st.booleans()), max_size=8))
def test_geometries_are_the_shapes_as_drawn(drawn):
    from geomap.payload import geometries

    shapes = [_as_arrays(shape) if arrays else shape for shape, arrays in drawn]
    table = geometries(shapes)
    assert len(table) == len(shapes)
    assert list(table) == [_drawn(shape) for shape in shapes]


def test_a_line_over_the_pole_is_cut_and_one_across_the_antimeridian_joined():
    from geomap.payload import geometries

    over_pole = ("L", ((0.0, 80.0), (0.0, 88.0), (180.0, 88.0), (180.0, 80.0)))
    pacific = ("L", ((170.0, 0.0), (180.0, 5.0)), ((-180.0, 5.0), (-170.123456789, 10.0)))
    point = ("P", (-66.9, 10.5))
    table = geometries([point, over_pole, pacific])
    assert table[0] == {"t": "P", "c": [-66.9, 10.5]}
    assert [len(part) for part in table[1]["c"]] == [2, 2]  # the stretch beyond 85° dropped
    assert table[2] == {"t": "L", "c": [[[170.0, 0.0], [180.0, 5.0], [189.87654, 10.0]]]}
    assert list(table.types) == [0, 1, 1] and list(table.parts) == [1, 2, 1]


@given(st.one_of(
    st.floats(-1000, 1000, allow_nan=False),
    # exactly and nearly half-way between two 5-decimal values, where products round astray
    st.tuples(st.integers(-10**8, 10**8), st.sampled_from([0.5, 0.5 + 1e-9, 0.5 - 1e-9]))
    .map(lambda t: (t[0] + t[1]) / 1e5),
))
def test_longitudes_round_as_python_rounds(value):
    import numpy as np

    from geomap.payload import _round_lons

    assert _round_lons(np.array([value])).tolist() == [round(value, 5)]


def test_text_columns_are_cleaned_only_where_needed():
    from geomap.payload import _clean_all

    clean = ["plain", "Ünïcode ☃", "tab\tand\nnewline"]
    assert _clean_all(clean) == clean
    assert _clean_all(["ok", "bad\u202e\x00", "\ud800"]) == ["ok", "bad", ""]
