"""``geomap import``: each format, the rows it must skip, ACLED, detected names, and a written
directory that validates and renders."""

from __future__ import annotations

import csv
import json
import shutil

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.errors import GeomapError
from geomap.importer import import_dataset, parse_date, resolve_mapping
from geomap.load import load_dataset, read_table
from geomap.validate import check, errors_of

from .conftest import FIXTURES

SRC = FIXTURES / "import"


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_id(target):
    return {row["id"]: row for row in rows(target / "events.csv")}


def assert_valid(target):
    problems = check(load_dataset(target))
    assert errors_of(problems) == []
    return problems


def reasons(summary):
    """Skipped rows as ``(line or feature, column, reason)`` without the file name."""
    return [(s.where.rsplit(":", 1)[-1].strip() if ": feature" not in s.where
             else s.where.split(": ", 1)[1], s.column, s.reason) for s in summary.skipped]


def test_csv_with_lat_lon_imports_good_rows_and_lists_each_bad_one(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "monitor.csv", target)
    assert reasons(summary) == [
        ("5", "lat/lon", "latitude 95.2 is outside -90..90"),
        ("6", "lon", "'abc' is not a decimal number of degrees"),
        ("7", "lat", "empty; no coordinate"),
        ("8", "date", "no date"),
        ("9", "date", "'sometime in spring' is not a date geomap can read (YYYY-MM-DD, "
                      "2020-05-21T10:00, 21 May 2020, 2020/05/21…; or give --date-format)"),
        ("10", "event_id", "duplicate id 'm1'; first on line 2"),
        ("12", "lat/lon", "0,0 is not a real location (a missing value?)"),
    ]
    assert str(summary.skipped[0]) == (
        f"{SRC / 'monitor.csv'}:5: lat/lon: latitude 95.2 is outside -90..90"
    )
    assert summary.rows == 12 and summary.imported == 5
    assert_valid(target)
    events = by_id(target)
    assert list(events) == ["m1", "m2", "m3", "m9", "m11"]
    assert [events[i]["date"] for i in ("m1", "m2", "m3")] == [
        "2022-03-05", "2022-03-06", "2022-03-07",
    ]
    m1 = events["m1"]
    assert (m1["kind"], m1["title"], m1["summary"], m1["places"]) == (
        "protest", "Rally in Kyiv", "Fixture row: a rally.", "50.4501,30.5234",
    )
    # Nothing invented: no confidence, actors or evidence in the source, so none in the data.
    assert {e["confidence"] for e in events.values()} == {""}
    assert {e["actors"] for e in events.values()} == {""}
    assert {e["evidence"] for e in events.values()} == {""}
    # Extra columns are kept as attributes, under their own names.
    assert (m1["country"], m1["province"], m1["town"]) == ("Ukraine", "Kyiv City", "Kyiv")
    assert "link" not in m1 and "lat" not in m1


def test_links_become_sources_and_every_event_cites_the_dataset(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "monitor.csv", target, source_title="Fixture monitor",
                             source_url="https://example.org/monitor", licence="CC0-1.0")
    sources = {row["id"]: row for row in rows(target / "sources.csv")}
    assert sources["fixture-monitor"]["title"] == "Fixture monitor"
    assert sources["fixture-monitor"]["url"] == "https://example.org/monitor"
    links = {row["url"]: row["id"] for row in sources.values() if row["id"].startswith("link-")}
    assert set(links) == {"https://example.org/reports/1", "https://example.org/reports/2"}
    events = by_id(target)
    assert events["m1"]["sources"] == f"fixture-monitor; {links['https://example.org/reports/1']}"
    # Two rows with one link share one source.
    assert events["m11"]["sources"] == events["m1"]["sources"]
    assert events["m3"]["sources"] == "fixture-monitor"
    # A javascript: link is not a source; the event imports without it, and that is reported.
    assert events["m9"]["sources"] == "fixture-monitor"
    assert [str(n).split(": ", 1)[1] for n in summary.notes] == [
        "link: 'javascript:alert(1)' is not an http(s) URL; the link is left out"
    ]
    package = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    assert package["title"] == "Fixture monitor"
    assert package["licenses"] == [{"name": "CC0-1.0"}]
    assert_valid(target)
    # With a URL for the dataset, the only warnings left are the missing evidence quotes.
    assert {p.column for p in check(load_dataset(target))} == {"evidence"}


