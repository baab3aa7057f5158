"""Country outlines (Natural Earth 1:110m, shipped with geomap) and point-in-area tests.

Plain Python, so that filters and validation need neither shapely nor geopandas. Coordinates are
(lon, lat); a polygon is a list of rings, the first the outline, the rest holes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .gazetteer import fold

Ring = list[tuple[float, float]]


@dataclass(frozen=True)
class Area:
    """A named area: its polygons and bounding box (west, south, east, north)."""

    name: str
    code: str
    polygons: tuple[tuple[Ring, ...], ...]
    bbox: tuple[float, float, float, float]

    def contains(self, lon: float, lat: float) -> bool:
        """Whether a point lies inside (even-odd rule; holes excluded).

        >>> venezuela = country("VE")
        >>> venezuela.contains(-66.9, 10.5), venezuela.contains(10.5, -66.9)
        (True, False)
        """
        west, south, east, north = self.bbox
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(
            _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, h) for h in polygon[1:])
            for polygon in self.polygons
        )


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _area(feature: dict) -> Area:
    geometry = feature["geometry"]
    coords = geometry["coordinates"]
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    rings = tuple(tuple([tuple(map(tuple, ring)) for ring in polygon]) for polygon in polygons)
    xs = [x for polygon in rings for x, _ in polygon[0]]
    ys = [y for polygon in rings for _, y in polygon[0]]
    props = feature["properties"]
    return Area(props["name"], props.get("iso_a2", ""), rings, (min(xs), min(ys), max(xs), max(ys)))


@lru_cache(maxsize=1)
def countries() -> tuple[Area, ...]:
    """Every country of the shipped outlines."""
    text = resources.files("geomap").joinpath("static", "countries.geojson").read_text("utf-8")
    return tuple(_area(f) for f in json.loads(text)["features"])


@lru_cache(maxsize=1)
def _index() -> dict[str, Area]:
    index: dict[str, Area] = {}
    for area in countries():
        index.setdefault(fold(area.name), area)
        if len(area.code) == 2 and area.code.isalpha():
            index.setdefault(fold(area.code), area)
    return index


def country(name_or_code: str) -> Area | None:
    """A country by name or ISO 3166-1 alpha-2 code (accents and case ignored), or ``None``."""
    return _index().get(fold(name_or_code))


def country_keys() -> dict[str, Area]:
    """Every folded name and code ``country`` accepts, with its area."""
    return dict(_index())


def country_names() -> list[str]:
    return sorted(area.name for area in countries())


def country_at(lon: float, lat: float) -> Area | None:
    """The country a point lies in, or ``None`` (at sea, or too small for 1:110m outlines)."""
    return next((area for area in countries() if area.contains(lon, lat)), None)
