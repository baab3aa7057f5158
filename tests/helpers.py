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


def page_payload(page: str) -> dict:
    """The payload a rendered map page carries, decoded as the page decodes it."""
    from geomap.packing import read_page

    return read_page(page)


def payload_elements(page: str) -> list[str]:
    """The base64 text of each of the page's payload script elements."""
    from geomap.packing import ELEMENT

    return [m.group(3) for m in ELEMENT.finditer(page)]


def assert_same(got, want, where="doc", tolerance=0.0):
    """Equal everywhere, of the same types; numbers under the payload's ``geoms`` within 1e-6°
    (the packed payload carries coordinates in millionths of a degree). ``want``'s sequences
    (a ``packing.Geometries`` too) are compared with ``got``'s lists."""
    import math
    from collections.abc import Sequence

    if isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), where
        for key in want:
            inner = 1e-6 if key == "geoms" and where == "doc" else tolerance
            assert_same(got[key], want[key], f"{where}.{key}", inner)
    elif isinstance(want, Sequence) and not isinstance(want, str | bytes):
        assert isinstance(got, list) and len(got) == len(want), where
        for n, (a, b) in enumerate(zip(got, want, strict=True)):
            assert_same(a, b, f"{where}[{n}]", tolerance)
    elif isinstance(want, float) and tolerance:
        assert math.isclose(got, want, rel_tol=0, abs_tol=tolerance), (where, got, want)
    else:
        assert got == want and type(got) is type(want), (where, got, want)
