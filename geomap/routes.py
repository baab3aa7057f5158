"""Geometry between stops: geodesic arcs for flights, sea lanes for shipments.

Coordinates are ``(lon, lat)`` throughout. A line that crosses the antimeridian is split into parts
that each stay within -180..180, so it draws correctly on a web map and is valid GeoJSON (RFC 7946).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import lru_cache

LonLat = tuple[float, float]
Parts = list[list[LonLat]]

#: Rounding of output coordinates: 5 decimals is about a metre.
DIGITS = 5
#: One vertex every this many kilometres along a geodesic arc: a 100 km chord strays about
#: 0.2 km from the arc, under a pixel up to zoom 9, and a long-haul flight ships a hundred
#: vertices rather than hundreds.
ARC_STEP_KM = 100.0


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


def join_antimeridian(parts: Parts) -> Parts:
    """Parts split at ±180 joined again into continuous lines, longitudes running past ±180, so
    a map that wraps the world draws Tokyo–Honolulu as one line over the Pacific.

    >>> join_antimeridian([[(170.0, 0.0), (180.0, 5.0)], [(-180.0, 5.0), (-170.0, 10.0)]])
    [[(170.0, 0.0), (180.0, 5.0), (190.0, 10.0)]]
    """
    joined: Parts = []
    shift = 0.0
    for part in parts:
        if joined and abs(joined[-1][-1][0] - shift) == 180.0 and abs(part[0][0]) == 180.0 and (
            joined[-1][-1][0] - shift == -part[0][0]
        ) and joined[-1][-1][1] == part[0][1]:
            shift += 360.0 if part[0][0] < 0 else -360.0
            joined[-1].extend((lon + shift, lat) for lon, lat in part[1:])
        else:
            shift = 0.0
            joined.append([(lon, lat) for lon, lat in part])
    return joined


#: Web Mercator's edge: a web map draws nothing nearer the poles, and clamps what is.
MERCATOR_MAX_LAT = 85.05112878


def clip_polar(parts: Parts, limit: float = MERCATOR_MAX_LAT) -> Parts:
    """Parts cut where they pass beyond latitude ±``limit``, the piece beyond dropped, so a web
    map does not clamp a route over the pole to its edge and draw it along the top.

    >>> clip_polar([[(0.0, 80.0), (0.0, 88.0), (180.0, 88.0), (180.0, 80.0)]], 84.0)
    [[(0.0, 80.0), (0.0, 84.0)], [(180.0, 84.0), (180.0, 80.0)]]
    >>> clip_polar([[(10.0, 0.0), (20.0, 10.0)]])
    [[(10.0, 0.0), (20.0, 10.0)]]
    """
    def edge(a: LonLat, b: LonLat) -> LonLat:
        bound = limit if max(a[1], b[1]) > limit else -limit
        t = (bound - a[1]) / (b[1] - a[1])
        return (a[0] + t * (b[0] - a[0]), bound)

    out: Parts = []
    for part in parts:
        piece: list[LonLat] = []
        for i, point in enumerate(part):
            inside = abs(point[1]) <= limit
            if i and inside != (abs(part[i - 1][1]) <= limit):
                piece.append(edge(part[i - 1], point))
                if not inside:
                    out.append(piece)
                    piece = []
            if inside:
                piece.append(tuple(point))
        out.append(piece)
    return [piece for piece in out if len(piece) > 1]


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


#: searoute's names of the straits and canals its sea lanes pass, as a reader knows them.
PASSAGE_NAMES = {
    "babalmandab": "Bab-el-Mandeb", "bosporus": "Bosporus", "gibraltar": "Strait of Gibraltar",
    "suez": "Suez Canal", "panama": "Panama Canal", "ormuz": "Strait of Hormuz",
    "northwest": "Northwest Passage", "malacca": "Strait of Malacca",
}


def sea_passages(stops: Sequence[LonLat]) -> list[str]:
    """The straits and canals searoute's lanes through the stops pass, in its own names."""
    import searoute

    found: list[str] = []
    for origin, destination in itertools.pairwise(stops):
        route = searoute.searoute(list(origin), list(destination), append_orig_dest=True,
                                  return_passages=True)
        for name in route["properties"].get("traversed_passages", []):
            if name not in found:
                found.append(str(name))
    return found


#: Bump when the way paths are computed changes, so cached paths are recomputed.
ALGORITHM = 1


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"geomap-routes-{ALGORITHM}", f"digits-{DIGITS}", f"step-{ARC_STEP_KM}"]
    for package in ("searoute", "pyproj"):
        try:
            parts.append(f"{package}-{version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}-unknown")
    return "/".join(parts)


