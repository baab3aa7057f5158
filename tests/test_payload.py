"""The payload carries the map's meaning, so the page script never recomputes it."""

from itertools import pairwise

import pytest

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
    assert payload["version"] == 2
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
