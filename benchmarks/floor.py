"""The floor: the least any tool must do, read the CSVs with pandas and write one JSON document.

No validation, no geometry, no map: the three tables go into one ``<script type=
"application/json">`` of an HTML file. A map renderer that is close to this is close to the
cost of reading its input and writing its output.

Usage: python benchmarks/floor.py DATA_DIR OUT.html
"""

from __future__ import annotations

import sys
from pathlib import Path


def build(data: Path, out: Path) -> None:
    import pandas as pd

    parts = []
    for name in ("places", "sources", "events"):
        frame = pd.read_csv(data / f"{name}.csv", dtype=str, keep_default_na=False)
        parts.append(f'"{name}":' + frame.to_json(orient="split", index=False))
    document = "{" + ",".join(parts) + "}"
    out.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>floor</title></head><body>'
        '<script type="application/json" id="data">'
        + document.replace("</", "<\\/") + "</script></body></html>",
        encoding="utf-8",
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