def test_kinds_come_from_the_kind_column(tmp_path):
    target = tmp_path / "out"
    import_dataset(SRC / "monitor.csv", target)
    assert [(r["id"], r["label"], r["colour"], r["route"]) for r in rows(target / "kinds.csv")] == [
        ("protest", "Protest", "", ""), ("shelling", "Shelling", "", ""),
        ("airlift", "Airlift", "", ""), ("unspecified", "Not given", "", ""),
    ]
    assert by_id(target)["m11"]["kind"] == "unspecified"


def test_detected_names_are_reported(tmp_path):
    summary = import_dataset(SRC / "monitor.csv", tmp_path / "out")
    assert summary.mapping == {
        "id": "event_id", "date": "date", "kind": "category", "title": "headline",
        "summary": "description", "lat": "lat", "lon": "lon", "url": "link",
    }
    assert summary.attributes == ["country", "province", "town"]
    text = "\n".join(summary.lines())
    assert "mapped: id ← event_id, date ← date, kind ← category" in text
    assert text.splitlines()[-1] == (
        f"imported 5 events, skipped 7 rows of 12 from {SRC / 'monitor.csv'} into "
        f"{tmp_path / 'out'} (4 kinds, 3 sources, 0 places)"
    )


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        (["Latitude", "Longitude", "Event Date", "Type"],
         {"date": "Event Date", "kind": "Type", "lat": "Latitude", "lon": "Longitude"}),
        (["y", "x", "name", "notes", "source_url"],
         {"title": "name", "summary": "notes", "lat": "y", "lon": "x", "url": "source_url"}),
        (["lng", "lat", "date", "event_type", "event_id_cnty"],
         {"id": "event_id_cnty", "date": "date", "kind": "event_type", "lat": "lat",
          "lon": "lng"}),
        (["WKT", "date", "location"], {"date": "date", "wkt": "WKT"}),
        (["location", "date"], {"date": "date", "place": "location"}),
    ],
)
def test_common_column_names_are_detected(columns, expected):
    assert resolve_mapping(columns, {}, None, has_geometry=False) == expected


def test_explicit_map_wins_and_unknown_names_fail_clearly():
    assert resolve_mapping(["when", "lat", "lon"], {"date": "when"}, None, False)["date"] == "when"
    with pytest.raises(GeomapError, match=r"unknown field 'titel' \(did you mean 'title'\?\)"):
        resolve_mapping(["a"], {"titel": "a"}, None, False)
    with pytest.raises(GeomapError, match=r"no column 'whn' in the source \(did you mean 'when'"):
        resolve_mapping(["when", "lat", "lon"], {"date": "whn"}, None, False)
    with pytest.raises(GeomapError, match="no position: map lat and lon"):
        resolve_mapping(["date", "title"], {}, None, False)


def test_ids_are_derived_deterministically_when_absent(tmp_path):
    source = tmp_path / "noid.csv"
    source.write_text(
        "date,title,lat,lon\n"
        "2020-05-21,Same title,10.5,-66.9\n"
        "2020-05-21,Same title,10.6,-66.8\n"
        "2020-06,Other,11,-67\n",
        encoding="utf-8",
    )
    import_dataset(source, tmp_path / "a")
    import_dataset(source, tmp_path / "b")
    ids = list(by_id(tmp_path / "a"))
    assert ids == ["2020-05-21-same-title", "2020-05-21-same-title-2", "2020-06-other"]
    assert list(by_id(tmp_path / "b")) == ids
    assert rows(tmp_path / "a" / "kinds.csv") == [
        {"id": "event", "label": "Event", "colour": "", "mark": "", "route": ""}
    ]
    assert_valid(tmp_path / "a")


