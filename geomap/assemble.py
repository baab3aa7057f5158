"""Event records -> geometry, and GeoDataFrames in EPSG:4326 for the exports.

A shipment is a sea lane through its stops, a flight a geodesic arc through its stops, and any
other kind a point at its last stop; a visit with more than one stop also keeps its own travel as
a ``travel`` line so the map can show where the visitor came from. Each distinct route (mode and
stops) is computed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .areas import route_ends
from .bulk import collector_paused
from .gazetteer import Place
from .load import Dataset
from .records import Event, resolve
from .routes import route_passages_many, route_paths
from .schema import CRS
from .vocabulary import DEFAULT, Vocabulary, vocabulary_of

EVENT_FIELDS = (
    "id", "date", "end_date", "date_label", "start", "end", "kind", "title", "summary",
    "actors", "stops", "stop_names", "places", "place_ids", "carrier", "confidence", "sources",
    "evidence", "precision",
)

#: A geometry as plain data: ``("P", (lon, lat))``, or ``("L", part, ...)`` with each part a
#: sequence of ``(lon, lat)`` (from routes, an ``(n, 2)`` float64 array).
Shape = tuple


def _route_key(mode: str, places: tuple[Place, ...]) -> tuple | None:
    """What a route's path depends on: its mode and its stops; ``None`` for a point.

    A point kind with several stops (a visit) keeps its travel as a great circle. An end known
    only to an area (a country, or a place with an outline) is met at the area's edge.
    """
    mode = mode or ("air" if len(places) > 1 else "")
    if not mode:
        return None
    return (mode, route_ends(places))


def _key_text(key: tuple) -> str:
    mode, stops = key
    return f"{mode}:" + ">".join(f"{lon:g},{lat:g}" for lon, lat in stops)


@dataclass
class Assembly:
    """What the map and the exports are made from: records with their geometry.

    ``shapes[i]``/``shape_keys[i]`` are event ``i``'s own geometry and its sharing key;
    ``travels[i]``/``travel_keys[i]`` a visit's travel line (``None``/``""`` otherwise).
    """

    records: list[Event]
    source_rows: dict[str, dict[str, str]]
    vocabulary: Vocabulary = DEFAULT
    shapes: list[Shape] = field(default_factory=list)
    shape_keys: list[str] = field(default_factory=list)
    travels: list[Shape | None] = field(default_factory=list)
    travel_keys: list[str] = field(default_factory=list)
    #: The straits each event's modelled sea lane passes (empty for anything else).
    passages: list[tuple[str, ...]] = field(default_factory=list)
    #: The dataset's places, when known (the map's "within" accepts its countries' names).
    gazetteer: object = None
    _frames: tuple | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def events(self):
        """A GeoDataFrame, one row per event, with flat text attributes (built on first use)."""
        return self._geo()[0]

    @property
    def sources(self):
        """The sources as a pandas DataFrame indexed by id (built on first use)."""
        return self._geo()[1]

    def _geo(self):
        if self._frames is None:
            self._frames = _frames(self)
        return self._frames


def _shape(parts) -> Shape:
    return ("L", *parts)


def geometry_of(shape: Shape):
    """A shapely geometry for a plain ``Shape``."""
    from shapely.geometry import LineString, MultiLineString, Point

    if shape[0] == "P":
        return Point(shape[1])
    parts = shape[1:]
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def assemble_records(
    records: list[Event],
    sources: dict[str, dict[str, str]],
    *,
    vocabulary: Vocabulary = DEFAULT,
    cache=None,
    progress=None,
) -> Assembly:
    """Give each record its geometry; routes through ``cache`` (a ``routes.RouteCache``).

    ``progress(done, total)`` is called as distinct routes are made.
    """
    with collector_paused():
        return _assembled(records, sources, vocabulary, cache, progress)


def _assembled(records, sources, vocabulary, cache, progress) -> Assembly:
    route_of = {kind: vocabulary.route(kind) for kind in {event.kind for event in records}}
    modes = [route_of[event.kind] for event in records]
    # Records share one stops tuple per distinct ``places`` cell (see ``records.resolve``), and
    # every record is alive here, so the tuple's id is a safe key for work done once per cell.
    ends: dict[int, tuple] = {}
    keys = []
    for mode, event in zip(modes, records, strict=True):
        stops = event.stops
        mode = mode or ("air" if len(stops) > 1 else "")
        if not mode:
            keys.append(None)
            continue
        found = ends.get(id(stops))
        if found is None:
            found = ends[id(stops)] = _route_key(mode, stops)[1]
        keys.append((mode, found))
    distinct = sorted({key for key in keys if key is not None})
    paths = route_paths(distinct, cache, progress, arrays=True)
    lines = {key: _shape(parts) for key, parts in zip(distinct, paths, strict=True)}
    del paths
    texts = {key: _key_text(key) for key in distinct}
    sea = [key for key in distinct if key[0] == "sea"]
    straits = {
        key: tuple(names)
        for key, names in zip(sea, route_passages_many([k[1] for k in sea], cache), strict=True)
    }
    points: dict[int, tuple[Shape, str]] = {}
    assembly = Assembly(records=list(records), source_rows=sources, vocabulary=vocabulary)
    for event, key, mode in zip(records, keys, modes, strict=True):
        is_route = bool(mode) and key is not None
        assembly.passages.append(straits.get(key, ()) if is_route else ())
        if is_route:
            assembly.shapes.append(lines[key])
            assembly.shape_keys.append(texts[key])
        else:
            point = points.get(id(event.stops))
            if point is None:
                last = event.stops[-1]
                point = points[id(event.stops)] = (
                    ("P", (last.lon, last.lat)), f"pt:{last.lon:g},{last.lat:g}")
            assembly.shapes.append(point[0])
            assembly.shape_keys.append(point[1])
        has_travel = key is not None and not is_route
        assembly.travels.append(lines[key] if has_travel else None)
        assembly.travel_keys.append(texts[key] if has_travel else "")
    return assembly


def source_rows(dataset: Dataset) -> dict[str, dict[str, str]]:
    """``sources.csv`` as ``{id: {column: stripped text}}``."""
    return {
        row["id"].strip(): {k: v.strip() for k, v in row.items()}
        for row in dataset.sources.rows
    }


def assemble(dataset: Dataset, *, cache=None, progress=None) -> Assembly:
    """Resolve and assemble every event of a validated dataset (a convenience for callers
    that do not filter)."""
    return assemble_records(
        resolve(dataset), source_rows(dataset), vocabulary=vocabulary_of(dataset), cache=cache,
        progress=progress,
    )


def flat_record(event: Event) -> dict:
    """One event's attributes as flat text, as GIS tables hold them."""
    return {
        "id": event.id,
        "date": event.date.iso(),
        "end_date": event.end_date.iso() if event.end_date else "",
        "date_label": event.date_label,
        "start": event.start.isoformat(),
        "end": event.end.isoformat(),
        "kind": event.kind,
        "title": event.title,
        "summary": event.summary,
        "actors": "; ".join(event.actors),
        "stops": " > ".join(event.stop_names),
        "stop_names": event.stop_names,
        "places": event.places_text,
        "place_ids": ";".join(event.place_ids),
        "carrier": event.carrier,
        "confidence": event.confidence,
        "sources": "; ".join(event.sources),
        "evidence": event.evidence,
        "precision": event.precision,
    }