class RouteCache:
    """Paths on disk, one JSON file per distinct (mode, stops), keyed with library versions.

    Safe to delete at any time. Every entry is validated on read (a regular file of sane size
    holding parts of two or more finite, in-range points that start and end at the stops); a
    damaged one is deleted, counted in ``dropped``, and the path computed again, so a bad cache
    can neither crash a render nor make a route vanish. Files are written to a temporary name
    and renamed, so concurrent renders never see half a file.
    """

    def __init__(self, directory=None):
        from pathlib import Path

        if directory is None:
            import os

            directory = os.environ.get("GEOMAP_CACHE_DIR")
            if directory is None:
                from platformdirs import user_cache_dir

                directory = Path(user_cache_dir("geomap")) / "routes"
        self.directory = Path(directory)
        self.versions = _versions()
        self.hits = 0
        self.misses = 0
        self.dropped = 0

    def _file(self, mode: str, stops: Sequence[LonLat]):
        import hashlib

        key = f"{self.versions}|{mode}|" + ";".join(f"{x!r},{y!r}" for x, y in stops)
        return self.directory / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def get(self, mode: str, stops: Sequence[LonLat]) -> Parts | None:
        """The cached path, or ``None`` on a miss; a damaged entry is deleted."""
        import os

        target = self._file(mode, stops)
        try:
            data = _read_small_regular(target)
        except FileNotFoundError:
            return None
        except OSError:
            data = None
        parts = None if data is None else parse_cached(data, stops)
        if parts is None:
            self.dropped += 1
            try:
                os.unlink(target)
            except IsADirectoryError:
                import shutil

                shutil.rmtree(target, ignore_errors=True)
            except OSError:
                pass
        return parts

    def put(self, mode: str, stops: Sequence[LonLat], parts: Parts) -> None:
        self._store(self._file(mode, stops), parts)

    def passages(self, stops: Sequence[LonLat]) -> list[str]:
        """The straits a sea lane passes, from the cache or computed and stored on a miss; a
        damaged entry is computed again."""
        import json

        target = self._file("sea-passages", stops)
        try:
            data = _read_small_regular(target)
            found = json.loads(data.decode("utf-8")) if data is not None else None
        except (OSError, ValueError):
            found = None
        if isinstance(found, list) and all(
            isinstance(n, str) and n.isascii() and n.isalpha() and len(n) <= 40 for n in found
        ):
            return found
        found = sea_passages(stops)
        self._store(target, found)
        return found

    def _store(self, target, value) -> None:
        import json
        import os
        import tempfile

        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".route.", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def path(self, mode: str, stops: Sequence[LonLat]) -> Parts:
        """The path from the cache, computing and storing it on a miss."""
        parts = self.get(mode, stops)
        if parts is not None:
            self.hits += 1
            return parts
        self.misses += 1
        parts = _compute(mode, stops)
        self.put(mode, stops, parts)
        return parts


#: A cached path larger than this is not a path geomap wrote.
MAX_ENTRY_BYTES = 20_000_000


def _read_small_regular(path) -> bytes | None:
    """The entry's bytes; ``None`` for a FIFO, a device, a directory or a huge file."""
    from .safety import NotRegularFile, read_regular

    try:
        return read_regular(path, MAX_ENTRY_BYTES, follow_links=False)
    except NotRegularFile:
        return None


#: A cached path is nothing but numbers, brackets and commas: no strings, objects or literals.
_NUMBERS_ONLY = re.compile(rb"[\[\],0-9eE+\-. \n]*")


def parse_cached(data: bytes, stops: Sequence[LonLat]) -> Parts | None:
    """A cache entry's path, or ``None`` if it is not one geomap could have written."""
    import json

    if not _NUMBERS_ONLY.fullmatch(data):
        return None
    try:
        return valid_parts(json.loads(data), stops)
    except (ValueError, TypeError, RecursionError):
        return None


def valid_parts(value, stops: Sequence[LonLat]) -> Parts | None:
    """``value`` as a path if it is one geomap could have computed for ``stops``, else ``None``:
    one or more parts, each of two or more finite (lon, lat) pairs in range, starting at the
    first stop and ending at the last (longitudes compared after wrapping).

    Each part is checked with C-level passes (types, lengths, extremes), not point by point:
    a warm cache is read for every route of every render.
    """
    if not isinstance(value, list) or not value:
        return None
    parts: Parts = []
    for part in value:
        if not isinstance(part, list) or len(part) < 2:
            return None
        if set(map(type, part)) != {list} or set(map(len, part)) != {2}:
            return None
        lons, lats = zip(*part, strict=True)
        if not set(map(type, lons + lats)) <= {int, float}:
            return None
        try:
            if not (min(lons) >= -180 and max(lons) <= 180 and min(lats) >= -90
                    and max(lats) <= 90):
                return None  # NaN fails every comparison: caught here too
        except TypeError:
            return None
        if any(v != v for v in (sum(lons), sum(lats))):
            return None
        parts.append(list(zip(map(float, lons), map(float, lats), strict=True)))
    if stops and not (_near(parts[0][0], stops[0]) and _near(parts[-1][-1], stops[-1])):
        return None
    return parts


def _near(point: LonLat, stop: LonLat, tolerance: float = 1e-3) -> bool:
    dlon = abs(wrap_lon(point[0]) - wrap_lon(stop[0]))
    dlon = min(dlon, 360 - dlon)
    return dlon <= tolerance and abs(point[1] - stop[1]) <= tolerance


def _compute(mode: str, stops: Sequence[LonLat]) -> Parts:
    return sea_path(stops) if mode == "sea" else geodesic_path(stops)


def route_passages(stops: Sequence[LonLat], cache: RouteCache | None = None) -> list[str]:
    """Readable names of the straits a sea lane through the stops passes, sorted by name (searoute
    does not give their order); modelled, not reported: they follow from its network."""
    names = cache.passages(stops) if cache is not None else sea_passages(stops)
    return sorted(PASSAGE_NAMES.get(name, name) for name in names)


def route_path(mode: str, stops: Sequence[LonLat], cache: RouteCache | None = None) -> Parts:
    """The path for a route kind's mode (``'sea'`` or ``'air'``), through ``cache`` if given."""
    if cache is None:
        return _compute(mode, stops)
    return cache.path(mode, stops)
