"""Peer: ``GeoDataFrame.explore()``, geopandas' one-call folium map.

One row per event, its geometry a point at the last stop or a straight line through the stops
(``peer_data.py``), with the popup's fields as columns; ``explore(popup=True)`` draws them as one
``folium.GeoJson`` layer (circle markers for points) on the same bare map as the plain folium
baseline (Leaflet and jQuery only, no tiles), so it can be served offline.

Usage: python benchmarks/explore_peer.py DATA_DIR OUT.html
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIELDS = ("title", "date", "kind", "confidence", "actors", "summary", "evidence", "sources")


def build(data: Path, out: Path) -> None:
    import geopandas as gpd
    import shapely

    from benchmarks.peer_data import events
    from benchmarks.plain_folium import bare_map

    columns = {field: [] for field in FIELDS}
    geometry = []
    for row, stops, _popup in events(data):
        for field in FIELDS:
            columns[field].append(row[field])
        xy = [(lon, lat) for lat, lon in stops]
        geometry.append(shapely.Point(xy[-1]) if len(xy) == 1 else shapely.LineString(xy))
    frame = gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")
    fmap = frame.explore(m=bare_map(), popup=True, tooltip=False)
    fmap.save(str(out))


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
