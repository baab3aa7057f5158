"""The map payload as compressed bytes in base64 text, and back.

``payload.map_payload`` at 100,000 events is tens of megabytes of JSON, half of it coordinates,
and one such string at a million events nears V8's limit on a string's length. The page gets it
as *streams* instead, each compressed with zlib (the "deflate" format the browser's native
``DecompressionStream`` reads), in base64 split into chunks of at most ``CHUNK_CHARS``
characters:

* one ``geoms`` stream, binary: ``n_geoms, n_parts, n_points`` (uint32 LE), one type byte per
  geometry (0 a point, 1 a line), then one int32 array in four byte planes (every value's lowest
  byte, then every second byte, …): parts per geometry, points per part, then the coordinates
  ``lon, lat`` in millionths of a degree, as second-order differences within each part (the
  first point absolute, the second its difference from the first), modulo 2**32;
* ``text`` streams: lines of JSON, each line short: a layout ``{"columns": […], "rows": n,
  "block": b}``, the document without ``events`` and ``geoms``, then each event column in
  blocks of ``b`` rows, column after column.

``unpack`` gives back the dict ``map_payload`` made, coordinates rounded to 1e-6°; the page's
``decode.js`` does the same in the browser.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

#: Most base64 characters in one script element (a multiple of 4, so chunks decode alone).
CHUNK_CHARS = 32 * 1024 * 1024
#: Event rows per line of JSON: no line is a long string, even at a million events.
BLOCK_ROWS = 65_536
#: Uncompressed bytes of text per stream; streams are compressed (and decoded) in parallel.
STREAM_BYTES = 8 * 1024 * 1024
#: Deflate levels, for zlib-ng (the zlib format, about twice as fast as zlib at the same level).
#: At 100,000 events of real shape the text (64 MB of JSON) takes 0.33 / 0.44 / 0.53 / 1.53 s of
#: CPU at levels 3 / 4 / 5 / 6 for 13.0 / 12.0 / 11.7 / 10.7 MB, and the page 0.50 / 0.47 /
#: 0.46 / 0.44 times the CSV (CPython's zlib: 1.03 s and 11.9 MB at 5): 5 keeps well under half
#: the CSV at a third of level 6's time. The geometries (17 MB) take 0.15 s at 6 for 7.1 MB.
TEXT_LEVEL = 5
GEOMS_LEVEL = 6
#: Coordinates travel as integers of this many degrees.
SCALE = 1_000_000

_TYPES = {"P": 0, "L": 1}
_HEADER = struct.Struct("<III")


class Chunk(NamedTuple):
    """One script element's worth: the stream it belongs to, its kind, its base64 text."""

    stream: int
    kind: str  # "text" or "geoms"
    text: str


def _unplanes(data: bytes, count: int):
    import numpy as np

    planes = np.frombuffer(data, dtype=np.uint8, count=4 * count).reshape(4, count)
    return np.ascontiguousarray(planes.T).view("<i4").ravel().astype(np.int64)


def _wrap(values):
    """int64 values as the int32 they are modulo 2**32: differences wrap like the page's
    ``| 0``, and the coordinates, which fit in int32, come back exact."""
    import numpy as np

    return values.astype(np.int32).astype(np.int64)  # an integer cast keeps the low 32 bits


def _part_starts(counts):
    import numpy as np

    starts = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    return starts[counts > 0]


class Geometries(Sequence):
    """The geometry table as flat arrays: a type per geometry (0 a point, 1 a line), parts per
    geometry, points per part, and every point's ``(lon, lat)`` in degrees (float64).

    It is the sequence of ``{"t": "P", "c": [lon, lat]}`` and ``{"t": "L", "c": [[[lon, lat],
    …], …]}`` it stands for (each built when asked for); ``encode_geoms`` packs the arrays
    without making them, so a large map's millions of coordinates never become Python lists.
    """

    def __init__(self, types, parts, counts, coords):
        import numpy as np

        self.types = np.asarray(types, dtype=np.uint8)
        self.parts = np.asarray(parts, dtype=np.int64)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.coords = np.asarray(coords, dtype=np.float64).reshape(-1, 2)
        if not (len(self.types) == len(self.parts) and int(self.parts.sum()) == len(self.counts)
                and int(self.counts.sum()) == len(self.coords)):
            raise ValueError("geometry arrays of inconsistent lengths")
        self._starts = None

    @classmethod
    def of(cls, geoms) -> Geometries:
        """The table of a list of geometry dicts."""
        import numpy as np

        parts_per_geom = []
        points_per_part = []
        flat: list = []
        for g in geoms:
            if g["t"] == "P":
                parts_per_geom.append(1)
                points_per_part.append(1)
                flat.append(g["c"])
            else:
                parts_per_geom.append(len(g["c"]))
                for part in g["c"]:
                    points_per_part.append(len(part))
                    flat.extend(part)
        numbers = itertools.chain.from_iterable(flat)  # 4x faster than np.array of pairs
        coords = np.fromiter(numbers, dtype=np.float64, count=2 * len(flat))
        return cls([_TYPES[g["t"]] for g in geoms], parts_per_geom, points_per_part, coords)

    def __len__(self) -> int:
        return len(self.types)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("geometry index out of range")
        if self._starts is None:
            import numpy as np

            part_starts = np.concatenate([[0], np.cumsum(self.parts)])
            point_starts = np.concatenate([[0], np.cumsum(self.counts)])
            self._starts = (part_starts.tolist(), point_starts.tolist())
        part_starts, point_starts = self._starts
        first, last = part_starts[index], part_starts[index + 1]
        if self.types[index] == _TYPES["P"]:
            return {"t": "P", "c": self.coords[point_starts[first]].tolist()}
        return {"t": "L", "c": [self.coords[point_starts[p]:point_starts[p + 1]].tolist()
                                for p in range(first, last)]}

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]


