"""The validator: one broken thing per case, the exact ``file:line: column: message`` it gives."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.errors import GeomapError, ValidationError
from geomap.load import load_dataset
from geomap.schema import (
    CONFIDENCE_LEVELS,
    EVENT_COLUMNS,
    EVENT_KINDS,
    PLACE_COLUMNS,
    ROUTE_KINDS,
    SOURCE_COLUMNS,
)
from geomap.validate import Problem, check, ensure_valid, errors_of

from .conftest import FIXTURES

P, S, E = "places.csv", "sources.csv", "events.csv"
BASELINE = ("warning", "{S}:3: url: no URL: readers cannot follow this source [warning]")
KINDS = ", ".join(EVENT_KINDS)
PLACE_KINDS = "city, state, refinery, port, airport, base, sea, region, country"
NEW_EVENT = {
    "id": "second-flight", "date": "2021-03-04", "kind": "flight", "title": "Second flight",
    "actors": "Conviasa", "places": "caracas > tehran", "confidence": "reported",
    "sources": "news-a", "evidence": "Quote.",
}


# -- editing a copy of the fixture -----------------------------------------------------------


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline=""))
    return header, rows


def write_csv(path: Path, header: list[str], rows: list[list[str]]):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(name: str, row_id: str, column: str, value: str):
    """An edit: the cell of ``column`` in the record with id ``row_id`` becomes ``value``."""

    def edit(data: Path):
        header, rows = read_csv(data / name)
        [row] = [row for row in rows if row[0] == row_id]
        row[header.index(column)] = value
        write_csv(data / name, header, rows)

    return edit


def add_row(name: str, **values: str):
    """An edit: one more record at the end, empty where ``values`` says nothing."""

    def edit(data: Path):
        header, rows = read_csv(data / name)
        assert set(values) <= set(header)
        write_csv(data / name, header, [*rows, [values.get(c, "") for c in header]])

    return edit


def rename_column(name: str, old: str, new: str):
    def edit(data: Path):
        header, rows = read_csv(data / name)
        header[header.index(old)] = new
        write_csv(data / name, header, rows)

    return edit


def drop_column(name: str, column: str):
    def edit(data: Path):
        header, rows = read_csv(data / name)
        index = header.index(column)
        write_csv(data / name, header[:index] + header[index + 1:],
                  [row[:index] + row[index + 1:] for row in rows])

    return edit


def add_column(name: str, column: str, value: str = ""):
    def edit(data: Path):
        header, rows = read_csv(data / name)
        write_csv(data / name, [*header, column], [[*row, value] for row in rows])

    return edit


def edits(*steps):
    def edit(data: Path):
        for step in steps:
            step(data)

    return edit


def found(data: Path, *, keep_baseline: bool = False) -> list[tuple[str, str]]:
    """(severity, text) of every problem, less the fixture's own warning unless asked."""
    problems = [(p.severity, str(p)) for p in check(load_dataset(data))]
    baseline = expand(data, [BASELINE])[0]
    if not keep_baseline and baseline in problems:
        problems.remove(baseline)
    return problems


def expand(data: Path, expected) -> list[tuple[str, str]]:
    paths = {"P": data / P, "S": data / S, "E": data / E}
    return [(severity, text.format(**paths)) for severity, text in expected]


def error(text: str) -> tuple[str, str]:
    return ("error", text)


def warning(text: str) -> tuple[str, str]:
    return ("warning", text + " [warning]")


# -- one rule per case -----------------------------------------------------------------------

