"""GIS exports of the selected events: GeoJSON, GeoPackage, KML and CSV (WKT geometry).

GeoJSON is written directly (RFC 7946: WGS84, lon/lat, one feature per event, sources inlined as
objects) so a round trip loses nothing; the other formats go through pyogrio/GDAL with flat
attributes. Every file is verified before it replaces the previous one: bytes written and
length for GeoJSON and CSV; for GeoPackage and KML the file is reopened and its features counted,
since GDAL's KML driver reports no error on a full disk.

Text goes through ``clean_text`` as on the map, so a NUL or control character neither cuts a GDAL
string short nor differs between formats. CSV cells that a spreadsheet would run as formulas get
a leading ``'`` unless ``raw``. KML descriptions are plain text rendered through a fixed template
with every value HTML-escaped, so a KML viewer never shows markup or links from the data.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .assemble import Assembly
from .errors import OutputError
from .output import replace_verified, short_reason, write_atomic
from .safety import clean_text, csv_cell, safe_url

FORMATS = ("geojson", "gpkg", "kml", "csv")
#: Formats that can go to standard output.
STREAMABLE = ("geojson", "csv")

PROPERTIES = (
    "id", "date", "end_date", "date_label", "kind", "title", "summary", "actors", "stops",
    "places", "carrier", "confidence", "sources", "evidence", "precision",
)


def _clean(value):
    return clean_text(value) if isinstance(value, str) else value


def _source_fields(assembly: Assembly) -> dict[str, dict]:
    """Each source's cleaned fields as a citation lists them, worked out once per source."""
    return {
        sid: {
            "id": _clean(sid),
            "title": _clean(row.get("title", "")),
            "outlet": _clean(row.get("outlet", "")),
            "author": _clean(row.get("author", "")),
            "published": _clean(row.get("published", "")),
            "url": safe_url(row.get("url", "")) or "",
        }
        for sid, row in assembly.source_rows.items()
    }


def _citations(fields: dict[str, dict], event) -> list[dict]:
    """The event's sources (``fields`` from ``_source_fields``) with their own quote, where
    ``citations.csv`` gives one."""
    quotes = {c.source: c for c in event.citations}
    out = []
    for sid in event.sources:
        citation = dict(fields[sid])
        if sid in quotes:
            citation.update(quote=_clean(quotes[sid].quote), stance=quotes[sid].stance)
        out.append(citation)
    return out


def attribute_names(assembly: Assembly) -> dict[str, str]:
    """The dataset's own columns → the name they take in exports (prefixed only on a clash)."""
    names = [name for name, _ in assembly.records[0].attributes] if assembly.records else []
    taken = {*PROPERTIES, "citations", "origins", "wkt", "geometry"}
    return {name: f"attribute_{name}" if name in taken else name for name in names}


def _citation_text(citations: list[dict]) -> str:
    parts = []
    for c in citations:
        text = " — ".join(v for v in (c["outlet"], c["title"], c["published"]) if v)
        parts.append(f"{text} <{c['url']}>" if c["url"] else text)
    return "; ".join(parts)


def _json(value) -> str:
    from .packing import compact_json

    return compact_json(value).decode("utf-8")


def _geojson_geometry(shape) -> dict:
    """A plain ``Shape`` as an RFC 7946 geometry (parts split at ±180, as ``routes`` made them)."""
    import numpy as np

    if shape[0] == "P":
        return {"type": "Point", "coordinates": list(shape[1])}
    parts = [np.asarray(part, dtype=float).tolist() for part in shape[1:]]
    if len(parts) == 1:
        return {"type": "LineString", "coordinates": parts[0]}
    return {"type": "MultiLineString", "coordinates": parts}


def _properties(fields: dict[str, dict], event, renamed: dict[str, str]) -> dict:
    from .assemble import flat_record

    record = flat_record(event)
    properties = {name: _clean(record[name]) for name in PROPERTIES}
    properties["sources"] = [_clean(s) for s in event.sources]
    properties["actors"] = [_clean(a) for a in event.actors]
    properties["citations"] = _citations(fields, event)
    properties["origins"] = event.origins
    for name, value in event.attributes:
        properties[renamed[name]] = _clean(value)
    return properties


def geojson_lines(assembly: Assembly):
    """A FeatureCollection per RFC 7946, as text pieces: one feature per event and per line,
    citations inlined. Each distinct geometry is encoded once and its text reused, so a route
    that a thousand events share costs one encoding, and nothing holds the whole document."""
    renamed = attribute_names(assembly)
    fields = _source_fields(assembly)
    geometries: dict[str, str] = {}
    yield '{"type": "FeatureCollection", "features": [\n'
    for n, (event, key, shape) in enumerate(
        zip(assembly.records, assembly.shape_keys, assembly.shapes, strict=True)
    ):
        if key not in geometries:
            geometries[key] = _json(_geojson_geometry(shape))
        yield (
            ("," if n else "") + '{"type": "Feature", "id": ' + _json(event.id)
            + ', "properties": ' + _json(_properties(fields, event, renamed))
            + ', "geometry": ' + geometries[key] + "}\n"
        )
    yield "]}\n"


def _geojson_chunks(assembly: Assembly, size: int = 1 << 20):
    """``geojson_lines`` encoded, in pieces of about ``size`` bytes."""
    batch: list[str] = []
    held = 0
    for line in geojson_lines(assembly):
        batch.append(line)
        held += len(line)
        if held >= size:
            yield "".join(batch).encode("utf-8")
            batch, held = [], 0
    yield "".join(batch).encode("utf-8")


