"""Synthetic but valid geomap datasets of any size and of two shapes, for the benchmark.

*today*: a deterministic mix of points (60 %), flights (25 %) and shipments (15 %) over 60 places,
with about 200 distinct stop pairs, the shape of the project's own data.

*real*: the shape of real datasets, where geometry rarely repeats: for N events, N/2 distinct
coordinates written as literal ``lat,lon`` stops and N/5 distinct routes (at 100,000 events:
50,000 coordinates and 20,000 routes). Points (60 %) sit at those coordinates, flights (35 %)
join two of them, shipments (5 %) sail between the 15 ports (N/50 distinct sea lanes, at most
210, so that a cold route cache stays affordable).

*routes*: every event a flight on a route of its own between two literal coordinates (N
distinct routes), for issue 19's "50,000 distinct routes drawn".

All have popup text of realistic length. Columns are written out here rather than imported, so
the benchmark drives geomap only through its command line; ``geomap validate`` accepts the result.

Usage: python benchmarks/synthetic.py N OUT_DIR [today|real|routes]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

PLACE_COLUMNS = ("id", "name", "aliases", "kind", "admin1", "country", "lat", "lon", "precision",
                 "note")
SOURCE_COLUMNS = ("id", "title", "outlet", "author", "published", "url", "archive_url", "language",
                  "note")
EVENT_COLUMNS = ("id", "date", "end_date", "kind", "title", "summary", "actors", "places",
                 "carrier", "confidence", "sources", "evidence")
SHAPES = ("today", "real", "routes")

#: Coastal points that searoute can route between (lon, lat).
PORTS = [
    ("bandar-abbas", 56.28, 27.18), ("bushehr", 50.83, 28.97), ("jask", 57.77, 25.64),
    ("cardon", -70.22, 11.63), ("el-palito", -68.12, 10.48), ("puerto-la-cruz", -64.63, 10.22),
    ("jose", -64.83, 10.10), ("maracaibo", -71.61, 10.64), ("suez", 32.55, 29.95),
    ("gibraltar", -5.35, 36.13), ("latakia", 35.77, 35.52), ("rotterdam", 4.05, 51.95),
    ("singapore", 103.84, 1.26), ("houston", -94.8, 29.3), ("havana", -82.35, 23.14),
]
CITIES = [
    ("caracas", -66.90, 10.48), ("tehran", 51.39, 35.69), ("damascus", 36.28, 33.51),
    ("moscow", 37.62, 55.76), ("beijing", 116.40, 39.90), ("havana-city", -82.38, 23.13),
    ("managua", -86.25, 12.13), ("bogota", -74.07, 4.71), ("san-cristobal", -72.23, 7.77),
    ("maracay", -67.60, 10.25), ("valencia", -68.00, 10.16), ("barquisimeto", -69.32, 10.07),
    ("coro", -69.67, 11.40), ("punto-fijo", -70.20, 11.70), ("isfahan", 51.67, 32.65),
    ("shiraz", 52.53, 29.59), ("tabriz", 46.29, 38.08), ("mashhad", 59.60, 36.30),
    ("beirut", 35.50, 33.89), ("baghdad", 44.36, 33.31), ("minsk", 27.56, 53.90),
    ("ankara", 32.86, 39.93), ("doha", 51.53, 25.29), ("dubai", 55.27, 25.20),
    ("madrid", -3.70, 40.42), ("lisbon", -9.14, 38.72), ("algiers", 3.06, 36.75),
    ("tripoli", 13.19, 32.89), ("cairo", 31.24, 30.04), ("khartoum", 32.56, 15.50),
    ("la-paz", -68.15, -16.50), ("quito", -78.47, -0.18), ("lima", -77.04, -12.05),
    ("brasilia", -47.88, -15.79), ("mexico-city", -99.13, 19.43), ("panama", -79.52, 8.98),
    ("santo-domingo", -69.93, 18.49), ("port-of-spain", -61.51, 10.66),
    ("georgetown", -58.16, 6.80), ("paramaribo", -55.20, 5.85), ("kabul", 69.21, 34.56),
    ("yerevan", 44.51, 40.18), ("baku", 49.87, 40.41), ("muscat", 58.41, 23.59),
    ("sanaa", 44.21, 15.37),
]
KINDS = ["visit", "statement", "seizure", "agreement", "payment", "appointment"]
ACTORS = [
    "Iran", "Venezuela", "IRGC", "PDVSA", "Mahan Air", "Conviasa", "Russia", "Hezbollah",
    "United States", "China", "Syria", "NIOC", "Emtrasur", "Cuba", "Nicaragua",
]
WORDS = [
    "tanker", "gasoline", "refinery", "catalyst", "flight", "airport", "minister", "delegation",
    "payment", "gold", "sanction", "seizure", "cargo", "cooperation", "agreement", "technicians",
    "officials", "shipment", "reported", "according", "sources", "aircraft", "vessel", "port",
    "arrival", "departure", "export", "import", "crude", "fuel", "diesel",
]


def _text(rng: random.Random, length: int) -> str:
    words = []
    while sum(len(w) + 1 for w in words) < length:
        words.append(rng.choice(WORDS))
    return " ".join(words).capitalize()


def _pairs(rng, places, count):
    pairs = set()
    while len(pairs) < count:
        a, b = rng.sample(places, 2)
        pairs.add((a[0], b[0]))
    return sorted(pairs)


def write_places(out: Path, rows) -> None:
    with open(out / "places.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=PLACE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_sources(out: Path, rng: random.Random, count: int = 50) -> list[str]:
    ids = [f"source-{i}" for i in range(count)]
    with open(out / "sources.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SOURCE_COLUMNS)
        writer.writeheader()
        for i, sid in enumerate(ids):
            writer.writerow({
                "id": sid, "title": _text(rng, 70), "outlet": f"Outlet {i % 12}",
                "author": f"Author {i}", "published": f"20{20 + i % 5}-{1 + i % 12:02d}",
                "url": f"https://example.org/articles/{i}", "archive_url": "", "language": "en",
                "note": "synthetic benchmark source",
            })
    return ids


def event_row(rng: random.Random, i: int, kind: str, stops: str, sources: list[str]) -> dict:
    """One event with popup text of realistic length around the given kind and stops."""
    year, month, day = rng.randint(20, 24), rng.randint(1, 12), rng.randint(1, 28)
    return {
        "id": f"event-{i}", "date": f"20{year}-{month:02d}-{day:02d}", "end_date": "",
        "kind": kind, "title": _text(rng, 60), "summary": _text(rng, 200),
        "actors": "; ".join(rng.sample(ACTORS, rng.randint(2, 4))),
        "places": stops, "carrier": rng.choice(["", "Mahan Air", "Conviasa", "tanker X"]),
        "confidence": rng.choice(["confirmed", "reported", "alleged"]),
        "sources": "; ".join(rng.sample(sources, rng.randint(1, 3))),
        "evidence": _text(rng, 150),
    }


def write_events(out: Path, rows) -> None:
    with open(out / "events.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=EVENT_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def _place_rows():
    for pid, lon, lat in PORTS + CITIES:
        kind = "port" if (pid, lon, lat) in PORTS else "city"
        yield {
            "id": pid, "name": pid.replace("-", " ").title(), "aliases": "", "kind": kind,
            "admin1": "", "country": "VE", "lat": f"{lat:.4f}", "lon": f"{lon:.4f}",
            "precision": "city", "note": "synthetic benchmark place",
        }


def _today_events(rng, n, sources):
    shipment_pairs = _pairs(rng, PORTS, 50)
    flight_pairs = _pairs(rng, CITIES[:25], 150)
    for i in range(n):
        roll = rng.random()
        if roll < 0.15:
            kind, stops = "shipment", " > ".join(rng.choice(shipment_pairs))
        elif roll < 0.40:
            kind, stops = "flight", " > ".join(rng.choice(flight_pairs))
        else:
            kind, stops = rng.choice(KINDS), rng.choice(CITIES)[0]
        yield event_row(rng, i, kind, stops, sources)


def _real_events(rng, n, sources):
    coordinates = set()
    target = max(2, n // 2)
    while len(coordinates) < target:
        coordinates.add((f"{rng.uniform(-55, 70):.4f}", f"{rng.uniform(-179.9, 179.9):.4f}"))
    coordinates = sorted(coordinates)
    literal = [f"{lat},{lon}" for lat, lon in coordinates]
    sea_lanes = [(a[0], b[0]) for a in PORTS for b in PORTS if a != b]
    sea_lanes = rng.sample(sea_lanes, min(len(sea_lanes), max(1, n // 50)))
    flights = set()
    while len(flights) < max(1, n // 5 - len(sea_lanes)):
        a, b = rng.sample(literal, 2)
        flights.add((a, b))
    flights = sorted(flights)
    # every coordinate and every route is used at least once before any repeats
    unused_points = iter(rng.sample(literal, len(literal)))
    unused_flights = iter(rng.sample(flights, len(flights)))
    unused_lanes = iter(rng.sample(sea_lanes, len(sea_lanes)))
    for i in range(n):
        roll = rng.random()
        if roll < 0.05:
            kind, stops = "shipment", " > ".join(next(unused_lanes, None) or rng.choice(sea_lanes))
        elif roll < 0.40:
            kind, stops = "flight", " > ".join(next(unused_flights, None) or rng.choice(flights))
        else:
            kind, stops = rng.choice(KINDS), next(unused_points, None) or rng.choice(literal)
        yield event_row(rng, i, kind, stops, sources)


def _route_events(rng, n, sources):
    flights = set()
    while len(flights) < n:
        a = f"{rng.uniform(-55, 70):.4f},{rng.uniform(-179.9, 179.9):.4f}"
        b = f"{rng.uniform(-55, 70):.4f},{rng.uniform(-179.9, 179.9):.4f}"
        if a != b:
            flights.add((a, b))
    for i, pair in enumerate(sorted(flights)):
        yield event_row(rng, i, "flight", " > ".join(pair), sources)


def generate(n: int, out: Path, seed: int = 1, shape: str = "today") -> Path:
    """Write places.csv, sources.csv and events.csv for ``n`` events of ``shape`` into ``out``."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    write_places(out, _place_rows())
    sources = write_sources(out, rng)
    events = {"today": _today_events, "real": _real_events, "routes": _route_events}[shape]
    write_events(out, events(rng, n, sources))
    return out


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2]),
                   shape=sys.argv[3] if len(sys.argv) > 3 else "today"))
