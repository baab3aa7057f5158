"""The ``geomap`` command line: the only module that imports click.

Each command parses its options, calls one library function and prints the result. There is one
error path: a bad option value is a ``click.BadParameter`` (exit 2, with the usage line), and a
``GeomapError`` from the library becomes a ``click.ClickException`` (one ``Error:`` line, exit 1).
Heavy libraries are imported inside the commands that need them, so ``geomap --help`` and
``geomap validate`` start fast.
"""

from __future__ import annotations

import contextlib
import difflib
import errno
import sys

import click

from . import __version__
from .errors import GeomapError, ValidationError
from .schema import CONFIDENCE_LEVELS

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _echo(text: str = "", *, err: bool = False, nl: bool = True, block: bool = False):
    """Print text that may hold data, with control characters shown escaped (``\x1b``)."""
    from .safety import terminal_text

    click.echo(terminal_text(text, keep_newlines=block), err=err, nl=nl)


class _Error(click.ClickException):
    """``Error: …`` on one line, with any control character from the data shown escaped."""

    def format_message(self) -> str:
        from .safety import terminal_text

        return terminal_text(self.message)


class Group(click.Group):
    """Turns geomap's own errors into click's: ``Error: …`` on one line and exit status 1."""

    def invoke(self, ctx):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except ValidationError as exc:
            from .commands import report_lines
            from .words import plural

            for line in report_lines(exc.problems):
                _echo(line, err=True)
            errors = sum(p.severity == "error" for p in exc.problems)
            raise _Error(f"{plural(errors, 'error')} in the data; nothing written") from None
        except GeomapError as exc:
            raise _Error(str(exc)) from None
        except OSError as exc:
            if exc.errno not in (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EBADF):
                raise
            import os

            # Standard output is full or closed: say so once; stop Python repeating it at exit.
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise _Error(f"standard output: cannot write: {exc.strerror or exc}") from None


class Choice(click.Choice):
    """``click.Choice`` whose error names the closest choice."""

    def get_invalid_choice_message(self, value, ctx) -> str:
        message = super().get_invalid_choice_message(value, ctx)
        close = difflib.get_close_matches(str(value).lower(), self.choices, n=1)
        return message + (f" Did you mean {close[0]!r}?" if close else "")


def _data_dir(ctx, param, value):
    from .commands import data_directory

    return data_directory(value)


def _tiles(ctx, param, value):
    """An xyzservices name that needs no API key, or ``none``."""
    if value is None or value.lower() == "none":
        return value
    from .render import tile_provider_name

    try:
        return tile_provider_name(value)
    except GeomapError as exc:
        raise click.BadParameter(exc.message) from None


data_option = click.option(
    "--data",
    "data_dir",
    default="data",
    show_default=True,
    type=click.Path(file_okay=False),
    callback=_data_dir,
    help="Directory holding places.csv, sources.csv and events.csv.",
)


raw_option = click.option(
    "--raw", is_flag=True,
    help="Write CSV cells as they are; by default a cell starting with = + - @ gets a "
         "leading ' so spreadsheets show it as text.",
)


