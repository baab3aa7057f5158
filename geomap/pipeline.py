"""The one-way flow behind each command: load → validate → resolve → filter → assemble → output.

Each function is what one CLI command calls. Filtering happens on records, before any geometry,
and heavy libraries are imported only by the steps that need them: ``event_stats`` touches
neither geopandas nor searoute.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import FilterError
from .filters import Criteria, select
from .load import Dataset, load_dataset
from .records import Event, cited_sources, resolve
from .schema import EVENT_COLUMNS
from .validate import ensure_valid, validated
from .vocabulary import Vocabulary, vocabulary_of


def checked_dataset(data_dir: Path | str) -> Dataset:
    """The dataset, or a ``ValidationError`` listing every error in it."""
    dataset = load_dataset(data_dir)
    ensure_valid(dataset)
    return dataset


@dataclass
class Selection:
    """A valid dataset's events that meet the criteria, as typed records."""

    dataset: Dataset
    events: list[Event]
    criteria: Criteria
    vocabulary: Vocabulary
    gazetteer: object = None


def selected_records(
    data_dir: Path | str, criteria: Criteria, *, require_match: bool = True
) -> Selection:
    """Load, validate, resolve and filter; ``FilterError`` if nothing matches and must.

    One place index serves validation, resolution and the ``--place`` filter.
    """
    dataset = load_dataset(data_dir)
    _, gazetteer = validated(dataset)
    vocabulary = vocabulary_of(dataset)
    events = resolve(dataset, gazetteer)
    attributes = [name for name, _ in events[0].attributes] if events else []
    events = select(events, criteria, gazetteer, vocabulary, attributes)
    if require_match and not events:
        raise FilterError(f"no event matches {criteria.describe()}; nothing written")
    return Selection(dataset, events, criteria, vocabulary, gazetteer)


def selected(
    data_dir: Path | str, criteria: Criteria, *, require_match: bool = True, progress=None
):
    """The selected events with their geometry (an ``assemble.Assembly``).

    Routes come from the on-disk route cache; ``progress(done, total)`` follows their making.
    """

    return _assembled(selected_records(data_dir, criteria, require_match=require_match), progress)


def _assembled(selection: Selection, progress=None):
    from .assemble import assemble_records, source_rows
    from .routes import RouteCache

    assembly = assemble_records(
        selection.events, source_rows(selection.dataset), vocabulary=selection.vocabulary,
        cache=RouteCache(), progress=progress,
    )
    assembly.gazetteer = selection.gazetteer
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

    The title defaults to the dataset's own (``datapackage.json``). A self-contained map inlines
    its scripts and styles and, unless ``tiles`` names a tiled basemap, draws only the offline
    country outlines: it opens with no network at all. Pinned assets are resolved (and
    verified) before any event is assembled.
    """
    from .assets import resolve_assets
    from .output import check_output, write_atomic
    from .render import DEFAULT_TILES, DEFAULT_TITLE, render_pieces

    check_output(output, data_dir=data_dir)  # refuse before the work, not after
    assets = resolve_assets() if self_contained else None
    selection = selected_records(data_dir, criteria or Criteria())
    assembly = _assembled(selection, progress)
    if tiles is None:
        tiles = "none" if self_contained else DEFAULT_TILES
    title = title or str(selection.dataset.package.get("title") or "") or DEFAULT_TITLE
    pieces = render_pieces(assembly, title=title, tiles=tiles, assets=assets)
    path = write_atomic(output, pieces, data_dir=data_dir)
    return MapSummary(
        path=path,
        events=len(assembly),
        sources=len(cited_sources(assembly.records)),
        size=sum(map(len, pieces)),
    )


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

    if isinstance(output, (str, Path)) and str(output) != "-":
        from .output import check_output

        check_output(output, data_dir=data_dir)  # refuse before the work, not after
    assembly = selected(data_dir, criteria or Criteria(), progress=progress)
    return export(assembly, fmt, output, raw=raw, data_dir=data_dir), len(assembly)


def event_stats(
    data_dir: Path | str, fmt: str, *, criteria: Criteria | None = None, by: str = "year",
    top: int | None = 10, attribute: str | None = None, raw: bool = False,
) -> str:
    """The counts of the selected events, formatted (an empty selection gives zero counts).

    ``by`` is ``year`` or ``month``; ``top`` actors are listed (``None``: all); ``attribute``
    adds counts by one of the dataset's own columns; ``raw`` keeps formula-like CSV cells.
    """
    from .stats import format_summary, summarise

    selection = selected_records(data_dir, criteria or Criteria(), require_match=False)
    if attribute is not None:
        names = [c for c in selection.dataset.events.header if c not in EVENT_COLUMNS]
        if attribute not in names:
            raise FilterError(
                f"no column {attribute!r} to count by (the dataset's own columns: "
                f"{', '.join(names) or 'none'})",
                column="--by",
            )
    summary = summarise(
        selection.events, top, by=by, vocabulary=selection.vocabulary, attribute=attribute
    )
    return format_summary(summary, fmt, raw=raw)
