import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.errors import FilterError
from geomap.filters import Criteria, matches, parse_years, resolve_criteria, select
from geomap.gazetteer import Gazetteer, Place
from geomap.load import load_dataset
from geomap.records import Event, resolve
from geomap.schema import PartialDate

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(FIXTURES / "basic")


@pytest.fixture(scope="module")
def events(dataset):
    return resolve(dataset)


def ids(events, dataset=None, **options):
    rows = (dataset or load_dataset(FIXTURES / "basic")).places.rows
    selection = select(events, Criteria.from_options(**options), Gazetteer.from_rows(rows))
    return [event.id for event in selection]


def event(start, end, **extra):
    """An event known from ``start`` to ``end`` (partial dates)."""
    stops = tuple(Place(pid, pid, 0.0, 0.0) for pid in ("tehran", "caracas"))
    base = {"kind": "flight", "confidence": "reported", "actors": ("Iran", "Mahan Air"),
            "stops": stops}
    return Event("e", PartialDate.parse(start), PartialDate.parse(end), title="t", **base | extra)


@pytest.mark.parametrize(
    ("since", "until", "kept"),
    [
        ("2020-05-20", None, True),  # a May 2020 event overlaps a bound inside May
        ("2020-06", None, False),
        (None, "2020-05-01", True),
        (None, "2020-04-30", False),
        ("2020", "2020", True),
        ("2019-12-31", "2020-05-01", True),
    ],
)
def test_partial_dates_are_intervals(since, until, kept):
    criteria = Criteria.from_options(since=since, until=until)
    assert matches(event("2020-05-01", "2020-05-31"), criteria) is kept


def test_year_ranges_and_repeated_years():
    e = event("2020-12-01", "2021-01-31")  # spans a new year
    assert matches(e, Criteria.from_options(years=["2021"]))
    assert matches(e, Criteria.from_options(years=["2019", "2020"]))
    assert not matches(e, Criteria.from_options(years=["2022-2024"]))
    assert matches(e, Criteria.from_options(years=["2021-2022"]))


def test_parse_years():
    assert parse_years("2020") == (2020, 2020)
    assert parse_years("2020-2021") == (2020, 2021)
    with pytest.raises(FilterError, match="ends before it starts"):
        parse_years("2021-2020")
    with pytest.raises(FilterError, match="is not YYYY or YYYY-YYYY"):
        parse_years("last year")


def test_actors_ignore_accents_and_case(events):
    assert ids(events, actors=["IRÁN"]) == ["tanker-to-cardon", "visit-tachira"]
    assert ids(events, actors=["mahan air"]) == ["air-bridge"]


def test_or_within_an_option_and_across_repeats(events):
    assert ids(events, kinds=["shipment", "visit"]) == ["tanker-to-cardon", "visit-tachira"]
    assert ids(events, actors=["Conviasa", "Example"]) == ["air-bridge", "pacific-flight"]


def test_and_across_options(events):
    assert ids(events, kinds=["flight"], confidence="reported") == ["pacific-flight"]
    assert ids(events, kinds=["flight"], actors=["Iran"]) == []


def test_minimum_confidence(events):
    assert ids(events, confidence="alleged") == [event.id for event in events]
    assert ids(events, confidence="reported") == [
        "tanker-to-cardon", "visit-tachira", "pacific-flight",
    ]
    assert ids(events, confidence="confirmed") == ["visit-tachira"]


def test_place_by_name_alias_or_id(events, dataset):
    assert ids(events, dataset, places=["Teheran"]) == ["air-bridge", "visit-tachira"]
    assert ids(events, dataset, places=["cardón"]) == ["tanker-to-cardon"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"kinds": ["flights"]}, "kind 'flights' is not one of"),
        ({"confidence": "sure"}, "confidence 'sure' is not one of"),
        ({"since": "2020-13"}, "month 13 does not exist"),
        ({"since": "2021", "until": "2020"}, "--until '2020' is before --since '2021'"),
    ],
)
def test_bad_options_are_errors(options, message):
    """Kinds are checked against the dataset's vocabulary (here the default one)."""
    with pytest.raises(FilterError, match=message):
        resolve_criteria(Criteria.from_options(**options), Gazetteer([]))


def test_render_with_no_match_says_so_and_writes_nothing(tmp_path):
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli, ["render", "--data", str(FIXTURES / "basic"), "-o", str(out), "--year", "2019"]
    )
    assert result.exit_code == 1
    assert result.output == "Error: no event matches year 2019; nothing written\n"
    assert not out.exists()


def test_export_with_no_match_exits_non_zero(tmp_path):
    out = tmp_path / "e.geojson"
    result = CliRunner().invoke(cli, [
        "export", "--data", str(FIXTURES / "basic"), "--format", "geojson", "-o", str(out),
        "--kind", "seizure",
    ])
    assert result.exit_code == 1
    assert "no event matches kind seizure" in result.output
    assert not out.exists()


def test_render_unknown_place_filter(tmp_path):
    result = CliRunner().invoke(cli, [
        "render", "--data", str(FIXTURES / "basic"), "-o", str(tmp_path / "m.html"),
        "--place", "Tachira statee",
    ])
    assert result.exit_code == 1
    assert result.output == (
        "Error: --place: unknown place 'Tachira statee' (did you mean 'tachira'?)\n"
    )


def test_minimum_independent_origins():
    provenance = load_dataset(FIXTURES / "provenance")
    gazetteer = Gazetteer.from_rows(provenance.places.rows)
    events = resolve(provenance)
    assert {e.id: e.origins for e in events}["visit-tachira"] == 1
    assert select(events, Criteria.from_options(origins=2), gazetteer) == []
    assert len(select(events, Criteria.from_options(origins="1"), gazetteer)) == 4
    with pytest.raises(FilterError, match="is not a whole number of 1 or more"):
        Criteria.from_options(origins="0")