def filter_options(command):
    """The selection options shared by render, export and stats."""
    options = [
        click.option("--year", "years", multiple=True, metavar="YYYY[-YYYY]",
                     help="Keep events in this year or range of years (repeatable)."),
        click.option("--since", metavar="DATE",
                     help="Keep events that end on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)."),
        click.option("--until", metavar="DATE",
                     help="Keep events that start on or before DATE."),
        click.option("--actor", "actors", multiple=True, metavar="NAME",
                     help="Keep events involving this actor (repeatable; accents, case ignored)."),
        click.option("--kind", "kinds", multiple=True, metavar="KIND",
                     help="Keep events of this kind (repeatable; the dataset's kinds)."),
        click.option("--confidence", type=Choice(CONFIDENCE_LEVELS),
                     help="Keep events at this confidence or higher "
                          "(alleged < reported < confirmed)."),
        click.option("--place", "places", multiple=True, metavar="PLACE",
                     help="Keep events that touch this place (id, name, alias or exact "
                          "LAT,LON; repeatable)."),
        click.option("--near", metavar="LAT,LON,KM",
                     help="Keep events with a stop within KM kilometres of LAT,LON."),
        click.option("--bbox", metavar="W,S,E,N",
                     help="Keep events with a stop in this box (degrees; W > E crosses 180°)."),
        click.option("--within", multiple=True, metavar="AREA",
                     help="Keep events with a stop inside this country (name or ISO code)."),
        click.option("--where", multiple=True, metavar="COLUMN=VALUE",
                     help="Keep events whose own column has this value (repeatable)."),
        click.option("--origins", type=click.IntRange(min=1), metavar="N",
                     help="Keep events whose sources come down to at least N independent "
                          "origins."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


class _Progress:
    """A progress bar on stderr for work that takes a while, only when stderr is a terminal."""

    def __init__(self, label: str):
        self.label = label
        self.bar = None

    def __call__(self, done: int, total: int):
        if total < 2 or not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _check_kinds(data_dir, kinds, option: str = "--kind"):
    """Kinds come from the dataset's vocabulary: a bad one is an option error (exit 2)."""
    if not kinds:
        return
    from .commands import kind_ids

    known = kind_ids(data_dir)
    for kind in [kinds] if isinstance(kinds, str) else kinds:
        if kind not in known:
            close = difflib.get_close_matches(kind.lower(), known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise click.BadParameter(
                f"{kind!r} is not one of {', '.join(map(repr, known))}.{hint}",
                param_hint=f"'{option}'",
            )


def _criteria(data_dir, years, since, until, actors, kinds, confidence, places, near=None,
              bbox=None, within=(), where=(), origins=None):
    """The filter options as ``Criteria``; a warning for each value that names nothing known."""
    from .commands import filter_warnings
    from .filters import Criteria
    from .load import load_dataset

    criteria = Criteria.from_options(
        years=years, since=since, until=until, actors=actors, kinds=kinds,
        confidence=confidence, places=places, near=near, bbox=bbox, within=within,
        where=where, origins=origins,
    )
    _check_kinds(data_dir, kinds)
    if criteria.actors:
        for line in filter_warnings(load_dataset(data_dir), criteria):
            _echo(f"Warning: {line}", err=True)
    return criteria


@click.group(cls=Group, context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="geomap")
def cli():
    """Map documented events from sourced CSV records.

    Records live in a data directory (events.csv, places.csv, sources.csv; data/ by default);
    `geomap render` turns them into an interactive HTML map in which every feature cites its
    sources, and `geomap import` brings your own data. `geomap doctor` says what this machine
    has for each feature.
    """


@cli.command(context_settings=CONTEXT, short_help="Render the events to an HTML map.")
@data_option
@click.option("--output", "-o", default="maps/index.html", show_default=True,
              type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--title", default=None, help="Title shown above the map.")
@click.option("--tiles", default=None, metavar="NAME", callback=_tiles,
              help="Tiled basemap, an xyzservices name such as OpenStreetMap.Mapnik "
                   "[default: Esri.WorldGrayCanvas; none with --self-contained]; "
                   "'none' draws only the offline country outlines.")
@click.option("--self-contained", is_flag=True,
              help="No network request at all: scripts inlined and no tiles unless --tiles.")
@click.option("--cdn", is_flag=True,
              help="Load Leaflet from its CDN (a smaller file that needs the network to open).")
@filter_options
def render(data_dir, output, title, tiles, self_contained, cdn, **filters):
    """Render the events to an interactive HTML map.

    The map opens offline: Leaflet and geomap's script are inlined, and the country outlines
    beneath the tiles show without a network (--cdn links the scripts instead).

    \b
    Example:
      geomap render --kind flight --year 2020 -o maps/flights-2020.html
    """
    from .pipeline import render_map
    from .render import DEFAULT_TILES
    from .words import plural

    if cdn and self_contained:
        raise click.UsageError("--cdn and --self-contained exclude each other")
    if tiles is None:
        tiles = "none" if self_contained else DEFAULT_TILES
    summary = render_map(
        data_dir, output, title=title, tiles=tiles, criteria=_criteria(data_dir, **filters),
        self_contained=not cdn, progress=_Progress("Routing"),
    )
    _echo(
        f"wrote {summary.path}: {plural(summary.events, 'event')} from "
        f"{plural(summary.sources, 'source')} ({summary.size / 1024:,.0f} KiB)"
    )


@cli.command(context_settings=CONTEXT, short_help="Check the data against every rule.")
@data_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--all", "every", is_flag=True,
              help="List every warning (by default, repeated ones are counted on one line).")
def validate(data_dir, strict, every):
    """Check the data against every rule and list all problems as file:line.

    Errors come first, one per line; then the warnings, one line per rule with a count.

    \b
    Example:
      geomap validate --all
    """
    from .commands import report_lines, validate_data

    report = validate_data(data_dir)
    for line in report_lines(report.problems, every=every):
        _echo(line)
    _echo(report.summary())
    if report.errors or (strict and report.warnings):
        sys.exit(1)


@cli.command(context_settings=CONTEXT, short_help="Search the gazetteer for a place.")
@data_option
@click.argument("query", required=False, default="")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1),
              help="At most this many places.")
def places(data_dir, query, limit):
    """Search the gazetteer by id, name or alias (fuzzy; accents and case ignored).

    Without a query, lists the places by id.

    \b
    Example:
      geomap places tachira
    """
    from .commands import find_places

    found = find_places(data_dir, query, limit)
    width = max(len(p.id) for p in found)
    for place in found:
        _echo(
            f"{place.id:<{width}}  {place.name} ({place.kind}, {place.country})  "
            f"{place.lat:.4f},{place.lon:.4f}"
        )


@cli.command(context_settings=CONTEXT, short_help="Count events by year, kind and actor.")
@data_option
@click.option("--format", "fmt", type=Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--by", default="year", show_default=True, metavar="year|month|COLUMN",
              help="Count by year or month, or also by one of the dataset's own columns.")
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=0),
              help="List this many actors (0: all).")
