"""The shared JSON cases in ``tests/cases/`` against the Python side.

``tests/js/`` feeds the same files to the page's core (``node --test``), so the command line and
the page agree on folding, partial dates and every filter.
"""

from __future__ import annotations

import json

import pytest

from geomap.errors import FilterError
from geomap.filters import Criteria, _overlaps, matches, resolve_criteria
from geomap.gazetteer import Gazetteer, Place, fold
from geomap.payload import area_table, areas_at
from geomap.records import Event
from geomap.schema import PartialDate

from .conftest import ROOT

CASES = ROOT / "tests" / "cases"


def load(name: str) -> dict:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("typed", "key"), load("fold.json")["cases"])
def test_fold(typed, key):
    assert fold(typed) == key


@pytest.mark.parametrize(("text", "first", "last"), load("dates.json")["parse"])
def test_partial_date_bounds(text, first, last):
    if first is None:
        with pytest.raises(ValueError):
            PartialDate.parse(text)
    else:
        parsed = PartialDate.parse(text)
        assert (parsed.first_day().isoformat(), parsed.last_day().isoformat()) == (first, last)


@pytest.mark.parametrize("case", load("dates.json")["overlap"])
def test_since_until_overlap(case):
    criteria = Criteria.from_options(since=case["since"], until=case["until"])
    end = PartialDate.parse(case["end_date"]) if case["end_date"] else None
    event = Event("e", PartialDate.parse(case["date"]), end, kind="visit", title="t",
                  confidence="confirmed")
    assert _overlaps(event.start, event.end, criteria.since, criteria.until) is case["kept"]
    assert matches(event, criteria) is case["kept"]


FILTERS = load("filters.json")


def _gazetteer() -> Gazetteer:
    rows = [
        {"id": p["id"], "name": p["name"], "aliases": "; ".join(p["aliases"]),
         "lat": str(p["lat"]), "lon": str(p["lon"]), "kind": p["kind"], "country": p["country"]}
        for p in FILTERS["places"]
    ]
    return Gazetteer.from_rows(rows)


def _events(gazetteer: Gazetteer) -> list[Event]:
    out = []
    for row in FILTERS["events"]:
        end = PartialDate.parse(row["end_date"]) if row["end_date"] else None
        stops = tuple(gazetteer.resolve(pid) for pid in row["places"])
        out.append(Event(
            row["id"], PartialDate.parse(row["date"]), end, kind=row["kind"], title=row["id"],
            actors=tuple(row["actors"]), stops=stops, confidence=row["confidence"],
            origins=row["origins"],
            attributes=tuple(zip(FILTERS["attribute_names"], row["attributes"], strict=True)),
        ))
    return out


def test_cases_cover_every_filter():
    used = {key for case in FILTERS["cases"] for key in case["options"]}
    assert used == {"years", "since", "until", "actors", "kinds", "confidence", "places",
                    "origins", "near", "bbox", "within", "where"}


@pytest.mark.parametrize("case", FILTERS["cases"], ids=lambda case: case["name"])
def test_filter_case(case):
    gazetteer = _gazetteer()
    criteria = Criteria.from_options(**case["options"])
    resolved = resolve_criteria(criteria, gazetteer, attributes=FILTERS["attribute_names"])
    kept = [e.id for e in _events(gazetteer) if matches(e, resolved)]
    assert kept == case["expected"]


@pytest.mark.parametrize(("option", "value"), FILTERS["refused"])
def test_refused_values_are_errors_on_the_command_line(option, value):
    """The page ignores these (tests/js); the CLI stops with a message naming the option."""
    values = [value] if option in ("within", "where") else value
    with pytest.raises(FilterError) as caught:
        criteria = Criteria.from_options(**{option: values})
        resolve_criteria(criteria, _gazetteer(), attributes=FILTERS["attribute_names"])
    assert caught.value.location.column == f"--{option}"


def test_case_areas_are_what_the_page_gets():
    """The cases' places lie in the areas, and the areas have the keys, that payload ships."""
    table = {row["name"]: row for row in area_table(_gazetteer())}
    for row in FILTERS["areas"]:
        assert table[row["name"]] == row
    names = list(table)
    for place in FILTERS["places"]:
        inside = [names[n] for n in areas_at(place["lon"], place["lat"])]
        assert inside == place["areas"], place["id"]
        assert set(inside) <= {row["name"] for row in FILTERS["areas"]}


def test_place_keys_are_what_the_page_gets():
    """The page matches typed place names against these keys (``payload`` ships them)."""
    place = Place("tachira", "Táchira", 0.0, 0.0, aliases=("Tachira state",))
    assert place.search_keys() == ("tachira", "tachira state")
