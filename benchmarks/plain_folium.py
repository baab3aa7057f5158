"""The baseline: the plain folium way, one ``folium.Marker`` with a ``folium.Popup`` per event.

Reads the same three CSVs as geomap and puts a marker at each event's last stop, with a popup of
the same fields (HTML-escaped); routes get a straight ``folium.PolyLine`` between stops (no sea
lanes or geodesics, which favours the baseline). Of folium's default assets only Leaflet and
jQuery (which folium's popups need) are kept, so the benchmark can serve them offline; dropping
Bootstrap and Font Awesome also favours the baseline.

Usage: python benchmarks/plain_folium.py DATA_DIR OUT.html
"""

from __future__ import annotations

import csv
import html
import sys
from pathlib import Path

import folium

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"
#: folium builds each popup with jQuery, so the baseline keeps it.
JQUERY_JS = "https://code.jquery.com/jquery-3.7.1.min.js"


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def build(data: Path, out: Path) -> None:
    places = {
        row["id"]: (float(row["lat"]), float(row["lon"])) for row in read(data / "places.csv")
    }
    sources = {row["id"]: row for row in read(data / "sources.csv")}
    fmap = folium.Map(location=[20, 0], zoom_start=2, tiles=None)
    fmap.default_js = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    for row in read(data / "events.csv"):
        stops = [places[s.strip()] for s in row["places"].split(">")]
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
        folium.Marker(stops[-1], popup=folium.Popup(popup, max_width=360)).add_to(fmap)
        if len(stops) > 1:
            folium.PolyLine(stops, weight=2).add_to(fmap)
    fmap.save(str(out))


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
