"""Country outlines (Natural Earth 1:110m, shipped with geomap), a dataset's own place outlines
(``outlines.geojson``), and point-in-area tests.

Plain Python, so that filters and validation need neither shapely nor geopandas. Coordinates are
(lon, lat); a polygon is a list of rings, the first the outline, the rest holes.
"""

from __future__ import annotations

import json
import math
import re
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

    def geojson(self) -> dict:
        """The outline as a GeoJSON MultiPolygon geometry."""
        return {
            "type": "MultiPolygon",
            "coordinates": [[[list(point) for point in ring] for ring in polygon]
                            for polygon in self.polygons],
        }

    def nearest_edge(self, lon: float, lat: float) -> tuple[float, float]:
        """The point of this area's outline nearest (along the great circle) to ``(lon, lat)``.

        A route to a place known only to its country ends here rather than at a centroid that
        nobody went to. Each edge offers the point nearest in a plane local to that edge.

        >>> country("RU").nearest_edge(-66.9, 10.5)[0] < 40  # from Caracas: western Russia
        True
        """
        candidates = (
            _closest_on_segment(lon, lat, ring[i - 1], ring[i])
            for polygon in self.polygons for ring in polygon[:1] for i in range(1, len(ring))
        )
        return min(candidates, key=lambda point: haversine_km(lat, lon, point[1], point[0]))


def _closest_on_segment(lon, lat, a, b) -> tuple[float, float]:
    """The point of segment ``a``–``b`` nearest ``(lon, lat)`` in an equirectangular plane
    scaled at the segment's latitude (its edges are short: a good local approximation)."""
    scale = math.cos(math.radians((a[1] + b[1]) / 2))
    ax, ay, bx, by = a[0] * scale, a[1], b[0] * scale, b[1]
    px = (lon - 360 * round((lon - a[0]) / 360)) * scale
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (lat - ay) * dy) / length))
    return (round(a[0] + t * (b[0] - a[0]), 6), round(a[1] + t * (b[1] - a[1]), 6))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere of radius 6,371.0088 km (the mean Earth radius).

    >>> round(haversine_km(10.4806, -66.9036, 35.6892, 51.389))  # Caracas to Tehran
    11765
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


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


def areas_containing(points, areas) -> list[list[int]]:
    """For each ``(lon, lat)`` of ``points``, the positions in ``areas`` of those containing it:
    ``Area.contains`` for many points at once (a map's payload asks it of every distinct stop).

    The same even-odd rule and arithmetic, run on arrays, so the answers are identical.

    >>> areas_containing([(-66.9, 10.5), (10.5, -66.9)], [country("VE")])
    [[0], []]
    """
    import numpy as np

    xy = np.asarray(points, dtype=float).reshape(-1, 2)
    x, y = xy[:, 0], xy[:, 1]
    by_x = np.argsort(x, kind="stable")
    sorted_x = x[by_x]
    found: list[list[int]] = [[] for _ in range(len(xy))]
    for n, area in enumerate(areas):
        west, south, east, north = area.bbox
        # the points within the box's longitudes, found by bisection, then its latitudes
        within_x = by_x[np.searchsorted(sorted_x, west, "left"):
                        np.searchsorted(sorted_x, east, "right")]
        near = within_x[(south <= y[within_x]) & (y[within_x] <= north)]
        if not near.size:
            continue
        px, py = x[near], y[near]
        inside = np.zeros(near.size, dtype=bool)
        for polygon in area.polygons:
            here = _in_ring_many(px, py, polygon[0])
            for hole in polygon[1:]:
                here &= ~_in_ring_many(px, py, hole)
            inside |= here
        for i in near[inside]:
            found[i].append(n)
    return found


def _in_ring_many(x, y, ring: Ring):
    """``_in_ring`` for arrays of points, edge by edge."""
    import numpy as np

    inside = np.zeros(x.shape, dtype=bool)
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        j = i
        crosses = (yi > y) != (yj > y)
        if not crosses.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            inside ^= crosses & (x < (xj - xi) * (y - yi) / (yj - yi) + xi)
    return inside


