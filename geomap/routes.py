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


#: The cache's one file: an SQLite database of every path and passage list, in the cache directory.
STORE_FILE = "routes-1.sqlite"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS paths (key BLOB PRIMARY KEY, lengths BLOB, coords BLOB)",
    "CREATE TABLE IF NOT EXISTS passages (key BLOB PRIMARY KEY, names TEXT)",
)
#: Keys per ``IN (...)`` query (well under SQLite's limit on bound parameters).
_BATCH = 500


class RouteCache:
    """Paths on disk in one SQLite database per cache directory, keyed by mode, stops and
    library versions.

    Safe to delete at any time. A render reads all its routes in a few queries and stores the
    ones it computed in one transaction, so 20,000 routes cost no 20,000 file reads; SQLite's
    locking and journal keep concurrent renders and a crash mid-write from leaving half an entry.
    Every entry is validated on read (part lengths, finite in-range coordinates that start and
    end at the stops): a damaged one is a miss, counted in ``dropped``, computed and stored
    again. A store SQLite cannot read (not a database, truncated, a FIFO or directory in its
    place) is removed, counted in ``dropped``, and started afresh: a bad cache can neither crash
    a render nor make a route vanish. Files of the former one-file-per-route layout are ignored.
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
        self._db = None

    @property
    def file(self):
        return self.directory / STORE_FILE

    def _key(self, mode: str, stops: Sequence[LonLat]) -> bytes:
        import hashlib

        key = f"{self.versions}|{mode}|" + ";".join(f"{x!r},{y!r}" for x, y in stops)
        return hashlib.sha256(key.encode()).digest()

    # -- the store --

    def _open(self, create: bool):
        """The store's connection, or ``None`` when there is none (and ``create`` is false) or
        it cannot be opened; whatever stands in its place that is not a regular file goes."""
        import os
        import sqlite3
        import stat

        if self._db is not None:
            return self._db
        try:
            info = os.lstat(self.file)
        except FileNotFoundError:
            info = None
        except OSError:
            return None
        if info is not None and not stat.S_ISREG(info.st_mode):
            self._discard()
            info = None
        if info is None and not create:
            return None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.file, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error):
            return None
        try:
            for statement in _SCHEMA:
                db.execute(statement)
        except sqlite3.Error as exc:
            db.close()
            self._failed(exc)
            return None
        self._db = db
        return db

    def _failed(self, exc) -> None:
        """After an SQLite error: a store that is not a database or is damaged is removed; a
        busy, read-only or otherwise unusable one is left alone (this run goes without it)."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            self._discard()

    def _discard(self) -> None:
        import os
        import shutil

        self.dropped += 1
        for path in (self.file, self.file.with_name(self.file.name + "-journal")):
            try:
                os.unlink(path)
            except IsADirectoryError:
                shutil.rmtree(path, ignore_errors=True)
            except OSError:
                pass

    def _select(self, table: str, columns: str, keys: list[bytes]):
        """Stored rows by key, a dict per batch of keys (nothing when the store is missing or
        unreadable): callers decode each batch before the next is read."""
        import sqlite3

        db = self._open(create=False)
        if db is None:
            return
        for first in range(0, len(keys), _BATCH):
            chunk = keys[first:first + _BATCH]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, {columns} FROM {table} WHERE key IN ({marks})"
            try:
                found = {key: values for key, *values in db.execute(query, chunk)}
            except sqlite3.Error as exc:
                self._failed(exc)
                return
            yield found

    def _insert(self, table: str, rows: list[tuple]) -> None:
        """Store rows in one transaction; a cache that cannot be written only costs time."""
        import sqlite3

        db = self._open(create=True) if rows else None
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                marks = ",".join("?" * len(rows[0]))
                db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._failed(exc)

    # -- paths --

    def get_many(self, routes: Sequence[tuple[str, Sequence[LonLat]]], *,
                 arrays: bool = False) -> list[Parts | None]:
        """Each route's stored path, or ``None`` on a miss or a damaged entry (its parts as
        ``(n, 2)`` arrays with ``arrays``, see ``decode_paths``)."""
        keys = [self._key(mode, stops) for mode, stops in routes]
        parts: list[Parts | None] = []
        for found in self._select("paths", "lengths, coords", keys):
            first = len(parts)
            stored = [found.get(key) for key in keys[first:first + _BATCH]]
            parts += decode_paths(stored, [stops for _, stops in routes[first:first + _BATCH]],
                                  arrays=arrays)
            self.dropped += sum(1 for s, p in zip(stored, parts[first:], strict=True)
                                if s and p is None)
        return parts + [None] * (len(keys) - len(parts))

    def put_many(self, routes: Sequence[tuple[str, Sequence[LonLat]]], paths: list[Parts]):
        self._insert("paths", [
            (self._key(mode, stops), *encode_path(parts))
            for (mode, stops), parts in zip(routes, paths, strict=True)
        ])

    def get(self, mode: str, stops: Sequence[LonLat]) -> Parts | None:
        """The cached path, or ``None`` on a miss or a damaged entry."""
        return self.get_many([(mode, stops)])[0]

    def put(self, mode: str, stops: Sequence[LonLat], parts: Parts) -> None:
        self.put_many([(mode, stops)], [parts])

    def paths(self, routes: Sequence[tuple[str, Sequence[LonLat]]], progress=None, *,
              arrays: bool = False) -> list[Parts]:
        """Each route's path: the stored ones read at once, the others computed and then stored
        in one transaction; ``progress(done, total)`` follows along. With ``arrays`` every
        part is an ``(n, 2)`` array of float64 (lon, lat)."""
        found = self.get_many(routes, arrays=arrays)
        missing = [i for i, parts in enumerate(found) if parts is None]
        self.hits += len(found) - len(missing)
        self.misses += len(missing)
        done = len(found) - len(missing)
        if progress and done:
            progress(done, len(found))
        for i in missing:
            found[i] = _compute(*routes[i])
            done += 1
            if progress:
                progress(done, len(found))
        self.put_many([routes[i] for i in missing], [found[i] for i in missing])
        if arrays:
            for i in missing:
                found[i] = _as_arrays(found[i])
        return found

    def path(self, mode: str, stops: Sequence[LonLat]) -> Parts:
        """The path from the cache, computing and storing it on a miss."""
        return self.paths([(mode, stops)])[0]

    # -- passages --

    def passages_many(self, routes: Sequence[Sequence[LonLat]]) -> list[list[str]]:
        """The straits each sea lane passes, stored or computed (and then stored); a damaged
        entry is computed again."""
        import json

        keys = [self._key("sea-passages", stops) for stops in routes]
        found = {}
        for batch in self._select("passages", "names", keys):
            found.update(batch)
        result: list = []
        for key in keys:
            try:
                names = json.loads(found[key][0]) if key in found else None
            except (TypeError, ValueError, RecursionError):
                names = None
            valid = isinstance(names, list) and all(
                isinstance(n, str) and n.isascii() and n.isalpha() and len(n) <= 40 for n in names
            )
            result.append(names if valid else None)
        missing = [i for i, names in enumerate(result) if names is None]
        for i in missing:
            result[i] = sea_passages(routes[i])
        self._insert("passages", [
            (keys[i], json.dumps(result[i], separators=(",", ":"))) for i in missing
        ])
        return result

    def passages(self, stops: Sequence[LonLat]) -> list[str]:
        """The straits a sea lane passes, from the cache or computed and stored on a miss."""
        return self.passages_many([stops])[0]