def test_csv_with_wkt_points_and_lines(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "wkt.csv", target)
    assert reasons(summary) == [
        ("4", "wkt", "'POINT (30.7 ,' is not WKT (like POINT (30.52 50.45))"),
        ("5", "wkt", "a Polygon is not a point or a line; geomap maps points and routes"),
        ("6", "wkt", "empty; no geometry"),
    ]
    events = by_id(target)
    assert events["w1"]["places"] == "50.4501,30.5234 > 49.8397,24.0297"
    assert events["w1"]["date"] == "2021-06"
    assert events["w2"]["places"] == "46.4825,30.7233"
    assert events["w1"]["operator"] == "Fixture Air"
    assert_valid(target)


def test_place_names_resolve_through_the_gazetteer(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "named.csv", target, places_file=SRC / "gazetteer.csv")
    assert reasons(summary) == [
        ("5", "place", "unknown place 'Atlantis'; add it to the gazetteer (--places FILE)"),
    ]
    events = by_id(target)
    assert (events["n1"]["places"], events["n2"]["places"]) == ("kyiv", "kyiv")
    assert events["n3"]["places"] == "lviv > kyiv"
    assert events["n5"]["places"] == "46.48,30.72"
    assert events["n1"]["actors"] == "Alpha; Beta"
    # Only the places actually named are written, as the gazetteer has them.
    assert [r["id"] for r in rows(target / "places.csv")] == ["kyiv", "lviv"]
    assert rows(target / "places.csv")[0] == rows(SRC / "gazetteer.csv")[0]
    assert_valid(target)