def geometries_of(shapes: list[Shape | None], keys: list[str], made: dict | None = None) -> list:
    """A shapely geometry for each shape (``None`` for none), one object per distinct key;
    ``made`` (key -> geometry) is shared across calls when given."""
    made = {} if made is None else made
    out = []
    for key, shape in zip(keys, shapes, strict=True):
        if shape is not None and key not in made:
            made[key] = geometry_of(shape)
        out.append(None if shape is None else made[key])
    return out


def _frames(assembly: Assembly):
    import geopandas as gpd
    import pandas as pd

    made: dict = {}
    frame = pd.DataFrame.from_records(
        [flat_record(event) for event in assembly.records], columns=list(EVENT_FIELDS)
    )
    frame["travel"] = pd.Series(
        geometries_of(assembly.travels, assembly.travel_keys, made), dtype=object
    )
    frame["geom_key"] = assembly.shape_keys
    frame["travel_key"] = assembly.travel_keys
    geometries = geometries_of(assembly.shapes, assembly.shape_keys, made)
    events = gpd.GeoDataFrame(frame, geometry=geometries, crs=CRS)
    rows = list(assembly.source_rows.values())
    columns = list(rows[0]) if rows else ["id"]
    sources = pd.DataFrame.from_records(rows, columns=columns)
    sources = sources.set_index("id", drop=False)
    return events, sources