def encode_path(parts: Parts) -> tuple[bytes, bytes]:
    """A path as stored: its part lengths (int32) and its coordinates (float64), little-endian."""
    import numpy as np

    lengths = np.array([len(part) for part in parts], dtype="<i4")
    coords = np.concatenate([np.asarray(part, dtype="<f8").reshape(-1, 2) for part in parts])
    return lengths.tobytes(), coords.tobytes()


def _as_arrays(parts: Parts) -> list:
    """A path's parts as ``(n, 2)`` float64 arrays."""
    import numpy as np

    return [np.asarray(part, dtype=np.float64).reshape(-1, 2) for part in parts]


def decode_paths(stored: list, stops: list[Sequence[LonLat]], *,
                 arrays: bool = False) -> list[Parts | None]:
    """Stored ``(lengths, coords)`` as paths, ``None`` for a missing entry or one geomap could
    not have written for its stops: one or more parts of two or more finite (lon, lat) pairs in
    range, starting at the first stop and ending at the last (longitudes compared after
    wrapping). Checked with numpy over every entry at once: a warm cache is read for every
    route of every render. With ``arrays`` each part is a read-only ``(n, 2)`` view of one
    float64 array (16 bytes a point, against about 100 for a tuple of two floats).
    """
    import numpy as np

    result: list[Parts | None] = [None] * len(stored)
    shaped = [
        i for i, entry in enumerate(stored)
        if entry is not None and len(entry) == 2 and all(type(b) is bytes for b in entry)
        and entry[0] and len(entry[0]) % 4 == 0 and len(entry[1]) % 16 == 0 and stops[i]
    ]
    if not shaped:
        return result
    lengths = np.frombuffer(b"".join(stored[i][0] for i in shaped), dtype="<i4")
    part_counts = np.array([len(stored[i][0]) // 4 for i in shaped])
    part_starts = np.concatenate(([0], np.cumsum(part_counts)[:-1]))
    points = np.array([len(stored[i][1]) // 16 for i in shaped])
    ok = (np.minimum.reduceat(lengths, part_starts) >= 2) & (
        np.add.reduceat(lengths.astype(np.int64), part_starts) == points)
    keep = [i for i, good in zip(shaped, ok.tolist(), strict=True) if good]
    if not keep:
        return result
    coords = np.frombuffer(b"".join(stored[i][1] for i in keep), dtype="<f8").reshape(-1, 2)
    counts = np.array([len(stored[i][1]) // 16 for i in keep])
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    lon, lat = coords[:, 0], coords[:, 1]
    inside = (lon >= -180) & (lon <= 180) & (lat >= -90) & (lat <= 90)  # NaN is never inside
    ok = np.logical_and.reduceat(inside, starts)
    ends = np.array([(*stops[i][0], *stops[i][-1]) for i in keep], dtype=float)
    ok &= _near_all(coords[starts], ends[:, 0:2]) & _near_all(coords[starts + counts - 1],
                                                               ends[:, 2:4])
    pairs = coords if arrays else list(zip(lon.tolist(), lat.tolist(), strict=True))
    part_lengths = iter(np.frombuffer(
        b"".join(stored[i][0] for i in keep), dtype="<i4").tolist())
    for i, start, good in zip(keep, starts.tolist(), ok.tolist(), strict=True):
        parts = []
        for _ in range(len(stored[i][0]) // 4):
            length = next(part_lengths)
            parts.append(pairs[start:start + length])
            start += length
        if good:
            result[i] = parts
    return result


def _near_all(points, stops, tolerance: float = 1e-3):
    """``_near`` for arrays of (lon, lat) rows."""
    import numpy as np

    def wrap(lon):
        return np.where((lon >= -180) & (lon <= 180), lon, np.mod(lon + 180, 360) - 180)

    with np.errstate(invalid="ignore"):  # NaN and infinity are never near: False below
        dlon = np.abs(wrap(points[:, 0]) - wrap(stops[:, 0]))
        dlon = np.minimum(dlon, 360 - dlon)
        return (dlon <= tolerance) & (np.abs(points[:, 1] - stops[:, 1]) <= tolerance)


def _near(point: LonLat, stop: LonLat, tolerance: float = 1e-3) -> bool:
    dlon = abs(wrap_lon(point[0]) - wrap_lon(stop[0]))
    dlon = min(dlon, 360 - dlon)
    return dlon <= tolerance and abs(point[1] - stop[1]) <= tolerance


def _compute(mode: str, stops: Sequence[LonLat]) -> Parts:
    return sea_path(stops) if mode == "sea" else geodesic_path(stops)


def route_passages(stops: Sequence[LonLat], cache: RouteCache | None = None) -> list[str]:
    """Readable names of the straits a sea lane through the stops passes, sorted by name (searoute
    does not give their order); modelled, not reported: they follow from its network."""
    return route_passages_many([stops], cache)[0]


def route_passages_many(routes: Sequence[Sequence[LonLat]], cache: RouteCache | None = None):
    """``route_passages`` of each sea lane, through ``cache`` (read in one pass) if given."""
    found = cache.passages_many(routes) if cache is not None else map(sea_passages, routes)
    return [sorted(PASSAGE_NAMES.get(name, name) for name in names) for names in found]


def route_path(mode: str, stops: Sequence[LonLat], cache: RouteCache | None = None) -> Parts:
    """The path for a route kind's mode (``'sea'`` or ``'air'``), through ``cache`` if given."""
    return route_paths([(mode, stops)], cache)[0]


def route_paths(routes: Sequence[tuple[str, Sequence[LonLat]]], cache: RouteCache | None = None,
                progress=None, *, arrays: bool = False) -> list[Parts]:
    """``route_path`` of each ``(mode, stops)``, through ``cache`` (read in one pass) if given;
    ``progress(done, total)`` follows along. With ``arrays`` every part is an ``(n, 2)``
    float64 array."""
    if cache is not None:
        return cache.paths(routes, progress, arrays=arrays)
    found = []
    for mode, stops in routes:
        parts = _compute(mode, stops)
        found.append(_as_arrays(parts) if arrays else parts)
        if progress:
            progress(len(found), len(routes))
    return found