RULES = [
    # header
    pytest.param(
        drop_column(E, "confidence"),
        [error("{E}:1: confidence: missing column 'confidence'")],
        id="required-column-missing",
    ),
    pytest.param(
        drop_column(P, "precision"),
        [error("{P}:1: precision: missing column 'precision'")],
        id="required-column-missing-in-places",
    ),
    pytest.param(
        rename_column(E, "evidence", "evidense"),
        [error("{E}:1: evidense: unknown column 'evidense' (did you mean 'evidence'?)"),
         error("{E}:1: evidence: missing column 'evidence'")],
        id="column-misspelled",
    ),
    pytest.param(
        add_column(E, "Carrier"),
        [error("{E}:1: Carrier: unknown column 'Carrier' (did you mean 'carrier'?)")],
        id="unknown-column",
    ),
    pytest.param(
        add_column(S, "remarks"),
        [error("{S}:1: remarks: unknown column 'remarks'")],
        id="unknown-column-no-suggestion",
    ),
    pytest.param(
        add_column(E, "title", "Again"),
        [error("{E}:1: title: column 'title' appears 2 times")],
        id="duplicate-column",
    ),
    pytest.param(
        add_column(E, ""),
        [error("{E}:1: -: empty column name (a trailing comma in the header?)")],
        id="empty-column-name",
    ),
    # ids and required values
    pytest.param(
        set_cell(E, "air-bridge", "title", ""),
        [error("{E}:3: title: empty; a value is required")],
        id="empty-required-value",
    ),
    pytest.param(
        set_cell(E, "air-bridge", "sources", "  "),
        [error("{E}:3: sources: empty; a value is required")],
        id="empty-required-value-blank",
    ),
    pytest.param(
        set_cell(S, "blog-b", "title", ""),
        [error("{S}:3: title: empty; a value is required")],
        id="empty-required-value-in-sources",
    ),
    pytest.param(
        set_cell(P, "tokyo", "lat", ""),
        [error("{P}:8: lat: empty; a value is required")],
        id="empty-required-value-in-places",
    ),
    pytest.param(
        set_cell(E, "air-bridge", "id", "Air_Bridge"),
        [error("{E}:3: id: 'Air_Bridge' is not a slug: lowercase letters, digits and single "
               "hyphens")],
        id="id-not-a-slug",
    ),
    pytest.param(
        set_cell(E, "air-bridge", "id", "air--bridge"),
        [error("{E}:3: id: 'air--bridge' is not a slug: lowercase letters, digits and single "
               "hyphens")],
        id="id-double-hyphen",
    ),
    pytest.param(
        set_cell(E, "pacific-flight", "id", "air-bridge"),
        [error("{E}:5: id: duplicate id 'air-bridge' (first on line 3)")],
        id="duplicate-id",
    ),
    pytest.param(
        add_row(S, id="news-a", title="Again", url="https://example.org/again"),
        [error("{S}:4: id: duplicate id 'news-a' (first on line 2)")],
        id="duplicate-source-id",
    ),
    # dates
    pytest.param(
        set_cell(E, "visit-tachira", "date", "25/07/2020"),
        [error("{E}:4: date: '25/07/2020' is not YYYY, YYYY-MM or YYYY-MM-DD")],
        id="date-malformed",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "date", "2020-7-25"),
        [error("{E}:4: date: '2020-7-25' is not YYYY, YYYY-MM or YYYY-MM-DD")],
        id="date-unpadded",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "date", "２０２０-07-25"),
        [error("{E}:4: date: '２０２０-07-25' is not YYYY, YYYY-MM or YYYY-MM-DD")],
        id="date-non-ascii-digits",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "date", "2020-13"),
        [error("{E}:4: date: '2020-13': month 13 does not exist")],
        id="date-month-13",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "date", "2020-02-30"),
        [error("{E}:4: date: '2020-02-30': February 2020 has no day 30")],
        id="date-impossible",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "date", "2021-02-29"),
        [error("{E}:4: date: '2021-02-29': February 2021 has no day 29")],
        id="date-not-a-leap-year",
    ),
    pytest.param(
        set_cell(E, "pacific-flight", "end_date", "2020-06-31"),
        [error("{E}:5: end_date: '2020-06-31': June 2020 has no day 31")],
        id="end-date-impossible",
    ),
    pytest.param(
        set_cell(E, "pacific-flight", "end_date", "2020-05-31"),
        [error("{E}:5: end_date: '2020-05-31' is before the date '2020-06-01'")],
        id="end-date-before-date",
    ),
    pytest.param(
        set_cell(E, "pacific-flight", "end_date", "2019"),
        [error("{E}:5: end_date: '2019' is before the date '2020-06-01'")],
        id="end-date-year-before-date",
    ),
    pytest.param(
        set_cell(S, "news-a", "published", "May 2020"),
        [error("{S}:2: published: 'May 2020' is not YYYY, YYYY-MM or YYYY-MM-DD")],
        id="published-malformed",
    ),
    # vocabularies
    pytest.param(
        set_cell(E, "tanker-to-cardon", "kind", "Shipment"),
        [error(f"{{E}}:2: kind: kind 'Shipment' is not one of {KINDS} (did you mean "
               "'shipment'?)")],
        id="kind-not-in-vocabulary",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "kind", "rumour"),
        [error(f"{{E}}:4: kind: kind 'rumour' is not one of {KINDS}")],
        id="kind-no-suggestion",
    ),
    pytest.param(
        set_cell(E, "air-bridge", "confidence", "Alleged"),
        [error("{E}:3: confidence: confidence 'Alleged' is not one of alleged, reported, "
               "confirmed (did you mean 'alleged'?)")],
        id="confidence-not-in-vocabulary",
    ),
    pytest.param(
        set_cell(E, "air-bridge", "confidence", "likely"),
        [error("{E}:3: confidence: confidence 'likely' is not one of alleged, reported, "
               "confirmed")],
        id="confidence-no-suggestion",
    ),
    # stops
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran > Tachira statee"),
        [error("{E}:4: places: unknown place 'Tachira statee' (did you mean 'tachira'?)")],
        id="unknown-place",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran > Atlantis"),
        [error("{E}:4: places: unknown place 'Atlantis'")],
        id="unknown-place-no-suggestion",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran > 95.5,-72.2"),
        [error("{E}:4: places: '95.5,-72.2': latitude 95.5 is outside -90..90")],
        id="literal-latitude-out-of-range",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran > 7.7, -200"),
        [error("{E}:4: places: '7.7, -200': longitude -200 is outside -180..180")],
        id="literal-longitude-out-of-range",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran > 0,0"),
        [error("{E}:4: places: '0,0': 0,0 is not a real location (a missing value?)")],
        id="literal-zero-zero",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "places", "Teheran >"),
        [error("{E}:4: places: empty stop in 'Teheran >'; write stops as "
               "'origin > destination'")],
        id="empty-stop",
    ),
    pytest.param(
        set_cell(E, "tanker-to-cardon", "places", "cardon-refinery"),
        [error("{E}:2: places: a shipment needs at least two stops, as "
               "'origin > destination'")],
        id="shipment-one-stop",
    ),
    pytest.param(
        set_cell(E, "pacific-flight", "places", "honolulu"),
        [error("{E}:5: places: a flight needs at least two stops, as 'origin > destination'")],
        id="flight-one-stop",
    ),
    # sources
    pytest.param(
        set_cell(E, "visit-tachira", "sources", "news-a;blog-c"),
        [error("{E}:4: sources: unknown source 'blog-c' (did you mean 'blog-b'?)")],
        id="unknown-source",
    ),
    pytest.param(
        set_cell(E, "visit-tachira", "sources", ";"),
        [error("{E}:4: sources: no source id; cite at least one")],
        id="no-source-id",
    ),
    pytest.param(
        add_row(S, id="news-c", title="Uncited", url="https://example.org/c"),
        [warning("{S}:4: id: source 'news-c' is not cited by any event")],
        id="source-not-cited",
    ),
    pytest.param(
        set_cell(S, "news-a", "url", "javascript:alert(1)"),
        [error("{S}:2: url: 'javascript:alert(1)' is not an http(s) URL with a host")],
        id="source-url-javascript",
    ),
    pytest.param(
        set_cell(S, "news-a", "archive_url", "https://"),
        [error("{S}:2: archive_url: 'https://' is not an http(s) URL with a host")],
        id="archive-url-without-host",
    ),
    pytest.param(
        set_cell(S, "news-a", "url", ""),
        [warning("{S}:2: url: no URL: readers cannot follow this source")],
        id="source-url-empty",
    ),
    # places
    pytest.param(
        set_cell(P, "tokyo", "lat", "35.6762N"),
        [error("{P}:8: lat: '35.6762N' is not a decimal number of degrees (like -66.9036)")],
        id="place-lat-not-a-number",
    ),
    pytest.param(
        set_cell(P, "tokyo", "lon", "139,6503"),
        [error("{P}:8: lon: '139,6503' is not a decimal number of degrees (like -66.9036)")],
        id="place-lon-decimal-comma",
    ),
    pytest.param(
        set_cell(P, "tokyo", "lat", "nan"),
        [error("{P}:8: lat: 'nan' is not a decimal number of degrees (like -66.9036)")],
        id="place-lat-nan",
    ),
    pytest.param(
        set_cell(P, "tokyo", "lat", "95"),
        [error("{P}:8: lat: latitude 95 is outside -90..90")],
        id="place-lat-out-of-range",
    ),
    pytest.param(
        set_cell(P, "tokyo", "lon", "239.65"),
        [error("{P}:8: lon: longitude 239.65 is outside -180..180")],
        id="place-lon-out-of-range",
    ),
    pytest.param(
        edits(set_cell(P, "caracas", "lat", "0"), set_cell(P, "caracas", "lon", "0.0")),
        [error("{P}:2: lat: 0,0 is not a real location (a missing value?)")],
        id="place-zero-zero",
    ),
    pytest.param(
        set_cell(P, "caracas", "kind", "town"),
        [error(f"{{P}}:2: kind: kind 'town' is not one of {PLACE_KINDS}")],
        id="place-kind",
    ),
    pytest.param(
        set_cell(P, "caracas", "kind", "City"),
        [error(f"{{P}}:2: kind: kind 'City' is not one of {PLACE_KINDS} (did you mean "
               "'city'?)")],
        id="place-kind-capitalised",
    ),
    pytest.param(
        set_cell(P, "caracas", "precision", "approximate"),
        [error("{P}:2: precision: precision 'approximate' is not one of exact, city, region")],
        id="place-precision",
    ),
    pytest.param(
        set_cell(P, "caracas", "country", "VEN"),
        [error("{P}:2: country: 'VEN' is not an ISO 3166-1 alpha-2 code")],
        id="place-country-alpha-3",
    ),
    pytest.param(
        set_cell(P, "caracas", "country", "ve"),
        [error("{P}:2: country: 've' is not an ISO 3166-1 alpha-2 code")],
        id="place-country-lowercase",
    ),
    pytest.param(
        set_cell(P, "damascus", "aliases", "Dimashq;Caracas"),
        [error("{P}:4: aliases: 'Caracas' already names place 'caracas' (line 2); a name must "
               "point at one place")],
        id="alias-collision",
    ),
    pytest.param(
        set_cell(P, "damascus", "aliases", "Dimashq; TÁCHIRA "),
        [error("{P}:4: aliases: 'TÁCHIRA' already names place 'tachira' (line 5); a name must "
               "point at one place")],
        id="alias-collision-with-a-later-place-accents-ignored",
    ),
    pytest.param(
        set_cell(P, "honolulu", "aliases", "Teheran"),
        [error("{P}:9: aliases: 'Teheran' already names place 'tehran' (line 3); a name must "
               "point at one place")],
        id="alias-collision-between-aliases",
    ),
    pytest.param(
        set_cell(P, "honolulu", "name", "Caracas"),
        [error("{P}:9: name: 'Caracas' already names place 'caracas' (line 2); a name must "
               "point at one place")],
        id="name-collision",
    ),
    # warnings about events
    pytest.param(
        set_cell(E, "air-bridge", "evidence", ""),
        [warning("{E}:3: evidence: no evidence quote from the source")],
        id="event-without-evidence",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "actors": "Mahan air"}),
        [warning("{E}:6: actors: actor 'Mahan air' is also spelled 'Mahan Air' (line 3); use "
                 "one spelling")],
        id="actor-spelling",
    ),
    pytest.param(
        edits(add_row(E, **{**NEW_EVENT, "actors": "Mahan air"}),
              add_row(E, **{**NEW_EVENT, "id": "third-flight", "date": "2021-04",
                            "actors": "Conviasa; Mahan air"})),
        [warning("{E}:3: actors: actor 'Mahan Air' is also spelled 'Mahan air' (line 6); use "
                 "one spelling")],
        id="actor-spelling-rarer-one-is-flagged",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "actors": "Irán; Venezuela"}),
        [warning("{E}:6: actors: actor 'Irán' is also spelled 'Iran' (line 2); use one "
                 "spelling")],
        id="actor-spelling-accent",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "date": "2020", "places": "caracas > damascus > tehran"}),
        [warning("{E}:6: id: same date, kind and stops as the event on line 3; a duplicate?")],
        id="likely-duplicate-event",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "date": "2020", "places": "CARACAS > Dimashq > Tehrān"}),
        [warning("{E}:6: id: same date, kind and stops as the event on line 3; a duplicate?")],
        id="likely-duplicate-event-by-alias",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "date": "2020-07-25", "kind": "visit",
                      "places": "tehran > Táchira"}),
        [warning("{E}:6: id: same date, kind and stops as the event on line 4; a duplicate?")],
        id="likely-duplicate-visit",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "date": "2020-07", "kind": "visit",
                      "places": "tehran > Táchira"}),
        [],
        id="not-a-duplicate-other-date-precision",
    ),
    pytest.param(
        add_row(E, **{**NEW_EVENT, "date": "2020", "places": "tehran > damascus > caracas"}),
        [],
        id="not-a-duplicate-other-direction",
    ),
]