def test_the_targets_own_places_are_the_gazetteer_and_are_kept_whole(tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    shutil.copy(SRC / "gazetteer.csv", target / "places.csv")
    before = (target / "places.csv").read_bytes()
    import_dataset(SRC / "named.csv", target)
    assert by_id(target)["n3"]["places"] == "lviv > kyiv"
    # kharkiv is named by no event, and stays: the gazetteer is the user's, not the import's.
    assert (target / "places.csv").read_bytes() == before
    assert_valid(target)


def test_geojson_points_and_lines(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "events.geojson", target)
    assert reasons(summary) == [
        ("feature 3", "geometry", "no geometry"),
        ("feature 4", "date", "'03/02/2024' is ambiguous (day/month or month/day?); give "
                              "--date-format %d/%m/%Y or %m/%d/%Y"),
    ]
    events = by_id(target)
    assert events["g1"]["places"] == "46.4825,30.7233 > 41.01,29"
    assert (events["g1"]["kind"], events["g2"]["kind"]) == ("ferry", "port-call")
    assert (events["g1"]["passengers"], events["g2"]["passengers"]) == ("120", "")
    assert_valid(target)


def test_an_explicit_date_format_reads_what_is_otherwise_ambiguous(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "events.geojson", target, date_format="%d/%m/%Y",
                             mapping={"date": "date"})
    # The ISO dates no longer match the format: every row but g4 is reported, none invented.
    assert by_id(target)["g4"]["date"] == "2024-02-03"
    assert [r[0] for r in reasons(summary)] == ["feature 1", "feature 2", "feature 3"]


def test_geopackage_written_with_pyogrio(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    pyogrio = pytest.importorskip("pyogrio")
    from shapely.geometry import LineString, Point

    frame = geopandas.GeoDataFrame(
        {
            "event_id": ["a", "b", "c", "a"],
            "event_date": ["2024-03-01", "2024-03-02", "", "2024-03-04"],
            "category": ["Convoy", "Checkpoint", "Checkpoint", "Convoy"],
            "fatalities": [0, 2, 1, 0],
        },
        geometry=[LineString([(30.52, 50.45), (31.0, 50.9), (24.03, 49.84)]),
                  Point(30.72, 46.48), Point(30.0, 50.0), Point(30.1, 50.1)],
        crs="EPSG:4326",
    )
    source = tmp_path / "events.gpkg"
    pyogrio.write_dataframe(frame, source, layer="events")
    target = tmp_path / "out"
    summary = import_dataset(source, target)
    assert reasons(summary) == [
        ("feature 3", "event_date", "no date"),
        ("feature 4", "event_id", "duplicate id 'a'; first on feature 1"),
    ]
    events = by_id(target)
    assert events["a"]["places"] == "50.45,30.52 > 50.9,31 > 49.84,24.03"
    assert events["b"]["fatalities"] == "2"
    assert_valid(target)


def test_geopackage_date_fields_and_missing_values(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    import pandas
    from shapely.geometry import Point

    frame = geopandas.GeoDataFrame(
        {"when": pandas.to_datetime(["2024-03-01", None]), "count": [1, None]},
        geometry=[Point(30, 50), Point(31, 51)], crs="EPSG:4326",
    )
    source = tmp_path / "dated.gpkg"
    frame.to_file(source, engine="pyogrio")
    summary = import_dataset(source, tmp_path / "out", mapping={"date": "when"})
    assert reasons(summary) == [("feature 2", "when", "no date")]
    event = by_id(tmp_path / "out").popitem()[1]
    assert (event["date"], event["count"], event["title"]) == ("2024-03-01", "1", "Event")


def test_a_projected_geopackage_is_reprojected_to_wgs84(tmp_path):
    geopandas = pytest.importorskip("geopandas")
    from shapely.geometry import Point

    frame = geopandas.GeoDataFrame(
        {"date": ["2024-03-01"]}, geometry=[Point(30.5234, 50.4501)], crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    source = tmp_path / "projected.gpkg"
    frame.to_file(source, engine="pyogrio")
    import_dataset(source, tmp_path / "out")
    lat, lon = (float(v) for v in by_id(tmp_path / "out").popitem()[1]["places"].split(","))
    assert lat == pytest.approx(50.4501, abs=1e-6) and lon == pytest.approx(30.5234, abs=1e-6)


def test_acled_preset(tmp_path):
    target = tmp_path / "out"
    summary = import_dataset(SRC / "acled.csv", target, preset="acled",
                             source_title="ACLED fixture", licence="CC-BY-4.0")
    assert reasons(summary) == [
        ("5", "event_id_cnty", "duplicate id 'xyz1001'; first on line 2"),
        ("6", "latitude", "empty; no coordinate"),
    ]
    events = by_id(target)
    assert list(events) == ["xyz1001", "xyz1002", "xyz1003", "xyz1005"]
    clash, battle, shelling, numeric = events.values()
    assert (clash["kind"], clash["title"]) == ("protests", "Peaceful protest in Alpha Town")
    assert clash["summary"] == "Fixture: students demonstrated in Alpha Town."
    assert clash["actors"] == "Protesters (Fixtureland)"
    assert battle["actors"] == "Military Forces of Fixtureland; Rebel Group Fixture"
    # time_precision 1: the day; 2: the week around the recorded middle day; 3: the month.
    assert (clash["date"], clash["end_date"]) == ("2023-05-21", "")
    assert (battle["date"], battle["end_date"]) == ("2023-05-18", "2023-05-24")
    assert (shelling["date"], shelling["end_date"]) == ("2023-05", "")
    # ACLED writes numeric dates day first.
    assert numeric["date"] == "2023-06-05"
    # ACLED's source column names outlets, not links: an attribute, never a URL source.
    assert clash["outlets"] == "Fixture Daily; Fixture Radio"
    assert [r["id"] for r in rows(target / "sources.csv")] == ["acled-fixture"]
    for column, value in [("fatalities", "0"), ("geo_precision", "1"), ("country", "Fixtureland"),
                          ("admin1", "North"), ("location", "Alpha Town"),
                          ("sub_event_type", "Peaceful protest")]:
        assert clash[column] == value
    assert battle["fatalities"] == "3" and battle["time_precision"] == "2"
    assert "actor1" not in clash and "confidence" in clash and clash["confidence"] == ""
    assert [r["label"] for r in rows(target / "kinds.csv")] == [
        "Protests", "Battles", "Explosions/Remote violence",
    ]
    assert_valid(target)


def test_confidence_and_constants_only_when_the_user_sets_them(tmp_path):
    import_dataset(SRC / "wkt.csv", tmp_path / "out",
                   constants={"confidence": "reported", "kind": "Air link"})
    events = by_id(tmp_path / "out")
    assert {e["confidence"] for e in events.values()} == {"reported"}
    assert {e["kind"] for e in events.values()} == {"air-link"}
    assert rows(tmp_path / "out" / "kinds.csv") == [
        {"id": "air-link", "label": "Air link", "colour": "", "mark": "", "route": ""}
    ]
    with pytest.raises(GeomapError, match="confidence 'sure' is not one of"):
        import_dataset(SRC / "wkt.csv", tmp_path / "other", constants={"confidence": "sure"})


def test_a_directory_with_data_is_refused_unless_forced(tmp_path):
    target = tmp_path / "out"
    import_dataset(SRC / "wkt.csv", target)
    before = (target / "events.csv").read_bytes()
    with pytest.raises(GeomapError, match="holds a dataset; import into a new or empty"):
        import_dataset(SRC / "monitor.csv", target)
    assert (target / "events.csv").read_bytes() == before
    import_dataset(SRC / "monitor.csv", target, force=True)
    assert "m1" in by_id(target)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "readme.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(GeomapError, match="is not empty"):
        import_dataset(SRC / "wkt.csv", other)


def test_nothing_is_written_when_no_row_imports_or_on_a_dry_run(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("date,lat,lon\n2020-01-01,100,0\n,10,10\n", encoding="utf-8")
    with pytest.raises(GeomapError, match="no row could be imported; nothing written") as info:
        import_dataset(source, tmp_path / "out")
    assert f"{source}:2: lat/lon: latitude 100 is outside -90..90" in str(info.value)
    assert not (tmp_path / "out").exists()
    summary = import_dataset(SRC / "wkt.csv", tmp_path / "dry", dry_run=True)
    assert summary.imported == 2 and not (tmp_path / "dry").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", "2020"), ("2020-05", "2020-05"), ("2020-05-21", "2020-05-21"),
        ("2020-05-21T10:00:00", "2020-05-21"), ("2020-05-21 10:00", "2020-05-21"),
        ("2020-05-21T10:00:00Z", "2020-05-21"), ("2020-05-21T10:00:00+02:00", "2020-05-21"),
        ("21 May 2020", "2020-05-21"), ("21-May-2020", "2020-05-21"),
        ("May 21, 2020", "2020-05-21"), ("Sept. 3rd 2020", "2020-09-03"),
        ("May 2020", "2020-05"), ("2020/05/21", "2020-05-21"), ("2020/5/1", "2020-05-01"),
        ("21/05/2020", "2020-05-21"), ("05/21/2020", "2020-05-21"), ("05/05/2020", "2020-05-05"),
    ],
)
def test_dates_in_common_forms(text, expected):
    assert parse_date(text) == expected


def test_day_first_only_for_sources_that_write_it_so():
    assert parse_date("05-06-2023", day_first=True) == "2023-06-05"
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date("05-06-2023")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("05/06/2020", "ambiguous"), ("2020-02-30", "not a date"), ("21 Mai 2020", "not a date"),
        ("20/05/20", "not a date"), ("yesterday", "not a date"), ("２０２０", "not a date"),
    ],
)
def test_dates_that_could_be_misread_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_attribute_columns_that_look_like_geomaps_are_renamed(tmp_path):
    source = tmp_path / "odd.csv"
    source.write_text("date,lat,lon,source,dates,places\n2020-01-02,10,10,AP,x,y\n",
                      encoding="utf-8")
    summary = import_dataset(source, tmp_path / "out")
    assert summary.attributes == ["original_source", "original_dates", "original_places"]
    row = by_id(tmp_path / "out").popitem()[1]
    assert (row["original_source"], row["places"]) == ("AP", "10,10")
    assert_valid(tmp_path / "out")


def test_cli_import_then_validate_and_render(tmp_path):
    target = tmp_path / "acled"
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(SRC / "acled.csv"), "--to", str(target),
                                 "--preset", "acled", "--source-title", "ACLED fixture",
                                 "--title", "Fixture conflict events", "--show", "1"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        f"imported 4 events, skipped 2 rows of 6 from {SRC / 'acled.csv'} into {target} "
        "(3 kinds, 1 source, 0 places)"
    )
    assert f"{SRC / 'acled.csv'}:5: event_id_cnty: duplicate id 'xyz1001'" in result.stderr
    assert "… and 1 more" in result.stderr
    assert "warning ×4: evidence: no evidence quote from the source" in result.stderr
    validated = runner.invoke(cli, ["validate", "--data", str(target)])
    assert validated.exit_code == 0, validated.output
    assert "0 errors" in validated.output
    out = tmp_path / "map" / "index.html"
    rendered = runner.invoke(cli, ["render", "--data", str(target), "-o", str(out)])
    assert rendered.exit_code == 0, rendered.output
    assert "<title>Fixture conflict events</title>" in out.read_text(encoding="utf-8")


