"""Events + places + sources -> GeoDataFrames in EPSG:4326, one row per event.

A shipment is a sea lane through its stops, a flight a geodesic arc through its stops, and any
other kind a point at its last stop; a visit with more than one stop also keeps its travel as a
``travel`` line so the map can show where the visitor came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from .gazetteer import Gazetteer, Place
from .load import Dataset
from .routes import geodesic_path, route_path
from .schema import CRS, ROUTE_KINDS, PartialDate, date_span_label, split_list, split_stops

EVENT_FIELDS = (
    "id", "date", "end_date", "date_label", "start", "end", "kind", "title", "summary",
    "actors", "stops", "places", "place_ids", "carrier", "confidence", "sources", "evidence",
    "precision",
)


@dataclass
class Assembly:
    """What the map and the exports are made from."""

    events: object  # geopandas.GeoDataFrame, one row per event, in file order
    sources: object  # pandas.DataFrame indexed by source id


def _geometry(kind: str, places: list[Place]):
    from shapely.geometry import LineString, MultiLineString, Point

    coords = [(p.lon, p.lat) for p in places]
    mode = ROUTE_KINDS.get(kind)
    if mode is None or len(coords) < 2:
        return Point(coords[-1])
    parts = route_path(mode, coords)
    if len(parts) == 1:
        return LineString(parts[0])
    return MultiLineString(parts)


def _travel(kind: str, places: list[Place]):
    from shapely.geometry import LineString, MultiLineString

    if kind in ROUTE_KINDS or len(places) < 2:
        return None
    parts = geodesic_path([(p.lon, p.lat) for p in places])
    return LineString(parts[0]) if len(parts) == 1 else MultiLineString(parts)


def event_record(row: dict[str, str], gazetteer: Gazetteer) -> dict:
    """One validated ``events.csv`` row as the fields of the assembled event (no geometry)."""
    start = PartialDate.parse(row["date"])
    end = PartialDate.parse(row["end_date"]) if row.get("end_date", "").strip() else None
    places = [gazetteer.resolve(stop) for stop in split_stops(row["places"])]
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
        "places": row["places"].strip(),
        "place_ids": ";".join(p.id for p in places if p.id),
        "carrier": row.get("carrier", "").strip(),
        "confidence": row["confidence"].strip(),
        "sources": "; ".join(split_list(row["sources"])),
        "evidence": row.get("evidence", "").strip(),
        "precision": places[-1].precision,
        "_places": places,
    }


def assemble(dataset: Dataset) -> Assembly:
    """Build the event GeoDataFrame and the source table from a validated dataset."""
    import geopandas as gpd
    import pandas as pd

    gazetteer = Gazetteer.from_rows(dataset.places.rows)
    records, geometries, travels = [], [], []
    for row in dataset.events.rows:
        record = event_record(row, gazetteer)
        places = record.pop("_places")
        geometries.append(_geometry(record["kind"], places))
        travels.append(_travel(record["kind"], places))
        records.append(record)
    frame = pd.DataFrame.from_records(records, columns=list(EVENT_FIELDS))
    frame["travel"] = pd.Series(travels, dtype=object)
    events = gpd.GeoDataFrame(frame, geometry=geometries, crs=CRS)
    sources = pd.DataFrame.from_records(
        [{k: v.strip() for k, v in row.items()} for row in dataset.sources.rows],
        columns=dataset.sources.header,
    )
    sources = sources.set_index("id", drop=False)
    return Assembly(events=events, sources=sources)
