"""Small helpers shared by test modules (fixtures live in conftest.py)."""

from pathlib import Path

from geomap.load import load_dataset
from geomap.validate import check


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a text file, which must contain it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(folder: Path, severity: str = "error") -> list[str]:
    """The validator's messages of one severity for a data directory."""
    return [str(p) for p in check(load_dataset(folder)) if p.severity == severity]
