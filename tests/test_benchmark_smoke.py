"""The benchmark still runs end to end (at a tiny size, with no timing assertions)."""

import subprocess
import sys

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser


def test_benchmark_runs_at_a_small_size(chromium_path, cdn_files, tmp_path):
    output = tmp_path / "RESULTS.md"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "30", "--repeat", "1",
         "--cap", "30", "--output", str(output), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    text = output.read_text(encoding="utf-8")
    assert "## 30 events" in text
    row = next(line for line in text.splitlines() if line.startswith("| drawn in Chromium"))
    assert row.count(" s") >= 2  # both maps drew (a number of seconds for each)
    assert "## Targets at 30 events" in text and "## Start-up" in text


def test_synthetic_data_is_valid(tmp_path):
    from benchmarks.synthetic import generate
    from geomap.load import load_dataset
    from geomap.validate import check

    data = generate(500, tmp_path / "data")
    dataset = load_dataset(data)
    assert len(dataset.events.rows) == 500
    assert [p for p in check(dataset) if p.severity == "error"] == []
    pairs = {row["places"] for row in dataset.events.rows if ">" in row["places"]}
    assert len(pairs) > 100