@pytest.mark.parametrize(("edit", "expected"), RULES)
def test_rule(basic_data, edit, expected):
    edit(basic_data)
    assert found(basic_data) == expand(basic_data, expected)


@pytest.mark.parametrize(
    "stops",
    [
        "Teheran > TACHIRA",
        "Teheran > Tachira",
        "Teheran > Táchira",
        "TEHRĀN > tÁcHiRa",
        "  tehran   >  tachira state ",
        "Teheran > 7.7669,-72.2250",
        "Teheran > -33.9, 151.2",
        "tehran > damascus > caracas > tachira",
    ],
)
def test_stops_resolve_by_id_name_alias_or_coordinates(basic_data, stops):
    set_cell(E, "visit-tachira", "places", stops)(basic_data)
    assert found(basic_data) == []


def test_clean_fixture_has_no_errors_and_one_warning(basic_data):
    problems = check(load_dataset(basic_data))
    assert errors_of(problems) == []
    assert [(p.severity, str(p)) for p in problems] == expand(basic_data, [BASELINE])
    assert problems == [
        Problem(str(basic_data / S), 3, "url", "no URL: readers cannot follow this source",
                "warning", "no-url")
    ]


def test_check_reports_all_problems_at_once_sorted_by_file_and_line(basic_data):
    edits(
        set_cell(E, "visit-tachira", "confidence", "sure"),
        set_cell(E, "tanker-to-cardon", "date", "2020-5"),
        set_cell(P, "cardon-refinery", "country", "VEN"),
    )(basic_data)
    problems = check(load_dataset(basic_data))
    assert [str(p) for p in errors_of(problems)] == [
        f"{basic_data / P}:6: country: 'VEN' is not an ISO 3166-1 alpha-2 code",
        f"{basic_data / E}:2: date: '2020-5' is not YYYY, YYYY-MM or YYYY-MM-DD",
        f"{basic_data / E}:4: confidence: confidence 'sure' is not one of alleged, reported, "
        "confirmed",
    ]


