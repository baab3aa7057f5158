"""GIS exports of the selected events: GeoJSON, GeoPackage, KML and CSV (WKT geometry).

GeoJSON is written directly (RFC 7946: WGS84, lon/lat, one feature per event, sources inlined as
objects) so a round trip loses nothing; the other formats go through pyogrio/GDAL with flat
attributes. Every file is written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from .assemble import Assembly
from .errors import OutputError
from .output import write_atomic
from .safety import safe_url

FORMATS = ("geojson", "gpkg", "kml", "csv")
#: Formats that can go to standard output.
STREAMABLE = ("geojson", "csv")

PROPERTIES = (
    "id", "date", "end_date", "date_label", "kind", "title", "summary", "actors", "stops",
    "places", "carrier", "confidence", "sources", "evidence", "precision",
)


def _citations(assembly: Assembly, ids: str) -> list[dict]:
    out = []
    for sid in (s for s in ids.split("; ") if s):
        row = assembly.sources.loc[sid]
        out.append(
            {
                "id": sid,
                "title": row["title"],
                "outlet": row["outlet"],
                "author": row["author"],
                "published": row["published"],
                "url": safe_url(row["url"]) or "",
            }
        )
    return out


def _citation_text(citations: list[dict]) -> str:
    parts = []
    for c in citations:
        text = " — ".join(v for v in (c["outlet"], c["title"], c["published"]) if v)
        parts.append(f"{text} <{c['url']}>" if c["url"] else text)
    return "; ".join(parts)


def geojson_document(assembly: Assembly) -> dict:
    """A FeatureCollection per RFC 7946: one feature per event, citations inlined."""
    from shapely.geometry import mapping

    features = []
    for record in assembly.events.to_dict("records"):
        properties = {name: record[name] for name in PROPERTIES}
        properties["sources"] = [s for s in record["sources"].split("; ") if s]
        properties["actors"] = [a for a in record["actors"].split("; ") if a]
        properties["citations"] = _citations(assembly, record["sources"])
        geometry = json.loads(json.dumps(mapping(record["geometry"])))
        features.append(
            {"type": "Feature", "id": record["id"], "properties": properties, "geometry": geometry}
        )
    return {"type": "FeatureCollection", "features": features}


def geojson_bytes(assembly: Assembly) -> bytes:
    text = json.dumps(geojson_document(assembly), ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def flat_frame(assembly: Assembly):
    """The events with flat text attributes, for formats that have no nested values."""
    frame = assembly.events[[*PROPERTIES, "geometry"]].copy()
    frame["citations"] = [
        _citation_text(_citations(assembly, ids)) for ids in frame["sources"]
    ]
    return frame


def csv_bytes(assembly: Assembly) -> bytes:
    import csv
    import io

    frame = flat_frame(assembly)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = [c for c in frame.columns if c != "geometry"]
    writer.writerow([*columns, "wkt"])
    for record in frame.to_dict("records"):
        writer.writerow([*(record[c] for c in columns), record["geometry"].wkt])
    return buffer.getvalue().encode("utf-8")


def _write_with_gdal(path: Path, write) -> Path:
    """Run ``write(temp_path)`` beside ``path`` and rename the result into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    os.unlink(tmp)  # GDAL drivers want to create the file themselves
    try:
        write(tmp)
        os.replace(tmp, path)
    except Exception as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise OutputError(f"cannot write: {exc}", path=path) from None
    return path


def _reproducible_date() -> str:
    """The timestamp GDAL writes into a GeoPackage: ``SOURCE_DATE_EPOCH`` or the Unix epoch,
    so the same events always give the same bytes."""
    from datetime import UTC, datetime

    seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _write_gpkg(frame, tmp: str) -> None:
    import pyogrio

    previous = pyogrio.get_gdal_config_option("OGR_CURRENT_DATE")
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _reproducible_date()})
    try:
        _write_gpkg_layers(frame, tmp)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": previous})


def _write_gpkg_layers(frame, tmp: str) -> None:
    import pyogrio

    points = frame[frame.geometry.geom_type == "Point"]
    lines = frame[frame.geometry.geom_type != "Point"]
    wrote = False
    for name, layer, geometry_type in (
        ("events_points", points, "Point"),
        ("events_lines", lines, "MultiLineString"),
    ):
        if len(layer) == 0:
            continue
        if geometry_type == "MultiLineString":
            from shapely.geometry import MultiLineString

            layer = layer.copy()
            layer["geometry"] = [
                g if g.geom_type == "MultiLineString" else MultiLineString([g])
                for g in layer.geometry
            ]
        pyogrio.write_dataframe(
            layer, tmp, layer=name, driver="GPKG", geometry_type=geometry_type,
            append=wrote, promote_to_multi=False,
            dataset_options=None if wrote else {"VERSION": "1.2"},
        )
        wrote = True


def _write_kml(frame, tmp: str) -> None:
    import pyogrio

    layer = frame.rename(columns={"title": "Name", "summary": "Description"})
    pyogrio.write_dataframe(
        layer, tmp, layer="events", driver="KML",
        dataset_options={"NameField": "Name", "DescriptionField": "Description"},
    )


def export(assembly: Assembly, fmt: str, output: str | Path) -> Path | None:
    """Write the events in ``fmt`` to ``output``: a path, or ``'-'`` or a binary stream for
    GeoJSON or CSV (``'-'`` is standard output)."""
    if fmt not in FORMATS:
        raise OutputError(f"format {fmt!r} is not one of {', '.join(FORMATS)}", column="--format")
    if str(output) == "-" or hasattr(output, "write"):
        if fmt not in STREAMABLE:
            raise OutputError(
                f"{fmt} cannot be written to standard output; give --output FILE",
                column="--output",
            )
        import sys

        stream = output if hasattr(output, "write") else sys.stdout.buffer
        data = geojson_bytes(assembly) if fmt == "geojson" else csv_bytes(assembly)
        stream.write(data)
        stream.flush()
        return None
    path = Path(output)
    if fmt == "geojson":
        return write_atomic(path, geojson_bytes(assembly))
    if fmt == "csv":
        return write_atomic(path, csv_bytes(assembly))
    frame = flat_frame(assembly)
    if fmt == "gpkg":
        return _write_with_gdal(path, lambda tmp: _write_gpkg(frame, tmp))
    return _write_with_gdal(path, lambda tmp: _write_kml(frame, tmp))
