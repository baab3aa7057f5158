"""What every peer reads: a geomap data directory as events with resolved stops and popup HTML.

The peers (plain folium, ``explore()``, FastMarkerCluster, lonboard) do the same small amount of
work with it: stops are place ids or literal ``lat,lon`` (the benchmark's data uses no names or
aliases), routes are straight lines between stops, and the popup holds the same fields as
geomap's, HTML-escaped. No validation, no sea lanes, no geodesics: less than geomap does.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def events(data: Path):
    """Yield ``(row, stops, popup)``: the CSV row, its stops as (lat, lon) and its popup HTML."""
    places = {
        row["id"]: (float(row["lat"]), float(row["lon"])) for row in read(data / "places.csv")
    }
    sources = {row["id"]: row for row in read(data / "sources.csv")}

    def stop(text: str) -> tuple[float, float]:
        text = text.strip()
        if text in places:
            return places[text]
        lat, lon = text.split(",")
        return float(lat), float(lon)

    for row in read(data / "events.csv"):
        stops = [stop(s) for s in row["places"].split(">")]
        cited = "".join(
            f"<li>{html.escape(sources[s.strip()]['outlet'])} — "
            f"{html.escape(sources[s.strip()]['title'])}</li>"
            for s in row["sources"].split(";") if s.strip()
        )
        popup = (
            f"<b>{html.escape(row['title'])}</b><br>{html.escape(row['date'])} · "
            f"{html.escape(row['kind'])} · {html.escape(row['confidence'])}<br>"
            f"{html.escape(row['actors'])}<br>{html.escape(row['summary'])}<br>"
            f"<i>{html.escape(row['evidence'])}</i><ol>{cited}</ol>"
        )
        yield row, stops, popup
