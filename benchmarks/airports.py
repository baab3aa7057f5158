"""A real-data case: the world's airports from the ``airportsdata`` package as a geomap dataset.

Places are every airport with an IATA code in ``airportsdata`` (real names, countries and
coordinates, accents and punctuation included). The package has no routes, so flights are built
here, deterministically (seeded), between real airports: N/5 distinct airport pairs, each used at
least once. Of N events 60 % are points at an airport and 40 % flights; titles and popup text are
synthetic like ``synthetic.py``'s.

Usage: python benchmarks/airports.py N OUT_DIR
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import (
    KINDS,
    event_row,
    write_events,
    write_places,
    write_sources,
)


def airports() -> list[dict]:
    """Airports with an IATA code, sorted by code, as places.csv rows."""
    import airportsdata

    rows = []
    for code, airport in sorted(airportsdata.load("IATA").items()):
        if not code.isalpha() or len(airport["country"]) != 2 or not airport["country"].isalpha():
            continue
        rows.append({
            "id": f"iata-{code.lower()}", "name": f"{airport['name']} ({code})", "aliases": "",
            "kind": "airport", "admin1": airport["subd"], "country": airport["country"],
            "lat": f"{airport['lat']:.6f}", "lon": f"{airport['lon']:.6f}", "precision": "exact",
            "note": "airportsdata (PyPI) " + airportsdata.__version__,
        })
    return rows


def generate(n: int, out: Path, seed: int = 1) -> Path:
    """Write a geomap data directory of ``n`` events over real airports into ``out``."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    places = airports()
    write_places(out, places)
    sources = write_sources(out, rng)
    ids = [row["id"] for row in places]
    pairs = set()
    while len(pairs) < max(1, n // 5):
        pairs.add(tuple(rng.sample(ids, 2)))
    pairs = sorted(pairs)
    unused = iter(rng.sample(pairs, len(pairs)))

    def events():
        for i in range(n):
            if rng.random() < 0.40:
                stops = " > ".join(next(unused, None) or rng.choice(pairs))
                yield event_row(rng, i, "flight", stops, sources)
            else:
                yield event_row(rng, i, rng.choice(KINDS), rng.choice(ids), sources)

    write_events(out, events())
    return out


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
