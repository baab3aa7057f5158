from datetime import date

import pytest

from geomap.errors import PlaceError
from geomap.gazetteer import Gazetteer
from geomap.load import load_dataset
from geomap.records import cited_sources, resolve

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def events():
    return resolve(load_dataset(FIXTURES / "basic"))


def test_rows_become_typed_records_in_file_order(events):
    assert [e.id for e in events] == [
        "tanker-to-cardon", "air-bridge", "visit-tachira", "pacific-flight",
    ]
    tanker = events[0]
    assert tanker.start == date(2020, 5, 1) and tanker.end == date(2020, 5, 31)
    assert tanker.date_label == "May 2020"
    assert tanker.actors == ("Iran", "Venezuela")
    assert tanker.place_ids == ("bandar-abbas", "cardon-refinery")
    assert isinstance(tanker.sources, tuple)


def test_an_end_date_widens_the_span(events):
    pacific = events[3]
    assert (pacific.start, pacific.end) == (date(2020, 6, 1), date(2020, 6, 2))


def test_identical_stop_cells_resolve_to_the_same_places(events):
    dataset = load_dataset(FIXTURES / "basic")
    again = resolve(dataset, Gazetteer.from_rows(dataset.places.rows))
    assert [e.stops for e in again] == [e.stops for e in events]


def test_an_unknown_stop_is_a_place_error():
    dataset = load_dataset(FIXTURES / "basic")
    dataset.events.columns["places"][0] = "Atlantis"
    with pytest.raises(PlaceError, match="unknown place 'Atlantis'"):
        resolve(dataset)


def test_cited_sources_are_sorted_and_distinct(events):
    assert cited_sources(events) == sorted({s for e in events for s in e.sources})


def test_events_made_column_by_column_equal_those_made_by_their_constructor(events):
    from dataclasses import fields

    from geomap.records import Event, _events

    columns = {f.name: [getattr(e, f.name) for e in events] for f in fields(Event)}
    made = _events(columns)
    assert made == list(map(Event, *columns.values())) == events
    assert [hash(e) for e in made] == [hash(e) for e in events]
    columns["line"].pop()
    with pytest.raises(ValueError, match="different lengths"):
        _events(columns)
