"""Counts of the selected events: by year and kind, by actor, by confidence, and sources cited."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from .records import Event, cited_sources
from .safety import clean_text, csv_cell
from .schema import CONFIDENCE_LEVELS
from .vocabulary import DEFAULT, UNASSESSED, Vocabulary
from .words import plural


def period_of(event: Event, by: str) -> str:
    """The year (``2020``) or month (``2020-05``) an event starts in; a year-precision event
    has no month and counts under ``2020`` even by month."""
    if by == "month" and event.date.month:
        return f"{event.date.year:04d}-{event.date.month:02d}"
    return f"{event.date.year:04d}"


def summarise(
    events: list[Event], top_actors: int | None = 10, *, by: str = "year",
    vocabulary: Vocabulary = DEFAULT, attribute: str | None = None,
) -> dict:
    """Counts as plain data. An event counts in the period it starts (``by`` year or month);
    ``top_actors=None`` lists every actor; ``attribute`` adds counts by a column of the
    dataset's own."""
    present = {event.kind for event in events}
    kinds = [k for k in vocabulary.ids if k in present]
    by_year: dict[str, Counter] = {}
    for event in events:
        by_year.setdefault(period_of(event, by), Counter())[event.kind] += 1
    actors = Counter(a for event in events for a in event.actors)
    confidence = Counter(event.confidence or UNASSESSED for event in events)
    levels = list(reversed(CONFIDENCE_LEVELS))
    if confidence[UNASSESSED]:
        levels.append(UNASSESSED)
    summary = {
        "events": len(events),
        "sources": len(cited_sources(events)),
        "kinds": kinds,
        "by_year": {
            year: {k: by_year[year][k] for k in kinds} for year in sorted(by_year)
        },
        "actors": [
            {"actor": a, "events": n}
            for a, n in sorted(actors.items(), key=lambda item: (-item[1], item[0]))[:top_actors]
        ],
        "confidence": {level: confidence[level] for level in levels},
    }
    if by != "year":
        summary["by"] = by
    if attribute:
        values = Counter(dict(event.attributes).get(attribute, "") for event in events)
        summary["attribute"] = {
            "name": attribute,
            "counts": [
                {"value": v, "events": n}
                for v, n in sorted(values.items(), key=lambda item: (-item[1], item[0]))
            ],
        }
    return summary


def _table(rows: list[list], header: list[str]) -> str:
    cells = [[str(c) for c in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_summary(summary: dict, fmt: str, *, raw: bool = False) -> str:
    """``table`` for people, ``csv`` (one long table: section,key,kind,count) or ``json``.

    CSV cells a spreadsheet would run as formulas get a leading ``'`` unless ``raw``."""
    if fmt == "json":
        return json.dumps(summary, ensure_ascii=False, indent=2)
    kinds = summary["kinds"]
    period = summary.get("by", "year")
    attribute = summary.get("attribute")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["section", "key", "kind", "count"])
        for year, counts in summary["by_year"].items():
            for kind in kinds:
                writer.writerow([period, year, kind, counts[kind]])
        for row in summary["actors"]:
            writer.writerow(["actor", csv_cell(clean_text(row["actor"]), raw), "", row["events"]])
        for level, count in summary["confidence"].items():
            writer.writerow(["confidence", level, "", count])
        for row in attribute["counts"] if attribute else ():
            writer.writerow([csv_cell(clean_text(attribute["name"]), raw),
                             csv_cell(clean_text(row["value"]), raw), "", row["events"]])
        writer.writerow(["total", "events", "", summary["events"]])
        writer.writerow(["total", "sources", "", summary["sources"]])
        return buffer.getvalue().rstrip("\n")
    year_rows = [
        [year, *(counts[k] for k in kinds), sum(counts.values())]
        for year, counts in summary["by_year"].items()
    ]
    year_rows.append(["all", *(sum(c[k] for c in summary["by_year"].values()) for k in kinds),
                      summary["events"]])
    parts = [
        f"{plural(summary['events'], 'event')} from {plural(summary['sources'], 'source')}",
        "",
        _table(year_rows, [period, *kinds, "total"]),
        "",
        _table([[r["actor"], r["events"]] for r in summary["actors"]], ["actor", "events"]),
        "",
        _table([[k, v] for k, v in summary["confidence"].items()], ["confidence", "events"]),
    ]
    if attribute:
        rows = [[r["value"] or "(empty)", r["events"]] for r in attribute["counts"]]
        parts += ["", _table(rows, [attribute["name"], "events"])]
    return "\n".join(parts)
