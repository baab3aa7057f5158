"""The baseline: the plain folium way, one ``folium.Marker`` with a ``folium.Popup`` per event.

Reads the same three CSVs as geomap (``peer_data.py``) and puts a marker at each event's last
stop, with a popup of the same fields (HTML-escaped); routes get a straight ``folium.PolyLine``
between stops (no sea lanes or geodesics, which favours the baseline). Of folium's default assets
only Leaflet and jQuery (which folium's popups need) are kept, so the benchmark can serve them
offline; dropping Bootstrap and Font Awesome also favours the baseline.

Usage: python benchmarks/plain_folium.py DATA_DIR OUT.html
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

LEAFLET_JS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"
LEAFLET_CSS = "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.css"
#: folium builds each popup with jQuery, so the baseline keeps it.
JQUERY_JS = "https://code.jquery.com/jquery-3.7.1.min.js"


def bare_map():
    """A folium map with no tiles and only Leaflet and jQuery, which can be served offline.

    Without tiles Leaflet has no maximum zoom, which Leaflet.markercluster needs: 18 as OSM's.
    """
    import folium

    fmap = folium.Map(location=[20, 0], zoom_start=2, tiles=None, maxZoom=18)
    fmap.default_js = [("leaflet", LEAFLET_JS), ("jquery", JQUERY_JS)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS)]
    return fmap


def build(data: Path, out: Path) -> None:
    import folium

    from benchmarks.peer_data import events

    fmap = bare_map()
    for _row, stops, popup in events(data):
        folium.Marker(stops[-1], popup=folium.Popup(popup, max_width=360)).add_to(fmap)
        if len(stops) > 1:
            folium.PolyLine(stops, weight=2).add_to(fmap)
    fmap.save(str(out))


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