def test_one_record_with_several_problems_reports_each(basic_data):
    edits(
        set_cell(E, "air-bridge", "date", "2020-02-30"),
        set_cell(E, "air-bridge", "kind", "flights"),
        set_cell(E, "air-bridge", "places", "caracas > Damasco > tehran"),
        set_cell(E, "air-bridge", "sources", "blog"),
    )(basic_data)
    assert found(basic_data) == expand(basic_data, [
        error("{E}:3: date: '2020-02-30': February 2020 has no day 30"),
        error(f"{{E}}:3: kind: kind 'flights' is not one of {KINDS} (did you mean 'flight'?)"),
        error("{E}:3: places: unknown place 'Damasco' (did you mean 'damascus'?)"),
        error("{E}:3: sources: unknown source 'blog' (did you mean 'blog-b'?)"),
    ])


def test_a_value_repeated_on_several_lines_is_reported_at_each_in_rule_order(basic_data):
    """Distinct values are checked once: their problems still reach every line, in the order
    the rules come within a line."""
    bad = {"date": "2020-02-30", "kind": "flight", "places": "Damasco", "confidence": "sure",
           "sources": "blog", "evidence": ""}
    edits(
        add_row(E, **{**NEW_EVENT, **bad, "id": "first-flight"}),
        add_row(E, **NEW_EVENT),
        add_row(E, **{**NEW_EVENT, **bad, "id": "third-flight"}),
    )(basic_data)
    line = [
        "date: '2020-02-30': February 2020 has no day 30",
        "confidence: confidence 'sure' is not one of alleged, reported, confirmed",
        "places: unknown place 'Damasco' (did you mean 'damascus'?)",
        "places: a flight needs at least two stops, as 'origin > destination'",
        "sources: unknown source 'blog' (did you mean 'blog-b'?)",
    ]
    assert found(basic_data) == expand(basic_data, [
        *(error(f"{{E}}:6: {text}") for text in line),
        warning("{E}:6: evidence: no evidence quote from the source"),
        *(error(f"{{E}}:8: {text}") for text in line),
        warning("{E}:8: evidence: no evidence quote from the source"),
    ])