@raw_option
@filter_options
def stats(data_dir, fmt, by, top, raw, **filters):
    """Count events by year and kind, actor and confidence, and the sources they cite.

    \b
    Example:
      geomap stats --kind flight --by month --format json
    """
    from .pipeline import event_stats

    period, attribute = (by, None) if by in ("year", "month") else ("year", by)
    text = event_stats(
        data_dir, fmt, criteria=_criteria(data_dir, **filters), by=period, top=top or None,
        attribute=attribute, raw=raw,
    )
    if fmt == "table":
        _echo(text, block=True)
    else:
        click.echo(text)


@cli.command(context_settings=CONTEXT, short_help="Export the events for GIS tools.")
@data_option
@click.option("--format", "fmt", type=Choice(["geojson", "gpkg", "kml", "csv"]),
              required=True, help="GeoJSON (RFC 7946), GeoPackage, KML, or CSV with WKT.")
@click.option("--output", "-o", required=True, metavar="FILE",
              help="File to write, or - for standard output (geojson and csv).")
@raw_option
@filter_options
def export(data_dir, fmt, output, raw, **filters):
    """Export the events for GIS tools (QGIS, GDAL, Google Earth).

    \b
    Example:
      geomap export --format gpkg -o events.gpkg
    """
    from .pipeline import export_events

    target = click.open_file("-", "wb") if output == "-" else output
    path, count = export_events(
        data_dir, fmt, target, criteria=_criteria(data_dir, **filters),
        progress=_Progress("Routing"), raw=raw,
    )
    if path is not None:
        from .words import plural

        _echo(f"wrote {path}: {plural(count, 'event')}")


