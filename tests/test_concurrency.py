"""Twenty `geomap add` processes at once, through the real console entry point: every row kept."""

import csv
import subprocess
import sys

from geomap.load import load_dataset
from geomap.validate import check, errors_of

ADDS = 20


def test_twenty_concurrent_adds_keep_every_row(basic_data):
    before = load_dataset(basic_data).events.rows
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "geomap", "add", "--data", str(basic_data),
             "--date", "2021-03", "--kind", "visit", "--title", f"Concurrent visit {n}",
             "--places", "caracas", "--sources", "news-a", "--confidence", "reported",
             "--evidence", "Quoted."],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(ADDS)
    ]
    results = [(p.wait(timeout=240), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0] * ADDS, results
    assert all(out.startswith("added ") for _, out, _ in results)
    dataset = load_dataset(basic_data)
    titles = [row["title"] for row in dataset.events.rows[len(before):]]
    assert sorted(titles) == sorted(f"Concurrent visit {n}" for n in range(ADDS))
    assert dataset.events.rows[: len(before)] == before
    assert errors_of(check(dataset)) == []
    with open(basic_data / "events.csv", newline="", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 1 + len(before) + ADDS
    # Each process reported a distinct line: no two adds saw the same file.
    lines = [out.split(":")[1] for _, out, _ in results]
    assert len(set(lines)) == ADDS