def encode_geoms(geoms) -> bytes:
    """The geometry table (``Geometries``, or a list of geometry dicts) as bytes (layout in the
    module's docstring).

    A coordinate beyond ±2147° (outside int32 millionths) or not finite is a ``ValueError``.
    """
    import numpy as np

    table = geoms if isinstance(geoms, Geometries) else Geometries.of(geoms)
    coords = table.coords * SCALE
    limit = 2**31 - 1
    if not np.isfinite(coords).all() or (coords.size and (
        coords.max() >= limit or coords.min() <= -limit
    )):
        raise ValueError("a coordinate is not finite or is beyond ±2147°")
    # int32 arithmetic wraps as the page's ``| 0`` does: differences modulo 2**32
    x = np.rint(coords, out=coords).astype(np.int32)
    del coords
    counts = table.counts
    n_geoms, n_parts, n_points = len(table), len(counts), len(x)
    size = n_geoms + n_parts + 2 * n_points
    values = np.empty(size, dtype="<i4")
    values[:n_geoms] = table.parts
    values[n_geoms:n_geoms + n_parts] = counts
    second = values[n_geoms + n_parts:].reshape(-1, 2)
    starts = _part_starts(counts)
    seconds = starts[counts[counts > 0] > 1] + 1
    first = x.copy()
    np.subtract(x[1:], x[:-1], out=first[1:])
    first[starts] = x[starts]
    second[:1] = first[:1]
    np.subtract(first[1:], first[:-1], out=second[1:])
    second[starts] = x[starts]
    second[seconds] = first[seconds]
    del x, first
    body = _HEADER.size + n_geoms
    out = np.empty(body + 4 * size, dtype=np.uint8)
    out[:_HEADER.size] = np.frombuffer(_HEADER.pack(n_geoms, n_parts, n_points), np.uint8)
    out[_HEADER.size:body] = table.types
    # four byte planes (every value's lowest byte, then every second byte, …) compress better
    out[body:].reshape(4, size)[...] = values.view(np.uint8).reshape(size, 4).T
    return out.tobytes()


def decode_geoms(data: bytes) -> list[dict]:
    """The geometry table ``encode_geoms`` wrote, coordinates as degrees (millionths)."""
    import numpy as np

    n_geoms, n_parts, n_points = _HEADER.unpack_from(data)
    body = _HEADER.size + n_geoms
    size = n_geoms + n_parts + 2 * n_points
    if len(data) != body + 4 * size:
        raise ValueError(f"geometry stream of {len(data)} bytes, expected {body + 4 * size}")
    types = data[_HEADER.size:body]
    values = _unplanes(data[body:], size)
    parts_per_geom = values[:n_geoms].tolist()
    counts = values[n_geoms:n_geoms + n_parts]
    second = values[n_geoms + n_parts:].reshape(-1, 2)
    starts = _part_starts(counts)
    # first differences: within a part, the running sum of the second ones after its first point
    steps = second.copy()
    steps[starts] = 0
    total = np.cumsum(steps, axis=0)
    part_of = np.repeat(np.arange(len(counts)), counts)
    base = np.zeros((len(counts), 2), dtype=np.int64)
    base[counts > 0] = total[starts]
    first = _wrap(total - base[part_of])
    first[starts] = second[starts]
    total = np.cumsum(first, axis=0)
    base[counts > 0] = total[starts] - first[starts]
    degrees = (_wrap(total - base[part_of]) / SCALE).tolist()
    out = []
    part = point = 0
    counts = counts.tolist()
    for kind, n in zip(types, parts_per_geom, strict=True):
        if kind == _TYPES["P"]:
            out.append({"t": "P", "c": degrees[point]})
            point += 1
            part += 1
            continue
        lines = []
        for count in counts[part:part + n]:
            lines.append(degrees[point:point + count])
            point += count
        part += n
        out.append({"t": "L", "c": lines})
    return out


