"""Events + places + sources -> GeoDataFrames in EPSG:4326, one row per event.

A shipment is a sea lane through its stops, a flight a geodesic arc through its stops, and any
other kind a point at its last stop; a visit with more than one stop also keeps its travel as a
``travel`` line so the map can show where the visitor came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gazetteer import Gazetteer, Place
from .load import Dataset
from .routes import route_path
from .schema import CRS, ROUTE_KINDS, PartialDate, date_span_label, split_list, split_stops

EVENT_FIELDS = (
    "id", "date", "end_date", "date_label", "start", "end", "kind", "title", "summary",
    "actors", "stops", "stop_names", "places", "place_ids", "carrier", "confidence", "sources",
    "evidence", "precision",
)


@dataclass
class Assembly:
    """What the map and the exports are made from."""

    events: object  # geopandas.GeoDataFrame, one row per event, in file order
    sources: object  # pandas.DataFrame indexed by source id


def _route_key(kind: str, places: list[Place]) -> tuple | None:
    """What a route's path depends on: its mode and its stops; ``None`` for a point."""
    mode = ROUTE_KINDS.get(kind)
    if mode is None:
        mode = "air" if len(places) > 1 else None  # a visit's travel
    if mode is None:
        return None
    return (mode, tuple((p.lon, p.lat) for p in places))


def _line(parts):
    from shapely.geometry import LineString, MultiLineString

    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def _key_text(key: tuple) -> str:
    mode, stops = key
    return f"{mode}:" + ">".join(f"{lon:g},{lat:g}" for lon, lat in stops)


def event_record(row: dict[str, str], gazetteer: Gazetteer, stops_memo: dict | None = None) -> dict:
    """One validated ``events.csv`` row as the fields of the assembled event (no geometry).

    ``stops_memo`` keeps the places of each distinct ``places`` cell, resolved once.
    """
    start = PartialDate.parse(row["date"])
    end = PartialDate.parse(row["end_date"]) if row.get("end_date", "").strip() else None
    memo = {} if stops_memo is None else stops_memo
    if row["places"] not in memo:
        memo[row["places"]] = [gazetteer.resolve(stop) for stop in split_stops(row["places"])]
    places = memo[row["places"]]
    return {
        "id": row["id"].strip(),
        "date": start.iso(),
        "end_date": end.iso() if end else "",
        "date_label": date_span_label(start, end),
        "start": start.first_day().isoformat(),
        "end": (end or start).last_day().isoformat(),
        "kind": row["kind"].strip(),
        "title": row["title"].strip(),
        "summary": row.get("summary", "").strip(),
        "actors": "; ".join(split_list(row.get("actors", ""))),
        "stops": " > ".join(p.name for p in places),
        "stop_names": tuple(p.name for p in places),
        "places": row["places"].strip(),
        "place_ids": ";".join(p.id for p in places if p.id),
        "carrier": row.get("carrier", "").strip(),
        "confidence": row["confidence"].strip(),
        "sources": "; ".join(split_list(row["sources"])),
        "evidence": row.get("evidence", "").strip(),
        "precision": places[-1].precision,
        "_places": places,
    }


def assemble(dataset: Dataset, *, cache=None, progress=None) -> Assembly:
    """Build the event GeoDataFrame and the source table from a validated dataset.

    Each distinct route (mode and stops) is computed once, through ``cache`` (a
    ``routes.RouteCache``) when given; ``progress(done, total)`` is called as routes are made.
    """
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    gazetteer = Gazetteer.from_rows(dataset.places.rows)
    records, keys, stops_memo = [], [], {}
    for row in dataset.events.rows:
        record = event_record(row, gazetteer, stops_memo)
        places = record.pop("_places")
        keys.append((_route_key(record["kind"], places), (places[-1].lon, places[-1].lat)))
        records.append(record)

    distinct = sorted({key for key, _ in keys if key is not None})
    lines = {}
    for done, key in enumerate(distinct, 1):
        lines[key] = _line(route_path(key[0], key[1], cache))
        if progress:
            progress(done, len(distinct))
    points: dict = {}
    geometries, travels, geom_keys, travel_keys = [], [], [], []
    for record, (key, last) in zip(records, keys, strict=True):
        is_route = record["kind"] in ROUTE_KINDS and key is not None
        if is_route:
            geometries.append(lines[key])
            geom_keys.append(_key_text(key))
        else:
            if last not in points:
                points[last] = Point(last)
            geometries.append(points[last])
            geom_keys.append(f"pt:{last[0]:g},{last[1]:g}")
        has_travel = key is not None and not is_route
        travels.append(lines[key] if has_travel else None)
        travel_keys.append(_key_text(key) if has_travel else "")

    frame = pd.DataFrame.from_records(records, columns=list(EVENT_FIELDS))
    frame["travel"] = pd.Series(travels, dtype=object)
    frame["geom_key"] = geom_keys
    frame["travel_key"] = travel_keys
    events = gpd.GeoDataFrame(frame, geometry=geometries, crs=CRS)
    sources = pd.DataFrame.from_records(
        [{k: v.strip() for k, v in row.items()} for row in dataset.sources.rows],
        columns=dataset.sources.header,
    )
    sources = sources.set_index("id", drop=False)
    return Assembly(events=events, sources=sources)
