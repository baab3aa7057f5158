"""Regenerate geomap/static/countries.geojson from Natural Earth 1:110m admin-0 countries.

Usage: python scripts/make_basemap.py PATH/TO/ne_110m_admin_0_countries.geojson

Keeps only each country's name and ISO code, simplifies outlines to 0.05° and rounds to 0.01°
(about 1 km), which is plenty for an overview basemap and keeps the map page small.
Natural Earth is public domain; see data/README.md for the credit.
"""

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

OUTPUT = Path(__file__).resolve().parents[1] / "geomap" / "static" / "countries.geojson"


def main(source: str) -> None:
    collection = json.loads(Path(source).read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        geometry = shape(feature["geometry"]).simplify(0.05, preserve_topology=True)
        geometry = shapely.set_precision(geometry, 0.01)
        properties = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {"name": properties["NAME"], "iso_a2": properties["ISO_A2"]},
                "geometry": mapping(geometry),
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(text):,} bytes, {len(features)} countries)")


if __name__ == "__main__":
    main(sys.argv[1])