def test_cli_import_refuses_clearly(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(SRC / "wkt.csv"), "--to", str(tmp_path / "o"),
                                 "--map", "titel=title"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: --map: unknown field 'titel' (did you mean 'title'?)")
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["import", str(tmp_path / "missing.csv"), "--to",
                                 str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'missing.csv'}: file not found\n"
    result = runner.invoke(cli, ["import", str(SRC / "wkt.csv"), "--to", str(tmp_path / "o"),
                                 "--set", "kind"])
    assert result.exit_code == 2 and "'kind' is not FIELD=VALUE" in result.output


def test_every_fixture_output_validates(tmp_path):
    """One more pass over every fixture through the loader the map uses."""
    cases = [("monitor.csv", {}), ("wkt.csv", {}), ("events.geojson", {}),
             ("acled.csv", {"preset": "acled"}),
             ("named.csv", {"places_file": SRC / "gazetteer.csv"})]
    for name, options in cases:
        target = tmp_path / name
        import_dataset(SRC / name, target, **options)
        assert_valid(target)
        header = read_table(target / "events.csv").header
        assert header[:12] == ["id", "date", "end_date", "kind", "title", "summary", "actors",
                               "places", "carrier", "confidence", "sources", "evidence"]


def test_a_result_that_would_not_validate_lists_only_the_errors_and_writes_nothing(tmp_path):
    gazetteer = tmp_path / "airports.csv"
    gazetteer.write_text(
        "id,name,aliases,kind,admin1,country,lat,lon,precision,note\n"
        "ncl,Newcastle Airport,NCL,airport,,GB,55.0375,-1.6917,exact,\n"
        "nte,Newcastle Airport,NTE,airport,,AU,-32.795,151.834,exact,\n",
        encoding="utf-8",
    )
    source = tmp_path / "visits.csv"
    source.write_text("date,title,place\n2020-01-02,One,NCL\n2020-01-03,Two,NTE\n",
                      encoding="utf-8")
    target = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", str(source), "--to", str(target),
                                      "--places", str(gazetteer)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{target / 'places.csv'}:3: name: 'Newcastle Airport' already names place 'ncl' "
        "(line 2); a name must point at one place",
        "Error: 1 error in the data; nothing written",
    ]
    assert not target.exists()