def compact_json(value) -> bytes:
    """Compact JSON in UTF-8 (orjson: the same bytes as ``json.dumps`` with
    ``ensure_ascii=False`` and no spaces, five times sooner).

    >>> compact_json({"a": ["é", 1]})
    b'{"a":["\xc3\xa9",1]}'
    """
    import orjson

    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # a lone surrogate: \u-escaped, so a reader gets it back
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode()


def _json_line(value) -> bytes:
    return compact_json(value) + b"\n"


def _text_lines(payload: dict) -> Iterator[bytes]:
    """The text's lines, one at a time (see the module's docstring)."""
    columns = payload["events"]
    names = list(columns)
    rows = len(columns[names[0]]) if names else 0
    head = {k: v for k, v in payload.items() if k not in ("events", "geoms")}
    yield _json_line({"columns": names, "rows": rows, "block": BLOCK_ROWS})
    yield _json_line(head)
    for name in names:
        values = columns[name]
        for i in range(0, max(rows, 1), BLOCK_ROWS):
            yield _json_line(values[i:i + BLOCK_ROWS])


def _streams_of(lines: Iterable[bytes]) -> Iterator[bytes]:
    """Whole lines gathered into streams of about ``STREAM_BYTES`` each, one at a time."""
    stream: list[bytes] = []
    size = 0
    for line in lines:
        if size >= STREAM_BYTES:
            yield b"".join(stream)
            stream = []
            size = 0
        stream.append(line)
        size += len(line)
    yield b"".join(stream)


def _compressed_geoms(geoms) -> bytes:
    from zlib_ng import zlib_ng

    return zlib_ng.compress(encode_geoms(geoms), GEOMS_LEVEL)


#: Text streams made but not yet compressed, at most: JSON is written while zlib works.
_AHEAD = 2


def pack(payload: dict, chunk_chars: int = CHUNK_CHARS) -> list[Chunk]:
    """The payload as base64 chunks: the geometry stream, then the text streams in order.

    The geometries are encoded and every stream compressed in threads (numpy and zlib-ng let go
    of the GIL) while this thread writes the next text stream's JSON, so a large map takes
    about the time of its JSON or of its compression, whichever is longer, on two cores. The
    cyclic collector is paused meanwhile (the blocks of rows it allocates would otherwise
    set off a full collection over every record still alive: 0.4 s at 100,000 events).
    """
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    from zlib_ng import zlib_ng

    from .bulk import collector_paused

    if chunk_chars <= 0 or chunk_chars % 4:
        raise ValueError("chunk_chars must be a positive multiple of 4")
    kinds = ["geoms"]
    with ThreadPoolExecutor(max_workers=2) as pool, collector_paused():
        futures = [pool.submit(_compressed_geoms, payload["geoms"])]
        for stream in _streams_of(_text_lines(payload)):
            pending = [f for f in futures[1:] if not f.done()]
            if len(pending) >= _AHEAD:
                wait(pending, return_when=FIRST_COMPLETED)
            futures.append(pool.submit(zlib_ng.compress, stream, TEXT_LEVEL))
            kinds.append("text")
            del stream
        packed = [future.result() for future in futures]
    chunks = []
    for n, (kind, data) in enumerate(zip(kinds, packed, strict=True)):
        text = base64.b64encode(data).decode("ascii")
        chunks.extend(Chunk(n, kind, text[i:i + chunk_chars])
                      for i in range(0, max(len(text), 1), chunk_chars))
    return chunks


def unpack(chunks: list[Chunk]) -> dict:
    """The payload ``pack`` packed, from its chunks in order."""
    streams: dict[int, list[Chunk]] = {}
    for chunk in chunks:
        streams.setdefault(chunk.stream, []).append(chunk)
    geoms = None
    text = []
    for n in sorted(streams):
        group = streams[n]
        data = zlib.decompress(base64.b64decode("".join(c.text for c in group), validate=True))
        if group[0].kind == "geoms":
            geoms = decode_geoms(data)
        else:
            text.append(data)
    lines = b"".join(text).split(b"\n")
    layout = json.loads(lines[0])
    doc = json.loads(lines[1])
    rest = iter(lines[2:])
    blocks = max(1, -(-layout["rows"] // layout["block"]))
    doc["events"] = {}
    for name in layout["columns"]:
        column: list = []
        for _ in range(blocks):
            column.extend(json.loads(next(rest)))
        doc["events"][name] = column
    doc["geoms"] = geoms
    return doc


#: One script element of the payload, as ``render`` writes it.
ELEMENT = re.compile(
    r'<script type="application/octet-stream" id="geomap-data-\d+" '
    r'data-stream="(\d+)" data-kind="(text|geoms)">([A-Za-z0-9+/=]*)</script>'
)


def read_page(html: str) -> dict:
    """The payload of a rendered map page (for tests, and anyone reading a map's data)."""
    chunks = [Chunk(int(s), kind, text) for s, kind, text in ELEMENT.findall(html)]
    if not chunks:
        raise ValueError("no geomap payload in this page")
    return unpack(chunks)
