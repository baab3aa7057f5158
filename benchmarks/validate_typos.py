"""How long `geomap validate` takes when every event row has a misspelled place and source.

Each row's suggestion ("did you mean ...?") is looked up once per distinct typo; the typos here
are all different, so nothing is reused. Measured side by side in one process on the same files:
geomap's rapidfuzz index (C, built once) against the previous approach, ``difflib`` scanning every
known name per typo (the old ``Gazetteer.suggest`` and source hint, restored by monkeypatching).

Usage: python benchmarks/validate_typos.py [--rows 1000 10000 100000] [--difflib-max 10000]
                                           [--work benchmarks/work/typos]

difflib runs only up to ``--difflib-max`` rows (it is the slow one); larger sizes show "-".
"""

from __future__ import annotations

import argparse
import csv
import difflib
import random
import sys
import time
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.synthetic import generate  # noqa: E402
from geomap import gazetteer, validate  # noqa: E402
from geomap.gazetteer import fold  # noqa: E402
from geomap.load import load_dataset  # noqa: E402


def misspell(word: str, rng: random.Random, serial: int) -> str:
    """A unique typo: a letter dropped or doubled, plus a serial so no two rows share one."""
    i = rng.randrange(1, max(2, len(word) - 1))
    typo = word[:i] + word[i + 1:] if rng.random() < 0.5 else word[:i] + word[i] + word[i:]
    return f"{typo}{serial}"


def with_typos(rows: int, work: Path) -> Path:
    """A synthetic dataset of ``rows`` events, each naming one misspelled place and source."""
    folder = work / f"typos-{rows}"
    if (folder / "events.csv").exists():
        return folder
    generate(rows, folder)
    rng = random.Random(7)
    path = folder / "events.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    for n, record in enumerate(records):
        stops = record["places"].split(" > ")
        stops[-1] = misspell(stops[-1], rng, n)
        record["places"] = " > ".join(stops)
        record["sources"] = misspell(record["sources"].split(";")[0].strip(), rng, n)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return folder


def _old_suggest(self, stop: str, limit: int = 1) -> list[str]:
    close = difflib.get_close_matches(fold(stop), self._keys, n=limit * 4, cutoff=0.6)
    ids = []
    for key in close:
        if self._keys[key] not in ids:
            ids.append(self._keys[key])
    return ids[:limit]


def _old_closest(value: str, choices) -> str | None:
    close = difflib.get_close_matches(value, list(choices), n=1)
    return close[0] if close else None


@contextmanager
def old_difflib():
    saved = gazetteer.Gazetteer.suggest, validate._closest
    gazetteer.Gazetteer.suggest, validate._closest = _old_suggest, _old_closest
    try:
        yield
    finally:
        gazetteer.Gazetteer.suggest, validate._closest = saved


def timed_check(folder: Path) -> tuple[float, int]:
    dataset = load_dataset(folder)
    start = time.perf_counter()
    problems = validate.check(dataset)
    return time.perf_counter() - start, len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--difflib-max", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=HERE / "work" / "typos")
    args = parser.parse_args()
    print("| rows | problems | rapidfuzz index (s) | difflib scan (s) | speed-up |")
    print("|---:|---:|---:|---:|---:|")
    for rows in args.rows:
        folder = with_typos(rows, args.work)
        fast, count = timed_check(folder)
        slow = "-"
        ratio = "-"
        if rows <= args.difflib_max:
            with old_difflib():
                seconds, old_count = timed_check(folder)
            assert old_count == count, (old_count, count)
            slow, ratio = f"{seconds:.2f}", f"{seconds / fast:.0f}×"
        print(f"| {rows:,} | {count:,} | {fast:.2f} | {slow} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
