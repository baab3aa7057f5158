"""Peer: folium's ``FastMarkerCluster``, markers created in the browser from one data array.

Each event is a row ``[lat, lon, popup]`` at its last stop (``peer_data.py``), made a marker
with its popup by a small callback and clustered by Leaflet.markercluster. It draws no routes:
this is what a user who wants speed from folium does, and it does less than geomap.

Usage: python benchmarks/fast_cluster.py DATA_DIR OUT.html
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CALLBACK = """function (row) {
    var marker = L.marker(new L.LatLng(row[0], row[1]));
    marker.bindPopup(row[2], {maxWidth: 360});
    return marker;
}"""


def build(data: Path, out: Path) -> None:
    from folium.plugins import FastMarkerCluster

    from benchmarks.peer_data import events
    from benchmarks.plain_folium import bare_map

    rows = [[stops[-1][0], stops[-1][1], popup] for _row, stops, popup in events(data)]
    fmap = bare_map()
    FastMarkerCluster(rows, callback=CALLBACK).add_to(fmap)
    fmap.save(str(out))


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
