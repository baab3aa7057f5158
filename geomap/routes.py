"""Geometry between stops: geodesic arcs for flights, sea lanes for shipments.

Coordinates are ``(lon, lat)`` throughout. A line that crosses the antimeridian is split into parts
that each stay within -180..180, so it draws correctly on a web map and is valid GeoJSON (RFC 7946).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from functools import lru_cache

LonLat = tuple[float, float]
Parts = list[list[LonLat]]

#: Rounding of output coordinates: 5 decimals is about a metre.
DIGITS = 5
#: One vertex every this many kilometres along a geodesic arc.
ARC_STEP_KM = 50.0


def wrap_lon(lon: float) -> float:
    """A longitude brought into -180..180 (values already inside are kept as they are)."""
    return lon if -180.0 <= lon <= 180.0 else (lon + 180.0) % 360.0 - 180.0


def split_antimeridian(coords: Sequence[LonLat]) -> Parts:
    """Split a line where it crosses longitude ±180, taking the short way between vertices.

    Longitudes outside -180..180 (searoute writes 190 for -170) are wrapped first.

    >>> split_antimeridian([(170.0, 0.0), (-170.0, 10.0)])
    [[(170.0, 0.0), (180.0, 5.0)], [(-180.0, 5.0), (-170.0, 10.0)]]
    >>> split_antimeridian([(170.0, 0.0), (190.0, 10.0)])
    [[(170.0, 0.0), (180.0, 5.0)], [(-180.0, 5.0), (-170.0, 10.0)]]
    """
    if not coords:
        return []
    coords = [(wrap_lon(lon), lat) for lon, lat in coords]
    parts: Parts = [[tuple(coords[0])]]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(coords):
        delta = lon1 - lon0
        if abs(delta) <= 180:
            parts[-1].append((lon1, lat1))
            continue
        # Crossing: unwrap lon1 next to lon0, find where the segment meets the antimeridian.
        edge = 180.0 if delta < 0 else -180.0
        unwrapped = lon1 + 360.0 if delta < 0 else lon1 - 360.0
        span = unwrapped - lon0
        t = (edge - lon0) / span if span else 0.0
        lat_cross = lat0 + t * (lat1 - lat0)
        parts[-1].append((edge, lat_cross))
        parts.append([(-edge, lat_cross), (lon1, lat1)])
    return [part for part in parts if len(part) > 1] or [parts[0] * 2]


def _round(parts: Parts) -> Parts:
    return [[(round(lon, DIGITS), round(lat, DIGITS)) for lon, lat in part] for part in parts]


@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_path(stops: Sequence[LonLat]) -> Parts:
    """A geodesic (great-circle on the WGS84 ellipsoid) path through the stops, in parts."""
    geod = _geod()
    coords: list[LonLat] = [tuple(stops[0])]
    for (lon0, lat0), (lon1, lat1) in itertools.pairwise(stops):
        _, _, metres = geod.inv(lon0, lat0, lon1, lat1)
        between = int(metres / 1000 / ARC_STEP_KM)
        if between > 0:
            coords.extend(geod.npts(lon0, lat0, lon1, lat1, between))
        coords.append((lon1, lat1))
    return _round(split_antimeridian(coords))


def sea_path(stops: Sequence[LonLat]) -> Parts:
    """A sea lane through the stops (searoute's maritime network), in parts."""
    import searoute

    coords: list[LonLat] = []
    for origin, destination in itertools.pairwise(stops):
        route = searoute.searoute(list(origin), list(destination), append_orig_dest=True)
        leg = [(float(lon), float(lat)) for lon, lat in route["geometry"]["coordinates"]]
        if coords and leg and coords[-1] == leg[0]:
            leg = leg[1:]
        coords.extend(leg)
    return _round(split_antimeridian(coords))


def route_path(mode: str, stops: Sequence[LonLat]) -> Parts:
    """The path for a route kind's mode (``'sea'`` or ``'air'``)."""
    if mode == "sea":
        return sea_path(stops)
    return geodesic_path(stops)
