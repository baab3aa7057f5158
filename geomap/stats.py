"""Counts of the selected events: by year and kind, by actor, by confidence, and sources cited."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from .schema import CONFIDENCE_LEVELS, EVENT_KINDS


def summarise(events, top_actors: int = 10) -> dict:
    """Counts as plain data. An event counts in the year it starts."""
    records = events[["start", "kind", "actors", "confidence", "sources"]].to_dict("records")
    kinds = [k for k in EVENT_KINDS if any(r["kind"] == k for r in records)]
    by_year: dict[str, Counter] = {}
    for r in records:
        by_year.setdefault(r["start"][:4], Counter())[r["kind"]] += 1
    actors = Counter(a for r in records for a in r["actors"].split("; ") if a)
    confidence = Counter(r["confidence"] for r in records)
    sources = {s for r in records for s in r["sources"].split("; ") if s}
    return {
        "events": len(records),
        "sources": len(sources),
        "kinds": kinds,
        "by_year": {
            year: {k: by_year[year][k] for k in kinds} for year in sorted(by_year)
        },
        "actors": [
            {"actor": a, "events": n}
            for a, n in sorted(actors.items(), key=lambda item: (-item[1], item[0]))[:top_actors]
        ],
        "confidence": {level: confidence[level] for level in reversed(CONFIDENCE_LEVELS)},
    }


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


def format_summary(summary: dict, fmt: str) -> str:
    """``table`` for people, ``csv`` (one long table: section,key,kind,count) or ``json``."""
    if fmt == "json":
        return json.dumps(summary, ensure_ascii=False, indent=2)
    kinds = summary["kinds"]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["section", "key", "kind", "count"])
        for year, counts in summary["by_year"].items():
            for kind in kinds:
                writer.writerow(["year", year, kind, counts[kind]])
        for row in summary["actors"]:
            writer.writerow(["actor", row["actor"], "", row["events"]])
        for level, count in summary["confidence"].items():
            writer.writerow(["confidence", level, "", count])
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
        f"{summary['events']} event{'s' * (summary['events'] != 1)} from "
        f"{summary['sources']} source{'s' * (summary['sources'] != 1)}",
        "",
        _table(year_rows, ["year", *kinds, "total"]),
        "",
        _table([[r["actor"], r["events"]] for r in summary["actors"]], ["actor", "events"]),
        "",
        _table([[k, v] for k, v in summary["confidence"].items()], ["confidence", "events"]),
    ]
    return "\n".join(parts)
