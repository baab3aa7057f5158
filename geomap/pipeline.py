"""The one-way flow behind each command: load → validate → assemble → filter → render/export.

Each function is what one CLI command calls; heavy libraries are imported only by the steps
that need them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import FilterError
from .filters import Criteria
from .load import Dataset, load_dataset
from .validate import ensure_valid


def checked_dataset(data_dir: Path | str) -> Dataset:
    """The dataset, or a ``ValidationError`` listing every error in it."""
    dataset = load_dataset(data_dir)
    ensure_valid(dataset)
    return dataset


def selected(
    data_dir: Path | str, criteria: Criteria, *, require_match: bool = True, progress=None
):
    """The assembled events that meet the criteria (``FilterError`` if none do and must).

    Routes come from the on-disk route cache; ``progress(done, total)`` follows their making.
    """
    from .assemble import assemble
    from .filters import select
    from .gazetteer import Gazetteer
    from .routes import RouteCache

    dataset = checked_dataset(data_dir)
    assembly = assemble(dataset, cache=RouteCache(), progress=progress)
    if not criteria.is_empty():
        gazetteer = Gazetteer.from_rows(dataset.places.rows)
        assembly.events = select(assembly.events, criteria, gazetteer)
    if require_match and len(assembly.events) == 0:
        raise FilterError(f"no event matches {criteria.describe()}; nothing written")
    return assembly


@dataclass
class MapSummary:
    path: Path
    events: int
    sources: int
    size: int


def render_map(
    data_dir: Path | str,
    output: Path | str,
    *,
    title: str | None = None,
    tiles: str | None = None,
    criteria: Criteria | None = None,
    self_contained: bool = False,
    progress=None,
) -> MapSummary:
    """Render the selected events to an HTML map written atomically at ``output``.

    A self-contained map inlines its scripts and styles and, unless ``tiles`` names a tiled
    basemap, draws only the offline country outlines: it opens with no network at all.
    """
    from .output import check_output, write_atomic
    from .render import DEFAULT_TILES, DEFAULT_TITLE, render_html

    check_output(output, data_dir=data_dir)  # refuse before the work, not after
    assembly = selected(data_dir, criteria or Criteria(), progress=progress)
    if tiles is None:
        tiles = "none" if self_contained else DEFAULT_TILES
    page = render_html(
        assembly, title=title or DEFAULT_TITLE, tiles=tiles, self_contained=self_contained
    )
    data = page.encode("utf-8")
    path = write_atomic(output, data, data_dir=data_dir)
    cited = {s for value in assembly.events["sources"].tolist() for s in value.split("; ") if s}
    return MapSummary(path=path, events=len(assembly.events), sources=len(cited), size=len(data))


def export_events(
    data_dir: Path | str,
    fmt: str,
    output: Path | str,
    *,
    criteria: Criteria | None = None,
    progress=None,
    raw: bool = False,
):
    """Export the selected events; returns the path written (``None`` for stdout) and the count.

    ``raw`` keeps formula-like CSV cells as they are; nothing is written into ``data_dir``.
    """
    from .export import export

    if str(output) != "-":
        from .output import check_output

        check_output(output, data_dir=data_dir)  # refuse before the work, not after
    assembly = selected(data_dir, criteria or Criteria(), progress=progress)
    return export(assembly, fmt, output, raw=raw, data_dir=data_dir), len(assembly.events)


def event_stats(
    data_dir: Path | str, fmt: str, *, criteria: Criteria | None = None, raw: bool = False
) -> str:
    """The counts of the selected events, formatted (an empty selection gives zero counts)."""
    from .stats import format_summary, summarise

    assembly = selected(data_dir, criteria or Criteria(), require_match=False)
    return format_summary(summarise(assembly.events), fmt, raw=raw)