def test_routes_from_a_template_of_two_place_columns(tmp_path):
    source = tmp_path / "routes.csv"
    source.write_text(
        "airline,src,dst,date\n"
        "FX,Kyiv,Lviv,2024-01\n"
        "FX,Lviv,,2024-01\n"
        "FX,Kharkiv,Kiev,2024-02\n",
        encoding="utf-8",
    )
    target = tmp_path / "out"
    summary = import_dataset(source, target, places_file=SRC / "gazetteer.csv",
                             mapping={"place": "{src} > {dst}", "carrier": "airline"},
                             constants={"kind": "Flight"}, route="air")
    assert reasons(summary) == [("3", "{src} > {dst}", "one stop; a route needs at least two")]
    assert [e["places"] for e in by_id(target).values()] == ["kyiv > lviv", "kharkiv > kyiv"]
    assert [e["carrier"] for e in by_id(target).values()] == ["FX", "FX"]
    assert rows(target / "kinds.csv")[0]["route"] == "air"
    assert [r["id"] for r in rows(target / "places.csv")] == ["kyiv", "lviv", "kharkiv"]
    assert_valid(target)


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files(tmp_path, delimiter):
    source = tmp_path / "export.csv"
    lines = [["Datum", "Titel", "Breite", "Länge"], ["2024-05-01", "Kundgebung, Mitte", "52,52",
                                                     "13,40"], ["2024-05-02", "Zweite", "52.5",
                                                                "13.4"]]
    source.write_text("\n".join(delimiter.join(f'"{v}"' for v in line) for line in lines) + "\n",
                      encoding="utf-8")
    summary = import_dataset(source, tmp_path / "out", mapping={
        "date": "Datum", "title": "Titel", "lat": "Breite", "lon": "Länge"})
    # A decimal comma is not read as a number; the row is reported, not guessed.
    assert reasons(summary) == [("2", "Breite", "'52,52' is not a decimal number of degrees")]
    assert by_id(tmp_path / "out").popitem()[1]["places"] == "52.5,13.4"