def flat_columns(assembly: Assembly) -> list[str]:
    """The columns of ``flat_rows``, in order."""
    return [*PROPERTIES, "origins", *attribute_names(assembly).values(), "citations"]


def flat_rows(assembly: Assembly):
    """Each event as a row of flat, cleaned values in ``flat_columns`` order (no DataFrame:
    the formats without nested values read them straight)."""
    from .assemble import flat_record

    fields = _source_fields(assembly)
    attributes = list(attribute_names(assembly))
    for event in assembly.records:
        record = flat_record(event)
        own = dict(event.attributes)
        yield [
            *(_clean(record[name]) for name in PROPERTIES), event.origins,
            *(_clean(own.get(column, "")) for column in attributes),
            _citation_text(_citations(fields, event)),
        ]


def flat_frame(assembly: Assembly):
    """The events with flat text attributes, for formats that have no nested values."""
    import geopandas as gpd
    import pandas as pd

    from .assemble import geometries_of
    from .schema import CRS

    frame = pd.DataFrame(list(flat_rows(assembly)), columns=flat_columns(assembly))
    geometries = geometries_of(assembly.shapes, assembly.shape_keys)
    return gpd.GeoDataFrame(frame, geometry=geometries, crs=CRS)


def csv_bytes(assembly: Assembly, *, raw: bool = False) -> bytes:
    """CSV with WKT geometry (written once per distinct shape); formula-like cells
    neutralised unless ``raw``."""
    import csv
    import io

    from .assemble import geometry_of

    wkt: dict = {}
    for key, shape in zip(assembly.shape_keys, assembly.shapes, strict=True):
        if key not in wkt:
            wkt[key] = geometry_of(shape).wkt
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*flat_columns(assembly), "wkt"])
    writer.writerows(
        [*(csv_cell(value, raw) for value in row), wkt[key]]
        for row, key in zip(flat_rows(assembly), assembly.shape_keys, strict=True)
    )
    return buffer.getvalue().encode("utf-8")


def _expected_layers(frame, fmt: str) -> dict[str, int]:
    if fmt == "kml":
        return {"events": len(frame)}
    points = int((frame.geometry.geom_type == "Point").sum())
    counts = {"events_points": points, "events_lines": len(frame) - points}
    return {name: n for name, n in counts.items() if n}


def _verifier(expected: dict[str, int]):
    """A check that a written file has exactly the expected layers and feature counts.

    A file of one layer (KML) is opened once, for that layer: GDAL's KML driver parses the
    whole file at every opening (7.5 s for 100,000 events), and listing its layers first
    would parse it twice.
    """

    def verify(tmp: str) -> None:
        import pyogrio

        try:
            names = list(expected) if len(expected) == 1 else [
                name for name, _ in pyogrio.list_layers(tmp)]
            found = {name: pyogrio.read_info(tmp, layer=name, force_feature_count=True)["features"]
                     for name in names}
        except Exception as exc:  # a truncated file does not even open
            raise OutputError(
                f"the written file does not read back ({short_reason(exc)})"
            ) from None
        if found != expected:
            raise OutputError(
                f"the written file reads back as {found or 'nothing'}, not {expected} features "
                "(a full disk?)"
            )

    return verify


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


#: The KML balloon: fixed markup, every value HTML-escaped, no links.
_KML_DESCRIPTION = (
    "<p>{summary}</p><p>{date_label} · {kind} · {confidence}</p><p>Sources: {citations}</p>"
)


def kml_description(record: dict) -> str:
    """The balloon for one event: KML viewers render descriptions as HTML, so values go in as
    escaped text and the markup is only the template's."""
    return _KML_DESCRIPTION.format(
        **{k: html.escape(str(record[k] or "")) for k in
           ("summary", "date_label", "kind", "confidence", "citations")}
    )


def _write_kml(frame, tmp: str) -> None:
    import pyogrio

    layer = frame.rename(columns={"title": "Name"})
    keys = ("summary", "date_label", "kind", "confidence", "citations")
    layer["Description"] = [
        kml_description(dict(zip(keys, values, strict=True)))
        for values in zip(*(frame[key].tolist() for key in keys), strict=True)
    ]
    pyogrio.write_dataframe(
        layer, tmp, layer="events", driver="KML",
        dataset_options={"NameField": "Name", "DescriptionField": "Description"},
    )


def export(assembly: Assembly, fmt: str, output, *, raw: bool = False,
           data_dir: str | Path | None = None) -> Path | None:
    """Write the events in ``fmt`` to ``output``: a path, or ``'-'`` or a binary stream for
    GeoJSON or CSV (``'-'`` is standard output).

    ``raw`` leaves formula-like CSV cells as they are; an output inside ``data_dir`` is refused.
    """
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
        pieces = (_geojson_chunks(assembly) if fmt == "geojson"
                  else (csv_bytes(assembly, raw=raw),))
        try:
            for piece in pieces:
                stream.write(piece)
            stream.flush()
        except OSError as exc:
            raise OutputError(f"standard output: cannot write: {exc.strerror or exc}") from None
        return None
    path = Path(output)
    if fmt == "geojson":
        return write_atomic(path, _geojson_chunks(assembly), data_dir=data_dir)
    if fmt == "csv":
        return write_atomic(path, csv_bytes(assembly, raw=raw), data_dir=data_dir)
    frame = flat_frame(assembly)
    writer = _write_gpkg if fmt == "gpkg" else _write_kml
    return replace_verified(
        path, lambda tmp: writer(frame, tmp), _verifier(_expected_layers(frame, fmt)),
        suffix=f".{fmt}", data_dir=data_dir,
    )
