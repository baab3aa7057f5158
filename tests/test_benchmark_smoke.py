"""The benchmark still runs end to end (at a tiny size, with no timing assertions)."""

import csv
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

GEOMAP = Path(sys.executable).parent / "geomap"


def _validate(data: Path) -> str:
    command = [str(GEOMAP)] if GEOMAP.exists() else ["geomap"]
    result = subprocess.run([*command, "validate", "--data", str(data)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.mark.browser
def test_benchmark_runs_at_a_small_size(chromium_path, cdn_files, tmp_path):
    output = tmp_path / "RESULTS.md"
    airports = 30 if importlib.util.find_spec("airportsdata") else 0
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "30", "--repeat", "1",
         "--airports", str(airports), "--routes", "30", "--cap", "30", "--slow", "30",
         "--output", str(output), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = output.read_text(encoding="utf-8")
    assert "## today shape, 30 events" in text and "## real shape, 30 events" in text
    assert "## routes shape, 30 events" in text
    assert "| 30 distinct routes drawn in under 3 s |" not in text  # only from 50,000 routes
    assert ("## airports shape, 30 events" in text) == bool(airports)
    assert "## Issue 19's targets, at 30 events of real shape" in text
    run = json.loads(output.with_suffix(".json").read_text(encoding="utf-8"))
    assert len(run["cases"]) == 3 + bool(airports)
    for case in run["cases"]:
        tools = case["tools"]
        assert tools["geomap"]["draw"]["drawn"]["median"] > 0, tools["geomap"]["draw"]
        assert tools["geomap"]["draw"]["error"] is None
        assert tools["geomap"]["html"] > 0 and tools["floor"]["html"] > 0
        assert tools["plain_folium"]["draw"]["drawn"]["median"] > 0
        assert tools["fast_cluster"]["draw"]["drawn"]["median"] > 0
        assert tools["geomap"]["stats"]["wall"]["median"] > 0
        assert tools["geomap"]["export"]["wall"]["median"] > 0
        for tool in ("explore", "lonboard"):
            entry = tools[tool]
            assert "skipped" in entry or entry["build"]["error"] is None, entry
    geomap_row = next(line for line in text.splitlines() if line.startswith("| geomap |"))
    assert geomap_row.count(" s") >= 2  # build and drawn, in seconds


def test_synthetic_data_is_valid_in_both_shapes(tmp_path):
    from benchmarks.synthetic import generate

    today = generate(500, tmp_path / "today")
    _validate(today)
    with open(today / "events.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 500
    assert len({row["places"] for row in rows if ">" in row["places"]}) > 100

    real = generate(1000, tmp_path / "real", shape="real")
    _validate(real)
    with open(real / "events.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    stops = {stop.strip() for row in rows for stop in row["places"].split(">")}
    literal = {stop for stop in stops if "," in stop}
    routes = {row["places"] for row in rows if ">" in row["places"]}
    assert len(rows) == 1000
    assert len(literal) >= 500  # N/2 distinct coordinates, each used
    assert len(routes) == 200  # N/5 distinct routes, each used

    flights = generate(300, tmp_path / "routes", shape="routes")
    _validate(flights)
    with open(flights / "events.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 300 and len({row["places"] for row in rows}) == 300
    assert {row["kind"] for row in rows} == {"flight"}


def test_airport_case_is_valid(tmp_path):
    pytest.importorskip("airportsdata")
    from benchmarks.airports import generate

    data = generate(200, tmp_path / "airports")
    report = _validate(data)
    assert "0 errors" in report
    with open(data / "places.csv", encoding="utf-8", newline="") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) > 5000


@pytest.mark.browser
def test_page_profiler_reports_a_small_map(chromium_path, cdn_files, tmp_path, basic_data):
    page = tmp_path / "map.html"
    command = [str(GEOMAP)] if GEOMAP.exists() else ["geomap"]
    rendered = subprocess.run([*command, "render", "--data", str(basic_data), "-o", str(page)],
                              capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "pageprof.py"), str(page), "--profile",
         "--repeat", "1", "--top", "5"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    figures = {line.split()[0]: float(line.split()[2]) for line in lines[:4]}
    assert set(figures) == {"drawn", "decoded", "heap", "filter"}
    assert figures["drawn"] > figures["decoded"] > 0 and figures["heap"] > 0
    assert figures["filter"] > 0
    for section in ("load_profile (self ms):", "filter_profile (self ms):"):
        rows = lines[lines.index(section) + 1:][:5]
        assert rows and all(float(row.split()[0]) >= 0 for row in rows)