def test_another_encoding_on_request(tmp_path):
    source = tmp_path / "latin.csv"
    source.write_bytes("date,title,lat,lon\n2024-05-01,Caf\xe9 meeting,48.85,2.35\n"
                       .encode("latin-1"))
    with pytest.raises(GeomapError, match="not UTF-8: byte 0xe9"):
        import_dataset(source, tmp_path / "out")
    import_dataset(source, tmp_path / "out", encoding="latin-1")
    assert by_id(tmp_path / "out").popitem()[1]["title"] == "Café meeting"


def test_kinds_in_other_scripts_and_kinds_only_of_skipped_rows(tmp_path):
    source = tmp_path / "kinds.csv"
    source.write_text(
        "date,type,lat,lon\n"
        "2024-01-01,Протест,50.45,30.52\n"
        "2024-01-02,Обстріл,49.99,36.23\n"
        "2024-01-03,Протест,49.84,24.03\n"
        "2024-01-04,Never imported,95,30\n",
        encoding="utf-8",
    )
    summary = import_dataset(source, tmp_path / "out")
    assert [(r["id"], r["label"]) for r in rows(tmp_path / "out" / "kinds.csv")] == [
        ("kind-1", "Протест"), ("kind-2", "Обстріл"),
    ]
    assert [e["kind"] for e in by_id(tmp_path / "out").values()] == ["kind-1", "kind-2", "kind-1"]
    # A title-less event is titled by its kind's label, never by invented text.
    assert by_id(tmp_path / "out").popitem()[1]["title"] == "Протест"
    assert summary.kinds == [("kind-1", "Протест"), ("kind-2", "Обстріл")]
    assert_valid(tmp_path / "out")


def test_no_date_column_is_one_clear_error(tmp_path):
    source = tmp_path / "nodate.csv"
    source.write_text("name,lat,lon\nA,10,10\n", encoding="utf-8")
    with pytest.raises(GeomapError, match=r"no date column: map one with --map date=COLUMN "
                                          r"\(or --set date=DATE if one date is true of every "
                                          r"row\); columns are name, lat, lon"):
        import_dataset(source, tmp_path / "out")