def _polygon_area(name: str, code: str, geometry: dict) -> Area:
    coords = geometry["coordinates"]
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    rings = tuple(tuple([tuple(map(tuple, ring)) for ring in polygon]) for polygon in polygons)
    xs = [x for polygon in rings for x, _ in polygon[0]]
    ys = [y for polygon in rings for _, y in polygon[0]]
    return Area(name, code, rings, (min(xs), min(ys), max(xs), max(ys)))


def _area(feature: dict) -> Area:
    props = feature["properties"]
    return _polygon_area(props["name"], props.get("iso_a2", ""), feature["geometry"])


@dataclass(frozen=True)
class PlaceOutline:
    """One feature of a dataset's ``outlines.geojson``: the area a place id stands for."""

    place: str
    area: Area
    line: int
    source: str = ""


def _outline_problem(geometry) -> str | None:
    """Why a GeoJSON geometry cannot be a place's outline, or ``None``."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        return f"geometry must be a Polygon or MultiPolygon, not {kind!r}"
    coords = geometry.get("coordinates")
    polygons = [coords] if geometry["type"] == "Polygon" else coords
    if not isinstance(polygons, list) or not polygons:
        return "geometry has no coordinates"
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return f"polygon {str(polygon)[:40]!r} has no rings"
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4 or ring[0] != ring[-1]:
                return f"ring {str(ring)[:40]!r} must be closed, with at least 4 positions"
            for point in ring:
                if not (
                    isinstance(point, list) and len(point) >= 2
                    and all(isinstance(v, int | float) and math.isfinite(v) for v in point[:2])
                    and -180 <= point[0] <= 180 and -90 <= point[1] <= 90
                ):
                    return f"position {str(point)[:40]!r} is not [lon, lat] within range"
    return None


def place_outlines(collection, text: str) -> tuple[list[PlaceOutline], list[tuple[int, str]]]:
    """A parsed ``outlines.geojson``: its usable outlines, and ``(line, message)`` for each
    feature that is not one (a feature's line is where its ``"place"`` is written)."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        return [], [(1, "must be a GeoJSON FeatureCollection")]
    features = collection.get("features")
    if not isinstance(features, list):
        return [], [(1, "a FeatureCollection needs a \"features\" list")]
    outlines, problems, seen = [], [], set()
    cursor = 0
    for n, feature in enumerate(features, 1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        place = props.get("place") if isinstance(props, dict) else None
        line = 1
        if isinstance(place, str):
            written = re.compile(r'"place"\s*:\s*' + re.escape(json.dumps(place)))
            found = written.search(text, cursor)
            if found:
                cursor = found.end()
                line = text.count("\n", 0, found.start()) + 1
        if not isinstance(place, str) or not place.strip():
            problems.append((line, f"feature {n} has no \"place\" property naming a place id"))
            continue
        why = _outline_problem(feature.get("geometry"))
        if why:
            problems.append((line, f"outline of {place!r}: {why}"))
            continue
        if place in seen:
            problems.append((line, f"a second outline for {place!r}"))
            continue
        seen.add(place)
        source = props.get("source")
        outlines.append(PlaceOutline(
            place, _polygon_area(place, "", feature["geometry"]), line,
            source if isinstance(source, str) else "",
        ))
    return outlines, problems


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


def outline_of(place) -> Area | None:
    """The area a place stands for: its own outline (``outlines.geojson``), or its country's
    when the place is a country; ``None`` for a place that is a point."""
    if place.outline is not None:
        return place.outline
    if place.kind != "country" or not place.country:
        return None
    return country(place.country)


def route_ends(places) -> tuple[tuple[float, float], ...]:
    """A route's stops as ``(lon, lat)``, with a first or last stop that is only a country moved
    to that country's edge nearest the neighbouring stop (see ``Area.nearest_edge``)."""
    points = [(p.lon, p.lat) for p in places]
    if len(points) < 2:
        return tuple(points)
    last = outline_of(places[-1])
    if last is not None:
        points[-1] = last.nearest_edge(*points[-2])
    first = outline_of(places[0])
    if first is not None:
        points[0] = first.nearest_edge(*points[1])
    if last is not None and first is not None and len(points) == 2:
        points[-1] = last.nearest_edge(*points[0])
    return tuple(points)


def country_at(lon: float, lat: float) -> Area | None:
    """The country a point lies in, or ``None`` (at sea, or too small for 1:110m outlines)."""
    return next((area for area in countries() if area.contains(lon, lat)), None)
