"""Peer: lonboard, deck.gl maps from GeoArrow in a Jupyter widget, saved with ``Map.to_html``.

Points (an event's last stop) go to a ``ScatterplotLayer`` and routes (straight lines through
the stops, ``peer_data.py``) to a ``PathLayer``, each with the popup's fields as attributes,
which lonboard shows on hover.

Usage: python benchmarks/lonboard_peer.py DATA_DIR OUT.html
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
    from lonboard import Map, PathLayer, ScatterplotLayer

    from benchmarks.peer_data import events

    tables = {kind: ({field: [] for field in FIELDS}, []) for kind in ("point", "route")}
    for row, stops, _popup in events(data):
        columns, geometry = tables["point" if len(stops) == 1 else "route"]
        for field in FIELDS:
            columns[field].append(row[field])
        xy = [(lon, lat) for lat, lon in stops]
        geometry.append(shapely.Point(xy[0]) if len(xy) == 1 else shapely.LineString(xy))
    layers = []
    for kind, layer in (("point", ScatterplotLayer), ("route", PathLayer)):
        columns, geometry = tables[kind]
        if geometry:
            frame = gpd.GeoDataFrame(columns, geometry=geometry, crs="EPSG:4326")
            layers.append(layer.from_geopandas(frame))
    Map(layers).to_html(out)


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
