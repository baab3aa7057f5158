"""Is a place inside the country it names? Checked against the shipped country outlines.

The outlines (``areas``: Natural Earth 1:110m, shipped) are coarse, so a point counts as inside
when it lies within ``TOLERANCE_DEGREES`` of its country; seas are not checked. Plain Python, so
``geomap validate`` imports no geometry library.
"""

from __future__ import annotations

import math
from functools import lru_cache
from itertools import pairwise

from .areas import Area, country

#: How far outside its outline a place may lie (about 110 km), for coasts and islands.
TOLERANCE_DEGREES = 1.0
_UNCHECKED_KINDS = {"sea"}

def _country(code: str) -> Area | None:
    """The outline of an ISO alpha-2 code (not a name: a place's country column is a code)."""
    area = country(code) if len(code) == 2 else None
    return area if area is not None and area.code == code else None


def _distance(lon: float, lat: float, polygon) -> float:
    """Degrees (longitude scaled by the cosine of latitude) to the polygon's nearest edge."""
    scale = math.cos(math.radians(lat))
    best = math.inf
    for ring in polygon:
        for (x1, y1), (x2, y2) in pairwise(ring):
            ax, ay = (x1 - lon) * scale, y1 - lat
            bx, by = (x2 - lon) * scale, y2 - lat
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def in_country(lat: float, lon: float, code: str) -> bool | None:
    """Whether a point lies in (or within the tolerance of) a country; ``None`` if the outlines
    do not have that country."""
    area = _country(code)
    if area is None:
        return None
    if area.contains(lon, lat):
        return True
    margin_lon = TOLERANCE_DEGREES / max(math.cos(math.radians(lat)), 0.05)
    west, south, east, north = area.bbox
    if not (south - TOLERANCE_DEGREES <= lat <= north + TOLERANCE_DEGREES
            and west - margin_lon <= lon <= east + margin_lon):
        return False
    return any(_distance(lon, lat, polygon) <= TOLERANCE_DEGREES for polygon in area.polygons)


def _fixes(lat: float, lon: float):
    """Likely typing slips and what to call them, most likely first."""
    yield (lon, lat), "latitude and longitude swapped?"
    yield (-lon, -lat), "latitude and longitude swapped, and their signs?"
    yield (-lon, lat), "latitude and longitude swapped, and a sign?"
    yield (lon, -lat), "latitude and longitude swapped, and a sign?"
    yield (-lat, lon), "the sign of the latitude?"
    yield (lat, -lon), "the sign of the longitude?"


@lru_cache(maxsize=65536)
def place_problem(lat: float, lon: float, code: str) -> str | None:
    """Why a point cannot be in its stated country, with the likely slip if one fits.

    >>> place_problem(10.5061, -66.9146, "VE") is None
    True
    >>> place_problem(-66.9146, 10.5061, "VE")
    '-66.9146,10.5061 is not in Venezuela (VE) per the shipped outlines, but 10.5061,-66.9146 is: latitude and longitude swapped?'
    """  # noqa: E501
    if in_country(lat, lon, code) is not False:
        return None
    name = _country(code).name
    where = f"{lat:g},{lon:g} is not in {name} ({code}) per the shipped outlines"
    for (new_lat, new_lon), slip in _fixes(lat, lon):
        if -90 <= new_lat <= 90 and in_country(new_lat, new_lon, code):
            return f"{where}, but {new_lat:g},{new_lon:g} is: {slip}"
    return f"{where}; check lat, lon and country"


def outside_country(places) -> list[tuple[int, str, str]]:
    """``(line, column, message)`` for each place of a places table outside its country.

    Rows whose coordinates or country do not parse are left to the other rules.
    """
    out = []
    for line, row in places.records():
        if row.get("kind", "").strip() in _UNCHECKED_KINDS:
            continue
        try:
            lat, lon = float(row["lat"]), float(row["lon"])
        except (KeyError, ValueError):
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not (lat or lon):
            continue
        problem = place_problem(lat, lon, row.get("country", "").strip())
        if problem:
            out.append((line, "lat", problem))
    return out