def test_events_are_checked_when_places_has_a_header_problem(basic_data):
    edits(
        drop_column(P, "precision"),
        set_cell(E, "visit-tachira", "date", "2020-02-30"),
    )(basic_data)
    assert found(basic_data) == expand(basic_data, [
        error("{P}:1: precision: missing column 'precision'"),
        error("{E}:4: date: '2020-02-30': February 2020 has no day 30"),
    ])


def test_sources_are_not_called_uncited_when_events_cannot_be_read(basic_data):
    drop_column(E, "sources")(basic_data)
    assert found(basic_data) == expand(basic_data, [
        error("{E}:1: sources: missing column 'sources'"),
    ])


def test_an_event_naming_a_place_with_bad_coordinates_is_not_also_unknown(basic_data):
    set_cell(P, "tehran", "lon", "51,389")(basic_data)
    assert found(basic_data) == expand(basic_data, [
        error("{P}:3: lon: '51,389' is not a decimal number of degrees (like -66.9036)"),
    ])


def test_header_only_file_reports_no_records(basic_data):
    (basic_data / E).write_text(",".join(EVENT_COLUMNS) + "\n", encoding="utf-8")
    assert found(basic_data) == expand(basic_data, [
        error("{E}:1: -: no records below the header"),
    ])


def test_ensure_valid_raises_with_every_problem(basic_data):
    edits(
        set_cell(E, "tanker-to-cardon", "kind", "tanker"),
        set_cell(E, "pacific-flight", "confidence", "sure"),
    )(basic_data)
    with pytest.raises(ValidationError) as info:
        ensure_valid(load_dataset(basic_data))
    exc = info.value
    assert isinstance(exc, GeomapError)
    assert len(errors_of(exc.problems)) == 2
    assert len(exc.problems) == 3
    assert str(exc) == (
        f"{basic_data / E}:2: kind: kind 'tanker' is not one of {KINDS} (and 1 more error)"
    )