@cli.command(context_settings=CONTEXT, short_help="Append one event to events.csv.")
@data_option
@click.option("--date", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--end-date", "end_date", metavar="DATE", help="Last day of a span, if any.")
@click.option("--kind", required=True, metavar="KIND",
              help="The kind of event, one of the dataset's kinds (shipment, flight, …).")
@click.option("--title", required=True, help="A short title.")
@click.option("--places", required=True, metavar="STOPS",
              help="Stops in travel order, 'origin > destination'; ids, names or 'lat,lon'.")
@click.option("--sources", required=True, metavar="IDS", help="Source ids, ';'-separated.")
@click.option("--confidence", default="", type=Choice(["", *CONFIDENCE_LEVELS]),
              help="How sure we are (see data/README.md); leave it out if not assessed.")
@click.option("--actors", default="", metavar="NAMES", help="Actors, ';'-separated.")
@click.option("--summary", default="", help="One or two sentences in your own words.")
@click.option("--evidence", default="", help="A short verbatim quote from the source.")
@click.option("--carrier", default="", help="Vessel or aircraft/operator, when known.")
@click.option("--id", "event_id", default="", help="Event id (default: from date and title).")
@click.option("--dry-run", is_flag=True, help="Validate and print the row; write nothing.")
def add(data_dir, dry_run, event_id, **values):
    """Append one event to events.csv after validating it with the whole dataset.

    \b
    Example:
      geomap add --date 2020-08 --kind statement --title "Maduro orders missile evaluation" \\
        --places Venezuela --sources global-research-2020-08-25 --confidence reported --dry-run
    """
    from .append import add_event
    from .commands import report_lines

    _check_kinds(data_dir, values["kind"])
    added = add_event(data_dir, {"id": event_id, **values}, dry_run=dry_run)
    for line in report_lines(added.warnings):
        _echo(line, err=True)
    target = data_dir / "events.csv"
    if dry_run:
        _echo(added.row, nl=False, block=True)
        _echo(f"(dry run: would be {target}:{added.line}; nothing written)", err=True)
    else:
        _echo(f"added {target}:{added.line}: {added.id}")


@cli.command("fetch-assets", context_settings=CONTEXT,
             short_help="Fill the pinned-asset cache for offline maps.")
@click.option("--data", "data_dir", default=None, hidden=True,
              help="Accepted for symmetry with the other commands; the cache is per user.")
@click.option("--npm", is_flag=True,
              help="Take the files from the npm registry's packages instead of the CDN.")
def fetch_assets(data_dir, npm):
    """Download the pinned scripts and styles that maps inline, verifying checksums: from the
    CDN, and from the npm registry for any file the CDN cannot give (or all of them with --npm).

    The cache is per user (GEOMAP_ASSETS names another folder), so --data is accepted and
    ignored.

    \b
    Example:
      geomap fetch-assets --npm
    """
    from .assets import cache_dir, fetch_all

    paths = fetch_all(npm=npm)
    click.echo(f"{len(paths)} pinned assets verified in {cache_dir()}")


@cli.command(context_settings=CONTEXT, short_help="Say what this machine has for each feature.")
def doctor():
    """Check what each feature needs on this machine and say how to get what is missing.

    Exits 0 when everything is present, 1 when something is missing.

    \b
    Example:
      geomap doctor
    """
    from .doctor import diagnose

    checks = diagnose()
    width = max(len(c.feature) for c in checks)
    for check in checks:
        status = "ok" if check.ok else "MISSING"
        click.echo(f"{status:<8} {check.feature:<{width}}  {check.detail}")
    missing = [c for c in checks if not c.ok]
    if missing:
        click.echo(f"{len(missing)} of {len(checks)} missing; the lines above say how to get "
                   "them", err=True)
        sys.exit(1)


def _pairs(values, option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{value!r} is not FIELD=VALUE", param_hint=option)
        pairs[name.strip()] = text
    return pairs


@cli.command("import", context_settings=CONTEXT, short_help="Import your own data.")
@click.argument("src", type=click.Path(dir_okay=False))
@click.option("--to", "target", required=True, type=click.Path(file_okay=False),
              help="New or empty data directory to write.")
@click.option("--map", "maps", multiple=True, metavar="FIELD=COLUMN",
              help="Read a field from a column, or a template such as "
                   "'actors={actor1}; {actor2}' (repeatable). Fields: id, date, end_date, kind, "
                   "title, summary, actors, place, lat, lon, wkt, url, evidence, confidence, "
                   "carrier. Common column names are detected.")
@click.option("--preset", type=Choice(["acled"]), help="Column mapping of a known export.")
@click.option("--places", "places_file", type=click.Path(dir_okay=False),
              help="Gazetteer (places.csv) resolving a place-name column "
                   "[default: a places.csv already in the --to directory, kept whole].")
@click.option("--set", "constants", multiple=True, metavar="FIELD=VALUE",
              help="Give every row this kind, date, end_date, carrier or actors (repeatable); "
                   "only what you know to be true of every row.")
@click.option("--confidence", type=Choice(CONFIDENCE_LEVELS),
              help="Give every row this confidence (confirmed, reported, alleged) "
                   "[default: empty, not assessed].")
@click.option("--date-format", metavar="FORMAT",
              help="strptime format for dates geomap cannot read unaided, e.g. %d/%m/%Y.")
@click.option("--source-title", help="Title of the dataset as a source [default: file name].")
@click.option("--source-url", metavar="URL", help="Where the dataset is published.")
@click.option("--licence", metavar="NAME", help="The dataset's licence, e.g. CC-BY-4.0.")
@click.option("--title", help="Title of the map [default: --source-title].")
@click.option("--description", help="What the dataset holds.")
@click.option("--citation", help="How to cite the dataset.")
@click.option("--route", type=Choice(["sea", "air"]),
              help="Draw the events as routes through their stops: by sea lanes or as "
                   "geodesic arcs (rows with one stop are skipped).")
@click.option("--encoding", metavar="NAME",
              help="Text encoding of a CSV that is not UTF-8, e.g. latin-1.")
@click.option("--layer", metavar="NAME", help="Layer of a GeoPackage [default: the first].")
@click.option("--show", "limit", default=20, show_default=True,
              help="List at most this many skipped rows.")
@click.option("--force", is_flag=True, help="Replace a dataset already in the directory.")
@click.option("--dry-run", is_flag=True, help="Check and report; write nothing.")
def import_(src, target, maps, constants, confidence, limit, **options):
    """Import a CSV, GeoJSON or GeoPackage into a new data directory.

    Rows that cannot be imported are listed as file:line with the reason; the rest import,
    and the written directory passes `geomap validate`.

    \b
    Example:
      geomap import data/events.csv --to mydata --places data/places.csv --source-title "Copy"
    """
    from .importer import import_dataset

    constants = _pairs(constants, "--set")
    if confidence:
        constants["confidence"] = confidence
    summary = import_dataset(
        src, target, mapping=_pairs(maps, "--map"), constants=constants, **options
    )
    *details, last = summary.lines(limit=limit)
    for line in details:
        _echo(line, err=True)
    _echo(last + (" (dry run: nothing written)" if options["dry_run"] else ""))