def test_ensure_valid_returns_warnings(basic_data):
    warnings = ensure_valid(load_dataset(basic_data))
    assert [(p.severity, str(p)) for p in warnings] == expand(basic_data, [BASELINE])


def test_problem_format():
    assert str(Problem("e.csv", 3, "date", "bad")) == "e.csv:3: date: bad"
    assert str(Problem("e.csv", 3, "url", "none", "warning")) == "e.csv:3: url: none [warning]"


# -- properties ------------------------------------------------------------------------------

COLUMNS = {P: PLACE_COLUMNS, S: SOURCE_COLUMNS, E: EVENT_COLUMNS}


def _dataset_with(name: str, rows: list[dict[str, str]], lineterminator: str):
    """A fresh copy of the fixture with ``name`` rewritten by the csv module; its problems."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS[name], lineterminator=lineterminator)
    writer.writeheader()
    writer.writerows(rows)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(FIXTURES / "basic", data)
        (data / name).write_bytes(buffer.getvalue().encode("utf-8"))
        dataset = load_dataset(data)
        return dataset, check(dataset)


def _text_rows(name: str):
    row = st.fixed_dictionaries({column: st.text(max_size=25) for column in COLUMNS[name]})
    return st.lists(row, min_size=1, max_size=5)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_arbitrary_text_cells_never_crash_the_validator(data):
    name = data.draw(st.sampled_from([E, E, P, S]), label="file")
    rows = data.draw(_text_rows(name), label="rows")
    # "\r\n" (the csv default) quotes every cell holding \r or \n, so each record reads back
    # whole; with "\n" a lone \r in a cell is written bare and ends the line, as in an editor.
    lineterminator = data.draw(st.sampled_from(["\r\n", "\n"]), label="lineterminator")
    try:
        dataset, problems = _dataset_with(name, rows, lineterminator)
    except GeomapError:
        assert lineterminator == "\n"
        return
    assert all(isinstance(p, Problem) and p.severity in ("error", "warning") for p in problems)
    assert all(str(p).startswith(p.path + ":") for p in problems)
    if lineterminator == "\r\n":
        table = dataset.tables()[name]
        assert table.rows == rows


PLACE_NAMES = [
    "caracas", "Caracas", "tehran", "Tehrān", "TEHERAN", "damascus", "Dimashq", "tachira",
    "Táchira", "Tachira state", "cardon-refinery", "Refinería Cardón", "Cardón",
    "bandar-abbas", "Bandar Abbas", "tokyo", "honolulu",
]
coordinates = st.tuples(
    st.floats(-90, 90, allow_nan=False), st.floats(-180, 180, allow_nan=False)
).map(lambda pair: f"{pair[0]:.4f},{pair[1]:.4f}").filter(
    lambda text: {float(v) for v in text.split(",")} != {0.0}
)
stops = st.one_of(st.sampled_from(PLACE_NAMES), coordinates)
days = st.one_of(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.sampled_from([date(y, 2, 29) for y in (1904, 2000, 2016, 2020, 2024)]),
)
#: Free text without a bare \r, which would end the record when \n ends lines.
free_text = st.text(max_size=30).map(lambda text: text.replace("\r", " "))


@st.composite
def valid_event(draw, index: int):
    day = draw(days)
    precision = draw(st.sampled_from([10, 7, 4]))  # YYYY-MM-DD, YYYY-MM, YYYY
    end_date = ""
    if draw(st.booleans()):
        end_date = (day + timedelta(days=draw(st.integers(0, 400)))).isoformat()
    kind = draw(st.sampled_from(EVENT_KINDS))
    places = draw(st.lists(stops, min_size=2 if kind in ROUTE_KINDS else 1, max_size=4))
    sources = draw(st.lists(st.sampled_from(["news-a", "blog-b"]), min_size=1, unique=True))
    actors = draw(st.lists(st.sampled_from(["Iran", "Venezuela", "PDVSA", "Mahan Air"])))
    return {
        "id": f"event-{index}",
        "date": day.isoformat()[:precision],
        "end_date": end_date,
        "kind": kind,
        "title": draw(free_text.filter(str.strip)),
        "summary": draw(free_text),
        "actors": "; ".join(actors),
        "places": " > ".join(places),
        "carrier": draw(free_text),
        "confidence": draw(st.sampled_from(CONFIDENCE_LEVELS)),
        "sources": ";".join(sources),
        "evidence": draw(free_text),
    }


@st.composite
def valid_events(draw):
    count = draw(st.integers(1, 6))
    return [draw(valid_event(index)) for index in range(count)]


@settings(max_examples=150, deadline=None)
@given(rows=valid_events(), lineterminator=st.sampled_from(["\r\n", "\n"]))
def test_valid_generated_events_have_no_errors(rows, lineterminator):
    dataset, problems = _dataset_with(E, rows, lineterminator)
    assert [str(p) for p in errors_of(problems)] == []
    assert dataset.events.rows == rows


def test_a_dataset_silences_a_warning_rule_in_its_datapackage(basic_data):
    from geomap.commands import report_lines, validate_data

    (basic_data / "datapackage.json").write_text('{"geomap": {"silence": ["no-url"]}}')
    report = validate_data(basic_data)
    assert report.warnings == 0 and report.silenced == 1 and report.errors == 0
    assert report_lines(report.problems) == []
    assert "(1 more silenced in datapackage.json)" in report.summary()


def test_an_unknown_silenced_rule_is_an_error_naming_the_rules(basic_data):
    (basic_data / "datapackage.json").write_text('{"geomap": {"silence": ["no-urls"]}}')
    messages = [str(p) for p in errors_of(check(load_dataset(basic_data)))]
    assert len(messages) == 1
    assert "geomap.silence: unknown warning rule 'no-urls' (did you mean 'no-url'?)" in messages[0]


def test_every_warning_rule_is_documented_and_used():
    import re as regex
    from pathlib import Path

    from geomap.validate import WARNING_RULES

    root = Path(__file__).resolve().parents[1]
    readme = (root / "data" / "README.md").read_text(encoding="utf-8")
    code = "".join(p.read_text(encoding="utf-8") for p in (root / "geomap").glob("*.py"))
    used = set(regex.findall(r'rule="([a-z-]+)"', code))
    assert used == set(WARNING_RULES)
    assert all(f"`{rule}`" in readme for rule in WARNING_RULES)
